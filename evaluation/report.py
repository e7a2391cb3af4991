"""The evaluation report: placements, acquisition funnel, ranking quality and fairness.

``build_report(session, period=..., as_of=...)`` reads the store through ``matching`` and
returns a :class:`Report` of plain tables; ``evaluation.render`` turns it into HTML, Markdown
and JSON, ``evaluation.charts`` draws the charts. Everything is as known at ``as_of``: later
placements, contacts and end dates are invisible.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from evaluation.backtest import BacktestOptions, BacktestRuns, run_backtest
from evaluation.fairness_report import MIN_COUNT, FairnessSection, fairness_section
from evaluation.funnel_report import FunnelSection, funnel_section
from evaluation.placement_report import Period, PlacementSection, placement_section
from evaluation.programme_report import load_progress, programme_dict
from evaluation.ranking_quality import (
    calibration_rows,
    calibration_summary,
    exposure,
    hire_reasons,
    ranking_metrics,
)
from matching import dutch
from matching.access.users import Principal
from matching.errors import InvalidInput
from matching.history import audit_attributes, municipality_names, placement_history
from matching.whitespots import white_spot_ids
from matching.whitespots.acquisition import funnel_history

LIMITATIONS = (
    "De backtest gebruikt de huidige kenmerken van kandidaten (competenties, uren, adres, "
    "beschikbaarheid): het bestand bewaart geen eerdere versies en geen inschrijfdatum. De "
    "kandidatenpool van een vroegere datum is dus de pool van nu, en iemand die nu 'inactief' "
    "is telt toen als actief.",
    "Een voorstel telt met zijn huidige uitkomst (afgewezen, teruggetrokken); alleen voorstellen "
    "van minstens 6 maanden + 1 dag + 90 dagen vóór de peildatum krijgen een label.",
    "Modellen worden per snijdatum alleen getraind op voorstellen en plaatsingen vóór die datum; "
    "bij te weinig historie of als het model slechter is dan de beginweging, telt de "
    "beginweging (zoals werkmatch dan ook doet).",
    "Lopende plaatsingen jonger dan 6 maanden + 1 dag zijn 'lopend', nooit 'mislukt'.",
)


@dataclass(frozen=True)
class RankingSection:
    """Backtest results: metrics per ranker, hire reasons, calibration, exposure, models."""

    metrics: pd.DataFrame
    reasons: pd.DataFrame
    calibration: dict[str, Any]
    exposure: pd.DataFrame
    models: pd.DataFrame
    vacancies: int
    filled: int


@dataclass(frozen=True)
class Report:
    """Everything the report shows, as plain values and DataFrames."""

    period: Period
    as_of: dt.date
    start: dt.date
    generated_at: dt.datetime
    placements: PlacementSection
    funnel: FunnelSection
    ranking: RankingSection | None
    fairness: FairnessSection | None
    municipalities: dict[str, str] = field(default_factory=dict)
    programmes: list[Any] = field(default_factory=list)  # ``ProgrammeProgress`` per programme
    limitations: tuple[str, ...] = LIMITATIONS
    seconds: float = 0.0


def ranking_section(backtest: BacktestRuns) -> RankingSection:
    """Ranking quality, calibration and exposure of a backtest."""
    models = pd.DataFrame(
        [
            {
                "cutoff": m.cutoff,
                "scorer": m.scorer.version,
                "note": m.note,
                "rows": m.rows,
                "positives": m.positives,
            }
            for m in sorted(backtest.models, key=lambda m: m.cutoff)
        ]
    )
    return RankingSection(
        metrics=ranking_metrics(backtest),
        reasons=hire_reasons(backtest),
        calibration=calibration_summary(calibration_rows(backtest)),
        exposure=exposure(backtest),
        models=models,
        vacancies=len(backtest.runs),
        filled=sum(1 for r in backtest.runs if r.hires),
    )


@dataclass
class ReportSteps:
    """The report's progress on one scale, each step weighted by the time it took on the demo
    region (1,358 vacancies: reading 4 s, the backtest 68 s, ranking and fairness 10 s): reading
    and ranking count as a 20th and a 7th of the vacancies, the placement tables as one.

    >>> heard = []
    >>> steps = ReportSteps(lambda message, done, total: heard.append((done, total)))
    >>> steps.at("lezen", "read"); steps.vacancies(0, 140); steps.vacancies(140, 140)
    >>> steps.at("rangschikking", "rank"); steps.at("tabellen", "tables")
    >>> heard
    [(0, 3), (7, 168), (147, 168), (147, 168), (167, 168)]
    """

    report: Callable[[str, int, int], None] | None
    backtest: bool = True
    vacancies_total: int = 0

    def _units(self) -> tuple[int, int, int]:
        """Units of reading, of ranking and fairness, and of everything."""
        n = self.vacancies_total
        read, rank = (max(1, n // 20), max(1, n // 7)) if self.backtest else (1, 0)
        return read, rank, read + n + rank + 1

    def at(self, message: str, step: Literal["read", "rank", "tables"]) -> None:
        """A step begins."""
        read, _rank, total = self._units()
        begins = {"read": 0, "rank": read + self.vacancies_total}
        if self.report is not None:
            self.report(message, begins.get(step, total - 1), total)

    def vacancies(self, done: int, total: int) -> None:
        """``done`` of the backtest's ``total`` vacancies are through."""
        self.vacancies_total = total
        read, _rank, units = self._units()
        if self.report is not None:
            message = f"Backtest: vacature {dutch.number(done)} van {dutch.number(total)}…"
            self.report(message, read + done, units)


def build_report(
    session: Session,
    *,
    period: Period,
    as_of: dt.date | None = None,
    start: dt.date | None = None,
    backtest: bool = True,
    options: BacktestOptions | None = None,
    min_count: int = MIN_COUNT,
    programmes: Sequence[str] = (),
    progress: Callable[[str, int, int], None] | None = None,
) -> Report:
    """Build the report for ``period`` as known at ``as_of`` (default: the period's end).

    ``start`` is the project start for the 1/3/11-month checkpoints and the one-year
    retention (default: the period's start). ``backtest=False`` skips ranking and fairness.
    ``programmes``: ids of programmes whose progress gets a section (``evaluation.programmes``).
    ``progress(message, done, total)`` hears of each step in Dutch, the backtest's vacancies
    included (``ReportSteps``).
    """
    began = time.perf_counter()
    as_of = as_of or period.end
    start = start or period.start
    if as_of < period.start:
        raise InvalidInput(f"as_of {as_of} lies before the period starts ({period.start})")
    steps = ReportSteps(progress, backtest=backtest)
    steps.at("Plaatsingen en acquisitie lezen…", "read")
    placements = placement_history(session, until=as_of)
    spots = white_spot_ids(session, as_of=period.start - dt.timedelta(days=1))
    funnel = funnel_section(
        funnel_history(session, start=period.start, end=min(period.end, as_of)),
        funnel_history(session, start=start, end=as_of),
        spots,
        start=start,
        as_of=as_of,
    )
    ranking = fairness = None
    if backtest:
        runs = run_backtest(
            session, period=period, as_of=as_of, options=options, progress=steps.vacancies
        )
        steps.at("Rankingkwaliteit en fairness berekenen…", "rank")
        ranking = ranking_section(runs)
        fairness = fairness_section(
            runs, audit_attributes(session), calibration_rows(runs), as_of=as_of,
            min_count=min_count,
        )  # fmt: skip
    steps.at("Plaatsingen per groep en gemeente tellen…", "tables")
    section = placement_section(placements, period=period, as_of=as_of, start=start)
    return Report(
        period=period,
        as_of=as_of,
        start=start,
        generated_at=dt.datetime.now(dt.UTC),
        placements=section,
        funnel=funnel,
        ranking=ranking,
        fairness=fairness,
        municipalities=municipality_names(session),
        programmes=[
            load_progress(session, pid, as_of=as_of, principal=Principal.command_line())
            for pid in programmes
        ],
        seconds=round(time.perf_counter() - began, 2),
    )


def plain(value: Any) -> Any:
    """A JSON-ready value: DataFrames as records, dates as ISO text, NaN/NA as None."""
    if isinstance(value, pd.DataFrame):
        return [plain(r) for r in value.to_dict("records")]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dt.date | pd.Timestamp):
        return value.isoformat()
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating | float):
        return None if math.isnan(value) else float(value)
    if value is pd.NA or value is pd.NaT or value is None:
        return None
    return value


def report_dict(report: Report) -> dict[str, Any]:
    """The report as one JSON-ready dict (``metrics.json``)."""
    p, f = report.placements, report.funnel
    out: dict[str, Any] = {
        "period": {"from": report.period.start, "to": report.period.end},
        "as_of": report.as_of,
        "start": report.start,
        "generated_at": report.generated_at.isoformat(timespec="seconds"),
        "seconds": report.seconds,
        "placements": {
            "totals": p.totals,
            **p.tables,
            "municipality_flows": p.municipalities,
            "checkpoints": p.checkpoints,
            "retention": p.retention,
        },
        "acquisition": {
            "totals": f.totals,
            "by_white_spot": f.by_white_spot,
            "white_spots_contacted": f.white_spots_contacted,
            "white_spots_placed": f.white_spots_placed,
            "supply_driven_contacts": f.supply_driven_contacts,
            "supply_driven": f.supply_driven,
            "checkpoints": f.checkpoints,
        },
        "limitations": list(report.limitations),
    }
    if report.programmes:
        out["programmes"] = [programme_dict(progress) for progress in report.programmes]
    if report.ranking is not None:
        out["ranking"] = {
            k: getattr(report.ranking, k)
            for k in (
                "metrics",
                "reasons",
                "calibration",
                "exposure",
                "models",
                "vacancies",
                "filled",
            )
        }
    if report.fairness is not None:
        fr = report.fairness
        out["fairness"] = {
            "min_count": fr.min_count, "selection": fr.selection, "four_fifths": fr.four_fifths,
            "calibration": fr.calibration, "scores": fr.scores,
        }  # fmt: skip
    return dict(plain(out))
