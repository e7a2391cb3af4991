"""A streaming replica of the local PostgreSQL on another port, for the national benchmark.

    with streaming_replica(port=5433) as url: ...    (a SQLAlchemy URL of the standby)
    .venv/bin/python scripts/pg_replica.py           (start, show it streams, stop)

``pg_basebackup -R`` of the primary (127.0.0.1:5432) into a temporary directory, started as the
postgres user on ``port`` of 127.0.0.1 only; stopped and removed on leaving. The primary must
accept replication connections from 127.0.0.1 (a ``host replication all 127.0.0.1/32 trust``
line in its pg_hba.conf) and have ``wal_level`` replica or logical (the default).
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

PRIMARY = ("127.0.0.1", 5432)
CONFIG = """listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{dir}'
hot_standby = on
hba_file = '{dir}/pg_hba.conf'
ident_file = '{dir}/pg_ident.conf'
"""
HBA = "local all all trust\nhost all all 127.0.0.1/32 trust\n"


def _bin(name: str) -> str:
    """A PostgreSQL server binary of the installed version."""
    versions = sorted(Path("/etc/postgresql").iterdir(), key=lambda p: int(p.name))
    return f"/usr/lib/postgresql/{versions[-1].name}/bin/{name}"


def _as_postgres(*argv: str, timeout: float = 300) -> str:
    run = subprocess.run(
        ["runuser", "-u", "postgres", "--", *argv], capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip
    if run.returncode:
        raise RuntimeError(f"{argv[0]} failed: {run.stderr.strip() or run.stdout.strip()}")
    return run.stdout


def psql(port: int, query: str, database: str = "test") -> str:
    """One value of ``query`` on 127.0.0.1:``port``."""
    return _as_postgres("psql", "-h", "127.0.0.1", "-p", str(port), "-d", database, "-Atc", query)


def _make_standby(data: Path, port: int) -> None:
    host, primary = PRIMARY
    _as_postgres(
        _bin("pg_basebackup"), "-h", host, "-p", str(primary), "-U", "postgres", "-D", str(data),
        "-R", "-X", "stream", "-c", "fast",
    )  # fmt: skip
    (data / "postgresql.conf").write_text(CONFIG.format(port=port, dir=data))
    (data / "pg_hba.conf").write_text(HBA)
    (data / "pg_ident.conf").write_text("")
    shutil.chown(data / "postgresql.conf", "postgres", "postgres")


def wait_streaming(port: int, timeout: float = 60) -> float:
    """Seconds until the standby on ``port`` streams from the primary."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        with contextlib.suppress(RuntimeError):
            if psql(port, "select status from pg_stat_wal_receiver") == "streaming\n":
                return time.monotonic() - start
        time.sleep(0.2)
    raise RuntimeError(f"the standby on port {port} is not streaming after {timeout:.0f} s")


@contextlib.contextmanager
def streaming_replica(port: int = 5433) -> Iterator[str]:
    """A streaming standby on ``port`` while inside; its SQLAlchemy URL (database test)."""
    root = Path(tempfile.mkdtemp(prefix="werkmatch-replica-"))
    shutil.chown(root, "postgres", "postgres")
    data = root / "data"
    started = False
    try:
        _make_standby(data, port)
        log = root / "server.log"
        _as_postgres(_bin("pg_ctl"), "-D", str(data), "-l", str(log), "-w", "start")
        started = True
        wait_streaming(port)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/test"
    finally:
        if started:
            _as_postgres(_bin("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    """Start a standby, show that it streams, stop it."""
    with streaming_replica() as url:
        print(f"standby streaming: {url}")
        print(psql(5433, "select pg_is_in_recovery(), pg_last_wal_replay_lsn()").strip())
    print("standby stopped and removed")


if __name__ == "__main__":
    main()
