"""The scorer interface: features in, a ranking score, ``p_durable`` and contributions out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np


@dataclass(frozen=True)
class Scores:
    """Scores of N candidate–vacancy pairs.

    ``score`` orders candidates (higher is better; a logit for both the prior and the learned
    model); ``p_durable`` is the chance that a placement of the candidate in the vacancy lasts
    at least 6 months + 1 day.
    """

    score: np.ndarray
    p_durable: np.ndarray


@runtime_checkable
class Scorer(Protocol):
    """Anything that scores feature rows (columns in ``feature_names`` order)."""

    @property
    def kind(self) -> str:
        """``"prior"`` or ``"learned"``."""
        ...

    @property
    def version(self) -> str:
        """Version id of the scorer (``"prior-<n>"`` for the prior)."""
        ...

    @property
    def feature_names(self) -> tuple[str, ...]:
        """The feature columns the scorer expects."""
        ...

    def score(self, features: np.ndarray) -> Scores:
        """Scores of the N × F feature rows."""
        ...

    def contributions(self, features: np.ndarray) -> np.ndarray:
        """N × F additive contributions to ``score`` (see each scorer for their baseline)."""
        ...


def sigmoid(x: np.ndarray) -> np.ndarray:
    """The logistic function, computed without overflow warnings."""
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * np.asarray(x))), dtype=np.float64)
