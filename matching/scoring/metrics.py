"""Temporal split and the hold-out metrics: Brier, calibration bins, AUC, NDCG@10 per vacancy."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.metrics import brier_score_loss, roc_auc_score

CALIBRATION_BINS = 10


def temporal_split(opened_on: np.ndarray, *, later_share: float = 0.2) -> np.ndarray:
    """True for rows of the vacancies opened latest (about ``later_share`` of the rows).

    Every row of a vacancy opened on or after the cut date is on the later side, so one vacancy
    never straddles the split.
    """
    if len(opened_on) == 0:
        return np.zeros(0, dtype=bool)
    cut = np.quantile(opened_on.astype("datetime64[D]").astype(np.int64), 1 - later_share)
    later: np.ndarray = opened_on.astype("datetime64[D]").astype(np.int64) >= cut
    return later


def ndcg_at_k(scores: np.ndarray, relevance: np.ndarray, *, k: int = 10) -> float:
    """NDCG@k of one ranking (ties broken by position; relevance ≥ 0; 0/0 → NaN).

    >>> round(ndcg_at_k(np.array([0.9, 0.5, 0.1]), np.array([0, 1, 0])), 4)
    0.6309
    """
    order = np.argsort(-np.asarray(scores), kind="stable")[:k]
    discount = 1.0 / np.log2(np.arange(2, k + 2))
    gains = np.asarray(relevance, dtype=np.float64)
    dcg = float((gains[order] * discount[: len(order)]).sum())
    ideal = np.sort(gains)[::-1][:k]
    idcg = float((ideal * discount[: len(ideal)]).sum())
    return dcg / idcg if idcg > 0 else float("nan")


def mean_ndcg(
    scores: np.ndarray, relevance: np.ndarray, groups: np.ndarray, *, k: int = 10
) -> tuple[float, int]:
    """Mean NDCG@k over groups (vacancies) with a positive and at least two rows; and count."""
    values = []
    for g in np.unique(groups):
        mask = groups == g
        if mask.sum() >= 2 and relevance[mask].max() > 0:
            values.append(ndcg_at_k(scores[mask], relevance[mask], k=k))
    return (float(np.mean(values)) if values else float("nan")), len(values)


def calibration_bins(
    p: np.ndarray, y: np.ndarray, *, bins: int = CALIBRATION_BINS
) -> list[list[float]]:
    """Equal-width bins of predicted p: [lower, upper, rows, mean predicted, observed rate]."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    out = []
    for b in range(bins):
        mask = which == b
        if mask.any():
            out.append(
                [
                    round(float(edges[b]), 2),
                    round(float(edges[b + 1]), 2),
                    int(mask.sum()),
                    round(float(p[mask].mean()), 4),
                    round(float(y[mask].mean()), 4),
                ]
            )
    return out


def evaluate(
    score: np.ndarray, p_durable: np.ndarray, labels: np.ndarray, groups: np.ndarray
) -> dict[str, Any]:
    """Brier, AUC, NDCG@10 per vacancy (mean) and calibration bins on one set of rows."""
    y = np.asarray(labels, dtype=np.int64)
    both = len(np.unique(y)) == 2
    ndcg, n_ranked = mean_ndcg(np.asarray(score), y, np.asarray(groups))
    return {
        "rows": len(y),
        "positives": int(y.sum()),
        "brier": round(float(brier_score_loss(y, np.clip(p_durable, 0, 1))), 4) if len(y) else None,
        "auc": round(float(roc_auc_score(y, score)), 4) if both else None,
        "ndcg_at_10": round(ndcg, 4) if n_ranked else None,
        "vacancies_ranked": n_ranked,
        "calibration": calibration_bins(np.asarray(p_durable, dtype=np.float64), y),
    }
