"""A context's candidates as read from the store, whole or patched with the rows that changed.

``read_rows`` reads every candidate a context holds (one region's, or all) with what a ranking
needs per row. ``patched_rows`` brings rows read earlier up to date by reading only the
candidates whose ``updated_at`` differs from the one read then, the new ones, and dropping
those gone (erased, or moved to another region). The database keeps ``updated_at`` by
triggers on every change of a candidate and of their competences, occupations and placements
(migration 0012), and a change always moves it, so comparing each row's stamp with the one
read before finds every change, whatever the app servers' clocks say and however long the
writing transaction ran before it committed; a watermark (rows changed after the newest stamp
read) would miss the rows of a transaction that started before the load and committed after
it. The one query of every id and stamp also tells which candidates left.

The result equals a fresh ``read_rows`` of the same state (``tests/matching/shortlist/
test_refresh.py``): every row's features are its own except the pool-wide language and
municipality codings, which ``features.pool.stack_candidates`` rebuilds. A running placement
is judged on the day of reading, so rows read on another day are read again whole.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from features.pool import CandidateArrays, build_candidate_arrays, stack_candidates
from matching.pool_loading import Spaces, candidate_frame, candidate_stamps, locate
from matching.store import models

MAX_CHANGED = 0.2
"""Above this share of a context's rows changed or gone, reading it whole is as quick."""
CHUNK = 5000
"""Candidate ids per ``IN`` list (SQLite's and PostgreSQL's bound-parameter limits)."""
NO_STAMP = -1
"""The stamp of a row read without one (on SQLite, whose reads are not one snapshot
(``matching.store.db.snapshot``), it may have been written between the two queries): it
differs from every real stamp, so the next patch reads the row again."""


@dataclass(frozen=True)
class CandidateRows:
    """The pool and, per row, the facts beside it; ``stamps`` (``updated_at`` in microseconds
    since 1970, int64: 8 bytes a row) and ``languages`` let it be patched."""

    pool: CandidateArrays
    inactive: np.ndarray
    placed: np.ndarray
    postcode4: np.ndarray
    stamps: np.ndarray
    languages: np.ndarray
    day: dt.date

    def take(self, rows: np.ndarray) -> CandidateRows:
        """The candidates at ``rows`` (positions)."""
        return CandidateRows(
            self.pool.take(rows), self.inactive[rows], self.placed[rows], self.postcode4[rows],
            self.stamps[rows], self.languages[rows], self.day,
        )  # fmt: skip


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)


def _micros(stamps: list[tuple[str, dt.datetime]]) -> dict[str, int]:
    """Id → stamp in whole microseconds since 1970 (exact; dict order is the query's)."""
    return {cid: (at - _EPOCH) // _MICROSECOND for cid, at in stamps}


def statuses(
    session: Session, ids: list[str], today: dt.date, where: ColumnElement[bool] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Per candidate id: inactive, and placed (status or a running placement); ``where``: a
    condition on ``models.Candidate`` the ids meet."""
    c, p = models.Candidate, models.Placement
    if not ids:
        return np.zeros(0, bool), np.zeros(0, bool)
    stmt = select(c.candidate_id, c.status)
    if where is not None:
        stmt = stmt.where(where)
    status = {cid: s for cid, s in session.execute(stmt)}
    running_stmt = select(p.candidate_id).where(
        p.start_date <= today, or_(p.end_date.is_(None), p.end_date >= today)
    )
    if where is not None:
        running_stmt = running_stmt.where(p.candidate_id.in_(select(c.candidate_id).where(where)))
    running = set(session.scalars(running_stmt))
    inactive = np.array([status.get(i) == "inactive" for i in ids], dtype=bool)
    placed = np.array([status.get(i) == "placed" or i in running for i in ids], dtype=bool)
    return inactive, placed


def read_rows(
    session: Session, spaces: Spaces, where: ColumnElement[bool] | None, today: dt.date
) -> CandidateRows:
    """Every candidate matching ``where`` (None: all; any status), in id order."""
    # stamps before rows: where the reads are not one snapshot (SQLite), a row written in
    # between keeps its older stamp, so the next patch reads it again, never the reverse
    stamps = _micros(candidate_stamps(session, where))
    frame = candidate_frame(session, active_only=False, where=where)
    return _rows(session, spaces, frame, stamps, today, where)


def _rows(
    session: Session,
    spaces: Spaces,
    frame: pd.DataFrame,
    stamps: dict[str, int],
    today: dt.date,
    where: ColumnElement[bool] | None,
) -> CandidateRows:
    frame["lat"], frame["lon"] = locate(
        spaces, frame["postcode4"].tolist(), frame["municipality_code"].tolist()
    )
    pool = build_candidate_arrays(frame, skills=spaces.skills, occupations=spaces.occupations)
    ids = frame["candidate_id"].tolist()
    inactive, placed = statuses(session, ids, today, where)
    postcodes = [p if isinstance(p, str) else None for p in frame["postcode4"]]
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}
    languages = np.empty(len(ids), dtype=object)
    for i, codes in enumerate(frame["languages"]):
        languages[i] = shared.setdefault(codes, codes)  # one tuple per distinct list
    return CandidateRows(
        pool, inactive, placed, np.array(postcodes, dtype=object),
        np.array([stamps.get(i, NO_STAMP) for i in ids], dtype=np.int64), languages, today,
    )  # fmt: skip


def patched_rows(
    session: Session,
    old: CandidateRows,
    spaces: Spaces,
    where: ColumnElement[bool] | None,
    today: dt.date,
) -> CandidateRows | None:
    """``old`` brought up to the store's state (module doc); None when reading the rows whole
    is the better way: another day, a large change, or nothing left."""
    current = list(_micros(candidate_stamps(session, where)).items())
    if old.day != today or not current or not len(old.pool):
        return None
    row_of = {str(cid): i for i, cid in enumerate(old.pool.ids.tolist())}
    changed = [cid for cid, at in current if (i := row_of.get(cid)) is None or old.stamps[i] != at]
    gone = len(old.pool) - (len(current) - sum(cid not in row_of for cid, _ in current))
    if len(changed) + gone > MAX_CHANGED * max(len(current), len(old.pool)):
        return None
    if not changed and not gone:
        return old
    fresh = set(changed)
    kept = [cid for cid, _ in current if cid not in fresh]
    parts = [old.take(np.array([row_of[cid] for cid in kept], dtype=np.int64))]
    if changed:
        parts.append(_changed(session, spaces, changed, dict(current), today))
        if len(parts[-1].pool) != len(changed):  # gone meanwhile (SQLite: no snapshot)
            return None
    rows = _stacked(parts)  # the pool-wide codings of the rows kept and read, not of the old
    position = {str(cid): i for i, cid in enumerate(rows.pool.ids.tolist())}
    return rows.take(np.array([position[cid] for cid, _ in current], dtype=np.int64))


def _changed(
    session: Session,
    spaces: Spaces,
    ids: Sequence[str],
    stamps: dict[str, int],
    today: dt.date,
) -> CandidateRows:
    """The rows of ``ids`` (read in chunks), in the order read."""
    c = models.Candidate
    parts = []
    for start in range(0, len(ids), CHUNK):
        where = c.candidate_id.in_(list(ids[start : start + CHUNK]))
        frame = candidate_frame(session, active_only=False, where=where)
        parts.append(_rows(session, spaces, frame, stamps, today, where))
    return _stacked(parts) if len(parts) > 1 else parts[0]


def _stacked(parts: Sequence[CandidateRows]) -> CandidateRows:
    """The rows of ``parts`` one after another."""

    def joined(name: str) -> np.ndarray:
        return np.concatenate([getattr(p, name) for p in parts])

    languages = joined("languages")
    pool = stack_candidates([p.pool for p in parts], languages.tolist())
    return CandidateRows(
        pool, joined("inactive"), joined("placed"), joined("postcode4"), joined("stamps"),
        languages, parts[0].day,
    )  # fmt: skip
