"""``werkmatch jobs list|cancel|run-now|worker``: the background jobs (``matching.jobs``)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo

import typer

from matching.cli.common import console, err_console
from matching.errors import WerkmatchError
from matching.settings import Settings

if TYPE_CHECKING:
    from matching.jobs import Jobs, JobView

jobs_app = typer.Typer(
    help="Background jobs: list, cancel, run now, run a worker.", no_args_is_help=True
)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
RUN_NOW = ("allocate", "train")
"""The kinds that need no parameters (what the schedule starts)."""


def register(app: typer.Typer) -> None:
    """Add ``jobs`` to the ``werkmatch`` app."""
    app.add_typer(jobs_app, name="jobs")


@contextmanager
def opened() -> Iterator[Jobs]:
    """The jobs of the configured store; core errors end the command with exit code 1."""
    from matching.bootstrap import open_store
    from matching.jobs import Jobs

    settings = Settings()
    store = open_store(settings)
    jobs = Jobs(store, settings)
    try:
        yield jobs
    except WerkmatchError as error:
        err_console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from error
    finally:
        jobs.close()
        store.engine.dispose()


def when(moment: dt.datetime | None) -> str:
    """``03-12-2026 17:05`` in Europe/Amsterdam, or a dash."""
    return moment.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M") if moment else "–"


def kind_label(name: str) -> str:
    """The Dutch name of a kind of job."""
    from matching.jobs import kinds

    try:
        return kinds.get(name).label
    except WerkmatchError:
        return name


def outcome(job: JobView) -> str:
    """One line on where a job stands or how it ended."""
    if job.state == "failed":
        return f"mislukt: {job.error}"
    if job.state == "done" and isinstance(job.result, str):
        return f"klaar: {job.result}"
    return f"{job.state_label}: {job.message}"


@jobs_app.command("list")
def list_jobs(
    limit: Annotated[int, typer.Option(help="Newest jobs shown.")] = 30,
) -> None:
    """The newest jobs of every organisation, with their state."""
    from rich.table import Column, Table

    with opened() as jobs:
        found = jobs.list(None, limit=limit)
    if not found:
        console.print("Geen taken.")
        return
    table = Table("Soort", "Status", "Gevraagd", "Door", "Pogingen", "Bericht")
    table.columns.insert(0, Column("Taak", no_wrap=True))  # whole, to copy into jobs cancel
    for job in found:
        message = job.error if job.state == "failed" else job.message
        table.add_row(
            job.job_id, kind_label(job.kind), job.state_label, when(job.created), job.owner,
            str(job.attempts), message or "",
        )  # fmt: skip
    console.print(table)


@jobs_app.command("cancel")
def cancel(
    job_id: Annotated[str, typer.Argument(help="The job's id (werkmatch jobs list).")],
) -> None:
    """Cancel a queued or running job (a running one stops at its next step, nothing kept)."""
    with opened() as jobs:
        job = jobs.cancel(job_id, None)
    if job.state == "cancelled":
        console.print(f"Taak {job_id} is geannuleerd.")
    else:
        console.print(f"Taak {job_id} stopt bij haar volgende stap; er wordt niets opgeslagen.")


@jobs_app.command("run-now")
def run_now(
    kind: Annotated[str, typer.Argument(help="allocate or train.")],
    wait: Annotated[bool, typer.Option(help="Wait for the end (SQLite: always).")] = True,
    timeout: Annotated[float, typer.Option(help="Seconds to wait at most.")] = 3600.0,
) -> None:
    """Start a scheduled job now: the allocation of proposals or training the model."""
    from matching.access.users import Principal

    if kind not in RUN_NOW:
        err_console.print(f"[red]Nu starten kan alleen: {', '.join(RUN_NOW)}.[/red]")
        raise typer.Exit(2)
    with opened() as jobs:
        job_id = jobs.submit(kind, {}, Principal.command_line())
        console.print(f"Taak {job_id} ({kind_label(kind)}) is gestart.")
        if not wait and jobs.backend.name != "local":
            return
        job = jobs.wait(job_id, timeout=timeout)
    console.print(f"Taak {job_id}: {outcome(job)}")
    if job.state == "failed":
        raise typer.Exit(1)


@jobs_app.command("worker")
def worker() -> None:
    """Run a job worker here until stopped (PostgreSQL; on SQLite jobs run where started)."""
    with opened() as jobs:
        run = getattr(jobs.backend, "run_worker", None)
        if run is None:
            err_console.print(
                "Op SQLite lopen taken in het proces dat ze start; een worker is niet nodig."
            )
            raise typer.Exit(1)
        console.print("Worker gestart; stoppen met Ctrl+C.")
        try:
            asyncio.run(run())
        except KeyboardInterrupt:
            console.print("Worker gestopt.")
