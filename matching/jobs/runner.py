"""Run one job by id, in whatever process got it: start, the kind's body, the outcome.

Each kind's body does its work in one transaction of its own (an import, a training run), so a
job that fails, is cancelled or whose worker dies leaves nothing half-written; the row says how
it ended. Progress goes to the row (``RowProgress``) or, on SQLite, whose one writer is busy
with the job's own transaction, to memory in the running process (``MemoryProgress``).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from matching.access.users import Principal, now, principal_of
from matching.bootstrap import Store
from matching.errors import NotFound, WerkmatchError
from matching.jobs import kinds, rows
from matching.jobs.kinds import JobCancelled, Progress, Work
from matching.settings import Settings
from matching.store.access import User
from matching.store.db import transaction
from matching.store.jobs import BackgroundJob

log = logging.getLogger(__name__)
CANCELLED = "Geannuleerd; er is niets opgeslagen."


def this_worker() -> str:
    """``host:pid`` of this process (a local job's liveness is its process)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _cancel_asked(session: Session, job_id: str) -> bool:
    query = select(BackgroundJob.cancel_requested).where(BackgroundJob.job_id == job_id)
    return bool(session.scalar(query))


@dataclass
class RowProgress:
    """Progress written to the job's row (PostgreSQL: a row lock of its own, no waiting)."""

    store: Store
    job_id: str

    def report(self, message: str, done: int = 0, total: int = 0) -> None:
        """Write the progress; raise ``JobCancelled`` if the job was cancelled."""
        with transaction(self.store.reads) as session:
            query = update(BackgroundJob).where(BackgroundJob.job_id == self.job_id)
            session.execute(query.values(message=message, done=done, total=total))
            if _cancel_asked(session, self.job_id):
                raise JobCancelled(CANCELLED)


@dataclass
class MemoryProgress:
    """Progress kept in this process (SQLite); a cancel is read from the row (reads never wait
    for the writer in WAL mode) or set here by ``cancel``."""

    store: Store
    job_id: str
    message: str = "Gestart…"
    done: int = 0
    total: int = 0
    cancelled: threading.Event = field(default_factory=threading.Event)

    def report(self, message: str, done: int = 0, total: int = 0) -> None:
        """Keep the progress; raise ``JobCancelled`` if the job was cancelled."""
        self.message, self.done, self.total = message, done, total
        if not self.cancelled.is_set():
            with self.store.reads() as session:
                if _cancel_asked(session, self.job_id):
                    self.cancelled.set()
        if self.cancelled.is_set():
            raise JobCancelled(CANCELLED)


def start(store: Store, job_id: str, worker: str) -> BackgroundJob | None:
    """Mark the job running on ``worker``; None when it is no longer to be run."""
    with transaction(store.sessions) as session:
        try:
            row = rows.find(session, job_id, None, for_update=True)
        except NotFound:
            return None  # pruned meanwhile
        if row.state not in rows.ACTIVE:
            return None
        if row.cancel_requested:
            rows.set_state(session, job_id, "cancelled", message=CANCELLED)
            return None
        row.state, row.worker, row.started_at = "running", worker, now()
        row.attempts, row.message = row.attempts + 1, "Gestart…"
        return row


def principal_for(session: Session, row: BackgroundJob) -> Principal:
    """Who the job acts for: its user as they are now, or the command line / the schedule."""
    user = session.get(User, row.owner)
    if user is not None:
        return principal_of(session, user)
    if row.organisation_id is not None:
        raise NotFound("De gebruiker die deze taak startte bestaat niet meer.")
    return Principal(row.owner, "admin", None, frozenset())


def execute(store: Store, settings: Settings, job_id: str, progress: Progress) -> None:
    """Run the job ``job_id`` here and record how it ended (never raises for the job's sake)."""
    row = start(store, job_id, this_worker())
    if row is None:
        return
    try:
        kind = kinds.get(row.kind)
        with store.sessions() as session:
            principal = principal_for(session, row)
        result = kind.encode(kind.run(Work(store, settings, principal, row.params, progress)))
    except JobCancelled:
        _finish(store, job_id, "cancelled", message=CANCELLED)
    except WerkmatchError as error:
        _finish(store, job_id, "failed", error=str(error))
    except Exception as error:  # a page must hear that its job died, not poll forever
        log.exception("background job %s (%s) failed", job_id, row.kind)
        _finish(store, job_id, "failed", error=f"Onverwachte fout: {type(error).__name__}")
    else:
        _finish(store, job_id, "done", result=result, message="Klaar.")


def _finish(store: Store, job_id: str, state: rows.State, **values: object) -> None:
    with transaction(store.sessions) as session:
        rows.set_state(session, job_id, state, **values)
