"""The prior: weights fitted on the quality bench's development worlds; what ranks.

Its weights, intercept and level line are read from ``prior_weights.json``, written by
``werkmatch bench prior`` (``evaluation.prior_fit``): a signed least-squares fit of the
logit of P(durable | placed) on the 28 features over sixteen generated worlds whose mechanisms
differ, each measured on weights fitted on the other fifteen (docs/benchmarks.md). Linear in the
features: the score is a logit, one mat-vec, and the contributions (weight × value) add up
with the intercept to the score shown.

Without history ``p_durable`` is the family's level, sigmoid(score). ``werkmatch train`` sets
an organisation's level from its placements (``scale`` and ``offset``; ``matching.scoring.level``);
the ranking never changes with it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import numpy as np

from features.pairwise import FEATURE_NAMES
from matching.scoring.base import Scores, sigmoid
from matching.scoring.level import Level

PRIOR_FILE = Path(__file__).with_name("prior_weights.json")
_FITTED = json.loads(PRIOR_FILE.read_text(encoding="utf-8"))
PRIOR_VERSION = "prior-4"  # prior-4: 28 features (2026-12-03); a saved level keeps its own
PRIOR_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {name: float(_FITTED["weights"].get(name, 0.0)) for name in FEATURE_NAMES}
)
"""Weight per feature on the logit scale (per unit of the feature)."""
PRIOR_INTERCEPT: float = float(_FITTED["intercept"])
LEVEL: Level = Level.from_dict(_FITTED["level"])
"""How an organisation's placements set the level shown (``matching.scoring.level``)."""


@dataclass(frozen=True)
class PriorScorer:
    """score = intercept + weights · features (a logit);
    p_durable = sigmoid(scale · score + offset), monotone in the score (scale > 0).

    >>> import numpy as np
    >>> from features.pairwise import FEATURE_NAMES
    >>> prior = PriorScorer()
    >>> x = np.zeros((1, len(FEATURE_NAMES)), dtype=np.float32)
    >>> round(float(prior.score(x).score[0]), 3) == round(PRIOR_INTERCEPT, 3)
    True
    """

    weights: Mapping[str, float] = field(default_factory=lambda: dict(PRIOR_WEIGHTS))
    intercept: float = PRIOR_INTERCEPT
    offset: float = 0.0
    scale: float = 1.0
    kind: str = "prior"
    version: str = PRIOR_VERSION
    feature_names: tuple[str, ...] = FEATURE_NAMES

    @property
    def weight_vector(self) -> np.ndarray:
        """The weights in feature order (float32)."""
        w = [self.weights.get(n, 0.0) for n in self.feature_names]
        return np.asarray(w, dtype=np.float32)

    def score(self, features: np.ndarray) -> Scores:
        """The logit score and p_durable at this scorer's level."""
        score = np.asarray(features, dtype=np.float32) @ self.weight_vector
        score = score + np.float32(self.intercept)
        return Scores(score=score, p_durable=sigmoid(self.scale * score + self.offset))

    def contributions(self, features: np.ndarray) -> np.ndarray:
        """weight × value per feature; they sum with the intercept to the score."""
        shares: np.ndarray = np.asarray(features, dtype=np.float32) * self.weight_vector
        return shares
