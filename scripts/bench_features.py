"""Benchmarks of issue 5: feature speed, and the held-out ranking quality of the scorers.

    .venv/bin/python scripts/bench_features.py speed [--n 100000]
    .venv/bin/python scripts/bench_features.py heldout [--scale 1.0]

``speed``: pairwise features for 1 vacancy × N synthetic candidates drawn from the real ESCO
spaces (p50/p95 ms; fresh output buffer and reused buffer), a naive per-row Python version on
a subsample (scaled up), a bare CSR mat-vec of the skill matrix (the physical floor of one
sparse product), and batch pairs/s. ``heldout``: generate the training region (default
Holland Rijnland seed 1), import, train; generate the evaluation region, import, and rank every
active candidate for a sample of its vacancies by the learned model, the prior and plain skill
overlap; NDCG@10 with the generator's true P(durable) as graded relevance, and the true
expected durable placements in the top 10 relative to the oracle (ranking by the truth itself).

Honest split: every modelling choice is made on a *development* evaluation region (default
Holland Rijnland seed 2; Zuid-Holland Centraal seed 7 was also used); the *final* test region
(Groot Amsterdam seed 11, scale 1) is run once, at the end, with
``heldout --eval-region "Groot Amsterdam" --eval-seed 11``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from features.pairwise import COLUMN, feature_buffer, pairwise_features, pairwise_features_batch
from features.pool import build_candidate_arrays, build_vacancy_arrays
from matching.pool_loading import Spaces, load_spaces
from matching.scoring.model import PRIOR_STRENGTH


def synthetic_frames(
    spaces: Spaces, n: int, m: int, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """N candidates and M vacancies whose skills come from real ESCO occupations."""
    rng = np.random.default_rng(seed)
    occ, skills = spaces.occupations, spaces.skills
    with_skills = np.flatnonzero(np.diff(occ.essential.indptr) > 0)

    def sample(o: int, k: int) -> tuple[str, ...]:
        cols = occ.essential[o].indices
        return tuple(skills.uris[c] for c in rng.choice(cols, min(k, len(cols)), replace=False))

    occs = rng.choice(with_skills, (n, 2))
    cands = pd.DataFrame({
        "candidate_id": [f"c{i}" for i in range(n)],
        "skills": [sample(o, 8) for o in occs[:, 0]],
        "occupations": [tuple(occ.uris[o] for o in row) for row in occs],
        "lat": rng.uniform(51.8, 52.4, n), "lon": rng.uniform(4.2, 4.9, n),
        "max_travel_km": pd.array(np.where(rng.random(n) < 0.2, None, rng.integers(5, 40, n)),
                                  dtype="Float64"),
        "driving_licence": [None if r < 0.2 else bool(r < 0.6) for r in rng.random(n)],
        "hours_available": rng.integers(8, 41, n), "ladder_step": rng.integers(1, 7, n),
        "education_rank": rng.integers(-1, 8, n),
        "languages": [("nl",) if r < 0.7 else ("en", "ar") for r in rng.random(n)],
        "sector_preferences": [tuple(rng.choice(list("GHINQ"), 2)) for _ in range(n)],
        "available_from": [None] * n, "municipality_code": "GM0546", "active": True,
        "consent_regional": False,
    })  # fmt: skip
    vo = rng.choice(with_skills, m)
    vacs = pd.DataFrame({
        "vacancy_id": [f"v{i}" for i in range(m)],
        "required": [sample(o, 6) for o in vo], "optional": [sample(o, 3) for o in vo],
        "occupation_uri": [occ.uris[o] for o in vo],
        "lat": rng.uniform(51.8, 52.4, m), "lon": rng.uniform(4.2, 4.9, m),
        "hours_per_week": rng.integers(12, 40, m), "education_min_rank": 3,
        "languages_required": [("nl",)] * m, "driving_licence_required": False,
        "sbi_section": "I", "start": dt.date(2026, 3, 1),
    })  # fmt: skip
    return cands, vacs


def naive_row(pool, vac, i: int, credit: dict[int, dict[int, float]]) -> list[float]:  # type: ignore[no-untyped-def]
    """A per-row Python version of the skill and distance features (the slow baseline)."""
    held = pool.skills.indices[pool.skills.indptr[i] : pool.skills.indptr[i + 1]].tolist()
    req = vac.required.indices.tolist()
    cov = sum(max((credit[r].get(h, 0.0) for h in held), default=0.0) for r in req) / max(
        len(req), 1
    )
    lat1, lon1, lat2, lon2 = map(math.radians, (pool.lat[i], pool.lon[i], vac.lat[0], vac.lon[0]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    d = 2 * 6371.0 * math.asin(math.sqrt(h))
    return [cov, d, float(pool.hours_available[i] >= vac.hours[0])]


def _ms(times: list[float]) -> str:
    return (
        f"p50 {np.percentile(times, 50) * 1e3:.2f} ms, p95 {np.percentile(times, 95) * 1e3:.2f} ms"
    )


def speed(n: int, m: int = 20, repeats: int = 40) -> None:
    """Print the timings of ``speed``."""
    spaces = load_spaces()
    cands, vacs = synthetic_frames(spaces, n, m)
    pool = build_candidate_arrays(cands, skills=spaces.skills, occupations=spaces.occupations)
    vac = build_vacancy_arrays(vacs, pool=pool)
    rows = [vac.row(i) for i in range(m)]
    fresh, reused, buffer = [], [], feature_buffer(1, n)
    for k in range(repeats):
        t = time.perf_counter()
        pairwise_features(rows[k % m], pool)
        fresh.append(time.perf_counter() - t)
        t = time.perf_counter()
        pairwise_features(rows[k % m], pool, out=buffer)
        reused.append(time.perf_counter() - t)
    head = f"1 vacancy × {n:,} candidates, {len(FEATURES)} features"
    print(f"{head}: fresh buffer {_ms(fresh)}; reused {_ms(reused)}")
    matrix = spaces.skills.partial_credit_matrix().tocsc()
    credit = {
        int(r): dict(zip(matrix[:, r].indices.tolist(), matrix[:, r].data.tolist(), strict=True))
        for r in rows[0].required.indices
    }
    sub = min(2000, n)
    t = time.perf_counter()
    for i in range(sub):
        naive_row(pool, rows[0], i, credit)
    naive = (time.perf_counter() - t) * n / sub
    print(f"naive per-row Python (3 features, {sub} rows, scaled to {n:,}): {naive * 1e3:.0f} ms")
    vec = np.zeros(spaces.skills.size, np.float32)
    vec[rows[0].required.indices] = 1
    mv = []
    for _ in range(repeats):
        t = time.perf_counter()
        pool.skills @ vec
        mv.append(time.perf_counter() - t)
    print(f"bare CSR mat-vec of the N × S skill matrix ({pool.skills.nnz:,} non-zeros): {_ms(mv)}")
    big = feature_buffer(m, n)
    for workers in (1, 2):
        t = time.perf_counter()
        pairwise_features_batch(vac, pool, workers=workers, out=big)
        rate = m * n / (time.perf_counter() - t) / 1e6
        print(f"batch {m} × {n:,}, workers={workers}, reused buffer: {rate:.1f} M pairs/s")
    t = time.perf_counter()
    pairwise_features_batch(vac, pool)
    print(
        f"batch {m} × {n:,}, fresh buffer: {m * n / (time.perf_counter() - t) / 1e6:.1f} M pairs/s"
    )


FEATURES = list(COLUMN)


def _region_store(region: str, seed: int, scale: float, root: Path):  # type: ignore[no-untyped-def]
    """Generate a region, import it into a fresh SQLite store; (store, out_dir)."""
    from demo.generate import generate_region
    from matching import normalisation
    from matching.bootstrap import open_store
    from matching.exchange.importing import import_paths
    from matching.settings import Settings

    out = root / f"{region.replace(' ', '_')}_{seed}"
    generate_region(region, seed=seed, scale=scale, out_dir=out)
    store = open_store(Settings(var_dir=out / "var"))
    import_paths(store.sessions, [out], normaliser=normalisation, threshold=0.5)
    return store, out


def _rank_quality(
    scores: dict[str, np.ndarray], truth: np.ndarray
) -> dict[str, tuple[float, float]]:
    """NDCG@10 with truth as gain, and true expected durable in the top 10 / the oracle's."""
    from matching.metrics import ndcg_at_k

    best = np.sort(truth)[::-1][:10].sum()
    out = {}
    for name, score in scores.items():
        top = np.argsort(-score, kind="stable")[:10]
        out[name] = (ndcg_at_k([score], [truth], k=10), float(truth[top].sum() / best))
    return out


def heldout(
    scale: float,
    prior_strength: float,
    *,
    train_on: tuple[str, int] = ("Holland Rijnland", 1),
    evaluate_on: tuple[str, int] = ("Holland Rijnland", 2),
    n_vacancies: int = 150,
) -> None:
    """Train on ``train_on`` (region, seed), evaluate against the truth on ``evaluate_on``."""
    from demo.generate import load_world
    from demo.world import true_durable_probability
    from matching.pool_loading import load_pool, load_vacancies
    from matching.scoring.fitting import train
    from matching.scoring.model_versions import load_model
    from matching.scoring.prior import PriorScorer

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        store_a, _ = _region_store(*train_on, scale, root)
        with store_a.sessions() as session:
            result = train(
                session,
                model_dir=root / "models",
                as_of=dt.date(2026, 10, 1),
                force=True,
                prior_strength=prior_strength,
            )
        print(
            "trained:",
            result.message,
            {
                k: {m: v for m, v in d.items() if m != "calibration"}
                for k, d in result.sidecar["metrics"].items()
            },
        )
        model, prior = load_model(root / "models"), PriorScorer()
        store_b, out_b = _region_store(*evaluate_on, scale, root)
        world = load_world(out_b)
        with store_b.sessions() as session:
            pool = load_pool(session)
            ids = sorted(
                np.random.default_rng(0).choice(
                    world.vacancy_ids.astype(str), n_vacancies, replace=False
                )
            )
            vacancies = load_vacancies(session, pool, vacancy_ids=ids)
        results: dict[str, list[tuple[float, float]]] = {}
        for i in range(len(vacancies)):
            v = vacancies.row(i)
            x = np.ascontiguousarray(pairwise_features(v, pool))
            truth = true_durable_probability(world, np.repeat(v.ids[0], len(pool)), pool.ids)
            req = v.required.indices
            overlap = np.asarray(pool.skills[:, req].sum(axis=1)).ravel() / max(len(req), 1)
            scores = {"learned": model.score(x).score, "prior": prior.score(x).score,
                      "skill overlap": overlap, "random": np.random.default_rng(i).random(len(x)),
                      "oracle": truth}  # fmt: skip
            for name, value in _rank_quality(scores, truth).items():
                results.setdefault(name, []).append(value)
        where = (
            f"{evaluate_on[0]} seed {evaluate_on[1]} (trained on {train_on[0]} seed {train_on[1]})"
        )
        print(f"held out: {where}, {len(pool):,} candidates, {len(vacancies)} vacancies")
        for name, values in results.items():
            ndcg, ratio = np.nanmean(np.array(values), axis=0)
            print(f"  {name:14s} NDCG@10 {ndcg:.3f}   top-10 expected durable / oracle {ratio:.3f}")


if __name__ == "__main__":  # pragma: no cover
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    s = sub.add_parser("speed")
    s.add_argument("--n", type=int, default=100_000)
    h = sub.add_parser("heldout")
    h.add_argument("--scale", type=float, default=1.0)
    h.add_argument("--prior-strength", type=float, default=PRIOR_STRENGTH)
    h.add_argument("--train-region", default="Holland Rijnland")
    h.add_argument("--train-seed", type=int, default=1)
    h.add_argument("--eval-region", default="Holland Rijnland")
    h.add_argument("--eval-seed", type=int, default=2)
    args = parser.parse_args()
    if args.what == "speed":
        speed(args.n)
    else:
        heldout(
            args.scale,
            args.prior_strength,
            train_on=(args.train_region, args.train_seed),
            evaluate_on=(args.eval_region, args.eval_seed),
        )
