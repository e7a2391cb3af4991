"""A small in-process registry of long-running page actions (import, training, evaluation).

Each job runs in a daemon thread and reports progress into its ``Job``; the page polls the
job's status with htmx. The registry lives on ``app.state`` of one process: jobs are not
shared between workers and do not survive a restart (a page then says the job is unknown).
Only the user who started a job can read it. Finished jobs are kept until ``keep`` newer
jobs exist.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from fastapi import Depends, Request

from matching.errors import NotFound, WerkmatchError

log = logging.getLogger(__name__)
State = Literal["running", "done", "failed"]


@dataclass
class Job:
    """One background action and what it has reported so far."""

    job_id: str
    kind: str
    owner: str
    started: dt.datetime
    state: State = "running"
    message: str = "Gestart…"
    done: int = 0
    total: int = 0
    result: Any = None
    error: str | None = None
    finished: dt.datetime | None = None
    reused: bool = False
    """Done at once with a result kept from an earlier job on the same data."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def report(self, message: str, done: int = 0, total: int = 0) -> None:
        """Progress from the worker: a message and optionally done/total units."""
        with self._lock:
            self.message, self.done, self.total = message, done, total

    @property
    def fraction(self) -> float | None:
        """Share done in [0, 1], None when the total is unknown."""
        return min(self.done / self.total, 1.0) if self.total > 0 else None

    @property
    def seconds(self) -> int:
        """Seconds since the start (until the end when finished)."""
        end = self.finished or dt.datetime.now(dt.UTC)
        return int((end - self.started).total_seconds())


Work = Callable[[Job], Any]


class JobRegistry:
    """Start jobs in threads and look them up by id for their owner (module doc)."""

    def __init__(self, keep: int = 50) -> None:
        self.keep = keep
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()

    def start(self, kind: str, owner: str, work: Work) -> Job:
        """Run ``work(job)`` in a daemon thread; its return value becomes ``job.result``."""
        job = Job(secrets.token_urlsafe(12), kind, owner, dt.datetime.now(dt.UTC))
        self._add(job)
        thread = threading.Thread(target=self._run, args=(job, work), daemon=True)
        thread.name = f"werkmatch-{kind}-{job.job_id}"
        thread.start()
        return job

    def reuse(self, kind: str, owner: str, result: Any) -> Job:
        """A job that is done at once with ``result`` (kept from an earlier one)."""
        now = dt.datetime.now(dt.UTC)
        job = Job(secrets.token_urlsafe(12), kind, owner, now, state="done", result=result,
                  finished=now, reused=True)  # fmt: skip
        self._add(job)
        return job

    def _add(self, job: Job) -> None:
        with self._lock:
            self._jobs[job.job_id] = job
            while len(self._jobs) > self.keep:
                self._jobs.popitem(last=False)

    def _run(self, job: Job, work: Work) -> None:
        try:
            result = work(job)
        except WerkmatchError as error:
            job.error, job.state = str(error), "failed"
        except Exception as error:  # a page must hear that its job died, not poll forever
            log.exception("background job %s (%s) failed", job.job_id, job.kind)
            job.error, job.state = f"Onverwachte fout: {type(error).__name__}", "failed"
        else:
            job.result, job.state = result, "done"
        finally:
            job.finished = dt.datetime.now(dt.UTC)

    def get(self, job_id: str, *, owner: str, kinds: tuple[str, ...]) -> Job:
        """The owner's job of one of ``kinds``; NotFound otherwise (also for others' jobs)."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None or job.owner != owner or job.kind not in kinds:
            raise NotFound(f"no job {job_id!r}")
        return job

    def wait(self, job_id: str, timeout: float = 30.0) -> Job:
        """Block until the job has finished (for tests and scripts)."""
        job = self._jobs[job_id]
        deadline = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=timeout)
        while job.state == "running" and dt.datetime.now(dt.UTC) < deadline:
            threading.Event().wait(0.05)
        return job


async def get_jobs(request: Request) -> JobRegistry:
    """The app's job registry (made when the pages are installed)."""
    jobs: JobRegistry = request.app.state.jobs
    return jobs


JobsDep = Annotated[JobRegistry, Depends(get_jobs)]
