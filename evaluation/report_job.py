"""The evaluation report as a background job (``matching.jobs``): what the page shows.

The job builds the report for a period (placements, funnel and, when asked, the temporal
backtest and fairness audit), draws the charts and lays out the sections as plain data — the
charts as base64 PNG — beside the self-contained HTML of ``werkmatch evaluate`` to download.
The result is kept in the job's row; asked for again on unchanged data, the page reuses it
(``reuse_key``: the request and the data versions, ``evaluation.report_cache``). Heavy imports
stay inside the body.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from matching.access.audit import record
from matching.access.users import Principal
from matching.jobs import Kind, Work, register

if TYPE_CHECKING:
    from evaluation.layout import Section
    from evaluation.placement_report import Period

KIND = "evaluation"
SCALE = 1000
REPORT_SHARE = 0.9
"""Of the job's progress, the share of building the report; the charts take most of the rest
(6 s of 91 on the demo region with the backtest)."""


@dataclass(frozen=True)
class RenderedReport:
    """What the page shows: the sections, the charts as data URIs, the downloadable HTML."""

    title: str
    sections: list[dict[str, Any]]
    html: str
    file_name: str = "evaluatie.html"
    made_at: dt.datetime = dataclasses.field(default_factory=lambda: dt.datetime.now(dt.UTC))


def page_sections(sections: list[Section], charts: dict[str, bytes]) -> list[dict[str, Any]]:
    """The report's sections as plain dicts for the template (charts as base64 PNG)."""
    from evaluation.layout import Chart, Table

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


def report_params(
    period: Period, as_of: dt.date, *, backtest: bool, programmes: Sequence[str] = ()
) -> dict[str, Any]:
    """The job's parameters (JSON); ``programmes``: ids whose progress gets a section."""
    params = {"start": period.start.isoformat(), "end": period.end.isoformat(),
              "as_of": as_of.isoformat(), "backtest": backtest}  # fmt: skip
    if programmes:
        params["programmes"] = list(programmes)
    return params


def reuse_key(session: Session, principal: Principal, params: dict[str, Any]) -> str:
    """The request and the versions of the data it reads, as a digest (module doc)."""
    from evaluation.report_cache import report_key

    request = (principal.organisation_id, *sorted(params.items()))
    return hashlib.sha256(repr(report_key(session, request)).encode()).hexdigest()


def audit_report(session: Session, principal: Principal, params: dict[str, Any]) -> None:
    """Record that ``principal`` asked for the report (built anew or reused)."""
    period = f"{params['start']} – {params['end']}"
    detail = {"period": period, "as_of": params["as_of"], "backtest": params["backtest"],
              "programmes": params.get("programmes", [])}  # fmt: skip
    record(session, principal, "evaluation.report", object_type="report", detail=detail)


def report_file_name(organisation_id: str | None, period: Period) -> str:
    """``evaluatie-<organisation>-<from>-tot-<to>.html``, so reports of several organisations
    and periods can stand side by side."""
    who = re.sub(r"[^a-z0-9]+", "-", (organisation_id or "werkmatch").lower()).strip("-")
    return f"evaluatie-{who}-{period.start:%d-%m-%Y}-tot-{period.end:%d-%m-%Y}.html"


def report_job(work: Work) -> RenderedReport:
    """The job body: build the report, audit it, draw the charts, lay it out."""
    from evaluation.charts import report_charts
    from evaluation.document import document
    from evaluation.placement_report import Period
    from evaluation.render import render_html
    from evaluation.report import build_report

    params, progress = work.params, work.progress
    period = Period(dt.date.fromisoformat(params["start"]), dt.date.fromisoformat(params["end"]))
    as_of, backtest = dt.date.fromisoformat(params["as_of"]), bool(params["backtest"])

    def step(message: str, done: int, total: int) -> None:
        progress.report(message, round(SCALE * REPORT_SHARE * done / total), SCALE)

    with work.store.lagging_reads() as reader:  # the replica, when there is one
        report = build_report(
            reader, period=period, as_of=as_of, backtest=backtest, progress=step,
            programmes=params.get("programmes", ()),
        )  # fmt: skip
    with work.store.sessions() as session:
        audit_report(session, work.principal, params)
        session.commit()
    progress.report("Grafieken tekenen…", round(SCALE * REPORT_SHARE), SCALE)
    charts = report_charts(report)
    progress.report("Rapport opmaken…", round(SCALE * 0.97), SCALE)
    sections = page_sections(document(report), charts)
    name = report_file_name(work.principal.organisation_id, period)
    return RenderedReport(f"Evaluatie {period}", sections, render_html(report, charts), name)


EVALUATION = register(Kind(KIND, "Evaluatierapport", report_job, RenderedReport))
