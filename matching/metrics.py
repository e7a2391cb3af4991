"""Ranking, calibration, exposure and selection metrics as pure, vectorised functions.

Ranking metrics take a score matrix ``scores`` of shape ``(n_queries, n_items)`` (one row per
vacancy, one column per candidate) and a relevance or gain matrix of the same shape.

Candidate sets: an item is *outside* a query's candidate set when its relevance (or gain) is
NaN; it is then ignored entirely, whatever its score. Scores of items inside the candidate set
must not be NaN; ``-inf`` is allowed (rank last) so a caller can count a hire that the shortlist
filtered out as a miss instead of dropping the query.

Ties: pessimistic. Items are ordered by score, descending; among equal scores the *less*
relevant item comes first, then the lower column index. A model gains nothing from ties.

Queries without any relevant item (all relevance 0, or an ideal DCG of 0) carry no information
about the ranking and are skipped; if no query is left, :class:`InvalidInput` is raised.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from matching.errors import InvalidInput

FloatArray = npt.NDArray[np.float64]
ArrayLike = npt.ArrayLike
Labels = npt.ArrayLike | Sequence[object]  # group labels; None/NaN allowed


def _matrices(scores: ArrayLike, relevance: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Validate a score and relevance matrix; return them as 2-D float arrays."""
    s = np.atleast_2d(np.asarray(scores, dtype=np.float64))
    r = np.atleast_2d(np.asarray(relevance, dtype=np.float64))
    if s.ndim != 2 or s.shape != r.shape:
        raise InvalidInput(f"scores {s.shape} and relevance {r.shape} must be equal 2-D shapes")
    inside = ~np.isnan(r)
    if np.isnan(s[inside]).any():
        raise InvalidInput("scores must not be NaN inside a query's candidate set")
    if (r[inside] < 0).any():
        raise InvalidInput("relevance and gains must be non-negative")
    return s, r


def _ranked(scores: FloatArray, relevance: FloatArray) -> FloatArray:
    """Relevance in ranked order per row (pessimistic ties); items outside the set get 0, last."""
    outside = np.isnan(relevance)
    rel = np.where(outside, 0.0, relevance)
    neg = np.where(outside, np.inf, -scores)
    index = np.broadcast_to(np.arange(scores.shape[1]), scores.shape)
    order = np.lexsort((index, rel, neg, outside), axis=-1)
    ranked: FloatArray = np.take_along_axis(rel, order, axis=-1)
    return ranked


def _first_relevant_rank(scores: ArrayLike, relevance: ArrayLike) -> FloatArray:
    """1-based rank of the first relevant item per query that has one."""
    ranked = _ranked(*_matrices(scores, relevance)) > 0
    has = ranked.any(axis=1)
    if not has.any():
        raise InvalidInput("no query has a relevant item in its candidate set")
    rank: FloatArray = np.argmax(ranked[has], axis=1).astype(np.float64) + 1.0
    return rank


def hit_at_k(scores: ArrayLike, relevance: ArrayLike, *, k: int) -> float:
    """Share of queries with a relevant item among the top ``k`` (pessimistic ties).

    Parameters: ``scores`` (n_queries, n_items) floats; ``relevance`` same shape, > 0 relevant,
    0 not relevant, NaN outside the candidate set; ``k`` >= 1. Range: [0, 1].

    >>> hit_at_k([[0.9, 0.5, 0.1], [0.2, 0.8, 0.4]], [[0, 1, 0], [1, 0, 0]], k=2)
    0.5
    """
    if k < 1:
        raise InvalidInput("k must be at least 1")
    return float(np.mean(_first_relevant_rank(scores, relevance) <= k))


def mrr(scores: ArrayLike, relevance: ArrayLike) -> float:
    """Mean reciprocal rank of the first relevant item (pessimistic ties).

    Parameters: ``scores`` (n_queries, n_items); ``relevance`` same shape (see module doc).
    Range: (0, 1]; 1 when every query has a relevant item on top.

    >>> round(mrr([[0.9, 0.5, 0.1], [0.2, 0.8, 0.4]], [[0, 1, 0], [1, 0, 0]]), 4)  # (1/2 + 1/3)/2
    0.4167
    """
    return float(np.mean(1.0 / _first_relevant_rank(scores, relevance)))


def _dcg(gains: FloatArray, k: int) -> FloatArray:
    """Discounted cumulative gain of the first ``k`` columns (already in rank order)."""
    top = gains[:, :k]
    dcg: FloatArray = (top / np.log2(np.arange(2, top.shape[1] + 2))).sum(axis=1)
    return dcg


def ndcg_at_k(scores: ArrayLike, gains: ArrayLike, *, k: int = 10) -> float:
    """Normalised discounted cumulative gain at ``k``, linear gains, pessimistic ties.

    DCG@k = sum over ranks i = 1..k of gain_i / log2(i + 1); NDCG@k = DCG@k / ideal DCG@k, the
    ideal ordering taken over the query's candidate set. Parameters: ``scores`` (n_queries,
    n_items); ``gains`` same shape, non-negative, NaN outside the candidate set; ``k`` >= 1.
    Range: [0, 1]. Queries with an ideal DCG of 0 are skipped.

    >>> # ranked gains [0, 1, 0.5]: DCG = 1/log2(3) + 0.5/2 = 0.88093; ideal [1, 0.5, 0]:
    >>> # IDCG = 1 + 0.5/log2(3) = 1.31546; NDCG = 0.88093 / 1.31546 = 0.6697
    >>> round(ndcg_at_k([[0.9, 0.5, 0.1]], [[0, 1, 0.5]], k=3), 4)
    0.6697
    """
    if k < 1:
        raise InvalidInput("k must be at least 1")
    s, g = _matrices(scores, gains)
    ideal = _dcg(-np.sort(-np.nan_to_num(g, nan=0.0), axis=1), k)
    keep = ideal > 0
    if not keep.any():
        raise InvalidInput("no query has a positive gain in its candidate set")
    return float(np.mean(_dcg(_ranked(s, g), k)[keep] / ideal[keep]))


def _probabilities(p: ArrayLike, y: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Validate predicted probabilities and 0/1 outcomes of equal length."""
    pa = np.asarray(p, dtype=np.float64).ravel()
    ya = np.asarray(y, dtype=np.float64).ravel()
    if pa.shape != ya.shape or pa.size == 0:
        raise InvalidInput("p and y must be non-empty and of equal length")
    if np.isnan(pa).any() or (pa < 0).any() or (pa > 1).any():
        raise InvalidInput("p must be probabilities in [0, 1]")
    if not np.isin(ya, (0.0, 1.0)).all():
        raise InvalidInput("y must be 0 or 1")
    return pa, ya


def brier(p: ArrayLike, y: ArrayLike) -> float:
    """Brier score: mean squared difference between probability and 0/1 outcome.

    Parameters: ``p`` (n,) probabilities in [0, 1]; ``y`` (n,) outcomes 0/1. Range: [0, 1],
    lower is better.

    >>> round(brier([0.8, 0.3], [1, 0]), 4)  # ((0.2)² + (0.3)²) / 2 = (0.04 + 0.09) / 2
    0.065
    """
    pa, ya = _probabilities(p, y)
    return float(np.mean((pa - ya) ** 2))


@dataclass(frozen=True)
class ReliabilityCurve:
    """Per-bin counts, mean predicted probability and observed rate (NaN for empty bins)."""

    lower: FloatArray
    upper: FloatArray
    count: npt.NDArray[np.int64]
    mean_predicted: FloatArray
    observed_rate: FloatArray


def reliability_curve(p: ArrayLike, y: ArrayLike, *, bins: int = 10) -> ReliabilityCurve:
    """Reliability (calibration) curve over ``bins`` equal-width bins on [0, 1].

    Bin b holds b/bins <= p < (b+1)/bins; p = 1 falls in the last bin. Parameters: ``p`` (n,)
    probabilities; ``y`` (n,) outcomes 0/1; ``bins`` >= 1. All arrays returned have shape
    (bins,); means are NaN for empty bins, otherwise in [0, 1].

    >>> curve = reliability_curve([0.1, 0.2, 0.9], [0, 1, 1], bins=2)
    >>> curve.count.tolist(), curve.mean_predicted.round(2).tolist(), curve.observed_rate.tolist()
    ([2, 1], [0.15, 0.9], [0.5, 1.0])
    """
    if bins < 1:
        raise InvalidInput("bins must be at least 1")
    pa, ya = _probabilities(p, y)
    which = np.minimum((pa * bins).astype(np.int64), bins - 1)
    count = np.bincount(which, minlength=bins).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_p = np.bincount(which, weights=pa, minlength=bins) / count
        rate = np.bincount(which, weights=ya, minlength=bins) / count
    edges = np.linspace(0.0, 1.0, bins + 1)
    return ReliabilityCurve(edges[:-1], edges[1:], count, mean_p, rate)


def expected_calibration_error(p: ArrayLike, y: ArrayLike, *, bins: int = 10) -> float:
    """Expected calibration error: count-weighted mean |observed rate − mean probability| per bin.

    Bins as in :func:`reliability_curve`. Parameters: ``p`` (n,) probabilities; ``y`` (n,) 0/1;
    ``bins`` >= 1. Range: [0, 1], lower is better.

    >>> # bin [0, .5): p 0.1, 0.2 vs y 0, 1 → |0.5 − 0.15| = 0.35, weight 2/3;
    >>> # bin [.5, 1]: p 0.9 vs y 1 → 0.1, weight 1/3; ECE = 0.7/3 + 0.1/3 = 0.2667
    >>> round(expected_calibration_error([0.1, 0.2, 0.9], [0, 1, 1], bins=2), 4)
    0.2667
    """
    curve = reliability_curve(p, y, bins=bins)
    filled = curve.count > 0
    gaps = np.abs(curve.observed_rate[filled] - curve.mean_predicted[filled])
    return float(np.sum(gaps * curve.count[filled]) / curve.count.sum())


def calibration_noise(p: ArrayLike, *, bins: int = 10) -> float:
    """The ECE a perfectly calibrated ``p`` is expected to show on this many outcomes.

    Per bin the observed rate of n_b outcomes drawn with the bin's probabilities strays from
    their mean by about sqrt(2/π) · sd, sd = sqrt(mean p(1 − p) / n_b) (normal approximation);
    weighted by the bins' counts. An ECE near this value says nothing the sample can resolve.
    Range [0, 0.5]; 0 for no outcomes.

    >>> # one bin of 100 outcomes at p 0.5: sqrt(2/π) · 0.05 = 0.0399
    >>> round(calibration_noise(np.full(100, 0.5), bins=1), 4)
    0.0399
    """
    if np.size(p) == 0:
        return 0.0
    pa, _ = _probabilities(p, np.zeros(np.size(p)))
    which = np.minimum((pa * bins).astype(np.int64), bins - 1)
    count = np.bincount(which, minlength=bins)
    variance = np.bincount(which, weights=pa * (1 - pa), minlength=bins)
    filled = count > 0
    sd = np.sqrt(variance[filled]) / count[filled]
    return float(np.sqrt(2 / np.pi) * (sd * count[filled]).sum() / count.sum())


def calibration_error_to_truth(p: ArrayLike, truth: ArrayLike, *, bins: int = 10) -> float:
    """Expected calibration error against known true probabilities (a generated world).

    Bins on ``p`` as in :func:`reliability_curve`; per bin |mean truth − mean p|, weighted by
    the bin's count. Parameters: ``p`` (n,) shown probabilities; ``truth`` (n,) true
    probabilities, both in [0, 1]; ``bins`` >= 1. Range: [0, 1], lower is better; 0 when
    every bin's mean equals its mean truth.

    >>> # bin [0, .5): p 0.1, 0.3 vs truth 0.2, 0.4 → |0.3 − 0.2| = 0.1, weight 2/3;
    >>> # bin [.5, 1]: p 0.9 vs truth 0.6 → 0.3, weight 1/3; ECE = 0.2/3 + 0.3/3 = 0.1667
    >>> round(calibration_error_to_truth([0.1, 0.3, 0.9], [0.2, 0.4, 0.6], bins=2), 4)
    0.1667
    """
    if bins < 1:
        raise InvalidInput("bins must be at least 1")
    pa, _ = _probabilities(p, np.zeros(np.size(p)))
    ta = np.asarray(truth, dtype=np.float64).ravel()
    if ta.shape != pa.shape or np.isnan(ta).any() or (ta < 0).any() or (ta > 1).any():
        raise InvalidInput("truth must be probabilities in [0, 1], as many as p")
    which = np.minimum((pa * bins).astype(np.int64), bins - 1)
    count = np.bincount(which, minlength=bins)
    gap = np.bincount(which, weights=ta - pa, minlength=bins)
    return float(np.abs(gap).sum() / count.sum())


def selection_rates(selected: ArrayLike, group: Labels) -> pd.DataFrame:
    """Selection rate per group: columns ``n``, ``selected``, ``rate``, indexed by group (sorted).

    Parameters: ``selected`` (n,) booleans; ``group`` (n,) labels (missing labels form their own
    group). ``rate`` is in [0, 1].

    >>> selection_rates([True, False, True, True], ["a", "a", "b", "b"])["rate"].tolist()
    [0.5, 1.0]
    """
    s = np.asarray(selected, dtype=bool).ravel()
    g = pd.Series(np.asarray(group, dtype=object).ravel(), name="group")
    if s.shape[0] != len(g) or s.size == 0:
        raise InvalidInput("selected and group must be non-empty and of equal length")
    table = pd.Series(s, name="selected").groupby(g, dropna=False).agg(["size", "sum"])
    table = table.rename(columns={"size": "n", "sum": "selected"}).sort_index()
    return table.assign(rate=table["selected"] / table["n"])


@dataclass(frozen=True)
class FourFifths:
    """The four-fifths (80 %) rule: lowest over highest group selection rate."""

    rates: pd.DataFrame
    ratio: float
    lowest: object
    highest: object
    flagged: bool


def four_fifths_ratio(
    selected: ArrayLike, group: Labels, *, min_count: int = 1, threshold: float = 0.8
) -> FourFifths:
    """Ratio of the lowest to the highest selection rate over groups; flagged when < threshold.

    Groups with fewer than ``min_count`` members are reported in ``rates`` but left out of the
    ratio. When no group has anyone selected every rate is equal (0) and the ratio is 1.
    Parameters: ``selected`` (n,) booleans; ``group`` (n,) labels. Range: [0, 1].

    >>> result = four_fifths_ratio([True, False, True, True], ["a", "a", "b", "b"])
    >>> result.ratio, result.lowest, result.highest, result.flagged  # 0.5 / 1.0
    (0.5, 'a', 'b', True)
    """
    rates = selection_rates(selected, group)
    counted = rates.loc[rates["n"] >= min_count, "rate"]
    if counted.empty:
        raise InvalidInput(f"no group has at least {min_count} members")
    top = float(counted.max())
    ratio = 1.0 if top == 0 else float(counted.min()) / top
    return FourFifths(rates, ratio, counted.idxmin(), counted.idxmax(), ratio < threshold)


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
