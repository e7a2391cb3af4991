"""The parts of the national proof that need processes: a replica, HTTP workers, a killed job.

Used by ``bench_national.py --postgres`` (issue 25 item 4); each function returns Markdown
lines. ``replica_lag``: a write on the primary until a shortlist read through the streaming
replica reflects it. ``http_shortlists``: ``werkmatch serve --workers 2`` with the replica URL,
wrk over the vacancies of a region. ``killed_import``: an import job whose worker process is
killed (SIGKILL) mid-job, then another worker; the job's end and the row counts.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import func, select, update

sys.path.insert(0, str(Path(__file__).parent))
from bench_http import ROOT, Server, server_env, sign_in, wrk
from bench_import import write_candidates

from matching.access.users import Principal
from matching.bootstrap import Store
from matching.data_versions import bump_candidates, data_version
from matching.jobs import Jobs, JobView
from matching.reference import read_table
from matching.regions import version_name
from matching.settings import Settings
from matching.shortlist.context import MatchingCache
from matching.shortlist.regional import RegionalView
from matching.shortlist.service import vacancy_shortlist
from matching.store import models

CLI = Principal.command_line()
SERVE_NOTE = """Why uvicorn's own command, not ``werkmatch serve --workers 2``: uvicorn's supervisor
kills a worker that does not answer its health check within 5 s, and a worker spawned by
``werkmatch`` imports the whole CLI (``__main__``: api, sklearn, ...) before it can answer —
over 5 s on the loaded machine, so the workers are killed and restarted forever. uvicorn's
command gives the same app and two workers with a 60 s check."""
Picks = list[tuple[str, int, list[str], list[float]]]
"""Per region: its name, candidates, vacancy ids and in-process shortlist seconds."""


def _ms(times: list[float]) -> tuple[float, float]:
    return float(np.percentile(times, 50) * 1e3), float(np.percentile(times, 95) * 1e3)


def _until(check: Callable[[], bool], timeout: float, step: float = 0.005) -> float:
    """Seconds until ``check()`` is true (``timeout``: raise)."""
    start = time.perf_counter()
    while not check():
        if time.perf_counter() - start > timeout:
            raise RuntimeError(f"not seen within {timeout:.0f} s")
        time.sleep(step)
    return time.perf_counter() - start


def _top(store: Store, cache: MatchingCache, vacancy_id: str) -> list[str]:
    """The shortlist's candidate ids, pools read through the replica (audit rolled back)."""
    with store.sessions() as session, store.lagging_reads() as reads:
        found = vacancy_shortlist(session, RegionalView(cache, reads), vacancy_id, principal=CLI)
        session.rollback()
    return [entry.candidate_id for entry in found.candidates]


def replica_lag(store: Store, cache: MatchingCache, region: str, vacancy_id: str) -> list[str]:
    """The first-listed candidate of a vacancy made inactive on the primary: seconds until
    the replica has the region's new version, and until the replica-read shortlist drops it."""
    assert store.replica is not None, "no replica configured"
    first = _top(store, cache, vacancy_id)[0]
    with store.sessions.begin() as session:
        c = models.Candidate
        session.execute(update(c).where(c.candidate_id == first).values(status="inactive"))
        bump_candidates(session, {region})
        wanted = data_version(session, version_name(region))
    committed = time.perf_counter()

    def replica_has() -> bool:
        with store.lagging_reads() as reads:
            return data_version(reads, version_name(region)) >= wanted

    version_s = _until(replica_has, 60)
    _until(lambda: first not in _top(store, cache, vacancy_id), 60, step=0.0)
    seen_s = time.perf_counter() - committed
    return [
        f"replica: a candidate of {region} made inactive on the primary; the replica had the "
        f"region's new version after {version_s * 1e3:.0f} ms, the shortlist read through the "
        f"replica no longer listed them after {seen_s:.2f} s (region reload included)"
    ]


def http_shortlists(store: Store, urls: tuple[str, str], var_dir: Path, picks: Picks) -> list[str]:
    """Shortlists over HTTP (two workers, reads from the replica) per region, wrk 15 s each,
    beside the in-process figures of the same run."""
    codes = sorted(read_table("municipalities")["code"])
    token = sign_in(store.sessions, codes)
    env = {**server_env(urls[0], var_dir), "WERKMATCH_DATABASE_REPLICA_URL": urls[1],
           "PYTHONPATH": str(ROOT)}  # fmt: skip
    argv = [
        sys.executable,
        "-m",
        "uvicorn",
        "api.app:create_app",
        "--factory",
        "--workers",
        "2",
        "--timeout-worker-healthcheck",
        "60",
    ]  # fmt: skip (SERVE_NOTE)
    lines = [
        "| region | candidates | HTTP p50 / p95 ms (2 workers, replica) | in-process p50 / p95 "
        "ms | ratio p50 | requests/s |",
        "|---|---|---|---|---|---|",
    ]
    with Server(env, argv=argv) as server:
        for region, n, ids, inproc in picks:
            paths = [f"/vacancies/{v}/shortlist?limit=10" for v in ids]
            _warm(server.base, paths, token)
            got = wrk(server.base, paths, token, seconds=15, connections=2)
            p50, p95 = _ms(inproc)
            lines.append(
                f"| {region} | {n:,} | {got.p50:.1f} / {got.p95:.1f} | {p50:.1f} / {p95:.1f} "
                f"| {got.p50 / p50:.2f} | {got.rps:.1f} ({got.errors + got.non2xx} errors) |"
            )
    return lines


def _warm(base: str, paths: list[str], token: str) -> None:
    """Load until both workers answer the region at speed, without stalls (a worker's first
    requests load the skill spaces, the model and, reaching ``nearby``, every region)."""
    for _ in range(8):
        got = wrk(base, paths, token, seconds=5, connections=2)
        if got.requests >= 4 * len(paths) and got.max < 10 * max(got.p50, 10.0):
            return


def _counts(store: Store) -> tuple[int, int]:
    with store.sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(models.Candidate)) or 0,
            session.scalar(select(func.count()).select_from(models.CandidateCompetence)) or 0,
        )


def _worker(url: str, var_dir: Path) -> subprocess.Popen[bytes]:
    """``werkmatch jobs worker`` on the store, a stalled worker noticed after 10 s."""
    env = {**os.environ, **server_env(url, var_dir), "PYTHONPATH": str(ROOT),
           "WERKMATCH_JOBS_STALLED_SECONDS": "10"}  # fmt: skip
    argv = [sys.executable, "-m", "matching.cli", "jobs", "worker"]
    return subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip


def _job(jobs: Jobs, job_id: str, until: Callable[[JobView], bool], timeout: float) -> JobView:
    view = jobs.get(job_id, None)
    start = time.monotonic()
    while not until(view) and time.monotonic() - start < timeout:
        time.sleep(0.2)
        view = jobs.get(job_id, None)
    return view


def killed_import(store: Store, url: str, var_dir: Path, rows: int) -> list[str]:
    """An import job of ``rows`` candidates; its worker SIGKILLed mid-job; another worker."""
    folder = var_dir / "killed-import"
    (folder / "0").mkdir(parents=True)
    write_candidates(folder / "0" / "candidates.csv", rows)
    before = _counts(store)
    jobs = Jobs(store, Settings(database_url=url, var_dir=var_dir, jobs_stalled_seconds=10))
    job_id = jobs.submit("import", {"folder": str(folder), "normalise": False}, CLI)
    first = _worker(url, var_dir)
    busy = _job(jobs, job_id, lambda j: j.state == "running" and bool(j.done), 300)
    first.send_signal(signal.SIGKILL)
    first.wait()
    killed_at, at_kill = time.monotonic(), (busy.state, busy.done, busy.total)
    after_kill = _counts(store)
    second = _worker(url, var_dir)
    try:
        end = _job(jobs, job_id, lambda j: not j.active, 600)
    finally:
        second.terminate()
        second.wait(30)
    settled_s, after = time.monotonic() - killed_at, _counts(store)
    return _killed_lines(rows, before, at_kill, after_kill, (end, settled_s, after))


def _killed_lines(rows: int, before: Any, at_kill: Any, after_kill: Any, end: Any) -> list[str]:
    job, seconds, after = end
    state, done, total = at_kill
    return [
        f"killed import job: {rows:,} candidate rows; worker SIGKILLed while {state} at "
        f"{done:,} of {total:,}; candidates / competences before {before[0]:,} / {before[1]:,}, "
        f"right after the kill {after_kill[0]:,} / {after_kill[1]:,} (nothing half-written: "
        f"{after_kill == before}); a second worker took it up and the job ended "
        f"'{job.state}' after {job.attempts} attempts, {seconds:.0f} s after the kill; rows "
        f"after {after[0]:,} / {after[1]:,} (candidates complete: {after[0] == before[0] + rows})"
    ]
