"""The review page with a long queue: its first page, as an account manager opens it.

    python scripts/bench_review.py --items 10000 --views 30

Builds a fresh SQLite store (schema and reference data), an organisation of the Holland
Rijnland municipalities with an account manager, and ``--items`` open review texts of that
organisation (each with five candidates and occurrences in one to three of its municipalities),
plus as many texts of municipalities outside it and a synonym for every tenth of those (what
the queue query must skip), raised by five import runs. Then it times ``GET /te-beoordelen``
(first page, 25 texts), the same filtered by kind, and page 40, in-process through the app
(``TestClient``: the ASGI app, its session and template rendering, no network): one cold view
each, then ``--views`` views in turn; prints p50 and p95. Target: the first page in ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from api import create_app
from matching.access import tokens
from matching.access import users as security
from matching.access.users import now
from matching.bootstrap import open_store
from matching.exchange.codes import key_digest
from matching.reference import read_table
from matching.settings import Settings
from matching.store.reference import Municipality
from matching.store.review import ImportRun, OrganisationSynonym, ReviewCount, ReviewText

REGION = "Holland Rijnland"
RUNS = 5  # import runs that raised the texts (the page's import filter lists them)
PATHS = ("/te-beoordelen", "/te-beoordelen?soort=competentie", "/te-beoordelen?pagina=40")


def fill(settings: Settings, items: int, seed: int) -> str:
    """Create the store of the module doc; return the account manager's bearer token."""
    store = open_store(settings)
    rng = random.Random(seed)
    skills = read_table("skills")["uri"].tolist()
    occupations = read_table("occupations")["uri"].tolist()
    with store.sessions.begin() as session:
        towns = sorted(session.scalars(select(Municipality.code)))
        ours = sorted(
            session.scalars(select(Municipality.code).where(Municipality.region == REGION))
        )
        others = [code for code in towns if code not in ours]
        security.create_organisation(session, "hr", name=REGION, municipality_codes=ours)
        security.create_user(session, "am-bench", role="accountmanager", organisation_id="hr")
        token = tokens.issue_token(session, "am-bench", lifetime=dt.timedelta(hours=2)).token
        texts, counts, synonyms = [], [], []
        for i in range(2 * items):
            kind = "skill" if rng.random() < 0.7 else "occupation"
            pool = skills if kind == "skill" else occupations
            key = f"tekst {i} {rng.choice(['heftruck', 'schoonmaak', 'kassa', 'zorg'])}"
            texts.append({
                "review_id": i + 1, "kind": kind, "digest": key_digest(key), "key": key,
                "text": key.capitalize(), "sampled": rng.random() < 0.02, "import_id": 1 + i % RUNS,
                "raised_at": now(),
                "candidates": [{"uri": uri, "label": f"begrip {j}", "score": 0.4 - j / 20}
                               for j, uri in enumerate(rng.sample(pool, 5))],
            })  # fmt: skip
            where = ours if i < items else others
            for town in rng.sample(where, rng.randint(1, 3)):
                counts.append({"review_id": i + 1, "municipality_code": town,
                               "occurrences": rng.randint(1, 40)})  # fmt: skip
            if i >= items and i % 10 == 0:
                synonyms.append({
                    "organisation_id": "hr", "kind": kind, "digest": key_digest(key), "key": key,
                    "text": key, "uri": None, "decided_by": "am-bench", "decided_at": now(),
                })  # fmt: skip
        session.execute(insert(ImportRun), [
            {"import_id": run, "started_at": now(), "imported_by": "am-bench",
             "files": "candidates.csv, vacancies.csv"}
            for run in range(1, RUNS + 1)
        ])  # fmt: skip
        session.execute(insert(ReviewText), texts)
        session.execute(insert(ReviewCount), counts)
        session.execute(insert(OrganisationSynonym), synonyms)
    store.engine.dispose()
    return token


def view(client: TestClient, path: str) -> float:
    """Seconds for one page view (status 200 required)."""
    start = time.perf_counter()
    response = client.get(path, headers={"Accept": "text/html"})
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"{path}: {response.status_code}")
    return elapsed


def main() -> None:
    """Fill, then time the pages; print cold, p50 and p95 per path."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--views", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="werkmatch-bench-review-") as tmp:
        settings = Settings(var_dir=Path(tmp))
        token = fill(settings, args.items, args.seed)
        with TestClient(create_app(settings)) as client:
            client.headers["Authorization"] = f"Bearer {token}"
            shown = client.get(PATHS[0]).text
            if f"{args.items:,}".replace(",", ".") not in shown:
                raise SystemExit(f"the page does not say {args.items} texts")
            cold = {path: view(client, path) for path in PATHS}
            times: dict[str, list[float]] = {path: [] for path in PATHS}
            for _ in range(args.views):
                for path in PATHS:
                    times[path].append(view(client, path))
    print(f"{args.items:,} open texts of the organisation (and as many elsewhere):")
    for path in PATHS:
        p95 = statistics.quantiles(times[path], n=20, method="inclusive")[-1]
        p50 = statistics.median(times[path])
        print(f"  {path}: cold {1000 * cold[path]:.0f} ms, p50 {1000 * p50:.0f} ms, "
              f"p95 {1000 * p95:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
