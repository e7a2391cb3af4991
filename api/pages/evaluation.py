"""The evaluation page (project leader): the report for a chosen period, with its charts.

The report is built in a background job (``evaluation.report_job``): placements, funnel and,
when asked, the temporal backtest and fairness audit, which take longer. A finished report is
kept in its job's row under the request and the data versions: asked for again on the same
data, it is there at once, in the answer to the request itself. The page polls the job and
shows the report's sections (``evaluation.document``) in our own layout — the charts as PNG
data URIs, nothing inline that the CSP would refuse — with the self-contained HTML of
``werkmatch evaluate`` to download.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, Response

from api.middleware import csp_allowing_style
from api.pages.rendering import Page, PageDep
from evaluation.placement_report import Period
from evaluation.render import CSS
from evaluation.report_job import KIND, audit_report, report_params, reuse_key
from matching.errors import Conflict, InvalidInput, NotFound
from matching.programmes import list_programmes

router = APIRouter(tags=["pages-evaluation"], include_in_schema=False)
REPORT_CSP = csp_allowing_style(CSS)
"""The downloaded report keeps its one inline stylesheet (it must open on its own, from disk):
allowed by hash, so a browser that shows it from here logs no CSP violation."""
UNKNOWN = "Dit rapport is onbekend of verlopen."
JOB = {"job_url": "/evaluatie/taken/", "job_template": "partials/job_evaluation.html"}


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last twelve whole months up to today."""
    start = today.replace(day=1)
    start = start.replace(year=start.year - 1)
    return start, today


@dataclass(frozen=True)
class Moment:
    """An evaluation moment of one of the organisation's programmes, as the form offers it:
    the report from the programme's start up to the moment, as of that day (today's figures
    when the moment lies ahead), with the programme's progress."""

    value: str  # "<programme id>:<number of the moment, from 1>", as the programme page counts
    programme_id: str
    programme: str
    label: str
    day: dt.date
    start: dt.date
    as_of: dt.date


def moments(page: Page) -> list[Moment]:
    """The evaluation moments of the organisation's programmes, programme by programme."""
    today = dt.date.today()
    return [
        Moment(
            f"{p.programme_id}:{number}",
            p.programme_id,
            p.name,
            label,
            day,
            p.start_date,
            max(p.start_date, min(day, today)),
        )
        for p in list_programmes(page.session, principal=page.principal)
        for number, (label, day) in enumerate(p.moment_dates(), 1)
    ]


@router.get("/evaluatie", response_class=HTMLResponse)
def evaluation_page(page: PageDep) -> HTMLResponse:
    """The period form, with the programmes' evaluation moments to pick from."""
    start, end = default_period(dt.date.today())
    return page.render("evaluation.html", active="evaluatie", start=start, end=end, as_of=end,
                       moments=moments(page))  # fmt: skip


@router.post("/evaluatie/rapport", response_class=HTMLResponse)
def start_report(
    page: PageDep,
    start: Annotated[dt.date, Form(alias="van")],
    end: Annotated[dt.date, Form(alias="tot")],
    as_of: Annotated[dt.date | None, Form(alias="peildatum")] = None,
    backtest: Annotated[bool, Form()] = False,
    moment: Annotated[str, Form(max_length=100)] = "",
) -> HTMLResponse:
    """Start building the report (or reuse the one built on the same data); answer with the
    job's progress. A ``moment`` (``Moment.value``) sets the period and the peildatum."""
    programmes: list[str] = []
    if moment:
        picked = next((m for m in moments(page) if m.value == moment), None)
        if picked is None:
            return _fragment_or_page(page, "partials/form_error.html", 404,
                                     message="Dit evaluatiemoment bestaat niet.")  # fmt: skip
        start, end, as_of = picked.start, picked.as_of, picked.as_of
        programmes = [picked.programme_id]
    try:
        period = Period(start, end)
    except InvalidInput:
        return _fragment_or_page(
            page, "partials/form_error.html", 422,
            message="De periode eindigt vóór ze begint.", start=start, end=end, as_of=as_of,
        )  # fmt: skip
    as_of = as_of or end
    params = report_params(period, as_of, backtest=backtest, programmes=programmes)
    key = reuse_key(page.reads, page.principal, params)
    job = page.jobs.reuse(KIND, key, page.principal)
    if job is not None:
        audit_report(page.session, page.principal, params)
    else:
        job_id = page.jobs.submit(KIND, params, page.principal, reuse_key=key)
        job = page.jobs.get(job_id, page.principal)
    return _fragment_or_page(
        page, "partials/job.html", 200 if job.reused else 202, job=job, start=start, end=end,
        as_of=as_of, **JOB,
    )  # fmt: skip


@router.get("/evaluatie/taken/{job_id}", response_class=HTMLResponse)
def report_status(job_id: str, page: PageDep) -> HTMLResponse:
    """The progress of a report job, and the report when it is done."""
    try:
        job = page.jobs.get(job_id, page.principal, (KIND,))
    except NotFound:
        return _fragment_or_page(page, "partials/form_error.html", 404, message=UNKNOWN)
    return _fragment_or_page(page, "partials/job.html", 200, job=job, **JOB)


@router.post("/evaluatie/taken/{job_id}/annuleren", response_class=HTMLResponse)
def cancel_report(job_id: str, page: PageDep) -> HTMLResponse:
    """Cancel a report job of one's own."""
    try:
        page.jobs.get(job_id, page.principal, (KIND,))
        job = page.jobs.cancel(job_id, page.principal)
    except NotFound:
        return _fragment_or_page(page, "partials/form_error.html", 404, message=UNKNOWN)
    except Conflict as error:
        return _fragment_or_page(page, "partials/form_error.html", 409, message=str(error))
    return _fragment_or_page(page, "partials/job.html", 200, job=job, **JOB)


@router.get("/evaluatie/taken/{job_id}/rapport.html")
def report_download(job_id: str, page: PageDep) -> Response:
    """The finished report as the self-contained HTML file of ``werkmatch evaluate``."""
    try:
        job = page.jobs.get(job_id, page.principal, (KIND,))
    except NotFound:
        return page.error(404, UNKNOWN, active="evaluatie")
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
    values: dict[str, Any] = {"start": start, "end": end, "as_of": end, "moments": moments(page)}
    values.update(context)
    return page.render(
        "evaluation.html", active="evaluatie", status_code=status_code, fragment=fragment, **values
    )
