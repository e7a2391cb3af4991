"""Background jobs through the one interface, on SQLite (threads) and PostgreSQL
(procrastinate): result and progress, failures, scope per organisation, cancel."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine, select

from matching.errors import Conflict, NotFound
from matching.jobs import Jobs, JobView, rows
from matching.jobs.runner import RowProgress
from matching.settings import Settings
from matching.store import models
from matching.store.db import transaction
from tests.matching.jobs.job_fixture import (
    ADMIN_A,
    ADMIN_B,
    GO,
    MANAGER_A,
    add_principals,
    settings_of,
    store_of,
)


@pytest.fixture
def jobs(engine: Engine, tmp_path: Path) -> Iterator[Jobs]:
    """The jobs of the per-test store."""
    store = store_of(engine)
    add_principals(store)
    opened = Jobs(store, settings_of(engine, tmp_path))
    yield opened
    opened.close()


def finish(jobs: Jobs, job_id: str) -> JobView:
    """Run what is queued (PostgreSQL: a worker until idle) and return the job at its end."""
    if jobs.backend.name == "procrastinate":
        asyncio.run(jobs.backend.run_worker(wait=False))  # type: ignore[attr-defined]
    return jobs.wait(job_id, timeout=30)


def test_result_progress_and_who_asked(jobs: Jobs) -> None:
    job_id = jobs.submit("test-echo", {"value": 3}, MANAGER_A)
    assert jobs.get(job_id, MANAGER_A).state in ("queued", "running", "done")
    done = finish(jobs, job_id)
    assert (done.state, done.attempts, done.error) == ("done", 1, None)
    assert done.result == {"params": {"value": 3}, "who": "manager-a"}
    assert done.message == "Klaar."


def test_progress_in_the_row_is_read_by_anyone_who_may(jobs: Jobs) -> None:
    """PostgreSQL's workers write progress to the row (SQLite keeps it in the running
    process, whose transaction holds the one writer)."""
    job_id = jobs.submit("test-echo", {}, MANAGER_A)
    if jobs.backend.name == "local":
        jobs.wait(job_id)  # else it stays queued: no worker runs here
    RowProgress(jobs.store, job_id).report("Bezig met kandidaten.csv", 1, 4)
    seen = jobs.get(job_id, ADMIN_A)
    assert (seen.message, seen.fraction) == ("Bezig met kandidaten.csv", 0.25)


def test_failures_are_recorded_in_dutch(jobs: Jobs) -> None:
    refused = jobs.submit("test-echo", {"fail": "invalid"}, ADMIN_A)
    crashed = jobs.submit("test-echo", {"fail": "crash"}, ADMIN_A)
    assert (finish(jobs, refused).state, jobs.get(refused, None).error) == (
        "failed", "Slechte periode.",
    )  # fmt: skip
    assert finish(jobs, crashed).error == "Onverwachte fout: RuntimeError"
    with pytest.raises(NotFound, match="Onbekende soort taak"):
        jobs.submit("no-such-kind", {}, ADMIN_A)


def test_job_ids_can_be_typed_after_werkmatch_jobs_cancel(jobs: Jobs) -> None:
    """Hexadecimal: an id that began with '-' (url-safe base64 did, one in 64) was read by
    the command line as an option (a CI failure of test_run_now_list_and_cancel)."""
    ids = [jobs.submit("test-echo", {}, MANAGER_A) for _ in range(20)]
    assert all(re.fullmatch(r"[0-9a-f]{22}", job_id) for job_id in ids)


def test_a_finished_job_keeps_its_end(jobs: Jobs) -> None:
    """A reaper that read the job as running just before it ended cannot overwrite its end
    (the race that once turned 'Slechte periode.' into 'Afgebroken')."""
    job_id = jobs.submit("test-echo", {"fail": "invalid"}, ADMIN_A)
    assert finish(jobs, job_id).error == "Slechte periode."
    with transaction(jobs.store.sessions) as session:
        rows.set_state(session, job_id, "failed", error="Afgebroken")
    assert (jobs.get(job_id, None).state, jobs.get(job_id, None).error) == (
        "failed", "Slechte periode.",
    )  # fmt: skip


def test_a_job_is_seen_within_its_organisation_only(jobs: Jobs) -> None:
    job_id = jobs.submit("test-echo", {}, MANAGER_A)
    finish(jobs, job_id)
    assert jobs.get(job_id, MANAGER_A).job_id == job_id  # who started it
    assert jobs.get(job_id, ADMIN_A).job_id == job_id  # an admin of the same organisation
    assert jobs.get(job_id, None).job_id == job_id  # the command line
    for other in (ADMIN_B,):
        with pytest.raises(NotFound):
            jobs.get(job_id, other)
        with pytest.raises(NotFound):
            jobs.cancel(job_id, other)
        assert [j.job_id for j in jobs.list(other)] == []
    assert [j.job_id for j in jobs.list(ADMIN_A)] == [job_id]
    with pytest.raises(NotFound):
        jobs.get(job_id, MANAGER_A, ("evaluation",))  # another kind's page


def test_a_queued_job_cancelled_never_runs(jobs: Jobs, engine: Engine) -> None:
    GO.set()
    job_id = jobs.submit("test-employer", {}, ADMIN_A) if jobs.backend.name != "local" else None
    if job_id is None:
        pytest.skip("local jobs start at once (see test_a_running_job_cancelled_keeps_nothing)")
    assert jobs.cancel(job_id, ADMIN_A).state == "cancelled"
    assert finish(jobs, job_id).state == "cancelled"
    with pytest.raises(Conflict, match="al geannuleerd"):
        jobs.cancel(job_id, ADMIN_A)
    with store_of(engine).sessions() as session:
        assert session.scalars(select(models.Employer.employer_id)).all() == []


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_a_running_job_cancelled_keeps_nothing(jobs: Jobs, engine: Engine) -> None:
    GO.clear()
    job_id = jobs.submit("test-employer", {}, ADMIN_A)
    while jobs.get(job_id, None).state == "queued":  # started: it waits for GO
        time.sleep(0.01)
    assert jobs.cancel(job_id, ADMIN_A).state == "running"  # stops at its next report
    GO.set()
    ended = jobs.wait(job_id)
    assert (ended.state, ended.message) == ("cancelled", "Geannuleerd; er is niets opgeslagen.")
    with store_of(engine).sessions() as session:
        assert session.scalars(select(models.Employer.employer_id)).all() == []


def test_the_schedule_setting_is_cron_or_empty() -> None:
    assert Settings(jobs_allocation_cron=" 30 2 * * * ").jobs_allocation_cron == "30 2 * * *"
    assert Settings(jobs_training_cron="").jobs_training_cron == ""
    with pytest.raises(ValidationError, match="cron"):
        Settings(jobs_allocation_cron="elke nacht")


def test_the_worker_loop_ends_when_its_worker_swallows_the_cancellation() -> None:
    """procrastinate's worker returns quietly when cancelled; the loop that restarts it after
    errors must still end (it once restarted it for ever and hung the app's shutdown)."""
    from matching.jobs.service import _keep_running

    async def worker_like_procrastinate() -> None:
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.sleep(60)

    async def serve_then_stop() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(_keep_running(worker_like_procrastinate, stop))
        await asyncio.sleep(0.01)
        stop.set()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 5)

    asyncio.run(serve_then_stop())


def test_the_shutdown_leaves_a_worker_that_waits_for_its_job() -> None:
    """A worker whose running job does not end (procrastinate waits for it without a limit)
    must not hang the app's shutdown: it is left after the grace time."""
    from matching.jobs.service import _keep_running, _stop

    async def serve_then_stop(job_ends_first: bool) -> tuple[bool, bool]:
        stop, job_ended = asyncio.Event(), asyncio.Event()

        async def worker_waiting_for_its_job() -> None:
            try:
                await asyncio.sleep(60)
            except asyncio.CancelledError:
                await job_ended.wait()  # a graceful stop: the running job first

        task = asyncio.create_task(_keep_running(worker_waiting_for_its_job, stop))
        await asyncio.sleep(0.01)
        if job_ends_first:
            job_ended.set()
        ended = await asyncio.wait_for(_stop(task, stop, 0.2), 5)
        job_ended.set()  # the job ends later; the loop then ends on its own
        await asyncio.wait_for(task, 5)
        return ended, task.done()

    assert asyncio.run(serve_then_stop(job_ends_first=False)) == (False, True)
    assert asyncio.run(serve_then_stop(job_ends_first=True)) == (True, True)
