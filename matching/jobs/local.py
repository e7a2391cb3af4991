"""Jobs in threads of the process that asked for them (SQLite, the embedded default).

The rows are in the store, so every process reads a job's state and result; the progress of a
running job lives in the process running it (SQLite's one writer is the job's own
transaction). A process that dies leaves its jobs running in the rows: any process on the same
host sees that their process is gone and marks them failed (``reap``) — the job's transaction
died with it, so nothing is half-written. There is no schedule here: run ``werkmatch jobs
run-now allocate`` from cron or a systemd timer.
"""

from __future__ import annotations

import dataclasses
import os
import socket
import threading
import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from matching.bootstrap import Store
from matching.jobs import rows
from matching.jobs.rows import JobView
from matching.jobs.runner import MemoryProgress, execute, this_worker
from matching.settings import Settings
from matching.store.db import transaction
from matching.store.jobs import BackgroundJob

DIED = (
    "Afgebroken: het proces dat deze taak uitvoerde is gestopt. Er is niets half opgeslagen; "
    "start de taak opnieuw."
)


def alive(pid: int) -> bool:
    """True when a process ``pid`` exists on this host."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class LocalBackend:
    """Start jobs in daemon threads; keep their progress; reap jobs of dead processes."""

    name = "local"

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store, self.settings = store, settings
        self.live: dict[str, MemoryProgress] = {}
        self.threads: list[threading.Thread] = []

    def claim(self, session: Session, row: BackgroundJob) -> None:
        """Before the row is committed: this process will run it (alive from now on)."""
        row.worker = this_worker()
        self.live[row.job_id] = MemoryProgress(self.store, row.job_id)

    def enqueue(self, job_id: str) -> None:
        """Run the claimed job in a thread of this process."""
        progress = self.live[job_id]
        thread = threading.Thread(target=self._run, args=(job_id, progress), daemon=True)
        thread.name = f"werkmatch-job-{job_id}"
        thread.start()
        self.threads = [t for t in self.threads if t.is_alive()] + [thread]

    def _run(self, job_id: str, progress: MemoryProgress) -> None:
        try:
            execute(self.store, self.settings, job_id, progress)
        finally:
            self.live.pop(job_id, None)

    def overlay(self, job: JobView) -> JobView:
        """The job with the progress of this process when it runs here."""
        live = self.live.get(job.job_id)
        if live is None or job.state != "running":
            return job
        return dataclasses.replace(job, message=live.message, done=live.done, total=live.total)

    def cancel(self, session: Session, row: BackgroundJob) -> None:
        """Stop a job running here at its next progress report."""
        if (live := self.live.get(row.job_id)) is not None:
            live.cancelled.set()

    def reap(self) -> int:
        """Mark failed the unfinished jobs whose process on this host is gone; how many."""
        host, here = socket.gethostname(), os.getpid()
        with transaction(self.store.sessions) as session:
            query = select(BackgroundJob).where(BackgroundJob.state.in_(rows.ACTIVE))
            dead = []
            for row in session.scalars(query.where(BackgroundJob.worker.like(f"{host}:%"))):
                pid = int((row.worker or ":0").rsplit(":", 1)[1])
                running = row.job_id in self.live if pid == here else alive(pid)
                if not running:
                    dead.append(row.job_id)
            for job_id in dead:
                rows.set_state(session, job_id, "failed", error=DIED)
        return len(dead)

    def close(self, timeout: float = 30.0) -> None:
        """Give running jobs ``timeout`` seconds to end (a job cut off later fails cleanly:
        its transaction dies with the process, ``reap`` marks it)."""
        deadline = time.monotonic() + timeout
        for thread in self.threads:
            thread.join(max(deadline - time.monotonic(), 0.0))
