"""The transparent prior: documented weights over the features, used without enough history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from features.pairwise import FEATURE_NAMES
from matching.scoring.base import Scores, sigmoid

PRIOR_VERSION = "prior-1"
PRIOR_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "required_coverage": 3.0,  # the vacancy's own must-haves weigh most
        "optional_coverage": 0.5,
        "same_occupation": 1.0,  # done this very work before
        "same_isco4": 0.5,  # or closely related work
        "same_isco3": 0.25,
        "essential_share": 1.0,  # core skills of the occupation, via own work history
        "sector_match": 0.5,  # own sector preference: motivation
        "distance_km": 0.0,  # enters through within_travel and mobility (both in [0, 1])
        "within_travel": 0.5,
        "mobility": 1.0,
        "hours_fit": 1.0,
        "hours_floor": 0.5,  # 16 h/week: the floor of positive outflow
        "readiness": 1.0,  # participation ladder
        "education_met": 0.5,
        "language_met": 1.0,  # neutral (1) unless the vacancy requires a language
        "licence_met": 1.0,  # neutral (1) unless the vacancy requires a licence
        "available_by_start": 0.5,
        "required_experience": 1.5,  # likely present from work history: half a recorded skill
        "required_related": 0.5,
        "same_family": 0.5,  # a related ESCO occupation
        # the shape terms are unbounded (km, hours): the learned model weighs them
        "beyond_travel_km": 0.0,
        "distance_over_5km": 0.0,
        "distance_over_15km": 0.0,
        "distance_no_licence": 0.0,
        "hours_short": 0.0,
        "hours_excess": 0.0,
    }
)
"""Weights of the prior; every weighted feature lies in [0, 1], so the score does too."""
PRIOR_INTERCEPT, PRIOR_SLOPE = -3.0, 4.0
"""p_durable = sigmoid(-3 + 4 · score): 5 % for no fit, 27 % at 0.5, 73 % for a perfect fit.
An uncalibrated, deliberately modest guess until there is history to learn from."""


@dataclass(frozen=True)
class PriorScorer:
    """Score = weighted mean of the features with ``PRIOR_WEIGHTS`` (in [0, 1]).

    >>> import numpy as np
    >>> from features.pairwise import FEATURE_NAMES
    >>> prior = PriorScorer()
    >>> perfect = np.array([[1.0 for n in FEATURE_NAMES]])
    >>> float(prior.score(perfect).score[0])
    1.0
    """

    weights: Mapping[str, float] = field(default_factory=lambda: PRIOR_WEIGHTS)
    kind: str = "prior"
    version: str = PRIOR_VERSION
    feature_names: tuple[str, ...] = FEATURE_NAMES

    @property
    def normalised_weights(self) -> np.ndarray:
        """The weights in feature order, summing to 1 (float32)."""
        w = np.array([self.weights.get(n, 0.0) for n in self.feature_names], dtype=np.float64)
        weights: np.ndarray = (w / w.sum()).astype(np.float32)
        return weights

    def score(self, features: np.ndarray) -> Scores:
        """Weighted mean score and the documented p_durable map."""
        score = np.asarray(features, dtype=np.float32) @ self.normalised_weights
        return Scores(score=score, p_durable=sigmoid(PRIOR_INTERCEPT + PRIOR_SLOPE * score))

    def contributions(self, features: np.ndarray) -> np.ndarray:
        """Each feature's share of the score: weight × value (they sum to the score)."""
        shares: np.ndarray = np.asarray(features, dtype=np.float32) * self.normalised_weights
        return shares
