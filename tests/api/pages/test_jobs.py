"""The in-process job registry: results, failures, progress, owners."""

from __future__ import annotations

import pytest

from api.pages.jobs import Job, JobRegistry
from matching.errors import InvalidInput, NotFound


def test_result_progress_and_owner() -> None:
    jobs = JobRegistry()

    def work(job: Job) -> int:
        job.report("halfway", 1, 2)
        assert job.fraction == 0.5
        return 42

    started = jobs.start("import", "ann", work)
    done = jobs.wait(started.job_id)
    assert (done.state, done.result, done.message) == ("done", 42, "halfway")
    assert jobs.get(started.job_id, owner="ann", kinds=("import",)) is done
    with pytest.raises(NotFound):
        jobs.get(started.job_id, owner="bob", kinds=("import",))
    with pytest.raises(NotFound):
        jobs.get(started.job_id, owner="ann", kinds=("train",))


def test_failures_are_reported_not_raised() -> None:
    jobs = JobRegistry(keep=1)

    def refuse(job: Job) -> None:
        raise InvalidInput("bad period")

    def crash(job: Job) -> None:
        raise RuntimeError("boom")

    first = jobs.wait(jobs.start("evaluation", "ann", refuse).job_id)
    assert (first.state, first.error) == ("failed", "bad period")
    second = jobs.wait(jobs.start("evaluation", "ann", crash).job_id)
    assert second.state == "failed" and second.error == "Onverwachte fout: RuntimeError"
    with pytest.raises(NotFound):  # only the newest `keep` jobs are kept
        jobs.get(first.job_id, owner="ann", kinds=("evaluation",))
