"""The learned durable-placement model: a stock scikit-learn pipeline plus a stock calibrator.

``make_pipeline(StandardScaler(), LogisticRegression())`` over the feature columns gives the
ranking score (the logit) and exact additive contributions: coefficient × standardised value,
which sum with the intercept to the logit (the baseline is the training mean of every
feature). ``p_durable`` maps the logit through a calibrator fitted on a *later* slice of the
training period: isotonic regression when that slice has enough rows, else Platt scaling (a
one-feature logistic regression); both are monotone, so they never change the ranking.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from features.pairwise import FEATURE_NAMES
from matching.errors import InvalidInput
from matching.scoring.base import Scores, sigmoid
from matching.scoring.prior import PriorScorer

ISOTONIC_MIN_ROWS = 1000
"""Below this many calibration rows (or 50 positives) Platt scaling replaces isotonic."""
REGULARISATION_C = 1.0
PRIOR_STRENGTH = 5.0
"""Total weight of the background rows relative to the labelled rows (see fit_durable_model).

Chosen on development data only: trained on Holland Rijnland seeds 1 and 3, NDCG@10 against
the generator's truth on Holland Rijnland seed 2 and Zuid-Holland Centraal seed 7. Strength 5
had the best mean (0.670; 3: 0.655, 10: 0.664, 20: 0.649; prior 0.624) and the best worst case
over the four pairs; see docs/benchmarks.md."""


@dataclass(frozen=True)
class DurablePlacementModel:
    """A fitted pipeline and calibrator; scores N × F feature rows in one mat-vec.

    Shapes: features N × F (columns ``feature_names``); ``score`` and ``p_durable`` length N,
    ``p_durable`` in [0, 1]; ``contributions`` N × F.
    """

    pipeline: Pipeline
    calibrator: IsotonicRegression | LogisticRegression
    version: str = "unsaved"
    feature_names: tuple[str, ...] = FEATURE_NAMES
    kind: str = "learned"

    def _linear(self) -> tuple[np.ndarray, np.ndarray, float]:
        scaler: StandardScaler = self.pipeline[0]
        logistic: LogisticRegression = self.pipeline[-1]
        return scaler.mean_, scaler.scale_, float(logistic.intercept_[0])

    @property
    def coefficients(self) -> np.ndarray:
        """Logistic coefficients per standardised feature (length F)."""
        return np.asarray(self.pipeline[-1].coef_[0], dtype=np.float64)

    def logit(self, features: np.ndarray) -> np.ndarray:
        """The ranking score: the model's logit, as one mat-vec with folded scaling."""
        mean, scale, intercept = self._linear()
        w = self.coefficients / scale
        b = intercept - float(mean @ w)
        logit: np.ndarray = np.asarray(features, dtype=np.float32) @ w.astype(np.float32)
        return logit + np.float32(b)

    def calibrate(self, logit: np.ndarray) -> np.ndarray:
        """p_durable from the logit through the fitted calibrator."""
        if isinstance(self.calibrator, IsotonicRegression):
            x, y = self.calibrator.X_thresholds_, self.calibrator.y_thresholds_
            return np.asarray(np.interp(logit, x, y), dtype=np.float64)
        a, b = float(self.calibrator.coef_[0, 0]), float(self.calibrator.intercept_[0])
        return sigmoid(a * np.asarray(logit, dtype=np.float64) + b)

    def score(self, features: np.ndarray) -> Scores:
        """Ranking score (logit) and calibrated p_durable."""
        logit = self.logit(features)
        return Scores(score=logit, p_durable=self.calibrate(logit))

    def contributions(self, features: np.ndarray) -> np.ndarray:
        """coef × standardised value per feature; they sum to logit − intercept."""
        mean, scale, _ = self._linear()
        z = (np.asarray(features, dtype=np.float64) - mean) / scale
        contributions: np.ndarray = (z * self.coefficients).astype(np.float32)
        return contributions


def fit_calibrator(
    logit: np.ndarray, labels: np.ndarray
) -> IsotonicRegression | LogisticRegression:
    """Isotonic regression of labels on the logit, or Platt scaling on small slices."""
    if len(labels) >= ISOTONIC_MIN_ROWS and labels.sum() >= 50:
        iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0)
        return iso.fit(logit, labels)
    return LogisticRegression(C=1e6).fit(np.asarray(logit).reshape(-1, 1), labels)


def _with_background(
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


def fit_durable_model(
    features: np.ndarray,
    labels: np.ndarray,
    *,
    calibration: tuple[np.ndarray, np.ndarray],
    background: np.ndarray | None = None,
    prior_strength: float = PRIOR_STRENGTH,
) -> DurablePlacementModel:
    """Fit the pipeline on ``features``/``labels``, the calibrator on the later slice.

    Selection bias: outcomes exist only for candidates someone proposed, a narrow slice of the
    pool. ``background`` rows (random candidates who were not proposed, for the same
    vacancies) enter with soft labels from the prior's p_durable, weighing ``prior_strength``
    times the labelled rows in total: pseudo-observations that stand for the prior (a
    Bayesian prior by data augmentation). Where proposals say something, the data win; where
    they cannot (people unlike anyone ever proposed), the model stays near the prior. The
    calibrator sees only real outcomes.
    """
    for name, y in (("training", labels), ("calibration", calibration[1])):
        if len(np.unique(y)) < 2:
            raise InvalidInput(f"the {name} rows hold only one outcome: too little history")
    pipeline = make_pipeline(
        StandardScaler(), LogisticRegression(C=REGULARISATION_C, max_iter=1000)
    )
    x, y, weight = _with_background(
        features,
        labels,
        np.empty((0, features.shape[1])) if background is None else background,
        prior_strength,
    )
    pipeline.fit(x, y, logisticregression__sample_weight=weight)
    model = DurablePlacementModel(pipeline=pipeline, calibrator=IsotonicRegression())
    calibrator = fit_calibrator(model.logit(calibration[0]), calibration[1])
    return DurablePlacementModel(pipeline=pipeline, calibrator=calibrator)
