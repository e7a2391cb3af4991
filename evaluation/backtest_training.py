"""Models as werkmatch would have had them at a cut-off date, trained only on data before it.

Feature rows are computed once per (vacancy, proposed candidate) and cached: they depend only on
the stored attributes, not on time. The *labels* are recomputed per cut-off with
``matching.scoring.training_rows.label_proposals(as_of=cut-off)``, which drops proposals and
placements after the cut-off, treats end dates after it as unknown and censors immature
proposals. A cut-off's training set holds only vacancies opened on or before it. The scorer is
chosen exactly as ``werkmatch train`` does (``fit_history``): the prior at the organisation's
level, or the learned model when forced; when history is too thin or a time slice holds one
outcome, the prior at the family's level, as werkmatch would have used.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from features.pairwise import N_FEATURES
from matching.errors import InvalidInput, ModelNotTrained
from matching.scoring.base import Scorer
from matching.scoring.fitting import MIN_POSITIVES, MIN_ROWS, fit_history
from matching.scoring.prior import PriorScorer
from matching.scoring.training_rows import (
    BACKGROUND_PER_VACANCY,
    PLACED_STATUSES,
    TrainingData,
    label_proposals,
)


@dataclass(frozen=True)
class CutoffModel:
    """The scorer in use at a cut-off, and why (``learned`` or the reason the prior stayed).

    ``placed`` scores at the level of the history's placements (``placement_level_prior``):
    what the backtest's placements, chosen the same way, are checked against. None: ``scorer``.
    """

    cutoff: dt.date
    scorer: Scorer
    note: str
    rows: int = 0
    positives: int = 0
    placed: Scorer | None = None


@dataclass
class FeatureCache:
    """Per vacancy: features of its proposed candidates and of random background candidates."""

    pool_size: int
    background: int = BACKGROUND_PER_VACANCY
    opened: dict[str, dt.date] = field(default_factory=dict)
    proposed: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    noise: dict[str, np.ndarray] = field(default_factory=dict)
    noise_ids: dict[str, np.ndarray] = field(default_factory=dict)

    def background_rows(self, vacancy_id: str) -> np.ndarray:
        """Pool rows of the vacancy's background candidates (seeded by the vacancy id)."""
        rng = np.random.default_rng(zlib.crc32(vacancy_id.encode()))
        size = min(self.background, self.pool_size)
        return np.sort(rng.choice(self.pool_size, size, replace=False))

    def add(
        self,
        vacancy_id: str,
        opened_on: dt.date,
        features: np.ndarray,
        proposed: dict[str, int],
        ids: np.ndarray,
    ) -> None:
        """Keep the rows of one vacancy from its N × F features over the whole pool.

        The background rows are drawn without looking at the proposals (which may lie after a
        cut-off); a background row of someone proposed by a cut-off is dropped at training.
        """
        self.opened[vacancy_id] = opened_on
        self.proposed[vacancy_id] = {cid: features[row].copy() for cid, row in proposed.items()}
        rows = self.background_rows(vacancy_id)
        self.noise[vacancy_id] = np.array(features[rows], dtype=np.float32)
        self.noise_ids[vacancy_id] = np.asarray(ids[rows], dtype=object)


def training_rows(
    cache: FeatureCache, proposals: pd.DataFrame, placements: pd.DataFrame, *, cutoff: dt.date
) -> TrainingData:
    """Labelled rows known at ``cutoff`` (and background rows of their vacancies)."""
    labelled = label_proposals(proposals, placements, as_of=cutoff)
    counts = {str(k): int(v) for k, v in labelled["status"].value_counts().items()}
    known = labelled.loc[labelled["label"].notna()]
    feats, labels, vacs, cands, noise, noise_dates, placed = [], [], [], [], [], [], []
    for vid, cid, label, status in zip(
        known["vacancy_id"], known["candidate_id"], known["label"], known["status"], strict=True
    ):
        row = cache.proposed.get(vid, {}).get(cid)
        if row is None or cache.opened[vid] > cutoff:
            continue
        feats.append(row)
        labels.append(int(label))
        vacs.append(vid)
        cands.append(cid)
        placed.append(status in PLACED_STATUSES)
    for vid in sorted(set(vacs)):
        labelled_here = [cid for v, cid in zip(vacs, cands, strict=True) if v == vid]
        keep = ~np.isin(cache.noise_ids[vid], labelled_here)
        noise.append(cache.noise[vid][keep])
        noise_dates.append(np.full(int(keep.sum()), np.datetime64(cache.opened[vid], "D")))
    return TrainingData(
        features=np.array(feats, dtype=np.float32).reshape(-1, N_FEATURES),
        labels=np.array(labels, dtype=np.int8),
        vacancy_ids=np.array(vacs, dtype=object),
        candidate_ids=np.array(cands, dtype=object),
        opened_on=np.array([cache.opened[v] for v in vacs], dtype="datetime64[D]"),
        counts=counts,
        background=np.concatenate(noise) if noise else None,
        background_opened_on=np.concatenate(noise_dates) if noise else None,
        placed=np.array(placed, dtype=bool),
    )


def fit_at(
    cache: FeatureCache,
    proposals: pd.DataFrame,
    placements: pd.DataFrame,
    *,
    cutoff: dt.date,
    min_rows: int = MIN_ROWS,
    min_positives: int = MIN_POSITIVES,
    force: bool = False,
) -> CutoffModel:
    """The scorer werkmatch would have used at ``cutoff`` (module doc); ``force`` keeps a
    learned model that is worse than the prior on its hold-out (as ``werkmatch train --force``).
    """
    data = training_rows(cache, proposals, placements, cutoff=cutoff)
    n, positives = len(data), int(data.labels.sum())
    try:
        fitted = fit_history(data, min_rows=min_rows, min_positives=min_positives)
    except ModelNotTrained as exc:
        return CutoffModel(cutoff, PriorScorer(), f"beginweging: {exc}", n, positives)
    if force:
        return CutoffModel(cutoff, fitted.learned, "learned", n, positives)
    note = "beginweging op het niveau van de organisatie"
    return CutoffModel(cutoff, fitted.prior, note, n, positives, placed=fitted.placed)


def cutoff_of(opened_on: dt.date, *, freq: str = "Q") -> dt.date:
    """The last day before the month (``M``) or quarter (``Q``) the vacancy opened in.

    >>> cutoff_of(dt.date(2025, 5, 20)), cutoff_of(dt.date(2025, 5, 20), freq="M")
    (datetime.date(2025, 3, 31), datetime.date(2025, 4, 30))
    """
    if freq not in ("M", "Q"):
        raise InvalidInput(f"cut-off frequency must be 'M' or 'Q', not {freq!r}")
    month = opened_on.month if freq == "M" else 3 * ((opened_on.month - 1) // 3) + 1
    return dt.date(opened_on.year, month, 1) - dt.timedelta(days=1)
