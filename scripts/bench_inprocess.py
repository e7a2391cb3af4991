"""In-process benchmarks of ``scripts/bench.py``: shortlist latency, batch scoring, allocation,
import and training. Each returns plain dicts (the report writer turns them into tables) and
measures its baseline in the same call, on the same data.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import bench_import
from bench_features import synthetic_frames
from bench_shortlist import floor_ms, latency, naive_ms, spread, tile

from features.pairwise import N_FEATURES, pairwise_features
from features.pool import CandidateArrays, build_candidate_arrays, build_vacancy_arrays
from matching.pool_loading import Spaces, load_spaces
from matching.scoring.prior import PriorScorer
from matching.shortlist.context import context_for, linear_form

Row = dict[str, Any]


def load() -> float:
    """The 1-minute load average."""
    return round(os.getloadavg()[0], 1)


def synthetic_pool(spaces: Spaces, n: int, m: int, seed: int = 0) -> tuple[CandidateArrays, Any]:
    """N synthetic candidates spread over ten towns, and M vacancies (bench_shortlist)."""
    cands, vacs = synthetic_frames(spaces, n, m, seed=seed)
    pool = spread(
        build_candidate_arrays(cands, skills=spaces.skills, occupations=spaces.occupations)
    )
    return pool, build_vacancy_arrays(vacs, pool=pool)


def shortlist_latency(spaces: Spaces, sizes: list[int], reps: int) -> list[Row]:
    """rank_vacancy p50/p95 per pool size against the naive loop and the mat-vec floor."""
    base_n = min(max(sizes), 100_000)
    base, vacancies = synthetic_pool(spaces, base_n, 40)
    rows = []
    for n in sizes:
        pool = base.take(np.arange(n)) if n <= base_n else tile(base, n // base_n)
        context = context_for(pool, PriorScorer(), spaces=spaces)
        before = load()
        p50, p95 = latency(context, vacancies, reps)
        naive, floor = naive_ms(pool, vacancies), floor_ms(pool, vacancies)
        rows.append(
            {"n": n, "p50": p50, "p95": p95, "naive_ms": naive, "floor_ms": floor,
             "load": (before, load())}
        )  # fmt: skip
        del context, pool
    return rows


def batch_scoring(spaces: Spaces, n: int, m: int) -> Row:
    """All M vacancies × N candidates: features into one reused buffer and the linear score,
    against the floor (one sparse product of the skill matrix with all M required vectors)."""
    pool, vacancies = synthetic_pool(spaces, n, m, seed=5)
    linear = linear_form(PriorScorer())
    assert linear is not None
    w, b = linear
    buffer = np.zeros((N_FEATURES, n), dtype=np.float32)
    scores = np.empty((m, n), dtype=np.float32)
    before = load()
    started = time.perf_counter()
    for i in range(m):
        pairwise_features(vacancies.row(i), pool, out=buffer)
        np.einsum("f,fn->n", w, buffer, out=scores[i])
        scores[i] += b
    seconds = time.perf_counter() - started
    required = vacancies.required.T.astype(np.float32).tocsc()
    skills = pool.skills.astype(np.float32)
    started = time.perf_counter()
    skills @ required
    floor = time.perf_counter() - started
    return {"n": n, "m": m, "pairs_s": m * n / seconds, "floor_pairs_s": m * n / floor,
            "load": (before, load())}  # fmt: skip


def allocation(m: int, n: int) -> Row:
    """Allocation of M vacancies × N candidates (bench_shortlist.run_allocation), with totals."""
    from bench_shortlist import TOWNS, info_for

    from matching.shortlist.allocation import (
        AllocationOptions,
        allocate_edges,
        shortlist_edges,
        totals,
    )
    from matching.shortlist.policy import FallbackPolicy
    from matching.shortlist.vacancies import OpenVacancies

    spaces = load_spaces()
    pool, arrays = synthetic_pool(spaces, n, m, seed=3)
    rng = np.random.default_rng(4)
    infos = tuple(
        info_for(f"v{i}", TOWNS[int(rng.integers(len(TOWNS)))], int(rng.integers(1, 3)))
        for i in range(m)
    )
    context = context_for(pool, PriorScorer(), spaces=spaces)
    options, before = AllocationOptions(), load()
    start = time.perf_counter()
    edges, positions = shortlist_edges(
        context, OpenVacancies(arrays, infos), policy=FallbackPolicy(), top_n=options.top_n
    )
    mid = time.perf_counter()
    chosen, baseline = allocate_edges(edges, positions, {}, options)
    end = time.perf_counter()
    ours, theirs = totals(edges, chosen, positions), totals(edges, baseline, positions)
    return {"m": m, "n": n, "shortlists_s": mid - start, "solver_s": end - mid,
            "allocated": ours.__dict__, "independent": theirs.__dict__,
            "load": (before, load())}  # fmt: skip


def import_throughput(rows: int, work: Path) -> Row:
    """bench_import: generated candidate rows, normalised, into fresh SQLite (kept as
    ``work/on/bench.db``); the same file without the normaliser (baseline); re-import unchanged."""
    (work / "on").mkdir(parents=True)
    (work / "off").mkdir(parents=True)
    before = load()
    on = bench_import.run(rows, work / "on", normalise=True, show=False)
    off = bench_import.run(rows, work / "off", normalise=False, show=False)
    (work / "off" / "bench.db").unlink()
    return {"rows": rows, "seconds": on.seconds, "rerun_seconds": on.rerun_seconds,
            "plain_seconds": off.seconds, "load": (before, load())}  # fmt: skip


def training(url: str, model_dir: Path) -> Row:
    """``train`` on an imported demo region; its size and time."""
    from matching.errors import ModelNotTrained
    from matching.scoring.fitting import train
    from matching.store.db import make_engine, make_session_factory

    engine = make_engine(url=url)
    before = load()
    started = time.perf_counter()
    try:
        with make_session_factory(engine)() as session:
            result = train(session, model_dir=model_dir, as_of=dt.date.today(), force=True)
        message = result.message
    except ModelNotTrained as exc:
        message = f"not trained: {exc}"
    finally:
        engine.dispose()
    return {"seconds": time.perf_counter() - started, "message": message,
            "load": (before, load())}  # fmt: skip
