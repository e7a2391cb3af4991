"""Pages for job hunters: ranked white spots, logging an acquisition step, the funnel."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.pages.access import allowed
from api.pages.rendering import Page, PageDep
from api.routers.whitespots import XLSX, white_spot_page
from evaluation.acquisition import acquisition_funnel
from evaluation.funnel import COUNTS, WRITTEN
from matching.access import audit
from matching.errors import InvalidInput, NotFound, WerkmatchError
from matching.shortlist.labels import load_labels
from matching.shortlist.policy import policy_for
from matching.whitespots import WhiteSpotFilter
from matching.whitespots.acquisition import funnel_history, record_contact
from matching.whitespots.cache import SpotQuery
from matching.whitespots.export import write_white_spots_xlsx
from matching.whitespots.next_steps import next_steps, planned_steps, set_follow_up

router = APIRouter(tags=["pages-whitespots"], include_in_schema=False)
STEP_LABELS = {
    "contacted": "Benaderd",
    "written": "waarvan per brief of e-mail",
    "appointment": "Afspraak of bezoek",
    "vacancy": "Vacature",
    "placement": "Plaatsing",
}
STEPS = tuple((key, STEP_LABELS[key], key == WRITTEN) for key in COUNTS)
"""The funnel's rows in funnel order: key, label, and whether the row is a part of the row
above (the written part of the contacted employers) rather than a stage."""
Period = Literal["week", "maand"]
XLSX_ROWS = 500


def period_start(period: Period, today: dt.date) -> dt.date:
    """Monday of this week, or the first day of this month."""
    if period == "week":
        return today - dt.timedelta(days=today.weekday())
    return today.replace(day=1)


def funnel_context(page: Page, period: Period) -> dict[str, Any]:
    """The funnel in total and for the signed-in user, for this week or month."""
    today = dt.date.today()
    start = period_start(period, today)
    history = funnel_history(page.session, start=start, end=today)
    total = acquisition_funnel(history).to_dict(orient="records")
    per_user = acquisition_funnel(history, by=["user"]).to_dict(orient="records")
    mine = next((row for row in per_user if row.get("user") == page.principal.user_id), None)
    clean = [
        {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
        for row in (total[0] if total else {}, mine or {})
    ]
    return {"period": period, "start": start, "end": today, "funnel": clean[0],
            "mine": clean[1], "steps": STEPS}  # fmt: skip


PER_PAGE = 20
SIZES = {
    "micro": ("micro", "tot 10 medewerkers"),
    "klein": ("small", "10 tot 50 medewerkers"),
    "middel": ("medium", "50 tot 250 medewerkers"),
    "groot": ("large", "250 medewerkers of meer"),
    "onbekend": ("unknown", "aantal onbekend"),
}
"""Size filter: the value in the address → (size class, Dutch label)."""
WINDOWS = {
    "": (None, "nooit"),
    "2jaar": (730, "niet in de afgelopen 2 jaar"),
    "1jaar": (365, "niet in het afgelopen jaar"),
    "halfjaar": (183, "niet in het afgelopen halfjaar"),
}
"""Look-back filter ('contact gehad'): the value in the address → (days, Dutch label)."""
Municipality = Annotated[str, Query(pattern=r"^(GM\d{4})?$")]
Section = Annotated[str, Query(pattern=r"^[A-U]?$")]
SizeChoice = Annotated[str, Query(pattern=r"^(micro|klein|middel|groot|onbekend)?$")]
WindowChoice = Annotated[str, Query(pattern=r"^(2jaar|1jaar|halfjaar)?$")]


def spot_query(page: Page, filters: dict[str, str], *, offset: int, limit: int) -> SpotQuery:
    """The white spots the page's filters ask for, one page of them."""
    size = SIZES[filters["grootte"]][0] if filters["grootte"] else None
    where = spot_filter(page, filters["gemeente"], filters["sector"], size)
    return SpotQuery(where, None, WINDOWS[filters["contact"]][0], offset=offset, limit=limit)


@router.get("/witte-vlekken", response_class=HTMLResponse)
def white_spots_page(
    page: PageDep,
    gemeente: Municipality = "",
    sector: Section = "",
    grootte: SizeChoice = "",
    contact: WindowChoice = "",
    pagina: Annotated[int, Query(ge=1, le=10_000)] = 1,
    periode: Period = "week",
) -> HTMLResponse:
    """The ranked white spots (filtered, paged) with reasons, suitable job seekers, last
    contact and follow-up date, and the funnel."""
    labels = load_labels()
    filters = {"gemeente": gemeente, "sector": sector, "grootte": grootte, "contact": contact}
    ranking, problem, plans = None, None, {}
    try:
        query = spot_query(page, filters, offset=(pagina - 1) * PER_PAGE, limit=PER_PAGE)
        ranking = white_spot_page(page.white_spots, page.session, page.principal, page.settings,
                                  query)  # fmt: skip
        ids = [spot.employer_id for spot in ranking.data]
        plans = next_steps(page.session, page.principal.organisation_id, ids)
    except WerkmatchError as error:
        problem = f"De witte vlekken zijn nu niet te bepalen: {error}"
    codes = sorted(page.principal.municipality_codes)
    towns = sorted(((c, labels.municipality(c)) for c in codes), key=lambda pair: pair[1])
    pages = max(1, -(-ranking.count // PER_PAGE)) if ranking else 1
    return page.render(
        "whitespots.html", active="witte-vlekken", ranking=ranking, problem=problem,
        plans=plans, towns=towns, sections=sorted(labels.sections.items()),
        section_names=labels.sections, sizes=SIZES, windows=WINDOWS,
        filters=filters, query=urlencode(filters), pagina=pagina,
        pages=pages, first=(pagina - 1) * PER_PAGE, today=dt.date.today(),
        sees_candidates=allowed(page.principal, "pages-candidates"),
        site_url=str(page.request.base_url).rstrip("/"),
        planned=planned_steps(page.session, page.principal.organisation_id),
        threshold=policy_for(page.session, page.principal.organisation_id, page.settings).threshold,
        **funnel_context(page, periode),
    )  # fmt: skip


@router.get("/witte-vlekken.xlsx")
def white_spots_xlsx(
    page: PageDep,
    gemeente: Municipality = "",
    sector: Section = "",
    grootte: SizeChoice = "",
    contact: WindowChoice = "",
) -> Response:
    """The filtered white spots (the best ``XLSX_ROWS``) as the job hunter's .xlsx week list."""
    filters = {"gemeente": gemeente, "sector": sector, "grootte": grootte, "contact": contact}
    try:
        query = spot_query(page, filters, offset=0, limit=XLSX_ROWS)
        ranking = white_spot_page(page.white_spots, page.session, page.principal, page.settings,
                                  query)  # fmt: skip
    except WerkmatchError as error:
        return page.error(422, f"Geen Excel-bestand: {error}", active="witte-vlekken")
    place = query.where.municipality or query.where.region or "alle-gemeenten"
    name = f"witte-vlekken-{_slug(load_labels().municipality(place) if gemeente else place)}"
    return Response(
        write_white_spots_xlsx(ranking), media_type=XLSX,
        headers={"Content-Disposition":
                 f'attachment; filename="{name}-{ranking.as_of.isoformat()}.xlsx"'},
    )  # fmt: skip


def _slug(text: str) -> str:
    """'Holland Rijnland' → 'holland-rijnland' (a file name part)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "regio"


def spot_filter(
    page: Page, municipality: str, sector: str, size: str | None = None
) -> WhiteSpotFilter:
    """A chosen municipality, else the labour-market region of the user's organisation."""
    regions = {load_labels().regions.get(c) for c in page.principal.municipality_codes}
    region = regions.pop() if len(regions) == 1 and not municipality else None
    return WhiteSpotFilter(
        municipality=municipality or None, region=region, sbi=sector or None, size=size
    )


@router.post("/witte-vlekken/opvolgen", response_class=HTMLResponse)
def plan_follow_up(
    page: PageDep,
    employer_id: Annotated[str, Form(max_length=64)],
    opvolgdatum: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Set (or with an empty date clear) the organisation's follow-up date for an employer."""
    try:
        due = dt.date.fromisoformat(opvolgdatum) if opvolgdatum else None
    except ValueError:
        return page.error(422, "Niet vastgelegd: dat is geen datum.", active="witte-vlekken")
    try:
        set_follow_up(page.session, organisation_id=page.principal.organisation_id,
                      employer_id=employer_id, due_on=due, by=page.principal.user_id)  # fmt: skip
    except NotFound:
        return page.error(404, f"Werkgever {employer_id} bestaat niet.", active="witte-vlekken")
    except InvalidInput as error:
        return page.error(422, f"Niet vastgelegd: {error}", active="witte-vlekken")
    audit.record(
        page.session, page.principal, "acquisition.follow_up", object_type="employer",
        object_id=employer_id, detail={"due_on": due.isoformat() if due else None},
    )  # fmt: skip
    if not page.is_htmx:
        return RedirectResponse(f"/witte-vlekken#spot-{employer_id}", status_code=303)
    step = next_steps(page.session, page.principal.organisation_id, [employer_id])[employer_id]
    return page.render(
        "partials/follow_up.html", employer_id=employer_id, step=step, saved=True,
        today=dt.date.today(),
    )  # fmt: skip


@router.post("/witte-vlekken/contact", response_class=HTMLResponse)
def log_contact(
    page: PageDep,
    employer_id: Annotated[str, Form(max_length=64)],
    kind: Annotated[str, Form(max_length=20)],
    outcome: Annotated[str, Form(max_length=20)] = "",
    periode: Annotated[Period, Form()] = "week",
) -> Response:
    """Record an acquisition step today by the signed-in user (the funnel follows)."""
    try:
        contact = record_contact(
            page.session, employer_id=employer_id, date=dt.date.today(), kind=kind,
            outcome=outcome or None, by=page.principal.user_id,
        )  # fmt: skip
    except NotFound:
        return page.error(404, f"Werkgever {employer_id} bestaat niet.", active="witte-vlekken")
    except InvalidInput as error:
        return page.error(422, f"Niet vastgelegd: {error}", active="witte-vlekken")
    audit.record(
        page.session, page.principal, "acquisition.contact", object_type="employer",
        object_id=contact.employer_id, detail={"contact_id": contact.contact_id},
    )  # fmt: skip
    if not page.is_htmx:
        return RedirectResponse(f"/witte-vlekken?periode={periode}", status_code=303)
    page.session.flush()
    return page.render(
        "partials/contact_logged.html", contact=contact,
        **funnel_context(page, periode),
    )  # fmt: skip


@router.get("/witte-vlekken/trechter", response_class=HTMLResponse)
def funnel_fragment(page: PageDep, periode: Period = "week") -> Response:
    """The funnel section alone (this week or this month) for htmx; opened directly, the
    white-spot page with it."""
    if not page.is_htmx:
        return RedirectResponse(f"/witte-vlekken?periode={periode}#funnel", status_code=303)
    return page.render("partials/funnel.html", **funnel_context(page, periode))
