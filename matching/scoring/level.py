"""The level of the prior's probability for one organisation, from its placements.

The prior ranks (``matching.scoring.prior``); what an organisation's history adds is how long
its placements last on the whole: the offset that makes the prior's probability match the
durability of its placements (``placement_offset``). Those placements overstate what a new
placement will do — the employer chose them for what the file does not say — so the offset
shown is a line through the placements' offset (``level_offset``), fitted where the truth is
known (``evaluation.prior_fit``): shrunk towards the family's level and lowered.
"""

from __future__ import annotations

import numpy as np

from matching.scoring.base import sigmoid

NEWTON_STEPS = 60
MAX_OFFSET = 6.0
"""Offsets are bounded: a history of only failures or only successes has no finite one."""


def placement_offset(scores: np.ndarray, labels: np.ndarray) -> float:
    """The offset ``b`` with mean(sigmoid(score + b)) = mean(labels) (0 without rows).

    >>> round(placement_offset(np.zeros(4), np.array([1, 1, 1, 0])), 4)  # log(3)
    1.0986
    """
    scores = np.asarray(scores, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.float64)
    if len(labels) == 0:
        return 0.0
    offset = 0.0
    for _ in range(NEWTON_STEPS):
        p = sigmoid(scores + offset)
        step = float((p - labels).sum()) / max(float((p * (1 - p)).sum()), 1e-9)
        offset = float(np.clip(offset - step, -MAX_OFFSET, MAX_OFFSET))
        if abs(step) < 1e-9:
            break
    return offset


def level_offset(seen: float, slope: float, offset: float) -> float:
    """The offset applied to the prior's score: ``offset + slope · seen``."""
    return float(offset + slope * seen)
