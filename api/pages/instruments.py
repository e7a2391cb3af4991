"""Pages around a placement: the instruments and trainings for a match, "Nazorg" (the aftercare
worklist with one-click check-ins) and "met het cv onder de arm" (the employers for one job
seeker, with a supply-driven contact recorded from there).

Each router has its own role tag; everything is scoped to the signed-in user's organisation
(``matching.instruments``, ``matching.aftercare``, ``matching.whitespots.supply``): another
organisation's vacancy, candidate or placement answers as an unknown one.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.pages.rendering import Page, PageDep
from matching.access.audit import record
from matching.access.users import user_names
from matching.aftercare.checkins import record_check_in
from matching.aftercare.schedule import GRACE
from matching.aftercare.worklist import aftercare_worklist
from matching.columns import CONTACT_KIND, CONTACT_OUTCOME
from matching.errors import InvalidInput, NotFound
from matching.instruments.recording import (
    NewInstrument,
    end_instrument,
    pair_links,
    record_instrument,
    remove_instrument,
)
from matching.instruments.rules import KIND_LABELS as INSTRUMENT_LABELS
from matching.instruments.suggestions import match_suggestions
from matching.shortlist.context import MatchingContext
from matching.shortlist.policy import policy_for
from matching.store import models
from matching.whitespots.acquisition import record_contact
from matching.whitespots.supply import employers_for

router = APIRouter(tags=["pages-instruments"], include_in_schema=False)
aftercare_router = APIRouter(tags=["pages-aftercare"], include_in_schema=False)
supply_router = APIRouter(tags=["pages-supply"], include_in_schema=False)


def _context(page: Page) -> MatchingContext:
    return page.context()


PAIR = "/vacatures/{vacancy_id}/kandidaten/{candidate_id}/instrumenten"
SAVED = {"vastgelegd": "Het instrument is vastgelegd.", "beeindigd": "Het instrument is beëindigd.",
         "verwijderd": "Het instrument is verwijderd."}  # fmt: skip
GONE = "Deze vacature, kandidaat of dit instrument bestaat niet."


@router.get(PAIR, response_class=HTMLResponse)
def instruments_page(
    vacancy_id: str,
    candidate_id: str,
    page: PageDep,
    soort: Annotated[str, Query(max_length=30)] = "",
    melding: Annotated[str, Query(max_length=20)] = "",
) -> HTMLResponse:
    """The instruments and trainings that may help this match, those in use, and the form to
    record one (``soort``: the kind a suggestion's link fills in)."""
    try:
        context = page.regions().holding(candidate_id)  # the pair needs the candidate's row
        found = match_suggestions(
            page.session, context, vacancy_id, candidate_id, principal=page.principal
        )
    except NotFound:
        return page.error(404, "Deze vacature of kandidaat bestaat niet.", active="vacatures")
    return page.render(
        "instruments.html", active="vacatures", found=found, kinds=INSTRUMENT_LABELS,
        links=pair_links(page.session, vacancy_id, candidate_id), chosen=soort,
        today=dt.date.today(), saved=SAVED.get(melding),
    )  # fmt: skip


def _back(vacancy_id: str, candidate_id: str, done: str) -> RedirectResponse:
    path = PAIR.format(
        vacancy_id=quote(vacancy_id, safe=""), candidate_id=quote(candidate_id, safe="")
    )
    return RedirectResponse(f"{path}?melding={done}#in-gebruik", status_code=303)


def _day(text: str, what: str) -> dt.date | None:
    """A date of a form field (empty: None); InvalidInput naming ``what``."""
    try:
        return dt.date.fromisoformat(text) if text.strip() else None
    except ValueError:
        raise InvalidInput(f"{what} is geen datum (jjjj-mm-dd)") from None


def _amount(text: str) -> int | None:
    cleaned = text.strip().replace(".", "").replace("€", "").strip()
    if not cleaned:
        return None
    if not cleaned.isdigit():
        raise InvalidInput("het bedrag is geen heel aantal euro's")
    return int(cleaned)


@router.post(PAIR, response_class=HTMLResponse)
def record_form(
    vacancy_id: str,
    candidate_id: str,
    page: PageDep,
    soort: Annotated[str, Form(max_length=30)],
    datum: Annotated[str, Form(max_length=10)],
    einddatum: Annotated[str, Form(max_length=10)] = "",
    bedrag: Annotated[str, Form(max_length=12)] = "",
    plaatsing: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Record an instrument with the proposal or a placement of the pair; audited."""
    try:
        start = _day(datum, "De begindatum") or dt.date.today()
        given = NewInstrument(soort, start, _day(einddatum, "De einddatum"), _amount(bedrag),
                              plaatsing or None)  # fmt: skip
        record_instrument(page.session, vacancy_id, candidate_id, given, principal=page.principal)
    except NotFound:
        return page.error(404, GONE, active="vacatures")
    except InvalidInput as error:
        return page.error(422, f"Niet vastgelegd: {error}", active="vacatures")
    return _back(vacancy_id, candidate_id, "vastgelegd")


@router.post(PAIR + "/{instrument_id}/einde", response_class=HTMLResponse)
def end_form(
    vacancy_id: str,
    candidate_id: str,
    instrument_id: str,
    page: PageDep,
    datum: Annotated[str, Form(max_length=10)],
) -> Response:
    """End an instrument on a date; audited."""
    try:
        day = _day(datum, "De einddatum") or dt.date.today()
        end_instrument(page.session, instrument_id, day, principal=page.principal)
    except NotFound:
        return page.error(404, GONE, active="vacatures")
    except InvalidInput as error:
        return page.error(422, f"Niet vastgelegd: {error}", active="vacatures")
    return _back(vacancy_id, candidate_id, "beeindigd")


@router.post(PAIR + "/{instrument_id}/verwijderen", response_class=HTMLResponse)
def remove_form(vacancy_id: str, candidate_id: str, instrument_id: str, page: PageDep) -> Response:
    """Remove an instrument recorded by mistake; audited."""
    try:
        remove_instrument(page.session, instrument_id, principal=page.principal)
    except NotFound:
        return page.error(404, GONE, active="vacatures")
    return _back(vacancy_id, candidate_id, "verwijderd")


@aftercare_router.get("/nazorg", response_class=HTMLResponse)
def aftercare_page(
    page: PageDep,
    mijn: Annotated[bool, Query()] = False,
    melding: Annotated[str, Query(max_length=20)] = "",
) -> HTMLResponse:
    """The aftercare worklist of the organisation (``mijn``: my placements only)."""
    policy = policy_for(page.session, page.principal.organisation_id, page.settings)
    worklist = aftercare_worklist(page.session, page.principal, context=_context(page), mine=mijn,
                                  threshold=policy.threshold)  # fmt: skip
    return page.render(
        "aftercare.html",
        active="nazorg",
        worklist=worklist,
        mijn=mijn,
        saved=melding == "vastgelegd",
        managers=user_names(page.session, page.principal.organisation_id),
        grace_days=GRACE.days,
    )


@aftercare_router.post("/nazorg/{placement_id}/contact", response_class=HTMLResponse)
def check_in(
    placement_id: str,
    page: PageDep,
    checkpoint: Annotated[int, Form()],
    notitie: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Record a check-in at a checkpoint: one click, with an optional note."""
    try:
        record_check_in(
            page.session, placement_id, checkpoint, principal=page.principal, note=notitie
        )
    except NotFound:
        return page.error(404, "Deze plaatsing bestaat niet.", active="nazorg")
    except InvalidInput as error:
        return page.error(422, f"Niet vastgelegd: {error}", active="nazorg")
    return RedirectResponse("/nazorg?melding=vastgelegd", status_code=303)


@supply_router.get("/werkzoekenden", response_class=HTMLResponse)
def supply_start(page: PageDep, nummer: Annotated[str, Query(max_length=64)] = "") -> Response:
    """ "Met het cv onder de arm" by the job seeker's number (job hunters see no candidate
    lists): to the employers page of one of the organisation's job seekers, else the form
    again, saying so the same way for an unknown number and another organisation's."""
    number = nummer.strip()
    if not number:
        return page.render("supply_start.html", active="witte-vlekken", number="")
    candidate = page.session.get(models.Candidate, number)
    if candidate is None or not page.principal.acts_for(candidate.municipality_code):
        return page.render(
            "supply_start.html", active="witte-vlekken", number=number, status_code=404,
            problem=f"Werkzoekende {number} is niet gevonden bij uw organisatie.",
        )  # fmt: skip
    return RedirectResponse(f"/werkzoekenden/{quote(number, safe='')}/werkgevers", status_code=303)


@supply_router.get("/werkzoekenden/{candidate_id}/werkgevers", response_class=HTMLResponse)
def supply_page(
    candidate_id: str, page: PageDep, melding: Annotated[str, Query(max_length=20)] = ""
) -> HTMLResponse:
    """The employers most likely to have work for the job seeker, with reasons."""
    try:
        context = page.regions().holding(candidate_id)
        leads = employers_for(page.session, context, candidate_id, principal=page.principal)
    except NotFound:
        return page.error(404, f"Werkzoekende {candidate_id} bestaat niet.")
    except InvalidInput as error:
        return page.error(422, str(error))
    return page.render(
        "supply.html",
        candidate_id=candidate_id,
        leads=leads,
        today=dt.date.today(),
        saved=melding == "vastgelegd",
    )


@supply_router.post(
    "/werkzoekenden/{candidate_id}/werkgevers/{employer_id}/contact", response_class=HTMLResponse
)
def supply_contact(
    candidate_id: str,
    employer_id: str,
    page: PageDep,
    soort: Annotated[str, Form(max_length=20)],
    uitkomst: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Record an acquisition step with the employer, marked supply-driven; audited."""
    candidate = page.session.get(models.Candidate, candidate_id)
    if candidate is None or not page.principal.acts_for(candidate.municipality_code):
        return page.error(404, f"Werkzoekende {candidate_id} bestaat niet.")
    if CONTACT_KIND.canonical(soort) is None or (
        uitkomst and not CONTACT_OUTCOME.canonical(uitkomst)
    ):
        return page.error(422, "Kies een soort contact en een uitkomst uit de lijst.")
    try:
        contact = record_contact(
            page.session,
            employer_id=employer_id,
            date=dt.date.today(),
            kind=soort,
            outcome=uitkomst or None,
            by=page.principal.user_id,
            supply_driven=True,
        )
    except NotFound:
        return page.error(404, f"Werkgever {employer_id} bestaat niet.")
    record(
        page.session,
        page.principal,
        "acquisition.contact",
        object_type="employer",
        object_id=employer_id,
        detail={"contact_id": contact.contact_id, "supply_driven": True},
    )
    return RedirectResponse(
        f"/werkzoekenden/{candidate_id}/werkgevers?melding=vastgelegd", status_code=303
    )
