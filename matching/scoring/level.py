"""The level of the prior's probability for one organisation, from its placements.

The prior ranks (``matching.scoring.prior``); what an organisation's history adds is how long
its placements last on the whole. The number shown is ``sigmoid(scale · score + shift)``:

- ``scale`` (below 1) flattens the prior's logit: within a shortlist's top 10 the truth rises
  less steeply with the score than across all candidates (those at the top were picked for
  their high score, errors included).
- ``shift`` comes from the organisation's placements: the offset that makes the scaled
  probability match their durability (``placement_offset``), measured where the shortlists'
  scores lie by weighing each placement by how common its score is among the family's
  top-10 scores (``reference_weights``, shrunk to the unweighted offset when few placements
  carry the weight), then put through a line (``slope``, ``offset``): placements overstate
  what a new placement will do, because the employer chose them for what the file does not
  say.

Every parameter is fitted where the truth is known (``evaluation.prior_fit``, ``werkmatch
bench prior``); ``scale > 0`` keeps the probability monotone in the score, so the ranking
never changes with the level.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from matching.scoring.base import sigmoid

NEWTON_STEPS = 60
MAX_OFFSET = 6.0
"""Offsets are bounded: a history of only failures or only successes has no finite one."""
MAX_WEIGHT = 10.0
"""A placement counts at most ten times the mean: one placement at the top cannot set the level."""


def placement_offset(
    scores: np.ndarray,
    labels: np.ndarray,
    *,
    scale: float = 1.0,
    weights: np.ndarray | None = None,
) -> float:
    """The offset ``b`` with weighted mean(sigmoid(scale · score + b)) = weighted mean(labels).

    0 without rows; bounded by ±``MAX_OFFSET``.

    >>> round(placement_offset(np.zeros(4), np.array([1, 1, 1, 0])), 4)  # log(3)
    1.0986
    >>> weights = np.array([1, 1, 2, 4])  # weighted mean of the labels 4 / 8: offset 0
    >>> abs(placement_offset(np.zeros(4), np.array([1, 1, 1, 0]), weights=weights)) < 1e-9
    True
    """
    s = np.asarray(scores, dtype=np.float64) * scale
    y = np.asarray(labels, dtype=np.float64)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)
    if len(y) == 0 or w.sum() <= 0:
        return 0.0
    offset = 0.0
    for _ in range(NEWTON_STEPS):
        p = sigmoid(s + offset)
        step = float((w * (p - y)).sum()) / max(float((w * p * (1 - p)).sum()), 1e-9)
        offset = float(np.clip(offset - step, -MAX_OFFSET, MAX_OFFSET))
        if abs(step) < 1e-9:
            break
    return offset


def reference_weights(
    scores: np.ndarray, reference: Sequence[float], *, bandwidth: float
) -> np.ndarray:
    """Per score: density of ``reference`` / density of ``scores`` (Gaussian kernels), mean 1.

    Weighs placements to look like the reference scores (the family's top-10 pairs); capped at
    ``MAX_WEIGHT`` times the mean. All ones without a reference.

    >>> w = reference_weights(np.array([-2.0, 0.0]), [0.0], bandwidth=0.5)
    >>> bool(w[1] > w[0]), round(float(w.mean()), 6)
    (True, 1.0)
    """
    s = np.asarray(scores, dtype=np.float64)
    ref = np.asarray(reference, dtype=np.float64)
    if len(s) == 0 or len(ref) == 0:
        return np.ones(len(s))

    def density(points: np.ndarray) -> np.ndarray:
        z = (s[:, None] - points[None, :]) / bandwidth
        return np.asarray(np.exp(-0.5 * z**2).mean(axis=1))

    ratio = density(ref) / np.maximum(density(s), 1e-12)
    if ratio.sum() <= 0:
        return np.ones(len(s))
    capped = np.minimum(ratio / ratio.mean(), MAX_WEIGHT)
    return np.asarray(capped / capped.mean())


@dataclass(frozen=True)
class Level:
    """How placements become the shown level: ``shift = offset + slope · seen`` (see module).

    ``seen`` is the placements' offset at ``scale``, weighted towards ``reference`` and shrunk
    to the unweighted one by the weights' effective count n as n / (n + ``shrink``); then, for
    N placements, shrunk to the family's ``centre`` as N / (N + ``prior_count``): with few
    placements the level leans on the family's.

    >>> level = Level(scale=1.0, slope=0.5, offset=-0.5)
    >>> round(level.shift(np.zeros(4), np.array([1, 1, 1, 0])), 4)  # -0.5 + 0.5 · log 3
    0.0493
    """

    scale: float = 1.0
    slope: float = 1.0
    offset: float = 0.0
    reference: tuple[float, ...] = ()
    bandwidth: float = 0.35
    shrink: float = 20.0
    centre: float = 0.0
    prior_count: float = 0.0

    def __post_init__(self) -> None:
        if not self.scale > 0:
            raise ValueError(f"scale must be positive (monotone in the score), not {self.scale}")

    @classmethod
    def from_dict(cls, fitted: Mapping[str, Any]) -> Level:
        """A level from ``prior_weights.json``'s ``level`` (missing keys: the defaults)."""
        return cls(
            scale=float(fitted.get("scale", 1.0)),
            slope=float(fitted["slope"]),
            offset=float(fitted["offset"]),
            reference=tuple(float(x) for x in fitted.get("reference", ())),
            bandwidth=float(fitted.get("bandwidth", 0.35)),
            shrink=float(fitted.get("shrink", 20.0)),
            centre=float(fitted.get("centre", 0.0)),
            prior_count=float(fitted.get("prior_count", 0.0)),
        )

    def seen(self, scores: np.ndarray, labels: np.ndarray) -> float:
        """The placements' offset where the shortlists' scores lie (see class)."""
        plain = placement_offset(scores, labels, scale=self.scale)
        seen = plain
        if self.reference and len(labels):
            w = reference_weights(scores, self.reference, bandwidth=self.bandwidth)
            weighted = placement_offset(scores, labels, scale=self.scale, weights=w)
            n = float(w.sum() ** 2 / (w**2).sum())
            seen = plain + n / (n + self.shrink) * (weighted - plain)
        count = float(len(labels))
        if count + self.prior_count == 0:
            return self.centre
        return self.centre + count / (count + self.prior_count) * (seen - self.centre)

    def shift(self, scores: np.ndarray, labels: np.ndarray) -> float:
        """The offset shown for an organisation with these placements' scores and outcomes."""
        return float(self.offset + self.slope * self.seen(scores, labels))
