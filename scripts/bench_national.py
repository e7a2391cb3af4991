"""National-size proof of the region contexts, replica, HTTP workers and jobs (issue 25 item 4).

    .venv/bin/python scripts/bench_national.py [--postgres] [--candidates 1000000]
                                               [--vacancies 100000] [--import-rows 50000]
                                               [--allocate-all] [--smoke]
    make bench-national          (full size, a fresh schema in the local PostgreSQL)

Generates a pool over every municipality of the reference data (candidates in proportion to
population, placed on the municipality's postcode areas, 30 % with regional consent, skills
of real ESCO occupations; one employer per municipality, vacancies likewise), written straight
into the store (bulk INSERTs of rows as an import would leave them, not through the import
pipeline), then measures with the same-run baselines:

* region context load time per region size, against the whole-pool load;
* shortlist p50/p95 per region (smallest, median, largest) through the region contexts
  (``RegionalView``), against the same vacancies on the whole-pool context;
* time to see a change in one region (a candidate made inactive, the region bumped as an
  import would): the next shortlist of that region, and that no other region reloaded;
* allocation wall time per region and in total (``allocate --region``); no national
  allocation beside it (hours at full size).

With ``--postgres`` also (``bench_national_infra.py``): a streaming replica of the local
PostgreSQL on port 5433 (``pg_replica.py``; the primary's pg_hba.conf must allow replication
from 127.0.0.1) and the time until a shortlist read through it shows a write on the primary;
shortlists over HTTP from ``werkmatch serve --workers 2`` reading from the replica, beside the
in-process figures; an import job whose worker is SIGKILLed mid-job. Allocation runs the
smallest, median and largest region and estimates the rest, unless ``--allocate-all``.
``--smoke`` runs a few thousand candidates on SQLite (in-process part only) in a minute.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import insert, update
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).parent))
from bench_http import drop_schema, fresh_schema
from bench_national_infra import Picks, http_shortlists, killed_import, replica_lag
from pg_replica import streaming_replica

from matching.access.users import Principal
from matching.bootstrap import Store, open_store
from matching.data_versions import bump_candidates
from matching.pool_loading import load_spaces
from matching.reference import read_table
from matching.regions import all_regions, region_of
from matching.settings import Settings
from matching.shortlist.allocation import allocate
from matching.shortlist.context import MatchingCache
from matching.shortlist.regional import RegionalView
from matching.shortlist.service import vacancy_shortlist
from matching.store import models

CLI = Principal.command_line()
START = dt.date(2026, 10, 1)
SCHEMA = "werkmatch_national"
CHUNK = 20_000
REPLICA_PORT = 5433


def _chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _places(
    n: int, rng: np.random.Generator, grown: tuple[str, int] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Municipality and postcode area of ``n`` people, in proportion to population; ``grown``:
    a region and the number of the ``n`` expected to live there (its towns weighed up)."""
    towns, pc4 = read_table("municipalities"), read_table("pc4")
    weight = towns["population"].to_numpy(float)
    if grown is not None:
        inside = np.array([region_of(str(t)) == grown[0] for t in towns["code"]])
        share, wanted = weight[inside].sum() / weight.sum(), min(grown[1] / n, 0.99)
        weight[inside] *= wanted * (1 - share) / (share * (1 - wanted))
    codes = towns["code"].to_numpy(object)[rng.choice(len(towns), n, p=weight / weight.sum())]
    areas = pc4.groupby("municipality_code")["pc4"].apply(list).to_dict()
    post = np.array([str(rng.choice(areas[c])) if c in areas else None for c in codes], object)
    return codes, post


def _write(session: Session, table: Any, rows: Iterator[dict[str, Any]]) -> None:
    for batch in _chunks(rows):
        session.execute(insert(table), batch)


def _candidate(i: int, code: str, post: str | None, rng: np.random.Generator) -> dict[str, Any]:
    return {
        "candidate_id": f"c{i:07d}", "municipality_code": code, "postcode4": post,
        "ladder_step": int(rng.integers(1, 7)), "target_group": "regulier",
        "hours_available": int(rng.integers(8, 41)), "max_travel_km": 30,
        "driving_licence": bool(rng.random() < 0.6), "languages": "nl",
        "sector_preferences": "N", "status": "active", "consent_regional": bool(rng.random() < 0.3),
    }  # fmt: skip


def _vacancy(j: int, code: str, post: str | None, uri: str) -> dict[str, Any]:
    return {
        "vacancy_id": f"v{j:06d}", "employer_id": f"E{code}", "title": "Vacature",
        "occupation_uri": uri, "municipality_code": code, "postcode4": post,
        "hours_per_week": 24, "languages_required": "nl", "positions": 1, "opened_on": START,
        "status": "open",
    }  # fmt: skip


def _item(owner: str, key: str, position: int, uri: str, **more: str) -> dict[str, Any]:
    return {key: owner, "position": position, "text": uri, "uri": uri, **more}


def generate(
    store: Store, n: int, m: int, seed: int = 0, grown: tuple[str, int] | None = None
) -> None:
    """The pool of the module doc, in one transaction (``grown``: see ``_places``)."""
    rng, spaces = np.random.default_rng(seed), load_spaces()
    occ, skills = spaces.occupations, spaces.skills
    usable = np.flatnonzero(np.diff(occ.essential.indptr) > 0)
    codes, post = _places(n, rng, grown)
    v_codes, v_post = _places(m, rng)
    c_occ, v_occ = rng.choice(usable, n), rng.choice(usable, m)

    def picks(o: int, k: int) -> list[str]:
        cols = occ.essential[o].indices
        return [skills.uris[c] for c in rng.choice(cols, min(k, len(cols)), replace=False)]

    employers = sorted(set(read_table("municipalities")["code"]))
    with store.sessions.begin() as session:
        _write(session, models.Employer, (
            {"employer_id": f"E{t}", "name": f"Werkgever {t}", "sbi_section": "N",
             "municipality_code": t} for t in employers
        ))  # fmt: skip
        _write(session, models.Candidate, (_candidate(i, codes[i], post[i], rng) for i in range(n)))
        _write(session, models.CandidateOccupation, (
            _item(f"c{i:07d}", "candidate_id", 0, occ.uris[c_occ[i]]) for i in range(n)
        ))  # fmt: skip
        _write(session, models.CandidateCompetence, (
            _item(f"c{i:07d}", "candidate_id", k, u)
            for i in range(n) for k, u in enumerate(picks(c_occ[i], 8))
        ))  # fmt: skip
        _write(session, models.Vacancy, (
            _vacancy(j, v_codes[j], v_post[j], occ.uris[v_occ[j]]) for j in range(m)
        ))  # fmt: skip
        _write(session, models.VacancyCompetence, (
            _item(f"v{j:06d}", "vacancy_id", k, u, kind="required")
            for j in range(m) for k, u in enumerate(picks(v_occ[j], 4))
        ))  # fmt: skip
        bump_candidates(session, None)


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _shortlists(store: Store, pools: Callable[[Session], Any], ids: list[str]) -> list[float]:
    """Seconds per shortlist (limit 10, explained, audited; rolled back)."""
    out = []
    with store.sessions() as session:
        for vacancy_id in ids:
            start = time.perf_counter()
            vacancy_shortlist(session, pools(session), vacancy_id, principal=CLI)
            out.append(time.perf_counter() - start)
        session.rollback()
    return out


def _ms(times: list[float]) -> str:
    return f"{np.percentile(times, 50) * 1e3:.1f} / {np.percentile(times, 95) * 1e3:.1f} ms"


@dataclass
class Run:
    """What the in-process part leaves for the parts with processes."""

    cache: MatchingCache
    by_region: dict[str, list[str]]
    sizes: list[tuple[int, str]]
    picks: Picks = field(default_factory=list)


def measure(
    store: Store, model_dir: Path, per_region: int, allocate_all: bool
) -> tuple[list[str], Run]:
    """The measurements of the module doc as Markdown lines."""
    lines, cache = [], MatchingCache(model_dir)
    with store.sessions() as session:
        whole_s, whole = _timed(lambda: cache.get(session))
        loads = {r: _timed(partial(cache.region, session, r)) for r in all_regions()}
        open_ = whole.open_vacancies(session)
    sizes = sorted((len(c.pool), r) for r, (_, c) in loads.items() if len(c.pool))
    lines += [
        f"load average before: {_load()}", "",
        f"whole pool: {len(whole.pool):,} candidates loaded in {whole_s:.1f} s", "",
        "| region | candidates | load s | shortlist p50 / p95, regions | the same, whole pool |",
        "|---|---|---|---|---|",
    ]  # fmt: skip
    run = Run(cache, {}, sizes)
    for info in open_.info:
        run.by_region.setdefault(region_of(info.municipality_code), []).append(info.vacancy_id)
    for n, region in [sizes[0], sizes[len(sizes) // 2], sizes[-1]]:
        ids = run.by_region.get(region, [])[:per_region]
        if not ids:
            continue
        regional = _shortlists(store, lambda s: RegionalView(cache, s), ids)
        national = _shortlists(store, lambda s: whole, ids)
        run.picks.append((region, n, ids, regional))
        load = loads[region][0]
        lines.append(f"| {region} | {n:,} | {load:.2f} | {_ms(regional)} | {_ms(national)} |")
    lines += ["", *see_a_change(store, cache, run.by_region, sizes)]
    lines += ["", *allocation(store, run, allocate_all)]
    return [*lines, "", f"load average after: {_load()}"], run


def _load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg()) + " (1 / 5 / 15 min, 2 cores)"


def see_a_change(
    store: Store, cache: MatchingCache, by_region: dict[str, list[str]], sizes: list[Any]
) -> list[str]:
    """In the region nearest 30k: candidates made inactive (one, then 1 % of the region), the
    next shortlist's time with the context patched; beside it the first shortlist of a cache
    that must load the region whole, at the same state."""
    _, region = min(sizes, key=lambda s: abs(s[0] - 30_000))
    vacancy = by_region[region][:1]
    with store.sessions() as session:
        ids = [str(i) for i in cache.region(session, region).pool.ids]
    lines, start = [], 0
    for count in (1, max(len(ids) // 100, 1)):
        before = dict(cache.region_loads), dict(cache.region_patches)
        with store.sessions.begin() as session:
            c = models.Candidate
            chosen = ids[start : start + count]
            session.execute(update(c).where(c.candidate_id.in_(chosen)).values(status="inactive"))
            bump_candidates(session, {region})
        start += count
        seconds = _shortlists(store, lambda s: RegionalView(cache, s), vacancy)[0]
        loaded = {r for r, k in cache.region_loads.items() if k != before[0].get(r)}
        patched = {r for r, k in cache.region_patches.items() if k != before[1].get(r)}
        whole = MatchingCache(cache.model_dir)
        baseline = _shortlists(store, partial(RegionalView, whole), vacancy)[0]
        lines.append(
            f"change of {count:,} candidate(s) in {region} ({len(ids):,} candidates) seen by "
            f"the next shortlist in {seconds:.2f} s (regions patched: {', '.join(patched)}; "
            f"loaded whole: {', '.join(sorted(loaded)) or 'none'}); the same shortlist with "
            f"the region loaded whole {baseline:.2f} s, ratio {seconds / baseline:.2f}; "
            f"load average {_load()}"
        )
    return lines


def allocation(store: Store, run: Run, every: bool) -> list[str]:
    """Allocation per region (every region with candidates, or the smallest, median and
    largest with the rest estimated) and in total."""
    sizes = run.sizes
    picked = sizes if every else [sizes[0], sizes[len(sizes) // 2], sizes[-1]]
    total, rows, per_vacancy = 0.0, [], {}
    with store.sessions() as session:
        view = RegionalView(run.cache, session)
        for n, region in picked:
            context = view.region(region)
            others = partial(view.around, context)
            start = time.perf_counter()
            result = allocate(session, context, others=others)
            seconds = time.perf_counter() - start
            total += seconds
            per_vacancy[n] = seconds / max(len(result.lists), 1)
            rows.append(
                f"{region} ({n:,} candidates) {len(result.lists)} vacancies {seconds:.1f} s"
            )
        session.rollback()
    line = f"allocation per region, measured {total:.1f} s: " + "; ".join(rows)
    if not every:
        estimate = sum(
            len(run.by_region.get(r, [])) * per_vacancy[min(per_vacancy, key=lambda m: abs(m - n))]
            for n, r in sizes
        )
        line += (
            f"; all {len(sizes)} regions estimated {estimate:.0f} s (each region's open "
            "vacancies x the seconds per vacancy of the nearest-sized measured region)"
        )
    return [line]


def _postgres(args: argparse.Namespace, tmp: Path) -> None:
    """The whole proof in a fresh schema of the local PostgreSQL, with a streaming replica."""
    url = fresh_schema(SCHEMA)
    try:
        if args.no_replica:
            store = open_store(Settings(database_url=url, var_dir=tmp))
            _generated(store, args)
            lines, _ = measure(store, tmp / "models", args.per_region, args.allocate_all)
            print("\n".join(lines), flush=True)
            return
        with streaming_replica(REPLICA_PORT) as replica_base:
            replica = f"{replica_base}?options=-csearch_path%3D{SCHEMA}"
            store = open_store(Settings(database_url=url, database_replica_url=replica,
                                        var_dir=tmp))  # fmt: skip
            _generated(store, args)
            lines, run = measure(store, tmp / "models", args.per_region, args.allocate_all)
            print("\n".join(lines), flush=True)
            region, _, ids, _ = run.picks[len(run.picks) // 2]
            print("\n".join(replica_lag(store, run.cache, region, ids[0])), flush=True)
            print("\n".join(http_shortlists(store, (url, replica), tmp, run.picks)), flush=True)
            print(f"load average: {_load()}", flush=True)
            print("\n".join(killed_import(store, url, tmp, args.import_rows)), flush=True)
            print(f"load average at the end: {_load()}")
    finally:
        drop_schema(SCHEMA)


def _generated(store: Store, args: argparse.Namespace) -> None:
    grown = (args.grow[0], int(args.grow[1])) if args.grow else None
    seconds, _ = _timed(lambda: generate(store, args.candidates, args.vacancies, grown=grown))
    sizes = f"{args.candidates:,} candidates, {args.vacancies:,} vacancies"
    print(f"generated {sizes} in {seconds:.0f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="the local PostgreSQL")
    parser.add_argument("--candidates", type=int, default=1_000_000)
    parser.add_argument("--vacancies", type=int, default=100_000)
    parser.add_argument("--per-region", type=int, default=30)
    parser.add_argument("--import-rows", type=int, default=50_000, help="the killed import")
    parser.add_argument("--allocate-all", action="store_true", help="allocate every region")
    parser.add_argument("--smoke", action="store_true", help="3,500 candidates, SQLite")
    parser.add_argument(
        "--grow", nargs=2, metavar=("REGION", "CANDIDATES"), help="this many in that region"
    )
    parser.add_argument(
        "--no-replica", action="store_true", help="PostgreSQL: the in-process part only"
    )
    args = parser.parse_args()
    if args.smoke:
        args.candidates, args.vacancies, args.per_region = 3500, 350, 5
    with tempfile.TemporaryDirectory() as tmp:
        if args.postgres:
            _postgres(args, Path(tmp))
            return
        store = open_store(Settings(database_url=f"sqlite:///{tmp}/national.db", var_dir=Path(tmp)))
        _generated(store, args)
        print("\n".join(measure(store, Path(tmp) / "models", args.per_region, True)[0]))


if __name__ == "__main__":
    main()
