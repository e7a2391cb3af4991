"""Temporal split and the hold-out report: Brier, calibration bins, AUC, NDCG@10 per vacancy.

The metrics themselves are ``matching.metrics`` (one module for training, the model card and
the evaluation report); this module groups them per vacancy for the hold-out.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.metrics import brier_score_loss, roc_auc_score

from matching.metrics import ndcg_at_k, reliability_curve

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


def mean_ndcg(
    scores: np.ndarray, relevance: np.ndarray, groups: np.ndarray, *, k: int = 10
) -> tuple[float, int]:
    """Mean NDCG@k over groups (vacancies) with a positive and at least two rows; and count."""
    values = []
    for g in np.unique(groups):
        mask = groups == g
        if mask.sum() >= 2 and relevance[mask].max() > 0:
            values.append(ndcg_at_k([scores[mask]], [relevance[mask]], k=k))
    return (float(np.mean(values)) if values else float("nan")), len(values)


def calibration_bins(
    p: np.ndarray, y: np.ndarray, *, bins: int = CALIBRATION_BINS
) -> list[list[float]]:
    """The filled bins of ``matching.metrics.reliability_curve`` as the model card shows them:
    [lower, upper, rows, mean predicted, observed rate]."""
    if len(p) == 0:
        return []
    curve = reliability_curve(p, y, bins=bins)
    return [
        [round(float(lo), 2), round(float(hi), 2), int(n), round(float(mp), 4), round(float(r), 4)]
        for lo, hi, n, mp, r in zip(
            curve.lower,
            curve.upper,
            curve.count,
            curve.mean_predicted,
            curve.observed_rate,
            strict=True,
        )
        if n > 0
    ]


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
