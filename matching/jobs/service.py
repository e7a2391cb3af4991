"""``Jobs``: the one interface to background jobs — submit, read, list, cancel, run workers.

The backend follows the store: procrastinate on PostgreSQL (``queue.py``), threads of the
asking process on SQLite (``local.py``). Either way the job's row (``rows.py``) is in the
store, so any process reads its state and result.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any, Protocol

from sqlalchemy.orm import Session

from matching.access.users import Principal, now
from matching.bootstrap import Store
from matching.errors import Conflict
from matching.jobs import rows
from matching.jobs.local import LocalBackend
from matching.jobs.rows import JobView
from matching.jobs.runner import CANCELLED
from matching.settings import Settings
from matching.store.db import transaction
from matching.store.jobs import BackgroundJob

log = logging.getLogger(__name__)


RESTART_SECONDS = 10.0
STOP_SECONDS = 15.0
"""How long the app's shutdown waits for its job worker to stop (module ``_stop``)."""


async def _keep_running(run: Callable[[], Awaitable[None]], stop: asyncio.Event) -> None:
    """Run the worker; when it stops on an error (the database away), start it again, until
    ``stop``. The flag, not only the cancellation: procrastinate's worker ends gracefully on
    a cancellation and returns, and a bare loop then started it again for ever (a hang at
    shutdown seen in CI)."""
    while not stop.is_set():
        try:
            await run()
        except Exception:
            log.exception("job worker stopped; starting again in %s s", RESTART_SECONDS)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), RESTART_SECONDS)


async def _stop(task: asyncio.Task[None], stop: asyncio.Event, seconds: float) -> bool:
    """Ask the worker loop to end and wait ``seconds`` at most; True when it ended.

    procrastinate lets a running job finish before its worker returns, with no limit. A job
    that waits for the process that is shutting down (a lock its request still holds) then
    hung the shutdown for ever (CI hung at the end of the suite). After ``seconds`` the loop
    is left behind: the job's heartbeat stops with the process, and the next worker retries
    it or marks it failed (``QueueBackend.retry_stalled``), as for a worker that died.
    """
    stop.set()
    task.cancel()
    done, _pending = await asyncio.wait({task}, timeout=seconds)
    if not done:
        log.warning("job worker did not stop within %s s; its job is left to the next worker",
                    seconds)  # fmt: skip
        return False
    with contextlib.suppress(asyncio.CancelledError):
        task.result()
    return True


class Backend(Protocol):
    """Where jobs run (module doc)."""

    name: str

    def claim(self, session: Session, row: BackgroundJob) -> None:
        """Before the new row is committed."""

    def enqueue(self, job_id: str) -> None:
        """After it is committed."""

    def overlay(self, job: JobView) -> JobView:
        """Progress the row does not hold."""

    def cancel(self, session: Session, row: BackgroundJob) -> None:
        """Stop or dequeue the job."""

    def reap(self) -> int:
        """Settle jobs whose worker died."""

    def close(self) -> None:
        """Release what the backend holds."""


def backend_for(store: Store, settings: Settings) -> Backend:
    """procrastinate on PostgreSQL, threads elsewhere."""
    if store.engine.dialect.name == "postgresql":
        from matching.jobs.queue import QueueBackend

        return QueueBackend(store, settings)
    return LocalBackend(store, settings)


class Jobs:
    """Background jobs of one process over one store (module doc)."""

    def __init__(self, store: Store, settings: Settings, backend: Backend | None = None) -> None:
        self.store, self.settings = store, settings
        self.backend = backend or backend_for(store, settings)
        self.backend.reap()

    def submit(
        self,
        kind: str,
        params: dict[str, Any],
        principal: Principal,
        *,
        reuse_key: str | None = None,
    ) -> str:
        """Queue a job of ``kind`` for ``principal``; its id."""
        with transaction(self.store.sessions) as session:
            rows.prune(session, self.settings.jobs_keep_days)
            row = rows.create(session, kind, params, principal, reuse_key=reuse_key)
            self.backend.claim(session, row)
            job_id = row.job_id
        self.backend.enqueue(job_id)
        return job_id

    def reuse(self, kind: str, key: str, principal: Principal) -> JobView | None:
        """A job done at once with the result of the newest finished job under ``key`` in
        ``principal``'s organisation; None when there is none."""
        with transaction(self.store.sessions) as session:
            kept = rows.kept(session, kind, key, principal)
            if kept is None:
                return None
            row = rows.create(session, kind, kept.params, principal, reuse_key=key)
            row.state, row.result, row.reused, row.message = "done", kept.result, True, "Klaar."
            row.started_at = row.finished_at = now()
            return rows.view(row)

    def get(self, job_id: str, principal: Principal | None, kinds: Sequence[str] = ()) -> JobView:
        """The job if ``principal`` may see it (None: the command line); NotFound otherwise."""
        self.backend.reap()
        with self.store.reads() as session:
            return self.backend.overlay(rows.view(rows.find(session, job_id, principal, kinds)))

    def list(self, principal: Principal | None, limit: int = 50) -> list[JobView]:
        """The newest jobs ``principal`` may see."""
        self.backend.reap()
        with self.store.reads() as session:
            found = rows.listing(session, principal, limit)
            return [self.backend.overlay(rows.view(row)) for row in found]

    def cancel(self, job_id: str, principal: Principal | None) -> JobView:
        """Cancel a queued or running job (a running one stops at its next progress report,
        its transaction rolled back)."""
        with transaction(self.store.sessions) as session:
            row = rows.find(session, job_id, principal, for_update=True)
            if row.state not in rows.ACTIVE:
                label = rows.STATE_LABELS.get(row.state, row.state)
                raise Conflict(f"Deze taak is al {label}; er valt niets te annuleren.")
            row.cancel_requested = True
            self.backend.cancel(session, row)
            if row.state == "queued":
                rows.set_state(session, job_id, "cancelled", message=CANCELLED)
        return self.get(job_id, principal)

    def wait(self, job_id: str, timeout: float = 30.0) -> JobView:
        """Block until the job has finished or ``timeout`` passed (tests, the command line)."""
        deadline = time.monotonic() + timeout
        job = self.get(job_id, None)
        while job.active and time.monotonic() < deadline:
            time.sleep(0.05)
            job = self.get(job_id, None)
        return job

    @contextlib.asynccontextmanager
    async def serving(self) -> AsyncIterator[None]:
        """A job worker in this process's event loop while inside (PostgreSQL, when
        ``Settings.jobs_worker``); elsewhere jobs run where they are asked for."""
        run = getattr(self.backend, "run_worker", None)
        if run is None or not self.settings.jobs_worker:
            yield
            return
        stop = asyncio.Event()
        task = asyncio.create_task(_keep_running(run, stop))
        try:
            yield
        finally:
            await _stop(task, stop, STOP_SECONDS)

    def close(self) -> None:
        """Release the backend."""
        self.backend.close()
