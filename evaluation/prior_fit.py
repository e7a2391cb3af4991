"""Fit the prior's weights on the development family of the quality bench (``werkmatch bench
prior``), and measure them on worlds they were not fitted on.

The prior is what ranks for every organisation (``matching.scoring.prior``); with history,
``werkmatch train`` only sets its level (``matching.scoring.level``). Its weights are chosen
where the truth is known: in each development world (``DEV_WORLDS``, real import and
normalisation) every open vacancy's eligible candidates are described by the 28 features and
the world's attainable truth (P(durable | placed) without the unobservable candidate term).

- **Weights**: least squares of the truth's logit on the features, each world weighing
  equally, under the signs the domain is sure of (``SIGNS``) and with a recorded required
  competence weighing at least as much as one inferred from work history (the coefficients of
  ``essential_share`` and ``required_experience`` are bounded by that of
  ``required_coverage``).
- **Level** (``matching.scoring.level``): one scale of the logit for the top 10 of every
  world (the truth there rises less steeply with the score), the top-10 scores' quantiles as
  the reference the placements are weighed towards, and a straight line from the placements'
  offset to the offset that matches the truth of the prior's own top 10: placements in an
  organisation's history overstate how long a new placement lasts (employers hired them for
  what they saw and the file does not say). ``train`` applies it to a new organisation.
- **Honesty**: every figure in the report is measured leave-one-world-out: weights and level
  fitted on all the other development worlds, measured on the one left out.

Writes ``matching/scoring/prior_weights.json`` (the product reads it) with the figures; the
final worlds are never used.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import lsq_linear, minimize
from scipy.special import logit

from demo.world import true_pairs
from evaluation.quality_worlds import (
    DEV_WORLDS,
    LIST_LENGTH,
    WorldSpec,
    _eligible,
    prepare_world,
    store_template,
)
from features.pairwise import FEATURE_NAMES, pairwise_features
from matching.access.users import Principal
from matching.bootstrap import open_store
from matching.metrics import calibration_error_to_truth, ndcg_at_k
from matching.scoring.level import Level, placement_offset
from matching.scoring.signed import SIGNS
from matching.scoring.training_rows import training_data
from matching.shortlist import MatchingCache, policy_for
from matching.shortlist.service import open_vacancy, open_vacancy_ids

DEFAULT_SCALE = 0.5
PRIOR_COUNT = 10.0
"""Placements the family's centre counts for when an organisation has few (chosen on the bench:
docs/benchmarks.md, "Calibration, fourth round")."""
REFERENCE_QUANTILES = 20
"""How many quantiles of the family's top-10 scores the level weighs placements towards."""
BOUNDED_BY_RECORDED = ("essential_share", "required_experience")
"""Inferred-skill features whose weight may not exceed that of the recorded competences."""
Say = Callable[[str], None]


@dataclass(frozen=True)
class WorldRows:
    """One world's eligible pairs (features, truth, vacancy index) and its placements."""

    name: str
    features: np.ndarray
    attainable: np.ndarray
    truth: np.ndarray
    vacancy: np.ndarray
    placed_features: np.ndarray
    placed_labels: np.ndarray


def world_rows(spec: WorldSpec, scale: float, template: Path) -> WorldRows:
    """Import one world and describe its eligible pairs and its history's placements."""
    with tempfile.TemporaryDirectory(prefix="werkmatch-prior-") as tmp:
        imported = prepare_world(spec, scale=scale, work_dir=Path(tmp) / "w", template=template)
        store = open_store(imported.settings)
        feats, attain, truth, vac = [], [], [], []
        with store.sessions.begin() as session:
            context = MatchingCache(imported.settings.resolved_model_dir()).get(session)
            policy = policy_for(session, None, imported.settings)
            ids = np.asarray(context.pool.ids, dtype=object).astype(str)
            for i, vacancy_id in enumerate(open_vacancy_ids(session)):
                rows, _ = _eligible(session, context, vacancy_id, policy)
                vacancy, _ = open_vacancy(
                    session, context, vacancy_id, principal=Principal.command_line()
                )
                with context.buffer() as buffer:
                    feats.append(
                        np.asarray(pairwise_features(vacancy, context.pool, out=buffer))[rows]
                    )
                pairs = true_pairs(imported.world, np.repeat(vacancy_id, len(rows)), ids[rows])
                attain.append(pairs.p_attainable)
                truth.append(pairs.p_durable)
                vac.append(np.full(len(rows), i))
            history = training_data(session, as_of=imported.world.as_of)
        store.engine.dispose()
    placed = np.ones(len(history), bool) if history.placed is None else history.placed
    return WorldRows(
        spec.name, np.concatenate(feats).astype(np.float64), np.concatenate(attain),
        np.concatenate(truth), np.concatenate(vac), history.features[placed].astype(np.float64),
        history.labels[placed].astype(np.float64),
    )  # fmt: skip


def _logit(p: np.ndarray) -> np.ndarray:
    """The logit of probabilities kept away from 0 and 1."""
    return np.asarray(logit(np.clip(p, 1e-4, 1 - 1e-4)))


def fit_weights(worlds: Sequence[WorldRows]) -> tuple[np.ndarray, float]:
    """Signed least squares of logit(attainable truth) on the features, worlds weighing equally,
    recorded competences weighing at least as much as inferred ones. (weights, intercept)."""
    names = list(FEATURE_NAMES)
    recorded = names.index("required_coverage")
    bounded = [names.index(n) for n in BOUNDED_BY_RECORDED]
    blocks, targets = [], []
    for w in worlds:
        x = w.features.copy()
        for j in bounded:  # w_j = v_j, w_recorded = u + sum v_j: column j carries recorded too
            x[:, j] += x[:, recorded]
        root = np.sqrt(1.0 / len(x))
        blocks.append(np.column_stack([x, np.ones(len(x))]) * root)
        targets.append(_logit(w.attainable) * root)
    lower = [0.0 if SIGNS[n] > 0 else -np.inf for n in names] + [-np.inf]
    upper = [0.0 if SIGNS[n] < 0 else np.inf for n in names] + [np.inf]
    theta = lsq_linear(np.vstack(blocks), np.concatenate(targets), bounds=(lower, upper)).x
    weights = theta[:-1].copy()
    weights[recorded] += sum(weights[j] for j in bounded)
    return weights, float(theta[-1])


def _tops(scores: np.ndarray, vacancy: np.ndarray) -> np.ndarray:
    """Rows of the ``LIST_LENGTH`` best scores of each vacancy."""
    out = []
    for v in np.unique(vacancy):
        rows = np.flatnonzero(vacancy == v)
        out.append(rows[np.lexsort((rows, -scores[rows]))[:LIST_LENGTH]])
    return np.concatenate(out)


def top_scale(scores: Sequence[np.ndarray], truths: Sequence[np.ndarray]) -> float:
    """One logit scale ``a`` for all worlds, each with its own intercept: the truth of the top
    10 as ``sigmoid(a · score + c_world)`` (cross-entropy, worlds weighing equally)."""

    def loss(theta: np.ndarray) -> float:
        total = 0.0
        for k, (s, t) in enumerate(zip(scores, truths, strict=True)):
            z = theta[0] * s + theta[1 + k]
            total += float((np.logaddexp(0.0, z) - t * z).mean())
        return total

    start = np.r_[1.0, np.zeros(len(scores))]
    return float(minimize(loss, start, method="BFGS").x[0])


def fit_level(worlds: Sequence[WorldRows], weights: np.ndarray, intercept: float) -> Level:
    """Scale, reference and line from the placements' offset to the top 10's true offset."""
    tops = []
    for w in worlds:
        scores = w.features @ weights + intercept
        top = _tops(scores, w.vacancy)
        tops.append((scores[top], w.truth[top]))
    scale = top_scale([s for s, _ in tops], [t for _, t in tops])
    pooled = np.concatenate([s for s, _ in tops])
    reference = np.quantile(pooled, (np.arange(REFERENCE_QUANTILES) + 0.5) / REFERENCE_QUANTILES)
    unfitted = Level(scale=scale, reference=tuple(float(x) for x in reference.round(4)))
    seen = [unfitted.seen(w.placed_features @ weights + intercept, w.placed_labels) for w in worlds]
    wanted = [placement_offset(s, t, scale=scale) for s, t in tops]
    slope, offset = np.polyfit(np.array(seen), np.array(wanted), 1)
    return dataclasses.replace(
        unfitted, slope=float(slope), offset=float(offset), centre=float(np.mean(seen)),
        prior_count=PRIOR_COUNT,
    )  # fmt: skip


def _ndcg(w: WorldRows, scores: np.ndarray) -> float:
    """Mean NDCG@10 over the world's open vacancies (all eligible candidates, no policy)."""
    values = []
    for v in np.unique(w.vacancy):
        rows = np.flatnonzero(w.vacancy == v)
        values.append(ndcg_at_k([scores[rows]], [w.truth[rows]], k=LIST_LENGTH))
    return float(np.mean(values))


def held_out(worlds: Sequence[WorldRows]) -> list[dict[str, Any]]:
    """Per world, figures of weights and level fitted on the other worlds."""
    out = []
    for i, w in enumerate(worlds):
        others = [o for j, o in enumerate(worlds) if j != i]
        weights, intercept = fit_weights(others)
        level = fit_level(others, weights, intercept)
        scores = w.features @ weights + intercept
        shift = level.shift(w.placed_features @ weights + intercept, w.placed_labels)
        top = _tops(scores, w.vacancy)
        shown = 1 / (1 + np.exp(-(level.scale * scores[top] + shift)))
        out.append({
            "world": w.name,
            "ndcg_at_10": round(_ndcg(w, scores), 4),
            "ece_top10": round(calibration_error_to_truth(shown, w.truth[top]), 4),
            "mean_shown": round(float(shown.mean()), 4),
            "mean_true": round(float(w.truth[top].mean()), 4),
        })  # fmt: skip
    return out


def fit_prior(
    *, scale: float = DEFAULT_SCALE, workers: int = 1, worlds: Sequence[WorldSpec] = DEV_WORLDS,
    say: Say = lambda _: None,
) -> dict[str, Any]:  # fmt: skip
    """Weights, intercept and level line fitted on ``worlds``, with held-out figures."""
    with tempfile.TemporaryDirectory(prefix="werkmatch-prior-template-") as tmp:
        template = store_template(Path(tmp) / "template.db")
        with ProcessPoolExecutor(max_workers=workers) as pool:
            rows = list(
                pool.map(world_rows, worlds, [scale] * len(worlds), [template] * len(worlds))
            )
    say(f"{len(rows)} werelden ingelezen")
    return fit_rows(rows, scale=scale)


def fit_rows(rows: Sequence[WorldRows], *, scale: float) -> dict[str, Any]:
    """Weights, intercept and level line fitted on worlds already read, with held-out figures."""
    weights, intercept = fit_weights(rows)
    level = fit_level(rows, weights, intercept)
    figures = held_out(rows)
    return {
        "fitted_on": [w.name for w in rows],
        "scale": scale,
        "date": dt.date.today().isoformat(),
        "weights": {n: round(float(x), 4) for n, x in zip(FEATURE_NAMES, weights, strict=True)},
        "intercept": round(intercept, 4),
        "level": level_dict(level),
        "held_out": figures,
    }


def level_dict(level: Level) -> dict[str, Any]:
    """The level as ``prior_weights.json`` keeps it (``Level.from_dict`` reads it back)."""
    return {
        "scale": round(level.scale, 4),
        "slope": round(level.slope, 4),
        "offset": round(level.offset, 4),
        "reference": [round(x, 4) for x in level.reference],
        "bandwidth": level.bandwidth,
        "shrink": level.shrink,
        "centre": round(level.centre, 4),
        "prior_count": level.prior_count,
    }


def write_prior(fitted: dict[str, Any], path: Path) -> None:
    """Write the fitted prior as JSON (sorted keys, one line per weight)."""
    path.write_text(json.dumps(fitted, indent=2, ensure_ascii=False) + "\n")
