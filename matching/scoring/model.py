"""The learned durable-placement model: two sign-constrained logistic parts and a calibrator.

Outcomes exist only for people the old process proposed. The model learns from them in two
parts that share one ``StandardScaler``: P(durable | placed), fitted on the placements (label:
lasted 6 months + 1 day), and P(hired | proposed), fitted on every labelled proposal. Both are
``SignedLogisticRegression`` (coefficients keep the sign the domain is sure of) anchored by
background rows (random, unproposed candidates carrying the prior's opinion; see
``fit_durable_model``). The ranking score is the sum of the two logits: linear in the features
(one mat-vec; exact additive contributions, coefficient × standardised value, which sum with
the intercept to the score), a log-odds stand-in for P(hired) × P(durable | placed). Chosen on
the quality bench over the development worlds (docs/benchmarks.md, "Learning despite
selection bias"): it had the best mean and the best worst case.

``p_durable`` — the number shown — is P(placement lasts 6 months + 1 day | the candidate is
placed): the score mapped through a monotone calibrator (Platt scaling; isotonic regression
when there are enough rows) fitted on the placements of a *later* slice of the training
period, so it never changes the ranking.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from features.pairwise import FEATURE_NAMES
from matching.errors import InvalidInput
from matching.scoring.base import Scores, sigmoid
from matching.scoring.prior import PriorScorer
from matching.scoring.signed import SIGNS, SignedLogisticRegression

PLATT_C = 0.1
"""L2 strength of Platt scaling: a slope shrunk towards zero. The shortlist shows the top of
a ranking, where the scores of the few placements the calibrator sees overstate the truth
(the winner's curse, and placed people were chosen by an employer); on the quality bench
the error against the truth in the top 10 fell from 0.110 (unregularised) to 0.051 on the
mean and from 0.158 to 0.112 in the worst world (C 1: 0.081 / 0.127; C 0.03: 0.051 / 0.141)."""
ISOTONIC_MIN_ROWS = 1000
"""Below this many calibration placements (or 50 durable ones) Platt scaling replaces isotonic."""
DURABLE_C, HIRE_C = 0.1, 1.0
"""L2 strength of the parts: the durable part learns from few placements, so it is held closer
to the background (chosen on the bench; C 1.0 for it was 0.003 worse on mean and worst)."""
PRIOR_STRENGTH = 5.0
"""Total weight of the background rows relative to the labelled rows of each part; chosen on
the quality bench (strength 5 against 3 and 10: best mean and best worst case)."""

Calibrator: TypeAlias = IsotonicRegression | LogisticRegression
TrainingSlice: TypeAlias = tuple[np.ndarray, np.ndarray, np.ndarray]
"""(features, labels, placed) of one time slice."""


@dataclass(frozen=True)
class DurablePlacementModel:
    """A fitted scaler, its logistic parts and a calibrator; scores N × F rows in one mat-vec.

    Shapes: features N × F (columns ``feature_names``); ``score`` and ``p_durable`` length N,
    ``p_durable`` in [0, 1]; ``contributions`` N × F.
    """

    scaler: StandardScaler
    parts: tuple[SignedLogisticRegression, ...]
    calibrator: Calibrator
    version: str = "unsaved"
    feature_names: tuple[str, ...] = FEATURE_NAMES
    kind: str = "learned"

    @property
    def coefficients(self) -> np.ndarray:
        """Coefficients per standardised feature, summed over the parts (length F)."""
        return np.asarray(sum(p.coef_[0] for p in self.parts), dtype=np.float64)

    @property
    def intercept(self) -> float:
        """The score of a row at the training mean of every feature."""
        return float(sum(float(p.intercept_[0]) for p in self.parts))

    def logit(self, features: np.ndarray) -> np.ndarray:
        """The ranking score, as one mat-vec with folded scaling."""
        w = self.coefficients / self.scaler.scale_
        b = self.intercept - float(self.scaler.mean_ @ w)
        logit: np.ndarray = np.asarray(features, dtype=np.float32) @ w.astype(np.float32)
        return logit + np.float32(b)

    def calibrate(self, logit: np.ndarray) -> np.ndarray:
        """p_durable from the score through the fitted calibrator (monotone, non-decreasing)."""
        return calibrated(self.calibrator, logit)

    def score(self, features: np.ndarray) -> Scores:
        """Ranking score and calibrated p_durable."""
        logit = self.logit(features)
        return Scores(score=logit, p_durable=self.calibrate(logit))

    def contributions(self, features: np.ndarray) -> np.ndarray:
        """coef × standardised value per feature; they sum to score − intercept."""
        z = (np.asarray(features, dtype=np.float64) - self.scaler.mean_) / self.scaler.scale_
        contributions: np.ndarray = (z * self.coefficients).astype(np.float32)
        return contributions


def calibrated(calibrator: Calibrator, score: np.ndarray) -> np.ndarray:
    """A calibrator's probability for raw scores (interpolation for isotonic, Platt's sigmoid)."""
    if isinstance(calibrator, IsotonicRegression):
        x, y = calibrator.X_thresholds_, calibrator.y_thresholds_
        return np.asarray(np.interp(score, x, y), dtype=np.float64)
    a, b = float(calibrator.coef_[0, 0]), float(calibrator.intercept_[0])
    return sigmoid(a * np.asarray(score, dtype=np.float64) + b)


def fit_calibrator(score: np.ndarray, labels: np.ndarray) -> Calibrator:
    """Isotonic regression of labels on the score, or regularised Platt scaling (``PLATT_C``;
    a slope kept ≥ 0, so the map is monotone) on small slices."""
    if len(labels) >= ISOTONIC_MIN_ROWS and labels.sum() >= 50:
        iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0)
        iso.fit(score, labels)
        return iso
    platt = LogisticRegression(C=PLATT_C)
    platt.fit(np.asarray(score).reshape(-1, 1), labels)
    platt.coef_ = np.maximum(platt.coef_, 0.0)
    return platt


def with_background(
    features: np.ndarray, labels: np.ndarray, background: np.ndarray, strength: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Append background rows twice (label 1 and 0), weighted by the prior's probability.

    The prior's score is Platt-scaled on the labelled rows first, so the pseudo-labels keep
    the prior's ranking but the level of the real outcomes.
    """
    weight = np.ones(len(labels))
    if len(background) == 0 or strength <= 0:
        return features, labels, weight
    prior = PriorScorer()
    platt = LogisticRegression(C=1e6).fit(prior.score(features).score.reshape(-1, 1), labels)
    p = platt.predict_proba(prior.score(background).score.reshape(-1, 1))[:, 1]
    w = strength * len(labels) / len(background)
    return (
        np.concatenate([features, background, background]),
        np.concatenate([labels, np.ones(len(p)), np.zeros(len(p))]).astype(np.int8),
        np.concatenate([weight, w * p, w * (1 - p)]),
    )


def _part(
    scaler: StandardScaler,
    features: np.ndarray,
    labels: np.ndarray,
    background: np.ndarray,
    *,
    strength: float,
    c: float,
) -> SignedLogisticRegression:
    """One signed logistic part on the standardised rows and background."""
    x, y, weight = with_background(features, labels, background, strength)
    signs = [SIGNS[name] for name in FEATURE_NAMES]
    return SignedLogisticRegression(C=c, signs=signs).fit(
        scaler.transform(x), y, sample_weight=weight
    )


def fit_durable_model(
    features: np.ndarray,
    labels: np.ndarray,
    *,
    calibration: tuple[np.ndarray, np.ndarray],
    placed: np.ndarray | None = None,
    calibration_placed: np.ndarray | None = None,
    background: np.ndarray | None = None,
    prior_strength: float = PRIOR_STRENGTH,
) -> DurablePlacementModel:
    """Fit the parts on ``features``/``labels`` and the calibrator on the later slice.

    ``labels``: 1 when the proposal led to a placement lasting 6 months + 1 day. ``placed``
    marks the proposals that led to a placement (hired); None means every row is a placement
    (no hire part). Selection bias: ``background`` rows (random candidates not proposed, for
    the same vacancies) enter each part with soft labels from the prior, weighing
    ``prior_strength`` times that part's labelled rows: pseudo-observations that stand for the
    prior (a Bayesian prior by data augmentation). Where outcomes say something, the data win;
    where they cannot, the model stays near the prior. The calibrator sees only real outcomes
    of placements.
    """
    placed = np.ones(len(labels), bool) if placed is None else np.asarray(placed, bool)
    cal_x, cal_y = calibration
    cal_placed = np.ones(len(cal_y), bool) if calibration_placed is None else calibration_placed
    for name, y in (("training", labels[placed]), ("calibration", cal_y[cal_placed])):
        if len(np.unique(y)) < 2:
            raise InvalidInput(f"the {name} placements hold only one outcome: too little history")
    bg = np.empty((0, features.shape[1])) if background is None else background
    scaler = StandardScaler().fit(np.concatenate([features, bg]))
    parts = [
        _part(scaler, features[placed], labels[placed], bg, strength=prior_strength, c=DURABLE_C)
    ]
    if not placed.all():
        hired = placed.astype(np.int8)
        parts.append(_part(scaler, features, hired, bg, strength=prior_strength, c=HIRE_C))
    model = DurablePlacementModel(scaler, tuple(parts), IsotonicRegression())
    calibrator = fit_calibrator(model.logit(cal_x[cal_placed]), cal_y[cal_placed])
    return DurablePlacementModel(scaler, tuple(parts), calibrator)


def recalibrated(
    model: DurablePlacementModel, slices: tuple[TrainingSlice, ...]
) -> DurablePlacementModel:
    """The model with its calibrator refitted on the placements of the given (later) slices.

    Used once the hold-out has served the comparison with the prior: the calibrator then
    learns from the calibration and hold-out placements together (about twice as many rows;
    on the quality bench the error against the truth fell from 0.124 to 0.110 on the mean
    and from 0.224 to 0.158 in the worst world). The ranking does not change.
    """
    x = np.concatenate([f[p] for f, _, p in slices])
    y = np.concatenate([labels[p] for _, labels, p in slices])
    if len(np.unique(y)) < 2:
        return model
    return dataclasses.replace(model, calibrator=fit_calibrator(model.logit(x), y))
