"""What the ``updated_at`` triggers (migration 0012) cost a bulk write, against the same write
without them, in the same run, on SQLite and (``--postgres``) PostgreSQL.

    .venv/bin/python scripts/bench_stamps.py [--postgres] [--candidates 20000]

Writes the generated pool of ``bench_national`` (candidates, 8 competences and an occupation
each, vacancies) into fresh stores: as migrated, without the index on ``updated_at``, and
with the triggers dropped, in turn, twice each.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).parent))
from bench_http import drop_schema, fresh_schema
from bench_national import generate

from matching.bootstrap import Store, open_store
from matching.settings import Settings

TRIGGERS = [
    f"{table}_stamp_{event}"
    for table in ("candidate_competences", "candidate_occupations", "placements")
    for event in ("insert", "update", "delete")
]


def _without_triggers(store: Store) -> None:
    postgres = store.engine.dialect.name == "postgresql"
    own = ["candidates_stamp"]
    if not postgres:
        own = ["candidates_stamp_insert", "candidates_stamp_update"]
    names = [*TRIGGERS, *own]
    with store.engine.begin() as conn:
        for name in names:
            table = "candidates" if name.startswith("candidates_") else name.split("_stamp_")[0]
            on = f" ON {table}" if postgres else ""
            conn.execute(text(f"DROP TRIGGER {name}{on}"))


def _store(url: str, tmp: Path) -> Store:
    return open_store(Settings(database_url=url, var_dir=tmp))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--candidates", type=int, default=20_000)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as tmp:
        times: dict[str, list[float]] = {"with triggers": [], "no index": [], "without": []}
        for attempt in range(2):
            for kind in times:
                name = f"werkmatch_stamps_{attempt}_{kind.replace(' ', '_')}"
                url = fresh_schema(name) if args.postgres else f"sqlite:///{tmp}/{name}.db"
                store = _store(url, Path(tmp))
                if kind == "without":
                    _without_triggers(store)
                if kind == "no index":
                    with store.engine.begin() as conn:
                        conn.execute(text("DROP INDEX ix_candidates_updated_at"))
                start = time.perf_counter()
                generate(store, args.candidates, args.candidates // 10)
                times[kind].append(time.perf_counter() - start)
                store.engine.dispose()
                if args.postgres:
                    drop_schema(name)
        for kind, seconds in times.items():
            print(f"{kind}: " + ", ".join(f"{s:.1f} s" for s in seconds))
        for kind in ("with triggers", "no index"):
            ratio = min(times[kind]) / min(times["without"])
            print(f"{kind} / without (best of two each): {ratio:.2f}")
        print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
