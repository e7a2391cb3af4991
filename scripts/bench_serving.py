"""Served benchmarks of ``scripts/bench.py``: HTTP throughput and latency against /healthz on
the same server, and the server's memory with 100k and 1M candidates loaded."""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from bench_http import (
    WERKMATCH,
    Server,
    load_average,
    memory_kib,
    server_env,
    sign_in,
    wrk,
)

from matching.store.db import make_engine, make_session_factory

Row = dict[str, Any]
PYTHON = str(Path(sys.executable))


def _load() -> float:
    return round(load_average()[0], 1)


def _warm(base: str, token: str, paths: list[str], parallel: int = 8) -> float:
    """Warm every worker: rounds of ``parallel`` requests at once, each on a new connection
    (the kernel hands them to different workers; each loads its pool on its first), until a
    round answers within a second. The slowest answer of the first round, seconds.

    One client's keep-alive connection reached only one worker, so the second worker loaded
    its pool (2–3 s) during the measured run and its first requests set the p99.
    """

    def one(path: str) -> float:
        started = time.perf_counter()
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as c:
            c.get(path, timeout=120).raise_for_status()
        return time.perf_counter() - started

    first = None
    with ThreadPoolExecutor(parallel) as pool:
        for round_ in range(10):
            batch = [paths[(round_ * parallel + i) % len(paths)] for i in range(parallel)]
            slowest = max(pool.map(one, batch))
            first = slowest if first is None else first
            if slowest < 1.0:
                break
    return first or 0.0


def http_figures(
    backend: str, url: str, token: str, vacancy_ids: list[str], *, var_dir: Path,
    model_dir: Path, workers: int, seconds: int, connections: int = 8, rounds: int = 3,
) -> Row:  # fmt: skip
    """/healthz (ceiling) and ``rounds`` shortlist wrk runs on one server; the round with the
    median req/s is the reported one. Every run opens new connections, which the kernel hashes
    onto the workers anew, so one run can be lucky or unlucky (5:3 or worse of 8)."""
    paths = [f"/vacancies/{v}/shortlist?limit=10" for v in vacancy_ids]
    argv = [WERKMATCH, "serve", "--workers", str(workers), "--no-access-log"]
    with Server(server_env(url, var_dir, model_dir), argv=argv) as server:
        first = _warm(server.base, token, paths)
        wrk(server.base, paths, token, seconds=2, connections=connections)  # both workers warm
        before, pids = _load(), server.worker_pids()
        cpu = cpu_seconds(pids)
        health = wrk(server.base, ["/healthz"], token, seconds=seconds, connections=connections)
        cpu_health = cpu_seconds(pids) - cpu
        runs = [_shortlist_run(server.base, paths, token, pids, seconds, connections)
                for _ in range(rounds)]  # fmt: skip
        rss = [memory_kib(pid) for pid in pids]
    median = sorted(runs, key=lambda r: r["shortlist"]["rps"])[len(runs) // 2]
    return {"backend": backend, "workers": workers, "connections": connections,
            "healthz": health.__dict__, **median, "first_s": first,
            "cpu_ms": {"healthz": 1000 * cpu_health / max(health.requests, 1),
                       "shortlist": median["cpu_ms_shortlist"]},
            "rounds": [{"rps": r["shortlist"]["rps"], "p99": r["shortlist"]["p99"]} for r in runs],
            "rss_kib": rss, "load": (before, _load())}  # fmt: skip


def _shortlist_run(
    base: str, paths: list[str], token: str, pids: list[int], seconds: int, connections: int
) -> Row:
    """One shortlist wrk run: its result, server CPU per request, CPU per worker, steal."""
    each, stolen = [cpu_seconds([pid]) for pid in pids], cpu_steal()
    short = wrk(base, paths, token, seconds=seconds, connections=connections)
    used = [cpu_seconds([pid]) - was for pid, was in zip(pids, each, strict=True)]
    per_request = 1000 * sum(used) / max(short.requests, 1)
    return {"shortlist": short.__dict__, "cpu_ms_shortlist": per_request,
            "worker_cpu_s": used, "steal": cpu_steal(since=stolen)[0]}  # fmt: skip


def cpu_steal(since: tuple[float, int, int] | None = None) -> tuple[float, int, int]:
    """(share stolen, steal ticks, all ticks) of the machine's CPU time (/proc/stat), since
    an earlier reading when given: on a shared virtual machine, time the hypervisor gave to
    other guests, which no process here could use."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    steal, total = fields[7], sum(fields[:8])
    if since is not None:
        steal, total = steal - since[1], total - since[2]
    return steal / max(total, 1), steal, total


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes used so far (/proc/<pid>/stat), seconds."""
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _memory_of(argv: list[str] | None, env: dict[str, str], token: str, probe: str) -> Row:
    """Idle RSS after /healthz, then the first request that loads the pool: time and RSS."""
    with Server(env, workers=1, argv=argv) as server:
        (pid,) = server.worker_pids()
        idle = memory_kib(pid)
        headers = {"Authorization": f"Bearer {token}"}
        started = time.perf_counter()
        answer = httpx.get(server.base + probe, headers=headers, timeout=600)
        first = time.perf_counter() - started
        started = time.perf_counter()
        httpx.get(server.base + probe, headers=headers, timeout=60)
        second = time.perf_counter() - started
        loaded = memory_kib(pid)
    return {"idle_kib": idle["VmRSS"], "rss_kib": loaded["VmRSS"], "peak_kib": loaded["VmHWM"],
            "load_s": first, "next_s": second, "status": answer.status_code}  # fmt: skip


def memory_figures(db: Path, var_dir: Path, model_dir: Path, *, tiles: int = 10) -> Row:
    """Server RSS with the imported pool (``db``, e.g. 100k) and with it tiled ``tiles`` times."""
    url = f"sqlite:///{db}"
    engine = make_engine(url=url)
    token = sign_in(make_session_factory(engine), ["GM0575", "GM0546", "GM0537"], role="admin")
    engine.dispose()
    env = server_env(url, var_dir, model_dir)
    probe = "/candidates/K0000000/matches?limit=10"  # loads the matching context
    before = _load()
    plain = _memory_of(None, env, token, probe)
    argv = [PYTHON, str(Path(__file__).parent / "bench_server.py"), "--tile", str(tiles)]
    tiled = _memory_of(argv, env, token, probe)
    return {"tiles": tiles, "plain": plain, "tiled": tiled, "load": (before, _load())}
