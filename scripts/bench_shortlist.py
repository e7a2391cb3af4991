"""Benchmarks of issue 6: shortlist latency and allocation time.

    .venv/bin/python scripts/bench_shortlist.py latency [--sizes 10000 100000 1000000]
    .venv/bin/python scripts/bench_shortlist.py allocation [--vacancies 500 --candidates 20000]

``latency``: in-process ``rank_vacancy`` (filters, features, scorer, fallback, explanations
of the top 10) for one vacancy over N synthetic candidates drawn from the real ESCO spaces
(``scripts/bench_features.synthetic_frames``; 1M is the 100k pool tiled ten times at the
array level, coordinates jittered), spread over the municipalities of Holland Rijnland and
its neighbours, 30 % with regional consent. Against a naive per-row Python loop (rapidfuzz
between skill labels, math haversine, per candidate; on a 2,000-row subsample, scaled) and
the physical floor (one CSR mat-vec of the candidate × skill matrix with the vacancy's
required skills). ``allocation``: ``shortlist_edges`` + ``allocate_edges`` for M vacancies
× N candidates with the default options.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import sys
import time
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz
from scipy import sparse

sys.path.insert(0, str(Path(__file__).parent))
from bench_features import synthetic_frames

from features.pool import (
    CandidateArrays,
    build_candidate_arrays,
    build_vacancy_arrays,
    unit_vectors,
)
from matching.pool_loading import load_spaces
from matching.scoring.prior import PriorScorer
from matching.shortlist.allocation import AllocationOptions, allocate_edges, shortlist_edges, totals
from matching.shortlist.context import MatchingContext, context_for
from matching.shortlist.labels import load_labels
from matching.shortlist.policy import FallbackPolicy
from matching.shortlist.ranking import rank_vacancy
from matching.shortlist.vacancies import OpenVacancies, VacancyInfo

TOWNS = (
    "GM0546",
    "GM0575",
    "GM0537",
    "GM0484",
    "GM0547",
    "GM0579",
    "GM0473",
    "GM0394",
    "GM0626",
    "GM0629",
)  # Leiden and Holland Rijnland, Zandvoort, Haarlemmermeer, ...


def spread(pool: CandidateArrays, seed: int = 0) -> CandidateArrays:
    """The pool over TOWNS (municipality index) with 30 % regional consent."""
    rng = np.random.default_rng(seed)
    return dataclasses.replace(
        pool,
        municipality_codes=TOWNS,
        municipality=rng.integers(0, len(TOWNS), len(pool)).astype(np.int32),
        consent_regional=rng.random(len(pool)) < 0.3,
    )


def tile(pool: CandidateArrays, times: int, seed: int = 1) -> CandidateArrays:
    """The pool repeated ``times`` (sparse rows stacked), coordinates jittered by ~5 km."""
    rng = np.random.default_rng(seed)
    changes: dict[str, object] = {}
    for f in dataclasses.fields(pool):
        value = getattr(pool, f.name)
        if isinstance(value, sparse.csr_matrix):
            changes[f.name] = sparse.vstack([value] * times, format="csr")
        elif isinstance(value, sparse.csc_matrix):
            changes[f.name] = sparse.vstack([value.tocsr()] * times, format="csr").tocsc()
        elif isinstance(value, np.ndarray) and f.name not in ("xyz",):
            changes[f.name] = np.concatenate([value] * times, axis=-1)
    n = len(pool) * times
    lat = np.asarray(changes["lat"]) + rng.normal(0, 0.03, n).astype(np.float32)
    lon = np.asarray(changes["lon"]) + rng.normal(0, 0.05, n).astype(np.float32)
    changes.update(
        lat=lat,
        lon=lon,
        xyz=unit_vectors(lat, lon),
        ids=np.array([f"c{i}" for i in range(n)], dtype=object),
    )
    return dataclasses.replace(pool, **changes)  # type: ignore[arg-type]


def info_for(vacancy_id: str, town: str = "GM0546", positions: int = 1) -> VacancyInfo:
    return VacancyInfo(vacancy_id, "bench", "E1", town, positions, "open", 32, None, (), ())


def latency(context: MatchingContext, vacancies: object, reps: int) -> tuple[float, float]:
    """p50/p95 ms of rank_vacancy (limit 10, with explanations) over ``reps`` vacancies."""
    times = []
    m = len(vacancies)  # type: ignore[arg-type]
    for i in range(reps + 3):
        v = vacancies.row(i % m)  # type: ignore[attr-defined]
        start = time.perf_counter()
        rank_vacancy(context, v, info_for(f"v{i}"), limit=10, policy=FallbackPolicy())
        if i >= 3:
            times.append((time.perf_counter() - start) * 1000)
    return float(np.percentile(times, 50)), float(np.percentile(times, 95))


def naive_ms(pool: CandidateArrays, vacancies: object, rows: int = 2000) -> float:
    """Per-candidate Python loop (rapidfuzz on skill labels, math haversine), ms per N rows."""
    labels, uris = load_labels(), pool.skill_space.uris
    vac = vacancies.row(0)  # type: ignore[attr-defined]
    wanted = [labels.skill(uris[s]) for s in vac.required.indices.tolist()]
    vlat, vlon = float(vac.lat[0]), float(vac.lon[0])
    start = time.perf_counter()
    scores = []
    for i in range(rows):
        held = [
            labels.skill(uris[s])
            for s in pool.skills.indices[pool.skills.indptr[i] : pool.skills.indptr[i + 1]]
        ]
        cover = sum(
            max((fuzz.token_set_ratio(w, h) for h in held), default=0) >= 90 for w in wanted
        )
        p1, p2 = math.radians(float(pool.lat[i])), math.radians(vlat)
        a = (
            math.sin((p2 - p1) / 2) ** 2
            + math.cos(p1)
            * math.cos(p2)
            * math.sin(math.radians(vlon - float(pool.lon[i])) / 2) ** 2
        )
        km = 2 * 6371 * math.asin(math.sqrt(a))
        hours = min(float(pool.hours_available[i]), 32) / 32
        scores.append(cover / max(len(wanted), 1) + hours + math.exp(-km / 15))
    sorted(range(rows), key=lambda j: -scores[j])[:10]
    return (time.perf_counter() - start) * 1000 / rows * len(pool)


def floor_ms(pool: CandidateArrays, vacancies: object, reps: int = 20) -> float:
    """One CSR mat-vec: candidates × skills times the vacancy's required-skill vector."""
    vec = np.asarray(vacancies.row(0).required.toarray()[0], dtype=np.float32)  # type: ignore[attr-defined]
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        pool.skills @ vec
        times.append((time.perf_counter() - start) * 1000)
    return float(np.median(times))


def run_latency(sizes: list[int], reps: int) -> None:
    spaces = load_spaces()
    base_n = min(max(sizes), 100_000)
    cands, vacs = synthetic_frames(spaces, base_n, 40)
    base = spread(
        build_candidate_arrays(cands, skills=spaces.skills, occupations=spaces.occupations)
    )
    vacancies = build_vacancy_arrays(vacs, pool=base)
    print("| candidates | p50 ms | p95 ms | naive loop (scaled) | × naive | floor ms | × floor |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        pool = base.take(np.arange(n)) if n <= base_n else tile(base, n // base_n)
        context = context_for(pool, PriorScorer(), spaces=spaces)
        p50, p95 = latency(context, vacancies, reps)
        naive, floor = naive_ms(pool, vacancies), floor_ms(pool, vacancies)
        print(
            f"| {n:,} | {p50:.1f} | {p95:.1f} | {naive / 1000:.1f} s | {naive / p50:,.0f} | "
            f"{floor:.2f} | {p50 / floor:.1f} |",
            flush=True,
        )


def run_allocation(m: int, n: int) -> None:
    spaces = load_spaces()
    cands, vacs = synthetic_frames(spaces, n, m, seed=3)
    pool = spread(
        build_candidate_arrays(cands, skills=spaces.skills, occupations=spaces.occupations)
    )
    arrays = build_vacancy_arrays(vacs, pool=pool)
    rng = np.random.default_rng(4)
    infos = tuple(
        info_for(f"v{i}", TOWNS[int(rng.integers(len(TOWNS)))], int(rng.integers(1, 3)))
        for i in range(m)
    )
    context = context_for(pool, PriorScorer(), spaces=spaces)
    options = AllocationOptions()
    start = time.perf_counter()
    edges, positions = shortlist_edges(
        context, OpenVacancies(arrays, infos), policy=FallbackPolicy(), top_n=options.top_n
    )
    mid = time.perf_counter()
    chosen, baseline = allocate_edges(edges, positions, {}, options)
    end = time.perf_counter()
    ours, theirs = totals(edges, chosen, positions), totals(edges, baseline, positions)
    print(
        f"{m} vacancies × {n:,} candidates: edges {len(edges.p):,}; "
        f"shortlists {mid - start:.1f} s, solver {end - mid:.2f} s, total {end - start:.1f} s"
    )
    for name, t in (("allocated", ours), ("independent top-k", theirs)):
        print(
            f"  {name}: expected durable {t.expected_durable:.1f}, proposals {t.proposals}, "
            f"distinct candidates {t.distinct_candidates}, exposure Gini {t.exposure_gini:.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    lat = sub.add_parser("latency")
    lat.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    lat.add_argument("--reps", type=int, default=30)
    alloc = sub.add_parser("allocation")
    alloc.add_argument("--vacancies", type=int, default=500)
    alloc.add_argument("--candidates", type=int, default=20_000)
    args = parser.parse_args()
    if args.command == "latency":
        run_latency(args.sizes, args.reps)
    else:
        run_allocation(args.vacancies, args.candidates)


if __name__ == "__main__":
    main()
