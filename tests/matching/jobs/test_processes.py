"""Jobs across processes: one process asks, another reads or runs; a worker that dies
mid-job leaves a job that is retried (PostgreSQL) or marked failed (SQLite), nothing
half-written."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from matching.access.users import Principal
from matching.jobs import Jobs
from matching.jobs.local import DIED
from matching.jobs.queue import DIED as DIED_AGAIN
from matching.jobs.queue import RETRIED, QueueBackend
from matching.store.db import transaction
from matching.store.jobs import BackgroundJob
from tests.matching.jobs.job_fixture import ADMIN_A, add_principals, settings_of, store_of

ROOT = Path(__file__).parents[3]
CHILD = """
import asyncio, json, sys
from matching.bootstrap import open_store
from matching.jobs import Jobs
from matching.access.users import Principal
from matching.settings import Settings
import tests.matching.jobs.job_fixture  # the test kinds
settings = Settings(database_url=sys.argv[1], var_dir=sys.argv[2])
jobs = Jobs(open_store(settings), settings)
if sys.argv[3] == "read":
    job = jobs.get(sys.argv[4], None)
    print(json.dumps({"state": job.state, "result": job.result}))
elif sys.argv[3] == "worker":
    asyncio.run(jobs.backend.run_worker(wait=sys.argv[4] == "wait"))
else:  # submit a job that waits for a file, then run it here (SQLite) until killed
    job_id = jobs.submit("test-wait", {"release": sys.argv[4]}, Principal.command_line())
    print(job_id, flush=True)
    jobs.wait(job_id, timeout=60)
"""


@pytest.fixture
def jobs(engine: Engine, tmp_path: Path) -> Iterator[Jobs]:
    """The jobs of the per-test store."""
    store = store_of(engine)
    add_principals(store)
    opened = Jobs(store, settings_of(engine, tmp_path, jobs_stalled_seconds=10))
    yield opened
    opened.close()


def child(jobs: Jobs, *args: str) -> subprocess.Popen[str]:
    """Another werkmatch process on the same store."""
    url = jobs.store.engine.url.render_as_string(hide_password=False)
    command = [sys.executable, "-c", CHILD, url, str(jobs.settings.var_dir), *args]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)


def until(jobs: Jobs, job_id: str, state: str) -> None:
    """Wait (30 s at most) until the job is in ``state``."""
    for _ in range(600):
        if jobs.get(job_id, None).state == state:
            return
        time.sleep(0.05)
    raise AssertionError(f"{job_id} never {state}: {jobs.get(job_id, None)}")


def test_status_and_result_are_read_in_another_process(jobs: Jobs) -> None:
    job_id = jobs.submit("test-echo", {"value": 7}, ADMIN_A)
    if jobs.backend.name == "procrastinate":  # another process runs it: a worker until idle
        assert child(jobs, "worker", "idle").wait(60) == 0
    assert jobs.wait(job_id).state == "done"
    reader = child(jobs, "read", job_id)
    out, _ = reader.communicate(timeout=60)
    assert json.loads(out) == {"state": "done", "result": {"params": {"value": 7},
                                                           "who": "admin-a"}}  # fmt: skip
    ran_in = jobs.get(job_id, None).worker or ""
    assert ran_in.endswith(f":{os.getpid()}") == (jobs.backend.name == "local")


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_sqlite_a_job_whose_process_died_is_marked_failed(jobs: Jobs, tmp_path: Path) -> None:
    process = child(jobs, "submit", str(tmp_path / "never"))
    assert process.stdout is not None
    job_id = process.stdout.readline().strip()
    until(jobs, job_id, "running")
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    died = jobs.get(job_id, None)  # any process of the host sees the process is gone
    assert (died.state, died.error) == ("failed", DIED)


@pytest.mark.postgres
@pytest.mark.parametrize("engine", ["postgres"], indirect=True)
def test_postgres_a_job_whose_worker_died_is_retried(jobs: Jobs, tmp_path: Path) -> None:
    release = tmp_path / "release"
    job_id = jobs.submit("test-wait", {"release": str(release)}, ADMIN_A)
    worker = child(jobs, "worker", "wait")
    until(jobs, job_id, "running")
    worker.send_signal(signal.SIGKILL)
    worker.wait(30)
    with jobs.store.engine.begin() as conn:  # its heartbeat stops: long enough ago
        conn.execute(text("UPDATE procrastinate_workers SET last_heartbeat = now() - "
                          "interval '1 hour'"))  # fmt: skip
    backend = jobs.backend
    assert isinstance(backend, QueueBackend)
    assert asyncio.run(retry(backend)) == [job_id]
    assert (jobs.get(job_id, None).state, jobs.get(job_id, None).message) == ("queued", RETRIED)
    release.touch()
    asyncio.run(backend.run_worker(wait=False))
    again = jobs.wait(job_id)
    assert (again.state, again.attempts, again.result) == ("done", 2, "vrijgegeven")


async def retry(backend: QueueBackend) -> list[str]:
    """One round of the workers' periodic look for stalled jobs."""
    import procrastinate

    from matching.jobs.queue import conninfo

    app = backend.app(procrastinate.PsycopgConnector(conninfo=conninfo(backend.store)))
    async with app.open_async():
        return await backend.retry_stalled(app)


def test_after_the_last_try_a_stalled_job_fails(jobs: Jobs) -> None:
    job_id = jobs.submit("test-echo", {}, Principal.command_line())
    if jobs.backend.name == "local":
        jobs.wait(job_id)
    backend = QueueBackend(jobs.store, jobs.settings)  # the decision needs no queue
    with transaction(jobs.store.sessions) as session:
        row = session.get(BackgroundJob, job_id)
        assert row is not None
        row.state, row.attempts, row.worker = "running", 1, None
    assert backend.requeue_or_fail(job_id) is True
    with transaction(jobs.store.sessions) as session:
        session.get(BackgroundJob, job_id).state = "running"  # type: ignore[union-attr]
        session.get(BackgroundJob, job_id).attempts = 2  # type: ignore[union-attr]
    assert backend.requeue_or_fail(job_id) is False
    assert (jobs.get(job_id, None).state, jobs.get(job_id, None).error) == ("failed", DIED_AGAIN)


@pytest.mark.postgres
@pytest.mark.parametrize("engine", ["postgres"], indirect=True)
def test_postgres_the_schedule_queues_allocation_and_training(jobs: Jobs) -> None:
    backend = jobs.backend
    assert isinstance(backend, QueueBackend)
    app = backend.app(None)
    crons = {task.task.name: task.cron for task in app.periodic_registry.periodic_tasks.values()}
    assert crons["werkmatch.schedule.allocate"] == jobs.settings.jobs_allocation_cron
    assert crons["werkmatch.schedule.train"] == jobs.settings.jobs_training_cron
    app.tasks["werkmatch.schedule.allocate"](timestamp=0)  # what procrastinate runs at 02:30
    (queued,) = jobs.list(None)
    assert (queued.kind, queued.state, queued.owner) == ("allocate", "queued", "werkmatch:planning")
    quiet = QueueBackend(jobs.store, jobs.settings.model_copy(update={"jobs_training_cron": ""}))
    names = {task.task.name for task in quiet.app(None).periodic_registry.periodic_tasks.values()}
    assert "werkmatch.schedule.train" not in names and "werkmatch.schedule.allocate" in names
