"""Helpers of the HTTP benchmarks and the fault test: a prepared store, a uvicorn server in a
subprocess on 127.0.0.1, process memory from /proc, and a bounded wrk run.

Nothing here listens anywhere but 127.0.0.1; every run is bounded in time.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import Engine, func, select, text

from matching import migrate, normalisation
from matching.access import tokens
from matching.access import users as security
from matching.exchange.importing import import_paths
from matching.reference import load_reference
from matching.store import models
from matching.store.access import Organisation, User
from matching.store.db import make_engine, make_session_factory

ROOT = Path(__file__).resolve().parents[1]
PG_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
WERKMATCH = str(ROOT / ".venv" / "bin" / "werkmatch")


def pg_url(schema: str) -> str:
    """The test database with ``schema`` first on the search path."""
    return f"{PG_BASE}?options=-csearch_path%3D{schema}"


def fresh_schema(schema: str) -> str:
    """Drop and create ``schema`` in the test database; its URL."""
    admin = make_engine(url=PG_BASE)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    admin.dispose()
    return pg_url(schema)


def drop_schema(schema: str) -> None:
    """Drop ``schema`` (after a run)."""
    admin = make_engine(url=PG_BASE)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    admin.dispose()


@dataclass
class BenchStore:
    """A migrated, loaded store with an account manager's bearer token."""

    url: str
    token: str
    vacancy_ids: list[str]
    seconds: dict[str, float] = field(default_factory=dict)
    rows: dict[str, int | None] = field(default_factory=dict)


def migrated(url: str) -> Engine:
    """An engine on ``url`` with the schema at head and the reference data loaded."""
    engine = make_engine(url=url)
    migrate.upgrade(engine)
    load_reference(engine)
    return engine


def prepare_store(url: str, data_dir: Path, *, codes: Sequence[str]) -> BenchStore:
    """Import the exchange files in ``data_dir`` (normalised) and sign in an account manager
    of an organisation covering ``codes``; timings of the import."""
    engine = migrated(url)
    sessions = make_session_factory(engine)
    started = time.perf_counter()
    report = import_paths(sessions, [data_dir], normaliser=normalisation, threshold=0.5)
    seconds = {"import": time.perf_counter() - started}
    if report.rejected:
        raise RuntimeError(f"{report.rejected} rows of {data_dir} were rejected")
    token = sign_in(sessions, codes)
    with sessions() as session:
        rows = {"candidates": session.scalar(select(func.count()).select_from(models.Candidate))}
        v = models.Vacancy
        ids = list(
            session.scalars(select(v.vacancy_id).where(v.status == "open").order_by(v.vacancy_id))
        )
    engine.dispose()
    return BenchStore(url, token, ids, seconds, rows)


def sign_in(sessions, codes: Sequence[str], role: str = "accountmanager") -> str:  # type: ignore[no-untyped-def]
    """A one-day bearer token of a ``bench-<role>`` user in organisation ``bench``."""
    with sessions.begin() as session:
        if session.get(Organisation, "bench") is None:
            security.create_organisation(session, "bench", name="Bench", municipality_codes=codes)
        user_id = f"bench-{role}"
        if session.get(User, user_id) is None:
            security.create_user(session, user_id, role=role, organisation_id="bench")
        return tokens.issue_token(session, user_id, lifetime=dt.timedelta(days=1)).token


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def postgres_answers(host: str = "127.0.0.1", port: int = 5432) -> bool:
    """True when something listens on the PostgreSQL port."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def load_average() -> tuple[float, float, float]:
    """The 1, 5 and 15 minute load averages."""
    return os.getloadavg()


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak resident set) of a process, KiB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return {k: int(v) for k, v in re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.M)}


def children(pid: int) -> list[int]:
    """The direct child processes of ``pid``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


class Server:
    """``werkmatch serve`` (or another argv) on a free port of 127.0.0.1, as a context manager."""

    def __init__(self, env: dict[str, str], *, workers: int = 1, argv: list[str] | None = None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.argv = argv or [WERKMATCH, "serve", "--workers", str(workers)]
        self.argv += ["--host", "127.0.0.1", "--port", str(self.port)]
        self.env = {**os.environ, **env}
        self.log = tempfile.NamedTemporaryFile(prefix="werkmatch-server-", suffix=".log")  # noqa: SIM115 (closed with the object)
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(
            self.argv, env=self.env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.output()[-2000:]}")
            try:
                if httpx.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("server did not answer /healthz within 90 s")

    def __exit__(self, *_exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def output(self) -> str:
        """What the server wrote so far."""
        return Path(self.log.name).read_text(errors="replace")

    def worker_pids(self) -> list[int]:
        """The processes serving requests: the children of a supervisor, else the process."""
        assert self.process is not None
        found = children(self.process.pid)
        workers = [p for p in found if "multiprocessing.resource_tracker" not in _cmdline(p)]
        return workers or [self.process.pid]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


WRK_SCRIPT = """
local paths = {%(paths)s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1], {["Authorization"] = "Bearer %(token)s"})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests": %%d, "duration_us": %%d, "p50": %%d, "p95": %%d, "p99": %%d, ' ..
    '"max": %%d, "errors": %%d, "non2xx": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect + e.read + e.write + e.timeout, e.status))
end
"""


@dataclass(frozen=True)
class WrkResult:
    """One wrk run: requests per second and latency percentiles in ms."""

    requests: int
    rps: float
    p50: float
    p95: float
    p99: float
    max: float
    errors: int
    non2xx: int


def wrk(
    base: str, paths: Sequence[str], token: str, *, seconds: int, connections: int = 8
) -> WrkResult:
    """A bounded closed-loop load (one wrk thread, ``connections`` connections) over ``paths``."""
    assert base.startswith("http://127.0.0.1:"), "load only on 127.0.0.1"
    script = WRK_SCRIPT % {"paths": ", ".join(json.dumps(p) for p in paths), "token": token}
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(script)
        lua.flush()
        argv = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
        run = subprocess.run(
            [*argv, "-s", lua.name, base], capture_output=True, text=True, timeout=seconds + 60
        )
    line = next((x for x in run.stdout.splitlines() if x.startswith("WRK ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {run.stdout}\n{run.stderr}")
    r = json.loads(line[4:])
    return WrkResult(
        requests=r["requests"],
        rps=r["requests"] / (r["duration_us"] / 1e6),
        p50=r["p50"] / 1000,
        p95=r["p95"] / 1000,
        p99=r["p99"] / 1000,
        max=r["max"] / 1000,
        errors=r["errors"],
        non2xx=r["non2xx"],
    )


def server_env(url: str, var_dir: Path, model_dir: Path | None = None) -> dict[str, str]:
    """Environment of a server on ``url`` with state under ``var_dir``."""
    env = {"WERKMATCH_DATABASE_URL": url, "WERKMATCH_VAR_DIR": str(var_dir)}
    if model_dir is not None:
        env["WERKMATCH_MODEL_DIR"] = str(model_dir)
    return env


if __name__ == "__main__":  # pragma: no cover
    sys.exit("a helper module: run scripts/bench.py")
