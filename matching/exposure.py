"""How unequally proposals are spread over candidates (exposure).

Here, not in ``evaluation``, because allocation reports it too and ``matching`` never imports
``evaluation``; ``evaluation.metrics`` re-exports it.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from matching.errors import InvalidInput


def gini(counts: ArrayLike) -> float:
    """Gini coefficient of non-negative exposure counts (how unequally proposals are spread).

    G = sum_i sum_j |x_i − x_j| / (2 n² mean(x)); 0 when all are equal (also when all are 0).
    Parameters: ``counts`` (n,) non-negative numbers, n >= 1. Range: [0, 1 − 1/n] ⊂ [0, 1).

    >>> gini([0, 0, 0, 4])  # pairs differing by 4: 6 ordered pairs → 24 / (2·16·1) = 0.75
    0.75
    """
    x = np.sort(np.asarray(counts, dtype=np.float64).ravel())
    if x.size == 0 or np.isnan(x).any() or (x < 0).any():
        raise InvalidInput("counts must be a non-empty array of non-negative numbers")
    total = x.sum()
    if total == 0:
        return 0.0
    n = x.size
    rank = np.arange(1, n + 1)
    return float(np.sum((2 * rank - n - 1) * x) / (n * total))
