"""The job rows: create, read within a principal's reach, move between states, prune.

A job moves queued → running → done | failed | cancelled; a job whose worker died goes back
to queued (retried) or to failed. Who may read or cancel a job: the command line (no
principal) every job; a user the jobs of their own organisation that they started, an admin
every job of their organisation. Another organisation's job is NotFound, as an unknown id.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from matching.access.users import Principal, now
from matching.errors import NotFound
from matching.jobs import kinds
from matching.store.jobs import BackgroundJob

State = Literal["queued", "running", "done", "failed", "cancelled"]
ACTIVE = ("queued", "running")
STATE_LABELS = {
    "queued": "in de wachtrij",
    "running": "bezig",
    "done": "klaar",
    "failed": "mislukt",
    "cancelled": "geannuleerd",
}


@dataclass(frozen=True)
class JobView:
    """A job as pages and the command line show it; ``result`` decoded by its kind."""

    job_id: str
    kind: str
    state: str
    message: str
    done: int
    total: int
    result: Any
    error: str | None
    reused: bool
    attempts: int
    owner: str
    organisation_id: str | None
    created: dt.datetime
    started: dt.datetime | None
    finished: dt.datetime | None
    worker: str | None = None
    """``host:pid`` of the process that ran it last."""

    @property
    def active(self) -> bool:
        """True while queued or running (the page keeps polling)."""
        return self.state in ACTIVE

    @property
    def fraction(self) -> float | None:
        """Share done in [0, 1], None when the total is unknown."""
        return min(self.done / self.total, 1.0) if self.total > 0 else None

    @property
    def seconds(self) -> int:
        """Seconds since the job was asked for (until its end when finished)."""
        end = self.finished or now()
        return max(int((end - self.created).total_seconds()), 0)

    @property
    def state_label(self) -> str:
        """The state in Dutch."""
        return STATE_LABELS.get(self.state, self.state)


def view(row: BackgroundJob) -> JobView:
    """The row as a ``JobView``; a result whose kind is unknown here stays raw data."""
    try:
        result = kinds.get(row.kind).decode(row.result)
    except NotFound:
        result = row.result
    return JobView(
        row.job_id, row.kind, row.state, row.message, row.done, row.total, result, row.error,
        row.reused, row.attempts, row.owner, row.organisation_id, row.created_at, row.started_at,
        row.finished_at, row.worker,
    )  # fmt: skip


def create(
    session: Session,
    kind: str,
    params: dict[str, Any],
    principal: Principal,
    *,
    reuse_key: str | None = None,
) -> BackgroundJob:
    """A new queued job of ``principal`` (flushed, not committed)."""
    kinds.get(kind)  # unknown kinds are refused before anything is stored
    row = BackgroundJob(
        job_id=secrets.token_hex(11), kind=kind, organisation_id=principal.organisation_id,
        owner=principal.user_id, params=params, reuse_key=reuse_key, state="queued",
        message="In de wachtrij…", done=0, total=0, reused=False, attempts=0,
        cancel_requested=False, created_at=now(),
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def may_see(row: BackgroundJob, principal: Principal | None) -> bool:
    """The reach of the module doc."""
    if principal is None:
        return True
    if row.organisation_id != principal.organisation_id:
        return False
    return row.owner == principal.user_id or principal.role == "admin"


def find(
    session: Session,
    job_id: str,
    principal: Principal | None,
    kinds_: Sequence[str] | None = None,
    *,
    for_update: bool = False,
) -> BackgroundJob:
    """The job ``job_id`` if ``principal`` may see it (and of one of ``kinds_``); else NotFound."""
    query = select(BackgroundJob).where(BackgroundJob.job_id == job_id)
    row = session.scalars(query.with_for_update() if for_update else query).one_or_none()
    if row is None or not may_see(row, principal) or (kinds_ and row.kind not in kinds_):
        raise NotFound(f"Taak {job_id} is onbekend of verlopen.")
    return row


def listing(session: Session, principal: Principal | None, limit: int = 50) -> list[BackgroundJob]:
    """The newest jobs ``principal`` may see (``may_see``, in SQL)."""
    query = select(BackgroundJob).order_by(BackgroundJob.created_at.desc()).limit(limit)
    if principal is not None:
        organisation = principal.organisation_id
        mine = (
            BackgroundJob.organisation_id.is_(None)
            if organisation is None
            else BackgroundJob.organisation_id == organisation
        )
        query = query.where(mine)
        if principal.role != "admin":
            query = query.where(BackgroundJob.owner == principal.user_id)
    return list(session.scalars(query))


def kept(session: Session, kind: str, key: str, principal: Principal) -> BackgroundJob | None:
    """The newest finished job of ``kind`` under ``key`` in ``principal``'s organisation."""
    query = (
        select(BackgroundJob)
        .where(BackgroundJob.kind == kind, BackgroundJob.reuse_key == key)
        .where(BackgroundJob.state == "done")
        .order_by(BackgroundJob.created_at.desc())
    )
    rows = session.scalars(query).all()
    return next((r for r in rows if r.organisation_id == principal.organisation_id), None)


def set_state(session: Session, job_id: str, state: State, **values: Any) -> None:
    """Move an unfinished job to ``state`` (finished states stamp ``finished_at``). A finished
    job keeps its end: a reaper that read the job as running just before it ended must not
    overwrite how it ended."""
    if state not in ACTIVE:
        values.setdefault("finished_at", now())
    unfinished = BackgroundJob.state.in_(ACTIVE)
    session.execute(
        update(BackgroundJob)
        .where(BackgroundJob.job_id == job_id, unfinished)
        .values(state=state, **values)
    )


def prune(session: Session, keep_days: int) -> int:
    """Delete finished jobs older than ``keep_days``; how many."""
    before = now() - dt.timedelta(days=keep_days)
    finished = BackgroundJob.state.not_in(ACTIVE)
    query = delete(BackgroundJob).where(finished, BackgroundJob.created_at < before)
    return int(session.execute(query).rowcount)  # type: ignore[attr-defined]
