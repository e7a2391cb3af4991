"""Training rows from the store: one per proposal, labelled by durable placement as of a date.

Label (exchange format, "Derived"; calendar months as ``pandas.DateOffset``): a proposal is 1
when it led to a placement that lasted at least 6 months + 1 day by ``as_of``; 0 when it was
rejected or withdrawn, or its placement ended before 6 months + 1 day. Censored, and left out:
pending proposals, hired proposals whose placement is not (yet) recorded, and placements still
running at ``as_of`` that are younger than 6 months + 1 day: their outcome is unknown, and
counting them as failures would teach the model that recent good matches are bad ones.

Censoring must not be informative: a recent proposal can already show a failure (the placement
ended within weeks) but cannot yet show a success. So only *mature* proposals are used, made at
least 6 months + 1 day + ``DECISION_DAYS`` before ``as_of``; younger ones are censored as a
whole (status ``immature``), whatever happened to them so far.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from features.pairwise import FEATURE_NAMES, pairwise_features
from matching.pool_loading import Spaces, load_pool, load_spaces, load_vacancies
from matching.store import models

SIX_MONTHS = pd.DateOffset(months=6)
ONE_DAY = pd.Timedelta(days=1)
DECISION_DAYS = 90
BACKGROUND_PER_VACANCY = 20
"""Random other candidates per vacancy whose features anchor the model to the prior."""
"""Time from proposal to the employer's decision and the start of work, allowed for maturity."""


@dataclass(frozen=True)
class TrainingData:
    """Feature rows (n × F float32), labels (0/1), and per row the vacancy, candidate, date;
    ``placed`` marks the proposals that led to a placement (None: all of them)."""

    features: np.ndarray
    labels: np.ndarray
    vacancy_ids: np.ndarray
    candidate_ids: np.ndarray
    opened_on: np.ndarray
    counts: dict[str, int] = field(default_factory=dict)
    background: np.ndarray | None = None
    background_opened_on: np.ndarray | None = None
    placed: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.labels)

    def subset(self, mask: np.ndarray) -> TrainingData:
        """The rows where ``mask`` holds."""
        return TrainingData(
            self.features[mask],
            self.labels[mask],
            self.vacancy_ids[mask],
            self.candidate_ids[mask],
            self.opened_on[mask],
            dict(self.counts),
            placed=None if self.placed is None else self.placed[mask],
        )

    def background_until(self, last: np.datetime64) -> np.ndarray:
        """Background rows of vacancies opened on or before ``last``."""
        if self.background is None or self.background_opened_on is None:
            return np.empty((0, self.features.shape[1]), dtype=np.float32)
        return self.background[self.background_opened_on <= last]

    def sha256(self) -> str:
        """Hash of the rows: features, labels, vacancy and candidate ids."""
        digest = hashlib.sha256()
        digest.update(np.ascontiguousarray(self.features).tobytes())
        digest.update(self.labels.astype(np.int8).tobytes())
        digest.update("\0".join(map(str, self.vacancy_ids)).encode())
        digest.update("\0".join(map(str, self.candidate_ids)).encode())
        return digest.hexdigest()


def label_proposals(
    proposals: pd.DataFrame, placements: pd.DataFrame, *, as_of: dt.date
) -> pd.DataFrame:
    """Add ``label`` (1, 0 or NA when censored) and ``status`` to the proposals as of a date.

    ``proposals``: vacancy_id, candidate_id, proposed_on, outcome. ``placements``:
    vacancy_id, candidate_id, start_date, end_date. Rows after ``as_of`` are dropped.
    """
    cut = pd.Timestamp(as_of)
    props = proposals.loc[pd.to_datetime(proposals["proposed_on"]) <= cut].copy()
    place = placements.loc[pd.to_datetime(placements["start_date"]) <= cut].copy()
    place["start"] = pd.to_datetime(place["start_date"])
    end = pd.to_datetime(place["end_date"])
    place["ended"] = end.notna() & (end <= cut)
    observed = end.where(place["ended"], cut)
    durable = observed >= place["start"] + SIX_MONTHS + ONE_DAY
    place["placement"] = np.where(durable, "durable", np.where(place["ended"], "failed", "running"))
    place = place.sort_values("start").drop_duplicates(["vacancy_id", "candidate_id"], keep="last")
    merged = props.merge(
        place[["vacancy_id", "candidate_id", "placement"]],
        on=["vacancy_id", "candidate_id"],
        how="left",
    )
    mature = pd.to_datetime(merged["proposed_on"]) <= (
        cut - SIX_MONTHS - ONE_DAY - pd.Timedelta(days=DECISION_DAYS)
    )
    status = np.select(
        [
            ~mature,
            merged["outcome"].isin(["rejected", "withdrawn"]),
            merged["outcome"] == "pending",
            merged["placement"] == "durable",
            merged["placement"] == "failed",
            merged["placement"] == "running",
        ],
        ["immature", merged["outcome"], "pending", "durable", "failed", "running"],
        default="hired_unrecorded",
    )
    merged["status"] = status
    label = pd.Series(pd.NA, index=merged.index, dtype="Int8")
    label[merged["status"] == "durable"] = 1
    label[merged["status"].isin(["rejected", "withdrawn", "failed"])] = 0
    merged["label"] = label
    return merged


PLACED_STATUSES = ("durable", "failed")
"""Statuses of a labelled proposal that led to a placement (the rest were not hired)."""


def _history(session: Session) -> tuple[pd.DataFrame, pd.DataFrame]:
    p, pl = models.Proposal, models.Placement
    props = pd.DataFrame(
        session.execute(select(p.vacancy_id, p.candidate_id, p.proposed_on, p.outcome)).all(),
        columns=["vacancy_id", "candidate_id", "proposed_on", "outcome"],
    )
    stmt = select(pl.vacancy_id, pl.candidate_id, pl.start_date, pl.end_date).where(
        pl.vacancy_id.is_not(None)
    )
    place = pd.DataFrame(
        session.execute(stmt).all(),
        columns=["vacancy_id", "candidate_id", "start_date", "end_date"],
    )
    return props, place


def training_data(
    session: Session,
    *,
    as_of: dt.date,
    spaces: Spaces | None = None,
    background: int = BACKGROUND_PER_VACANCY,
    seed: int = 0,
) -> TrainingData:
    """Labelled rows for every uncensored proposal up to ``as_of`` (vacancies opened by then).

    Also ``background`` unlabelled rows per vacancy: random candidates who were not proposed
    (see ``fit_durable_model``: they carry the prior's opinion, not an outcome).
    """
    rng = np.random.default_rng(seed)
    spaces = spaces or load_spaces()
    labelled = label_proposals(*_history(session), as_of=as_of)
    counts = Counter(labelled["status"].tolist())
    rows = labelled.loc[labelled["label"].notna()]
    pool = load_pool(session, active_only=False, spaces=spaces)
    vacancy_ids = sorted(set(rows["vacancy_id"]))
    vacancies = load_vacancies(session, pool, vacancy_ids=vacancy_ids, spaces=spaces)
    opened = _opened_on(session, vacancy_ids)
    position = {c: i for i, c in enumerate(pool.ids.tolist())}
    parts: list[tuple[np.ndarray, np.ndarray, str, list[str], np.ndarray]] = []
    extra: list[tuple[np.ndarray, dt.date]] = []
    for i, vacancy_id in enumerate(vacancies.ids.tolist()):
        if opened[vacancy_id] > as_of:
            continue
        group = rows.loc[rows["vacancy_id"] == vacancy_id]
        cands = [c for c in group["candidate_id"].tolist() if c in position]
        keep = group["candidate_id"].isin(position).to_numpy()
        idx = np.array([position[c] for c in cands], dtype=np.int64)
        feats = np.ascontiguousarray(pairwise_features(vacancies.row(i), pool, rows=idx))
        placed = group["status"].isin(PLACED_STATUSES).to_numpy()[keep]
        labels = group["label"].to_numpy()[keep].astype(np.int8)
        parts.append((feats, labels, vacancy_id, cands, placed))
        others = np.setdiff1d(rng.choice(len(pool), min(background, len(pool)), replace=False), idx)
        extra.append((pairwise_features(vacancies.row(i), pool, rows=others), opened[vacancy_id]))
    data = _assemble(parts, opened, dict(counts))
    if not extra:
        return data
    return dataclasses.replace(
        data,
        background=np.concatenate([e[0] for e in extra]),
        background_opened_on=np.concatenate(
            [np.full(len(e[0]), np.datetime64(e[1], "D")) for e in extra]
        ),
    )


def _opened_on(session: Session, vacancy_ids: list[str]) -> dict[str, dt.date]:
    v = models.Vacancy
    stmt = select(v.vacancy_id, v.opened_on).where(v.vacancy_id.in_(vacancy_ids))
    return {k: d for k, d in session.execute(stmt)}


def _assemble(
    parts: list[tuple[np.ndarray, np.ndarray, str, list[str], np.ndarray]],
    opened: dict[str, dt.date],
    counts: dict[str, int],
) -> TrainingData:
    if not parts:
        empty = np.empty(0, dtype=object)
        return TrainingData(
            np.empty((0, len(FEATURE_NAMES)), np.float32),
            np.empty(0, np.int8),
            empty,
            empty,
            np.empty(0, "datetime64[D]"),
            counts,
            placed=np.empty(0, bool),
        )
    vac = np.concatenate([np.full(len(p[1]), p[2], dtype=object) for p in parts])
    return TrainingData(
        features=np.concatenate([p[0] for p in parts]),
        labels=np.concatenate([p[1] for p in parts]),
        vacancy_ids=vac,
        candidate_ids=np.array([c for p in parts for c in p[3]], dtype=object),
        opened_on=np.array([opened[v] for v in vac], dtype="datetime64[D]"),
        counts=counts,
        placed=np.concatenate([p[4] for p in parts]),
    )
