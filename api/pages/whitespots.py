"""Pages for job hunters: ranked white spots, logging an acquisition step, the funnel."""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.pages.rendering import Page, PageDep
from api.routers.whitespots import get_scorer
from evaluation.acquisition import acquisition_funnel
from matching import audit
from matching.acquisition import funnel_history, record_contact
from matching.errors import InvalidInput, NotFound, WerkmatchError
from matching.shortlist.labels import load_labels
from matching.whitespots import WhiteSpotFilter, rank_white_spots

router = APIRouter(tags=["pages-whitespots"], include_in_schema=False)
KINDS = {"letter": "Brief of e-mail", "call": "Gebeld", "visit": "Bezoek", "meeting": "Gesprek"}
OUTCOMES = {
    "": "Nog onbekend",
    "interest": "Interesse",
    "appointment": "Afspraak gemaakt",
    "vacancy": "Vacature",
    "no_interest": "Geen interesse",
}
STEPS = (
    ("written", "Aangeschreven"),
    ("contacted", "Contact gehad"),
    ("appointment", "Afspraak of bezoek"),
    ("vacancy", "Vacature"),
    ("placement", "Plaatsing"),
)
Period = Literal["week", "maand"]


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


@router.get("/witte-vlekken", response_class=HTMLResponse)
def white_spots_page(
    page: PageDep,
    gemeente: Annotated[str, Query(pattern=r"^(GM\d{4})?$")] = "",
    sector: Annotated[str, Query(pattern=r"^[A-U]?$")] = "",
    periode: Period = "week",
) -> HTMLResponse:
    """The best white spots with reasons and fitting occupations, and the funnel."""
    labels = load_labels()
    codes = sorted(page.principal.municipality_codes)
    ranking, problem = None, None
    try:
        ranking = rank_white_spots(
            page.session, scorer=get_scorer(page.request, page.settings),
            where=spot_filter(page, gemeente, sector),
            limit=20, candidate_municipalities=page.principal.municipality_codes,
        )  # fmt: skip
    except WerkmatchError as error:
        problem = f"De witte vlekken zijn nu niet te bepalen: {error}"
    towns = sorted(((c, labels.municipality(c)) for c in codes), key=lambda pair: pair[1])
    return page.render(
        "whitespots.html", active="witte-vlekken", ranking=ranking, problem=problem,
        towns=towns, sections=sorted(labels.sections.items()), section_names=labels.sections,
        kinds=KINDS, outcomes=OUTCOMES,
        filters={"gemeente": gemeente, "sector": sector}, today=dt.date.today(),
        **funnel_context(page, periode),
    )  # fmt: skip


def spot_filter(page: Page, municipality: str, sector: str) -> WhiteSpotFilter:
    """A chosen municipality, else the labour-market region of the user's organisation."""
    regions = {load_labels().regions.get(c) for c in page.principal.municipality_codes}
    region = regions.pop() if len(regions) == 1 and not municipality else None
    return WhiteSpotFilter(municipality=municipality or None, region=region, sbi=sector or None)


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
        "partials/contact_logged.html", contact=contact, kinds=KINDS, outcomes=OUTCOMES,
        **funnel_context(page, periode),
    )  # fmt: skip


@router.get("/witte-vlekken/trechter", response_class=HTMLResponse)
def funnel_fragment(page: PageDep, periode: Period = "week") -> HTMLResponse:
    """The funnel section alone (this week or this month)."""
    return page.render("partials/funnel.html", **funnel_context(page, periode))
