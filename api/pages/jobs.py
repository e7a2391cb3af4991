"""The pages' long-running actions (import, training, evaluation) are background jobs of
``matching.jobs``: their rows are in the store, so a page polling a job may land on any worker
process and still find it, and the job survives a restart of the process that served the
page (on PostgreSQL). This module gives the pages the process's ``Jobs`` (made by the app's
lifespan) and the shared answer to 'cancel this job'.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from matching.jobs import Jobs


async def get_jobs(request: Request) -> Jobs:
    """The process's jobs (made in the app's lifespan)."""
    jobs: Jobs = request.app.state.jobs
    return jobs


JobsDep = Annotated[Jobs, Depends(get_jobs)]
