"""``werkmatch evaluate`` and ``python -m evaluation``: one command, one report.

Defaults: ``as_of`` today, ``to`` = ``as_of``, ``from`` one year before ``to``, ``start`` =
``from``. The period's dates are inclusive.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from evaluation.placement_report import Period
from matching import dutch
from matching.errors import InvalidInput, NotFound
from matching.settings import Settings

if TYPE_CHECKING:
    from evaluation.render import Written


def _date(text: str | None, what: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(f"--{what} must be a date YYYY-MM-DD, not {text!r}") from exc


def resolve_dates(
    date_from: str | None, date_to: str | None, as_of: str | None, start: str | None
) -> tuple[Period, dt.date, dt.date]:
    """(period, as_of, start) from the command-line texts and the defaults (module doc)."""
    day = _date(as_of, "as-of") or dt.date.today()
    end = _date(date_to, "to") or day
    begin = _date(date_from, "from") or end.replace(year=end.year - 1) + dt.timedelta(days=1)
    period = Period(begin, end)
    return period, day, _date(start, "start") or period.start


def evaluate(
    *,
    out: Path,
    date_from: str | None = None,
    date_to: str | None = None,
    as_of: str | None = None,
    start: str | None = None,
    k: int = 10,
    cutoff: str = "Q",
    backtest: bool = True,
    settings: Settings | None = None,
    programmes: Sequence[str] = (),
) -> tuple[Written, float]:
    """Build the report from the configured store and write it to ``out``; (files, seconds)."""
    from evaluation.backtest import BacktestOptions
    from evaluation.render import write_report
    from evaluation.report import build_report
    from matching.bootstrap import open_store

    period, day, begin = resolve_dates(date_from, date_to, as_of, start)
    store = open_store(settings or Settings())
    try:
        with store.sessions() as session:
            report = build_report(
                session, period=period, as_of=day, start=begin, backtest=backtest,
                options=BacktestOptions(k=k, freq=cutoff), programmes=programmes,
            )  # fmt: skip
    finally:
        store.engine.dispose()
    return write_report(report, out), report.seconds


def command(
    out: Annotated[Path, typer.Option("--out", help="Directory to write the report into.")],
    date_from: Annotated[
        str | None, typer.Option("--from", help="Period start, YYYY-MM-DD.")
    ] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Period end, YYYY-MM-DD.")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Evaluation date; default today.")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--start", help="Project start for 1/3/11 months and a year.")
    ] = None,
    k: Annotated[int, typer.Option(help="Shortlist length for the backtest.")] = 10,
    cutoff: Annotated[str, typer.Option(help="Model cut-off per month (M) or quarter (Q).")] = "Q",
    backtest: Annotated[
        bool, typer.Option(help="Run the ranking backtest and fairness audit.")
    ] = True,
    programme: Annotated[
        list[str] | None,
        typer.Option("--programme", help="Add the progress of this programme (id; repeatable)."),
    ] = None,
) -> None:
    """Write report.html, report.md, metrics.json and the charts (PNG) for a period."""
    try:
        written, seconds = evaluate(
            out=out, date_from=date_from, date_to=date_to, as_of=as_of, start=start, k=k,
            cutoff=cutoff, backtest=backtest, programmes=programme or (),
        )  # fmt: skip
    except (InvalidInput, NotFound) as error:
        typer.echo(f"evaluatie mislukt: {error}", err=True)
        raise typer.Exit(code=2) from error
    typer.echo(f"Rapport geschreven in {written.html.parent} ({dutch.number(seconds, 1)} s):")
    for path in (written.html, written.markdown, written.metrics, *written.charts):
        typer.echo(f"  {path.name}")
