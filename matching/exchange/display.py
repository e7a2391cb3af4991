"""Showing an import in the terminal: a progress bar per file and the summary table (rich)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich import box
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from matching.dutch import FILE_KINDS
from matching.exchange.importing import Progress as ProgressCallback
from matching.exchange.report import ImportReport


@contextmanager
def import_progress(console: Console | None = None) -> Iterator[ProgressCallback]:
    """A progress callback drawing one bar per file (bytes for CSV, rows for .xlsx)."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=False) as bar:
        tasks: dict[str, TaskID] = {}

        def update(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name, total=total or None)
            bar.update(tasks[name], completed=done, total=total or None)

        yield update


def summary_table(report: ImportReport) -> Table:
    """Inserted / updated / unchanged / rejected per file, with totals (warnings follow it)."""
    title = "Import (proef: niets opgeslagen)" if report.dry_run else "Import"
    table = Table(title=title, box=box.SIMPLE_HEAD)
    for name in ("bestand", "soort", "nieuw", "bijgewerkt", "ongewijzigd", "geweigerd"):
        text = name in {"bestand", "soort"}
        table.add_column(
            name, justify="left" if text else "right", no_wrap=True, min_width=len(name)
        )
    for file in report.files:
        rejected = "heel bestand" if file.file_error else str(file.rejected)
        table.add_row(
            file.file,
            FILE_KINDS.get(file.entity, file.entity) if file.entity else "onbekend",
            str(file.inserted),
            str(file.updated),
            str(file.unchanged),
            f"[red]{rejected}[/red]" if file.file_error or file.rejected else rejected,
        )
    table.add_row(
        "totaal",
        "",
        *(str(report.total(name)) for name in ("inserted", "updated", "unchanged", "rejected")),
        style="bold",
    )
    return table


def print_report(console: Console, report: ImportReport, *, max_errors: int = 50) -> None:
    """The summary table, then file problems, warnings and the first ``max_errors`` row errors."""
    console.print(summary_table(report))
    for warning in report.warnings:
        console.print(f"[yellow]waarschuwing[/yellow] {warning}")
    shown = 0
    for file in report.files:
        if file.file_error:
            console.print(f"[red]geweigerd[/red] {file.file}: {file.file_error}")
        for warning in file.warnings:
            console.print(f"[yellow]waarschuwing[/yellow] {file.file}: {warning}")
        for error in file.errors:
            if shown < max_errors:
                value = f" (waarde: {error.value!r})" if error.value else ""
                console.print(f"[red]fout[/red] {error}{value}", highlight=False)
            shown += 1
    if shown > max_errors:
        console.print(f"… en nog {shown - max_errors} fouten in rijen (--json toont ze allemaal)")
