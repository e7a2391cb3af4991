"""Background jobs: import, training, evaluation reports, the nightly allocation.

One interface (``Jobs``: submit, get, list, cancel) over two backends — procrastinate on
PostgreSQL, threads of the asking process on SQLite — with the job rows in the store, so every
process reads a job's state, progress and result (docs/scaling.md says why procrastinate).
Rooms register their kinds of job (``kinds.register``); ``builtin`` holds ours.
"""

from matching.jobs import builtin as builtin
from matching.jobs.kinds import JobCancelled, Kind, Progress, Work, register
from matching.jobs.rows import JobView
from matching.jobs.service import Jobs

__all__ = ["JobCancelled", "JobView", "Jobs", "Kind", "Progress", "Work", "register"]
