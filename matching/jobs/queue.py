"""Jobs on PostgreSQL through procrastinate: durable, any worker process runs them.

A job is deferred in the very transaction that stores its row (procrastinate takes our
connection), so a row without its queue entry never exists. Workers are procrastinate workers:
one in the lifespan of every API process (``Settings.jobs_worker``) and/or ``werkmatch jobs
worker``. Every minute a worker looks for jobs whose worker stopped sending heartbeats (it died
mid-job; its transaction was rolled back with its connection) and queues them again, until
``Settings.jobs_max_attempts`` tries, then marks them failed. The schedule — nightly
allocation, weekly retraining — is procrastinate's periodic tasks (``Settings.jobs_*_cron``);
procrastinate defers each period's job once, however many workers run.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import procrastinate
from procrastinate.jobs import Status
from sqlalchemy.orm import Session

from matching.access.users import Principal
from matching.bootstrap import Store
from matching.errors import NotFound
from matching.jobs import kinds, rows
from matching.jobs.rows import JobView
from matching.jobs.runner import RowProgress, execute, this_worker
from matching.settings import Settings
from matching.store.db import transaction
from matching.store.jobs import BackgroundJob

RUN, STALLED = "werkmatch.run_job", "werkmatch.retry_stalled"
QUEUE = "default"
"""procrastinate's queue of the jobs any worker may run; a kind ``on_this_host`` goes to the
queue of the host that asked (``host_queue``), which only that host's workers read."""
SCHEDULE = Principal("werkmatch:planning", "admin", None, frozenset())
"""Who the scheduled jobs act for (audited as such)."""
RETRIED = "Opnieuw in de wachtrij: de vorige poging werd afgebroken."
DIED = (
    "Afgebroken: de worker die deze taak uitvoerde stopte, ook bij een nieuwe poging. Er is "
    "niets half opgeslagen; start de taak opnieuw."
)
PERIODIC = (("allocate", "jobs_allocation_cron"), ("train", "jobs_training_cron"))


def conninfo(store: Store) -> str:
    """The libpq URI of the store (its ``options``, e.g. a search_path, kept)."""
    url = store.engine.url.set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def host_queue() -> str:
    """The queue of this host's jobs (an import reads the uploads saved here)."""
    return f"host:{socket.gethostname()}"


def _driver(session: Session) -> Any:
    return session.connection().connection.driver_connection


class QueueBackend:
    """Defer, cancel and run jobs through procrastinate (module doc)."""

    name = "procrastinate"

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store, self.settings = store, settings
        self.deferrer = self.app(procrastinate.SyncPsycopgConnector())  # always given a connection

    def claim(self, session: Session, row: BackgroundJob) -> None:
        """Defer the job in the transaction that stores its row."""
        queue = host_queue() if kinds.get(row.kind).on_this_host else QUEUE
        task = self.deferrer.configure_task(RUN, queue=queue, connection=_driver(session))
        row.queue_id = task.defer(job_id=row.job_id)

    def enqueue(self, job_id: str) -> None:
        """Nothing: committing the row committed the queue entry; a worker is told."""

    def overlay(self, job: JobView) -> JobView:
        """The row has the progress already."""
        return job

    def cancel(self, session: Session, row: BackgroundJob) -> None:
        """Take a queued job out of the queue (a running one stops at its next report)."""
        if row.state == "queued" and row.queue_id is not None:
            manager = self.deferrer.job_manager
            manager.cancel_job_by_id(row.queue_id, connection=_driver(session))

    def reap(self) -> int:
        """Nothing here: the workers retry stalled jobs (``retry_stalled``)."""
        return 0

    def close(self) -> None:
        """Nothing to close: the deferrer borrows our connections."""

    def app(self, connector: Any) -> procrastinate.App:
        """A procrastinate app with our tasks on ``connector``."""
        app = procrastinate.App(connector=connector)
        store, settings = self.store, self.settings

        @app.task(name=RUN)
        def run_job(job_id: str) -> None:
            execute(store, settings, job_id, RowProgress(store, job_id))

        @app.periodic(cron="* * * * *", periodic_id="stalled")
        @app.task(name=STALLED, queueing_lock=STALLED)
        async def retry_stalled(timestamp: int) -> None:
            await self.retry_stalled(app)

        for kind, setting in PERIODIC:
            if cron := getattr(settings, setting):
                self._schedule(app, kind, cron)
        return app

    def _schedule(self, app: procrastinate.App, kind: str, cron: str) -> None:
        @app.periodic(cron=cron, periodic_id=kind)
        @app.task(name=f"werkmatch.schedule.{kind}", queueing_lock=f"werkmatch.schedule.{kind}")
        def scheduled(timestamp: int) -> None:
            with transaction(self.store.sessions) as session:
                self.claim(session, rows.create(session, kind, {}, SCHEDULE))

    async def retry_stalled(self, app: procrastinate.App) -> list[str]:
        """Queue again (or fail) the jobs of workers gone silent; the ids of our jobs."""
        manager = app.job_manager
        stalled = await manager.get_stalled_jobs(
            task_name=RUN, seconds_since_heartbeat=self.settings.jobs_stalled_seconds
        )
        seen = []
        for job in stalled:
            job_id = str(job.task_kwargs["job_id"])
            if await asyncio.to_thread(self.requeue_or_fail, job_id):
                await manager.retry_job(job)
            else:
                await manager.finish_job_by_id_async(job.id or 0, Status.FAILED, False)
            seen.append(job_id)
        return seen

    def requeue_or_fail(self, job_id: str) -> bool:
        """Our row of a stalled job: queued again (True) or failed after the last try."""
        with transaction(self.store.sessions) as session:
            try:
                row = rows.find(session, job_id, None, for_update=True)
            except NotFound:
                return False
            if row.state == "running" and row.attempts < self.settings.jobs_max_attempts:
                row.state, row.message, row.worker = "queued", RETRIED, None
                return True
            if row.state in rows.ACTIVE:
                rows.set_state(session, job_id, "failed", error=DIED)
            return False

    async def run_worker(self, *, wait: bool = True) -> None:
        """Run a procrastinate worker here until cancelled (``wait``: else until idle)."""
        app = self.app(procrastinate.PsycopgConnector(conninfo=conninfo(self.store), min_size=1,
                                                      max_size=2))  # fmt: skip
        beat = max(self.settings.jobs_stalled_seconds / 4, 1.0)
        async with app.open_async():
            await app.run_worker_async(
                queues=[QUEUE, host_queue()], name=this_worker(), wait=wait,
                install_signal_handlers=False, delete_jobs="successful",
                update_heartbeat_interval=beat,
                stalled_worker_timeout=self.settings.jobs_stalled_seconds,
            )  # fmt: skip
