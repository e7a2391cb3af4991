"""The evaluation page (project leader): the report for a chosen period, with its charts.

The report is built in a background job (``api.pages.jobs``): placements, funnel and, when
asked, the temporal backtest and fairness audit, which take longer. A finished report is kept
per data version (``evaluation.report_cache``): asked for again on the same data, it is there
at once, in the answer to the request itself. The page polls the job
and shows the report's sections (``evaluation.document``) in our own layout — the charts as
PNG data URIs, nothing inline that the CSP would refuse — with the self-contained HTML of
``werkmatch evaluate`` to download.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from api.middleware import csp_allowing_style
from api.pages.jobs import Job
from api.pages.rendering import Page, PageDep
from evaluation.charts import report_charts
from evaluation.document import document
from evaluation.layout import Chart, Section, Table
from evaluation.placement_report import Period
from evaluation.render import CSS, render_html
from evaluation.report import build_report
from evaluation.report_cache import ReportCache, ReportKey, report_key
from matching.access.audit import record
from matching.access.users import Principal
from matching.bootstrap import Store
from matching.errors import InvalidInput, NotFound

router = APIRouter(tags=["pages-evaluation"], include_in_schema=False)
KIND = "evaluation"
REPORT_CSP = csp_allowing_style(CSS)
"""The downloaded report keeps its one inline stylesheet (it must open on its own, from disk):
allowed by hash, so a browser that shows it from here logs no CSP violation."""


@dataclass(frozen=True)
class RenderedReport:
    """What the page shows: the sections, the charts as data URIs, the downloadable HTML."""

    title: str
    sections: list[dict[str, Any]]
    html: str
    file_name: str = "evaluatie.html"
    made_at: dt.datetime = dataclasses.field(default_factory=dt.datetime.now)


def page_sections(sections: list[Section], charts: dict[str, bytes]) -> list[dict[str, Any]]:
    """The report's sections as plain dicts for the template (charts as base64 PNG)."""
    out = []
    for section in sections:
        blocks: list[dict[str, Any]] = []
        for block in section.blocks:
            if isinstance(block, Table):
                blocks.append({"kind": "table", "headers": block.headers, "rows": block.rows})
            elif isinstance(block, Chart):
                if block.name in charts:
                    data = base64.b64encode(charts[block.name]).decode("ascii")
                    blocks.append({"kind": "chart", "caption": block.caption, "data": data})
            else:
                blocks.append({"kind": "text", "text": block})
        out.append({"title": section.title, "level": min(section.level + 1, 4), "blocks": blocks})
    return out


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last twelve whole months up to today."""
    start = today.replace(day=1)
    start = start.replace(year=start.year - 1)
    return start, today


def report_work(
    store: Store,
    principal: Principal,
    period: Period,
    as_of: dt.date,
    *,
    backtest: bool,
    keep: Callable[[RenderedReport], None] = lambda _report: None,
) -> Callable[[Job], RenderedReport]:
    """The job body: build the report, draw the charts, audit it, ``keep`` the result."""

    def work(job: Job) -> RenderedReport:
        job.report("Gegevens lezen en indicatoren berekenen…", 1, 4)
        with store.lagging_reads() as reader:  # the replica, when there is one
            report = build_report(reader, period=period, as_of=as_of, backtest=backtest)
        with store.sessions() as session:
            _audit(session, principal, period, as_of, backtest=backtest)
            session.commit()
        job.report("Grafieken tekenen…", 2, 4)
        charts = report_charts(report)
        job.report("Rapport opmaken…", 3, 4)
        sections = page_sections(document(report), charts)
        name = report_file_name(principal.organisation_id, period)
        rendered = RenderedReport(
            f"Evaluatie {period}", sections, render_html(report, charts), name
        )
        keep(rendered)
        return rendered

    return work


def _audit(
    session: Session, principal: Principal, period: Period, as_of: dt.date, *, backtest: bool
) -> None:
    """Record that ``principal`` asked for the report (built anew or kept)."""
    record(
        session, principal, "evaluation.report", object_type="report",
        detail={"period": str(period), "as_of": as_of.isoformat(), "backtest": backtest},
    )  # fmt: skip


def report_file_name(organisation_id: str | None, period: Period) -> str:
    """``evaluatie-<organisation>-<from>-tot-<to>.html``, so reports of several organisations
    and periods can stand side by side."""
    who = re.sub(r"[^a-z0-9]+", "-", (organisation_id or "werkmatch").lower()).strip("-")
    return f"evaluatie-{who}-{period.start:%d-%m-%Y}-tot-{period.end:%d-%m-%Y}.html"


async def get_reports(request: Request) -> ReportCache[RenderedReport]:
    """The app's cache of built reports (made when the pages are installed)."""
    reports: ReportCache[RenderedReport] = request.app.state.reports
    return reports


ReportsDep = Annotated[ReportCache[RenderedReport], Depends(get_reports)]


@router.get("/evaluatie", response_class=HTMLResponse)
def evaluation_page(page: PageDep) -> HTMLResponse:
    """The period form."""
    start, end = default_period(dt.date.today())
    return page.render("evaluation.html", active="evaluatie", start=start, end=end, as_of=end)


@router.post("/evaluatie/rapport", response_class=HTMLResponse)
def start_report(
    page: PageDep,
    cache: ReportsDep,
    start: Annotated[dt.date, Form(alias="van")],
    end: Annotated[dt.date, Form(alias="tot")],
    as_of: Annotated[dt.date | None, Form(alias="peildatum")] = None,
    backtest: Annotated[bool, Form()] = False,
) -> HTMLResponse:
    """Start building the report; answer with the job's progress."""
    try:
        period = Period(start, end)
    except InvalidInput:
        return _fragment_or_page(
            page, "partials/form_error.html", 422,
            message="De periode eindigt vóór ze begint.", start=start, end=end, as_of=as_of,
        )  # fmt: skip
    as_of = as_of or end
    key = report_key(page.reads, (page.principal.organisation_id, period, as_of, backtest))
    if (kept := cache.get(key)) is not None:
        _audit(page.session, page.principal, period, as_of, backtest=backtest)
        job = page.jobs.reuse(KIND, page.principal.user_id, kept)
    else:
        job = page.jobs.start(
            KIND, page.principal.user_id, _build(page, cache, key, period, as_of, backtest)
        )
    return _fragment_or_page(
        page, "partials/job.html", 200 if job.reused else 202, job=job,
        job_url="/evaluatie/taken/", job_template="partials/job_evaluation.html", start=start,
        end=end, as_of=as_of,
    )  # fmt: skip


def _build(
    page: Page,
    cache: ReportCache[RenderedReport],
    key: ReportKey,
    period: Period,
    as_of: dt.date,
    backtest: bool,
) -> Callable[[Job], RenderedReport]:
    """The job that builds the report and keeps it under ``key``."""
    return report_work(
        page.store, page.principal, period, as_of, backtest=backtest,
        keep=lambda rendered: cache.put(key, rendered),
    )  # fmt: skip


@router.get("/evaluatie/taken/{job_id}", response_class=HTMLResponse)
def report_status(job_id: str, page: PageDep) -> HTMLResponse:
    """The progress of a report job, and the report when it is done."""
    try:
        job = page.jobs.get(job_id, owner=page.principal.user_id, kinds=(KIND,))
    except NotFound:
        return _fragment_or_page(
            page, "partials/form_error.html", 404, message="Dit rapport is onbekend of verlopen."
        )
    return _fragment_or_page(
        page, "partials/job.html", 200, job=job, job_url="/evaluatie/taken/",
        job_template="partials/job_evaluation.html",
    )  # fmt: skip


@router.get("/evaluatie/taken/{job_id}/rapport.html")
def report_download(job_id: str, page: PageDep) -> Response:
    """The finished report as the self-contained HTML file of ``werkmatch evaluate``."""
    try:
        job = page.jobs.get(job_id, owner=page.principal.user_id, kinds=(KIND,))
    except NotFound:
        return page.error(404, "Dit rapport is onbekend of verlopen.", active="evaluatie")
    if job.state != "done":
        return page.error(409, "Het rapport is nog niet klaar.", active="evaluatie")
    return Response(
        job.result.html,
        media_type="text/html; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{job.result.file_name}"',
            "Content-Security-Policy": REPORT_CSP,
        },
    )


def _fragment_or_page(page: Page, fragment: str, status_code: int, **context: Any) -> HTMLResponse:
    """The fragment for htmx; the evaluation page around it otherwise."""
    if page.is_htmx:
        return page.render(fragment, status_code=status_code, **context)
    start, end = default_period(dt.date.today())
    values: dict[str, Any] = {"start": start, "end": end, "as_of": end}
    values.update(context)
    return page.render(
        "evaluation.html", active="evaluatie", status_code=status_code, fragment=fragment, **values
    )
