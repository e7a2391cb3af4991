"""Faults under load: PostgreSQL restarted while the API serves shortlists and takes proposals.

    .venv/bin/python scripts/fault_postgres.py [--quick] [--json]          (make faults)

NOT part of the test suite: it restarts the machine's shared PostgreSQL cluster. It imports a
small generated region into a schema of its own (``werkmatch_faults`` in the ``test``
database), serves it with ``werkmatch serve --workers 2`` on 127.0.0.1 and runs a bounded
load (a few concurrent clients, each: GET a shortlist, POST a proposal of its top candidate;
at least ``--seconds`` and until ``--seconds / 2`` after the database is back; at most
``HARD_STOP`` seconds and ``MAX_REQUESTS`` requests). Meanwhile PostgreSQL is restarted
(``pg_ctlcluster … restart``) and then stopped for a few seconds and started again (an outage
long enough to be seen). Checks: no 500 and no request beyond the client timeout; while the
database is down the API answers 503 with a clear message and Retry-After; it serves again by
itself after the database is back; every proposal answered 2xx is in the database afterwards.
PostgreSQL is started again at the end whatever happens. Exit status 1 if a check fails.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).parent))
from bench_http import Server, drop_schema, fresh_schema, prepare_store, server_env

from demo.generate import generate_region
from matching.reference import read_table
from matching.store import models
from matching.store.db import make_engine

SCHEMA, REGION = "werkmatch_faults", "Holland Rijnland"
MAX_REQUESTS, CLIENTS, TIMEOUT, HARD_STOP = 20_000, 6, 10.0, 300.0
CLUSTER = ["pg_ctlcluster", "--skip-systemctl-redirect"]


def cluster(action: str) -> None:
    """``pg_ctlcluster <version> main <action>`` (stop, start, restart)."""
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir())
    subprocess.run([*CLUSTER, versions[-1], "main", action], check=True, timeout=120)


def cluster_running() -> bool:
    """True when pg_lsclusters says the main cluster is online."""
    out = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout
    return any(" main " in f" {line} " and "online" in line for line in out.splitlines())


@dataclass
class Log:
    """Every request of the load: (t, kind, status, seconds, detail); accepted proposals."""

    started: float = field(default_factory=time.monotonic)
    calls: list[tuple[float, str, int, float, str]] = field(default_factory=list)
    accepted: list[tuple[str, str]] = field(default_factory=list)
    events: dict[str, float] = field(default_factory=dict)

    def now(self) -> float:
        """Seconds since the load started."""
        return time.monotonic() - self.started

    def done(self, seconds: float) -> bool:
        """At least ``seconds`` of load and ``seconds / 2`` after the database came back (or
        HARD_STOP, or MAX_REQUESTS)."""
        t, up = self.now(), self.events.get("up")
        finished = t >= seconds and up is not None and t >= up + seconds / 2
        return finished or t >= HARD_STOP or len(self.calls) >= MAX_REQUESTS


async def _call(client: httpx.AsyncClient, log: Log, kind: str, method: str, url: str,
                **kw: Any) -> httpx.Response | None:  # fmt: skip
    """One request, logged; status 0 for a transport error or timeout."""
    t = log.now()
    try:
        answer = await client.request(method, url, timeout=TIMEOUT, **kw)
    except httpx.HTTPError as exc:
        log.calls.append((t, kind, 0, log.now() - t, type(exc).__name__))
        return None
    detail = ""
    if answer.status_code >= 400:
        try:
            detail = str(answer.json().get("detail", ""))
        except ValueError:
            detail = answer.text[:200]
    retry = answer.headers.get("retry-after", "")
    log.calls.append((t, kind, answer.status_code, log.now() - t, f"{detail}|{retry}"))
    return answer


async def client_loop(
    base: str, token: str, vacancies: list[str], log: Log, seconds: float
) -> None:
    """GET a shortlist, POST its top candidate as a proposal; round-robin over ``vacancies``."""
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers) as client:
        i = 0
        while not log.done(seconds):
            vacancy = vacancies[i % len(vacancies)]
            i += 1
            answer = await _call(client, log, "shortlist", "GET", f"/vacancies/{vacancy}/shortlist")
            if answer is None or answer.status_code != 200:
                await asyncio.sleep(0.2)
                continue
            ranked = [c["candidate_id"] for c in answer.json()["candidates"]]
            if not ranked:
                continue
            body = {"candidate_ids": [ranked[0]], "reason": "fault test"}
            posted = await _call(client, log, "proposal", "POST",
                                 f"/vacancies/{vacancy}/proposals", json=body)  # fmt: skip
            if posted is not None and 200 <= posted.status_code < 300:
                log.accepted.append((vacancy, ranked[0]))


def faults(log: Log, at: float, outage: float) -> None:
    """At ``at`` s restart PostgreSQL; 3 s after it is back, stop it for ``outage`` s (a
    restart's shutdown checkpoint can take long on this shared cluster: it is waited for)."""
    time.sleep(max(0.0, at - log.now()))
    log.events["restart_begin"] = log.now()
    cluster("restart")
    log.events["restart_end"] = log.now()
    time.sleep(3)
    log.events["stop_begin"] = log.now()
    cluster("stop")
    log.events["down"] = log.now()
    time.sleep(outage)
    log.events["start_begin"] = log.now()
    cluster("start")
    log.events["up"] = log.now()


async def load(base: str, token: str, vacancies: list[str], log: Log, seconds: float) -> None:
    """CLIENTS concurrent client loops over disjoint vacancies."""
    parts = [vacancies[k::CLIENTS] for k in range(CLIENTS)]
    await asyncio.gather(*(client_loop(base, token, p, log, seconds) for p in parts if p))


def _count(calls: list[tuple[float, str, int, float, str]]) -> dict[str, int]:
    """Requests per status."""
    statuses: dict[str, int] = {}
    for _t, _kind, status, _s, _d in calls:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    return statuses


def checks(log: Log, url: str) -> dict[str, Any]:
    """The outcome: counts per status, the checks, and lost writes."""
    engine = make_engine(url=url)
    with engine.connect() as conn:
        p = models.Proposal
        stored = {(v, c) for v, c in conn.execute(select(p.vacancy_id, p.candidate_id))}
    engine.dispose()
    e, up = log.events, log.events["up"]
    during = [c for c in log.calls if e["down"] + 0.2 <= c[0] and c[0] + c[3] <= e["start_begin"]]
    restarting = [c for c in log.calls if e["restart_begin"] <= c[0] < e["restart_end"]]
    after = [c for c in log.calls if c[0] >= up]
    first_ok = next((c[0] for c in after if c[2] in (200, 201)), None)
    tail = [c for c in log.calls if c[0] >= (first_ok or up) + 2]
    lost = [a for a in log.accepted if a not in stored]
    clear = [c for c in log.calls if c[2] == 503 and "database" in c[4] and c[4].endswith("|5")]
    return {
        "requests": len(log.calls),
        "statuses": _count(log.calls),
        "accepted_proposals": len(log.accepted),
        "lost_proposals": len(lost),
        "slowest_s": round(max((c[3] for c in log.calls), default=0.0), 2),
        "restart_s": round(e["restart_end"] - e["restart_begin"], 1),
        "outage_s": round(up - e["stop_begin"], 1),
        "requests_while_down": len(during),
        "statuses_during_restart": _count(restarting),
        "recovered_after_s": None if first_ok is None else round(first_ok - up, 2),
        "messages_503": sorted({c[4] for c in log.calls if c[2] == 503}),
        "checks": {
            "no 500 and no transport error or timeout": not any(
                (c[2] >= 500 and c[2] != 503) or c[2] == 0 for c in log.calls
            ),
            "503 with a clear message and Retry-After while down": bool(during)
            and all(c[2] == 503 for c in during)
            and bool(clear),
            "serves again by itself (2xx after the database is back, then no errors)": (
                first_ok is not None and all(c[2] in (200, 201) for c in tail)
            ),
            "no accepted proposal lost": not lost and bool(log.accepted),
        },
    }


def run(seconds: float, outage: float) -> dict[str, Any]:
    """Set up, load with faults, check; PostgreSQL is running again afterwards."""
    with tempfile.TemporaryDirectory(prefix="werkmatch-faults-") as tmp:
        root = Path(tmp)
        generate_region(REGION, seed=3, scale=0.3, out_dir=root / "region")
        codes = read_table("municipalities").query("region == @REGION")["code"].tolist()
        store = prepare_store(fresh_schema(SCHEMA), root / "region", codes=codes)
        try:
            with Server(server_env(store.url, root / "var"), workers=2) as server:
                return _under_load(server, store.token, store.vacancy_ids, store.url, seconds,
                                   outage)  # fmt: skip
        finally:
            if not cluster_running():
                cluster("start")
            drop_schema(SCHEMA)


def _under_load(server: Server, token: str, vacancies: list[str], url: str, seconds: float,
                outage: float) -> dict[str, Any]:  # fmt: skip
    warm = httpx.get(f"{server.base}/vacancies/{vacancies[0]}/shortlist",
                     headers={"Authorization": f"Bearer {token}"}, timeout=120)  # fmt: skip
    warm.raise_for_status()
    log = Log()
    thread = threading.Thread(target=faults, args=(log, 5.0, outage), daemon=True)
    thread.start()
    asyncio.run(load(server.base, token, vacancies, log, seconds))
    thread.join(180)
    result = checks(log, url)
    result["events_s"] = {k: round(v, 1) for k, v in log.events.items()}
    return result


def main() -> None:
    """Run and print the outcome; exit 1 when a check failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="at least 16 s of load, not 30 s")
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--outage", type=float, default=4.0)
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    args = parser.parse_args()
    seconds = args.seconds or (16.0 if args.quick else 30.0)
    try:
        result = run(seconds, args.outage)
    finally:
        if not cluster_running():
            cluster("start")
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))
    sys.exit(0 if all(result["checks"].values()) else 1)


if __name__ == "__main__":
    main()
