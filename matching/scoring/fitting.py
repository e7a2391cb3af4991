"""``werkmatch train``: build rows as of a date, set the prior's level, fit and compare a
learned model, store.

What becomes active is the prior at this organisation's level (``levelled_prior``): the
prior's ranking, with ``p_durable`` shifted to what the organisation's placements say
(``matching.scoring.level``). On the quality bench's development worlds, weights learned from
an organisation's own few hundred placements — chosen by the old process and by employers —
ranked worse than the prior in truth, also where they beat it on the organisation's own
hold-out (docs/benchmarks.md, "A prior fitted on the family"); so the learned model is fitted,
compared on the hold-out and stored for the model card, and activated only when forced.

Split of the learned model: vacancies opened latest (about 20 % of the rows) are the
hold-out; of the earlier rows the latest 20 % fit the calibrator and the rest the model's
parts; after the comparison its calibrator is refitted on the placements of the calibration
and hold-out slices together (``recalibrated``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from features.pairwise import FEATURE_NAMES
from matching import dutch
from matching.errors import InvalidInput, ModelNotTrained
from matching.scoring.card import write_documents
from matching.scoring.level import placement_offset
from matching.scoring.metrics import evaluate, temporal_split
from matching.scoring.model import (
    PRIOR_STRENGTH,
    DurablePlacementModel,
    TrainingSlice,
    fit_durable_model,
    recalibrated,
)
from matching.scoring.model_versions import activate, active_version, save_model
from matching.scoring.prior import LEVEL, PriorScorer
from matching.scoring.training_rows import BACKGROUND_PER_VACANCY, TrainingData, training_data

MIN_ROWS, MIN_POSITIVES = 200, 20
"""Below this much labelled history the prior stays in use."""
HOLDOUT_SHARE = CALIBRATION_SHARE = 0.2


@dataclass(frozen=True)
class TrainResult:
    """What a training run did: the stored sidecar, whether it became active, and why."""

    sidecar: dict[str, Any]
    activated: bool
    message: str


def split(data: TrainingData) -> tuple[TrainingData, TrainingData, TrainingData]:
    """(fit, calibration, hold-out) rows, by vacancy opening date."""
    later = temporal_split(data.opened_on, later_share=HOLDOUT_SHARE)
    earlier = data.subset(~later)
    calibration = temporal_split(earlier.opened_on, later_share=CALIBRATION_SHARE)
    return earlier.subset(~calibration), earlier.subset(calibration), data.subset(later)


def _placements(*parts: TrainingData) -> tuple[np.ndarray, np.ndarray]:
    """(prior score, durable) of the placements in ``parts``."""
    placements = later_placements(*parts)
    x = np.concatenate([f[p] for f, _, p in placements])
    y = np.concatenate([labels[p] for _, labels, p in placements])
    return PriorScorer().score(x).score, y


def levelled_prior(*parts: TrainingData) -> PriorScorer:
    """The prior with ``p_durable`` at this organisation's level for a shortlist's candidates,
    set from the placements in ``parts`` (``matching.scoring.level``)."""
    scores, labels = _placements(*parts)
    return dataclasses.replace(PriorScorer(), scale=LEVEL.scale, offset=LEVEL.shift(scores, labels))


def placement_level_prior(*parts: TrainingData) -> PriorScorer:
    """The prior at the level of the placements themselves (same scale, no line): what a
    placement chosen the way the history's were would do. The temporal backtest checks this
    one against later placements; the levelled prior is lower on purpose (module doc of
    ``matching.scoring.level``)."""
    scores, labels = _placements(*parts)
    seen = placement_offset(scores, labels, scale=LEVEL.scale)
    return dataclasses.replace(PriorScorer(), scale=LEVEL.scale, offset=seen)


def compare(
    model: DurablePlacementModel, holdout: TrainingData, prior: PriorScorer | None = None
) -> dict[str, Any]:
    """Hold-out metrics of the learned model and of the prior on the same rows."""
    out: dict[str, Any] = {}
    for name, scorer in (("learned", model), ("prior", prior or PriorScorer())):
        scores = scorer.score(holdout.features)
        out[name] = evaluate(scores.score, scores.p_durable, holdout.labels, holdout.vacancy_ids)
    return out


def worse_than_prior(metrics: dict[str, Any]) -> list[str]:
    """Reasons the learned model is worse than the prior on the hold-out (empty: it is not).

    Kept as the point rule (NDCG@10 and AUC both at least the prior's): a looser rule (worse
    only when a 90 % bootstrap interval of the AUC difference lies below zero) let the
    learned model rank in 7 instead of 4 of the 8 development worlds of the quality bench,
    with a lower mean and worst case (docs/benchmarks.md).
    """
    reasons = []
    for key in ("ndcg_at_10", "auc"):
        learned, prior = metrics["learned"][key], metrics["prior"][key]
        if learned is None or (prior is not None and learned < prior):
            reasons.append(f"{key} {learned} < prior {prior}")
    return reasons


def later_placements(*parts: TrainingData) -> tuple[TrainingSlice, ...]:
    """(features, labels, placed) of each slice, for ``recalibrated``."""
    return tuple(
        (p.features, p.labels, np.ones(len(p), bool) if p.placed is None else p.placed)
        for p in parts
    )


def _check_history(
    data: TrainingData, parts: tuple[TrainingData, ...], min_rows: int, min_positives: int
) -> None:
    if len(data) < min_rows or int(data.labels.sum()) < min_positives:
        raise ModelNotTrained(
            f"te weinig historie: {len(data)} voorstellen met bekende uitkomst, "
            f"{int(data.labels.sum())} duurzame plaatsingen (nodig: {min_rows} en "
            f"{min_positives}); de beginweging blijft in gebruik"
        )
    if any(len(np.unique(p.labels)) < 2 for p in parts):
        raise ModelNotTrained(
            "een tijdvak heeft maar één uitkomst: de beginweging blijft in gebruik"
        )


def fit_on_slices(
    data: TrainingData,
    fit_rows: TrainingData,
    cal_rows: TrainingData,
    *,
    prior_strength: float = PRIOR_STRENGTH,
) -> DurablePlacementModel:
    """The model fitted on the oldest slice (anchored by the background rows of its vacancies)
    and calibrated on the later one; used by ``train`` and by the temporal backtest."""
    return fit_durable_model(
        fit_rows.features,
        fit_rows.labels,
        calibration=(cal_rows.features, cal_rows.labels),
        placed=fit_rows.placed,
        calibration_placed=cal_rows.placed,
        background=data.background_until(fit_rows.opened_on.max()),
        prior_strength=prior_strength,
    )


@dataclass(frozen=True)
class Fitted:
    """What a history gives: the learned model, the levelled prior, their hold-out comparison,
    the three time slices (fit, calibration, hold-out) and the prior at the placements' level."""

    learned: DurablePlacementModel
    prior: PriorScorer
    metrics: dict[str, Any]
    reasons: list[str]
    parts: tuple[TrainingData, TrainingData, TrainingData]
    placed: PriorScorer


def fit_history(
    data: TrainingData,
    *,
    prior_strength: float = PRIOR_STRENGTH,
    min_rows: int = MIN_ROWS,
    min_positives: int = MIN_POSITIVES,
) -> Fitted:
    """Split, fit the learned model, level the prior, compare on the hold-out; used by
    ``train`` and by the temporal backtest. ModelNotTrained when the history is too thin."""
    fit_rows, cal_rows, holdout = parts = split(data)
    _check_history(data, parts, min_rows, min_positives)
    try:
        model = fit_on_slices(data, fit_rows, cal_rows, prior_strength=prior_strength)
    except InvalidInput as error:
        raise ModelNotTrained(f"{error}; de beginweging blijft in gebruik") from error
    prior = levelled_prior(*parts)
    metrics = compare(model, holdout, prior)
    model = recalibrated(model, later_placements(cal_rows, holdout))
    placed = placement_level_prior(*parts)
    return Fitted(model, prior, metrics, worse_than_prior(metrics), parts, placed)


def train(
    session: Session,
    *,
    model_dir: Path,
    as_of: dt.date | None = None,
    force: bool = False,
    prior_strength: float = PRIOR_STRENGTH,
) -> TrainResult:
    """Set the prior's level, fit and compare the learned model, store both; activate the
    levelled prior (the learned model when ``force``)."""
    as_of = as_of or dt.date.today()
    data = training_data(session, as_of=as_of)
    fitted = fit_history(data, prior_strength=prior_strength)
    model, prior, metrics, reasons = fitted.learned, fitted.prior, fitted.metrics, fitted.reasons
    fit_rows, cal_rows, holdout = fitted.parts
    metadata = {
        "as_of": as_of.isoformat(),
        "training_data_sha256": data.sha256(),
        "rows": {
            "fit": len(fit_rows),
            "calibration": len(cal_rows),
            "holdout": len(holdout),
            "positives": int(data.labels.sum()),
        },
        "proposal_status_counts": data.counts,
        "split": _split_dates(fit_rows, cal_rows, holdout),
        "metrics": metrics,
        "coefficients": dict(zip(FEATURE_NAMES, model.coefficients.round(4).tolist(), strict=True)),
        "intercept": round(model.intercept, 4),
        "parts": ["durable_given_placed", "hired_given_proposed"][: len(model.parts)],
        "calibrator": type(model.calibrator).__name__,
        "prior_strength": prior_strength,
        "background_per_vacancy": BACKGROUND_PER_VACANCY,
        "background_rows": len(data.background_until(fit_rows.opened_on.max())),
        "previous_active": active_version(model_dir),
        "worse_than_prior": reasons,
        "level_offset": round(prior.offset, 4),
        "level_scale": round(prior.scale, 4),
    }
    if not force:
        sidecar = save_model(prior, model_dir=model_dir, metadata=metadata)
        write_documents(sidecar, model_dir=model_dir, docs_dir=None)
        activate(model_dir, sidecar["version"])
        return TrainResult(
            sidecar,
            True,
            f"Versie {sidecar['version']} is actief: de beginweging op het niveau van deze "
            f"organisatie (verschuiving {dutch.signed(prior.offset, 2)}); het geleerde model "
            "wordt alleen vergeleken (--force activeert het).",
        )
    sidecar = save_model(model, model_dir=model_dir, metadata=metadata)
    write_documents(sidecar, model_dir=model_dir, docs_dir=None)
    activate(model_dir, sidecar["version"])
    note = " (geforceerd, hoewel slechter dan de beginweging)" if reasons else " (geforceerd)"
    return TrainResult(sidecar, True, f"Versie {sidecar['version']} is actief{note}.")


def _split_dates(*parts: TrainingData) -> dict[str, list[str | None]]:
    names = ("fit", "calibration", "holdout")
    return {
        n: [str(p.opened_on.min()), str(p.opened_on.max())] if len(p) else [None, None]
        for n, p in zip(names, parts, strict=True)
    }
