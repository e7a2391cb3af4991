"""Where the ranking loses: the per-world linear ceiling of today's features, and its lift when
one term of the generator's observable truth is added as an oracle column (issue 19).

    python scripts/rank_loss.py collect --cache /tmp/q19-worlds [--workers 2]
    python scripts/rank_loss.py loss --cache /tmp/q19-worlds
    python scripts/rank_loss.py lowo --cache /tmp/q19-worlds

``collect`` imports every development world once into ``CACHE/<seed>`` (kept, so later runs
only reopen the stores), and writes ``CACHE/<seed>.npz``: the features of every eligible pair
of every open vacancy (as ``evaluation.prior_fit.world_rows``), the truth, the attainable
truth, and each term of the truth's observable part (``truth_terms``), plus the placements'
features (for the level). Rerun it after a change to the features. ``loss`` fits, per world,
least squares of logit(attainable truth) on the features (a ceiling: in-sample, the world's
own truth) and reports NDCG@10 against the truth with each oracle column added. ``lowo``
reports the leave-one-world-out NDCG@10 and ECE of the prior fit (``prior_fit.held_out``) over
the cached worlds. Seeded and deterministic: the worlds are ``DEV_WORLDS``; never the final
ones.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from scipy.optimize import lsq_linear

from demo.outcome import _education_below, hidden_needs, pair_features
from demo.world import World, _indices, true_pairs
from evaluation.prior_fit import (
    BOUNDED_BY_RECORDED,
    WorldRows,
    _logit,
    _ndcg,
    _tops,
    fit_level,
    fit_rows,
    held_out,
    write_prior,
)
from evaluation.quality_worlds import (
    DEV_WORLDS,
    WorldSpec,
    _eligible,
    prepare_world,
    store_template,
    world_settings,
)
from features.evidence import EXPERIENCE, RECORDED, RELATED, evidence_levels
from features.pairwise import FEATURE_NAMES, pairwise_features
from features.pool import CandidateArrays, VacancyArrays
from matching.access.users import Principal
from matching.bootstrap import open_store
from matching.metrics import calibration_error_to_truth
from matching.scoring.level import placement_offset
from matching.scoring.prior import PRIOR_FILE
from matching.scoring.signed import SIGNS
from matching.scoring.training_rows import training_data
from matching.shortlist import MatchingCache, policy_for
from matching.shortlist.service import open_vacancy, open_vacancy_ids

SCALE = 0.5
TODAY = FEATURE_NAMES[:26]
"""The 26 features of 2026-12-03 (later ones are appended)."""
NEW = FEATURE_NAMES[len(TODAY) :]
TERMS = (
    "competence",
    "optional_competence",
    "experience",
    "has_occupation",
    "distance_shape",
    "beyond_reach",
    "hours",
    "readiness",
    "sector",
    "dutch_missing",
    "licence_missing",
    "education_below",
)
"""The observable terms of the generator's durable logit (``demo.outcome.durable_logit``)."""


def truth_terms(world: World, vacancy_ids: np.ndarray, candidate_ids: np.ndarray) -> np.ndarray:
    """Pairs × TERMS: each observable term of the true logit, with the world's coefficient."""
    v = _indices(world.vacancy_ids.astype(str), vacancy_ids, "vacancy")
    c = _indices(world.candidate_ids.astype(str), candidate_ids, "candidate")
    m, people, jobs, firms = world.mechanisms.durable, world.people, world.jobs, world.firms
    f = pair_features(world.geo, world.tax, people, jobs, c, v, m)
    licence = people.licence[c]
    km = np.maximum(f.distance_km - m.distance_free_km, 0.0)
    short = np.maximum(jobs.hours[v] - people.hours[c], 0)
    long = np.maximum(people.hours[c] - jobs.hours[v], 0)
    prefers = (people.pref[c] == firms.sector[jobs.employer[v]][:, None]).any(axis=1)
    dutch, needs_licence = hidden_needs(world.tax, jobs, v)
    speaks = np.char.find(people.languages[c].astype(str), "nl") >= 0
    columns = {
        "competence": m.competence_fit * f.coverage,
        "optional_competence": m.optional_fit * f.optional_coverage,
        "experience": m.experience * f.experience_years / m.experience_cap_years,
        "has_occupation": f.has_occupation.astype(float),
        "distance_shape": -m.distance * km / 10 * np.where(licence, m.licence_distance, 1.0),
        "beyond_reach": -m.beyond_reach * np.maximum(f.distance_km - people.reach_km[c], 0) / 10,
        "hours": -m.hours_short * short / 8 - m.hours_long * long / 16,
        "readiness": m.readiness * (people.ladder[c] - 4)
        - m.low_readiness * (people.ladder[c] <= 2),
        "sector": m.sector_preference * prefers,
        "dutch_missing": -m.language_missing * (dutch & ~speaks),
        "licence_missing": -m.licence_missing * (needs_licence & ~licence),
        "education_below": -m.education_below * _education_below(people, jobs, c, v),
    }
    return np.column_stack([np.asarray(columns[t], dtype=float) for t in TERMS])


def file_competence(
    world: World, pool: CandidateArrays, vacancy: VacancyArrays, rows: np.ndarray
) -> np.ndarray:
    """E[true share of required skills held | the file's evidence], with the world's own
    recording rates: what the best competence feature could know (not the realised share).

    A recorded skill is held; one essential (optional) to an occupation in the history is held
    with the world's rate p, so, not recorded, with p(1 - r) / (1 - p r) (r: the rate at which
    intake writes a held skill down), or p when the file records no competence at all.
    """
    rec = world.mechanisms.recording
    required = vacancy.required.indices[vacancy.required.indptr[0] : vacancy.required.indptr[1]]
    if len(required) == 0:
        return np.ones(len(rows))
    levels = evidence_levels(pool, required.astype(np.int64))[rows]
    empty = (np.diff(pool.skills.indptr) == 0)[rows][:, None]
    r = np.where(empty, 0.0, rec.skill_recorded)
    held = np.zeros(levels.shape)
    for level, p in ((EXPERIENCE, rec.skill_held_essential), (RELATED, rec.skill_held_optional)):
        held = np.where(levels == level, p * (1 - r) / (1 - p * r), held)
    return np.asarray(np.where(levels == RECORDED, 1.0, held).mean(axis=1))


def collect(spec: WorldSpec, cache: Path, template: Path) -> str:
    """Import ``spec`` into ``cache/<seed>`` once; write its pairs to ``cache/<seed>.npz``."""
    work = cache / str(spec.seed)
    if not (work / "werkmatch.db").exists():
        prepare_world(spec, scale=SCALE, work_dir=work, template=template)
    from demo import load_world

    world = load_world(work / "bestanden")
    settings = world_settings(work)
    store = open_store(settings)
    feats, vac_ids, cand_ids, vac, known = [], [], [], [], []
    with store.sessions.begin() as session:
        context = MatchingCache(settings.resolved_model_dir()).get(session)
        policy = policy_for(session, None, settings)
        ids = np.asarray(context.pool.ids, dtype=object).astype(str)
        for i, vacancy_id in enumerate(open_vacancy_ids(session)):
            rows, _ = _eligible(session, context, vacancy_id, policy)
            vacancy, _ = open_vacancy(
                session, context, vacancy_id, principal=Principal.command_line()
            )
            with context.buffer() as buffer:
                feats.append(np.asarray(pairwise_features(vacancy, context.pool, out=buffer))[rows])
            known.append(file_competence(world, context.pool, vacancy, rows))
            vac_ids.append(np.repeat(vacancy_id, len(rows)))
            cand_ids.append(ids[rows])
            vac.append(np.full(len(rows), i))
        history = training_data(session, as_of=world.as_of)
    store.engine.dispose()
    vacancy_ids, candidate_ids = np.concatenate(vac_ids), np.concatenate(cand_ids)
    pairs = true_pairs(world, vacancy_ids, candidate_ids)
    placed = np.ones(len(history), bool) if history.placed is None else history.placed
    np.savez_compressed(
        cache / f"{spec.seed}.npz",
        name=spec.name, feature_names=np.array(FEATURE_NAMES),
        features=np.concatenate(feats).astype(np.float64), vacancy=np.concatenate(vac),
        truth=pairs.p_durable, attainable=pairs.p_attainable,
        terms=truth_terms(world, vacancy_ids, candidate_ids),
        file_competence=np.concatenate(known),
        placed_features=history.features[placed].astype(np.float64),
        placed_labels=history.labels[placed].astype(np.float64),
    )  # fmt: skip
    return spec.name


FILE_COMPETENCE: dict[str, np.ndarray] = {}
"""``file_competence`` of the worlds loaded, by name (when the cache holds it)."""


def load(cache: Path, spec: WorldSpec) -> tuple[WorldRows, np.ndarray]:
    """The cached rows of ``spec`` and its truth terms."""
    data = np.load(cache / f"{spec.seed}.npz")
    if "file_competence" in data:
        FILE_COMPETENCE[spec.name] = data["file_competence"]
    cached = list(data["feature_names"])
    if not set(TODAY) <= set(cached):
        raise SystemExit(f"{spec.name}: cached with other features; run collect again")

    def padded(x: np.ndarray) -> np.ndarray:
        """Today's columns by name; a feature not in the cache is a zero (unused) column."""
        out = np.zeros((len(x), len(FEATURE_NAMES)))
        for j, name in enumerate(FEATURE_NAMES):
            if name in cached:
                out[:, j] = x[:, cached.index(name)]
        return out

    rows = WorldRows(
        str(data["name"]), padded(data["features"]), data["attainable"], data["truth"],
        data["vacancy"], padded(data["placed_features"]), data["placed_labels"],
    )  # fmt: skip
    return rows, data["terms"]


def ceiling(w: WorldRows, columns: Sequence[str], extra: np.ndarray | None = None) -> float:
    """NDCG@10 of least squares of logit(attainable) on ``columns`` (+ ``extra``), in-world."""
    x = w.features[:, [FEATURE_NAMES.index(c) for c in columns]]
    if extra is not None:
        x = np.column_stack([x, extra])
    x = np.column_stack([x, np.ones(len(x))])
    theta = np.linalg.lstsq(x, _logit(w.attainable), rcond=None)[0]
    return _ndcg(w, x @ theta)


def _table_rows(
    worlds: list[tuple[WorldRows, np.ndarray]], columns: Sequence[str], base: np.ndarray
) -> list[str]:
    """One row per oracle term added to ``columns``, and all terms together."""
    worst = int(np.argmin(base))
    extras = [(t, [terms[:, [j]] for _, terms in worlds]) for j, t in enumerate(TERMS)]
    extras.append(("all terms", [terms for _, terms in worlds]))
    if all(w.name in FILE_COMPETENCE for w, _ in worlds):
        extras.append((
            "competence as far as the files tell (expected share held, world's rates)",
            [FILE_COMPETENCE[w.name][:, None] for w, _ in worlds],
        ))  # fmt: skip
    lines = []
    for name, extra in extras:
        got = np.array([ceiling(w, columns, x) for (w, _), x in zip(worlds, extra, strict=True)])
        lift = got - base
        lines.append(
            f"| + {name} | {got.mean():.3f} | {got.min():.3f} | {lift.mean():+.3f} "
            f"| {lift[worst]:+.3f} |"
        )
    return lines


def loss_table(cache: Path, *, with_new: bool = False) -> str:
    """Per oracle term: the mean and worst per-world ceiling with that column added to today's
    features (and, with ``with_new``, each new feature added, then every term on top of all)."""
    worlds = [load(cache, spec) for spec in DEV_WORLDS]
    base = np.array([ceiling(w, TODAY) for w, _ in worlds])
    attain = np.array([_ndcg(w, w.attainable) for w, _ in worlds])
    lines = [
        "| column added to the per-world linear ceiling | mean | worst | lift mean "
        "| lift in the worst world |",
        "|---|---:|---:|---:|---:|",
        f"| none (today's {len(TODAY)} features) | {base.mean():.3f} | {base.min():.3f} | – | – |",
        *_table_rows(worlds, TODAY, base),
        f"| (the attainable truth itself) | {attain.mean():.3f} | {attain.min():.3f} | | |",
    ]
    if with_new:
        worst = int(np.argmin(base))
        for name in NEW:
            got = np.array([ceiling(w, [*TODAY, name]) for w, _ in worlds])
            lines.append(
                f"| + feature {name} | {got.mean():.3f} | {got.min():.3f} | "
                f"{(got - base).mean():+.3f} | {(got - base)[worst]:+.3f} |"
            )
        full = np.array([ceiling(w, FEATURE_NAMES) for w, _ in worlds])
        lines.append(
            f"| all {len(FEATURE_NAMES)} features | {full.mean():.3f} | {full.min():.3f} | "
            f"{(full - base).mean():+.3f} | {(full - base)[worst]:+.3f} |"
        )
        lines += [line.replace("| + ", "| all features + ", 1) for line in _table_rows(
            worlds, FEATURE_NAMES, full)]  # fmt: skip
    return "\n".join(lines)


def _restricted(cache: Path, columns: Sequence[str]) -> list[WorldRows]:
    """The cached worlds with every feature outside ``columns`` zeroed (so weighted 0)."""
    keep = np.isin(np.array(FEATURE_NAMES), list(columns))
    worlds = []
    for spec in DEV_WORLDS:
        w = load(cache, spec)[0]
        worlds.append(dataclasses.replace(
            w, features=w.features * keep, placed_features=w.placed_features * keep))  # fmt: skip
    return worlds


def _gram(w: WorldRows) -> tuple[np.ndarray, np.ndarray]:
    """The normal equations of ``fit_weights``'s least squares for one world (its weighting and
    its change of variables for the bounded columns)."""
    names = list(FEATURE_NAMES)
    x = w.features.copy()
    for j in (names.index(n) for n in BOUNDED_BY_RECORDED):
        x[:, j] += x[:, names.index("required_coverage")]
    a = np.column_stack([x, np.ones(len(x))])
    return a.T @ a / len(x), a.T @ _logit(w.attainable) / len(x)


def _fit_gram(gram: np.ndarray, moment: np.ndarray) -> tuple[np.ndarray, float]:
    """``fit_weights`` from summed normal equations: the same bounded least squares, solved on
    a square root of the Gram matrix (seconds instead of minutes for sixteen refits)."""
    names = list(FEATURE_NAMES)
    e, v = np.linalg.eigh(gram)
    keep = e > 1e-12 * e.max()
    a = (v[:, keep] * np.sqrt(e[keep])).T
    b = (v[:, keep].T @ moment) / np.sqrt(e[keep])
    lower = [0.0 if SIGNS[n] > 0 else -np.inf for n in names] + [-np.inf]
    upper = [0.0 if SIGNS[n] < 0 else np.inf for n in names] + [np.inf]
    theta = lsq_linear(a, b, bounds=(lower, upper)).x
    weights = theta[:-1].copy()
    weights[names.index("required_coverage")] += sum(
        weights[names.index(n)] for n in BOUNDED_BY_RECORDED
    )
    return weights, float(theta[-1])


def fast_held_out(worlds: Sequence[WorldRows]) -> list[dict[str, float]]:
    """``prior_fit.held_out`` with the weights fitted through ``_fit_gram`` (same figures up to
    the solver's tolerance)."""
    grams = [_gram(w) for w in worlds]
    out = []
    for i, w in enumerate(worlds):
        others = [o for j, o in enumerate(worlds) if j != i]
        weights, intercept = _fit_gram(
            sum(g for j, (g, _) in enumerate(grams) if j != i),
            sum(m for j, (_, m) in enumerate(grams) if j != i),
        )
        slope, offset = fit_level(others, weights, intercept)
        scores = w.features @ weights + intercept
        shift = offset + slope * placement_offset(
            w.placed_features @ weights + intercept, w.placed_labels
        )
        top = _tops(scores, w.vacancy)
        shown = 1 / (1 + np.exp(-(scores[top] + shift)))
        out.append({
            "world": w.name, "ndcg_at_10": _ndcg(w, scores),
            "ece_top10": calibration_error_to_truth(shown, w.truth[top]),
        })  # fmt: skip
    return out


def lowo_table(cache: Path, columns: Sequence[str], *, fast: bool = False) -> str:
    """Leave-one-world-out NDCG@10 and ECE of the prior fit using only ``columns``."""
    worlds = _restricted(cache, columns)
    figures = fast_held_out(worlds) if fast else held_out(worlds)
    ndcg = np.array([f["ndcg_at_10"] for f in figures])
    ece = np.array([f["ece_top10"] for f in figures])
    per_world = " ".join(f"{f['ndcg_at_10']:.3f}" for f in figures)
    return (
        f"NDCG@10 {ndcg.mean():.4f} / worst {ndcg.min():.4f}; "
        f"ECE {ece.mean():.4f} / worst {ece.max():.4f}; per world {per_world}"
    )


def main(argv: list[str] | None = None) -> None:
    """Command line: collect | loss | lowo | refit."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("step", choices=["collect", "loss", "lowo", "refit"])
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--new", action="store_true", help="loss: also the new features")
    parser.add_argument("--fast", action="store_true", help="lowo: fit on normal equations")
    parser.add_argument(
        "--features", default="today", help="lowo: 'today', 'all' or +name,+name added to today"
    )
    args = parser.parse_args(argv)
    cache: Path = args.cache
    if args.step == "collect":
        cache.mkdir(parents=True, exist_ok=True)
        template = cache / "template.db"
        if not template.exists():
            store_template(template)
        n = len(DEV_WORLDS)
        with ProcessPoolExecutor(max_workers=args.workers) as pool:
            for name in pool.map(collect, DEV_WORLDS, [cache] * n, [template] * n):
                print(name, file=sys.stderr, flush=True)
        return
    if args.step == "loss":
        print(loss_table(cache, with_new=args.new))
        return
    chosen = {"today": list(TODAY), "all": list(FEATURE_NAMES)}.get(args.features)
    if chosen is None:
        chosen = [*TODAY, *(n.lstrip("+") for n in args.features.split(","))]
    if args.step == "lowo":
        print(args.features, lowo_table(cache, chosen, fast=args.fast))
    else:  # what ``werkmatch bench prior`` writes, from the cached rows of the same worlds
        write_prior(fit_rows(_restricted(cache, chosen), scale=SCALE), PRIOR_FILE)
        print(f"{PRIOR_FILE} geschreven")


if __name__ == "__main__":
    main()
