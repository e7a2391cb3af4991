"""Pages for account managers: open vacancies, a vacancy's shortlist, proposals, decisions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.pages.candidates import CONTRACT_LABELS, EDUCATION, OUTCOME_LABELS
from api.pages.rendering import Page, PageDep
from matching import dutch
from matching.access.audit import record
from matching.access.users import user_names
from matching.dutch import date_nl
from matching.errors import Conflict, InvalidInput, NotFound, WerkmatchError
from matching.programmes import list_programmes, participant_ids
from matching.shortlist import proposals
from matching.shortlist.labels import load_labels
from matching.shortlist.policy import policy_for
from matching.shortlist.ranking import LEVEL_LABELS, Shortlist
from matching.shortlist.service import require_vacancy_access, vacancy_shortlist
from matching.shortlist.shortlist_workbook import shortlist_xlsx
from matching.shortlist.vacancy_overview import (
    open_vacancies,
    open_vacancy_municipalities,
    qualifying_counts,
)
from matching.store.repositories import EmployerRepository, VacancyRepository

router = APIRouter(tags=["pages-vacancies"], include_in_schema=False)
PER_PAGE = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Municipality = Annotated[str, Query(pattern=r"^(GM\d{4})?$")]
Section = Annotated[str, Query(pattern=r"^[A-U]?$")]


def _options(page: Page) -> dict[str, Any]:
    """The filter choices: the organisation's municipalities (else all) and SBI sections."""
    labels = load_labels()
    codes = sorted(page.principal.municipality_codes) or open_vacancy_municipalities(page.session)
    towns = sorted(((c, labels.municipality(c)) for c in codes), key=lambda pair: pair[1])
    return {"towns": towns, "sections": sorted(labels.sections.items()), "labels": labels}


@router.get("/vacatures", response_class=HTMLResponse)
def vacancies_page(
    page: PageDep,
    gemeente: Municipality = "",
    sector: Section = "",
    mijn: bool = False,
    pagina: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    """Open vacancies with filters, each with its number of qualifying candidates."""
    options = _options(page)
    own = page.principal.municipality_codes
    if gemeente and not page.principal.acts_for(gemeente):
        message = "Vacatures van deze gemeente horen bij een andere organisatie."
        return page.error(404, message, active="vacatures")
    within = [gemeente] if gemeente else (sorted(own) if own else None)
    listing = open_vacancies(
        page.session, municipalities=within, sector=sector or None,
        acquired_by=page.principal.user_id if mijn else None,
        offset=(pagina - 1) * PER_PAGE, limit=PER_PAGE,
    )  # fmt: skip
    counts, problem = {}, None
    try:
        context = page.context()
        policy = policy_for(page.session, page.principal.organisation_id, page.settings)
        ids = [row.vacancy_id for row in listing.rows]
        counts = qualifying_counts(page.session, context, ids, policy=policy)
    except WerkmatchError as error:
        problem = f"Aantallen geschikte kandidaten niet beschikbaar: {error}"
    filters = {"gemeente": gemeente, "sector": sector, "mijn": mijn}
    return page.render(
        "vacancies.html", active="vacatures", listing=listing, counts=counts, problem=problem,
        filters=filters, pagina=pagina, pages=max(1, -(-listing.count // PER_PAGE)), **options,
        managers=user_names(page.session, page.principal.organisation_id),
    )  # fmt: skip


def _shortlist(page: Page, vacancy_id: str, limit: int, programme: str = "") -> Shortlist:
    context = page.regions()
    only = participant_ids(page.session, programme, principal=page.principal) if programme else None
    return vacancy_shortlist(
        page.session, context, vacancy_id, principal=page.principal, limit=limit,
        policy=policy_for(page.session, page.principal.organisation_id, page.settings),
        viewer=page.principal.municipality_codes, only=only,
    )  # fmt: skip


def _proposal_list(page: Page, vacancy_id: str) -> list[proposals.ProposalInfo]:
    items = proposals.list_proposals(page.session, vacancy_id, principal=page.principal)
    record(
        page.session, page.principal, "proposals.read", object_type="vacancy",
        object_id=vacancy_id, detail={"candidates": [p.candidate_id for p in items]},
    )  # fmt: skip
    return items


def _vacancy_context(
    page: Page, vacancy_id: str, limit: int, programme: str = ""
) -> dict[str, Any]:
    """Vacancy, employer, shortlist (when open) and proposals, for the templates."""
    vacancy = VacancyRepository(page.session).get(vacancy_id=vacancy_id)
    require_vacancy_access(page.principal, vacancy.municipality_code, vacancy_id)
    employer = EmployerRepository(page.session).get(employer_id=vacancy.employer_id)
    shortlist, problem = None, None
    if vacancy.status == "open":
        try:
            shortlist = _shortlist(page, vacancy_id, limit, programme)
        except WerkmatchError as error:
            problem = f"De shortlist kan nu niet worden gemaakt: {error}"
    labels = load_labels()
    policy = policy_for(page.session, page.principal.organisation_id, page.settings)
    return {
        "vacancy": vacancy, "employer": employer, "shortlist": shortlist, "problem": problem,
        "threshold": policy.threshold,
        "proposals": _proposal_list(page, vacancy_id), "limit": limit, "labels": labels,
        "level_labels": LEVEL_LABELS, "education": EDUCATION, "outcomes": OUTCOME_LABELS,
        "contracts": CONTRACT_LABELS, "today": dt.date.today(), "programme": programme,
        "programmes": list_programmes(page.session, principal=page.principal),
    }  # fmt: skip


@router.get("/vacatures/{vacancy_id}", response_class=HTMLResponse)
def shortlist_page(
    vacancy_id: str,
    page: PageDep,
    aantal: Annotated[int, Query(ge=1, le=50)] = 10,
    programma: Annotated[str, Query(max_length=64)] = "",
) -> HTMLResponse:
    """A vacancy with its explained shortlist (all candidates, or a programme's participants),
    the proposals and the employer's decisions."""
    try:
        context = _vacancy_context(page, vacancy_id, aantal, programma)
    except NotFound:
        return page.error(404, f"Vacature {vacancy_id} bestaat niet.", active="vacatures")
    return page.render("shortlist.html", active="vacatures", **context)


@router.post("/vacatures/{vacancy_id}/voorstellen", response_class=HTMLResponse)
def propose(
    vacancy_id: str,
    page: PageDep,
    candidate_id: Annotated[list[str] | None, Form(max_length=64)] = None,
    reason: Annotated[str, Form(max_length=2000)] = "",
    aantal: Annotated[int, Form(ge=1, le=50)] = 10,
) -> Response:
    """Record the selected candidates as proposed; a reason is needed when skipping."""
    chosen = candidate_id or []
    try:
        items = proposals.propose(
            page.session, vacancy_id, chosen, principal=page.principal, reason=reason
        )
    except NotFound as error:
        if str(error).startswith("candidate"):
            message = (
                "Deze kandidaat is niet gevonden of kan niet voor deze vacature worden voorgesteld."
            )
            return _propose_error(page, vacancy_id, message, status_code=404)
        return page.error(404, f"Vacature {vacancy_id} bestaat niet.", active="vacatures")
    except (InvalidInput, Conflict) as error:
        return _propose_error(page, vacancy_id, _dutch(str(error)))
    if not page.is_htmx:
        return RedirectResponse(f"/vacatures/{vacancy_id}?aantal={aantal}", status_code=303)
    names = ", ".join(p.candidate_id for p in items)
    people = "kandidaat" if len(items) == 1 else "kandidaten"
    message = f"{dutch.number(len(items))} {people} voorgesteld: {names}."
    return page.render(
        "partials/shortlist_main.html",
        message=message,
        **_vacancy_context(page, vacancy_id, aantal),
    )


def _dutch(message: str) -> str:
    """The core's refusal as the page shows it."""
    if message.startswith(("Geef een reden", "Kies minstens")):
        return message
    return f"Niet gelukt: {message}"


def _propose_error(
    page: Page, vacancy_id: str, message: str, *, status_code: int = 422
) -> Response:
    """Show the refusal next to the form (htmx keeps the selection) or as a page."""
    if not page.is_htmx:
        return page.error(status_code, message, active="vacatures")
    response = page.render("partials/form_error.html", status_code=status_code, message=message)
    response.headers["HX-Retarget"] = "#propose-error"
    response.headers["HX-Reswap"] = "innerHTML"
    return response


def _start_day(text: str) -> dt.date:
    """The start date of a hire as the form sends it (jjjj-mm-dd); InvalidInput in Dutch."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"'{text}' is geen startdatum: kies een datum (jjjj-mm-dd)") from None


@router.post("/vacatures/{vacancy_id}/voorstellen/{candidate_id}/besluit")
def decide(
    vacancy_id: str,
    candidate_id: str,
    page: PageDep,
    outcome: Annotated[str, Form(max_length=20)],
    start_date: Annotated[str, Form(max_length=10)] = "",
    contract: Annotated[str, Form(max_length=20)] = "regular",
) -> Response:
    """Record the employer's decision on a proposal (a hire with a start date is placed)."""
    try:
        placement = None
        if outcome == "hired" and start_date:
            if contract not in CONTRACT_LABELS:
                raise InvalidInput(f"onbekend contract {contract!r}")
            start = _start_day(start_date)
            placement = proposals.PlacementInput(start, contract)  # type: ignore[arg-type]
        proposals.decide(
            page.session, vacancy_id, candidate_id, outcome, principal=page.principal,
            placement=placement,
        )  # fmt: skip
    except NotFound:
        return page.error(404, "Dit voorstel bestaat niet.", active="vacatures")
    except Conflict as error:
        return page.error(409, str(error), active="vacatures")
    except (InvalidInput, ValueError) as error:
        page.session.rollback()  # the outcome may be set already; without its placement it goes
        message = f"Besluit niet vastgelegd: {error}"
        if not page.is_htmx:
            return page.error(422, message, active="vacatures")
        # the table stays, with what was entered, so the user only adds what was missing
        tried = {"candidate_id": candidate_id, "outcome": outcome, "start_date": start_date,
                 "contract": contract}  # fmt: skip
        return page.render(
            "partials/proposals.html", status_code=422, error=message, attempt=tried,
            vacancy=VacancyRepository(page.session).get(vacancy_id=vacancy_id),
            proposals=_proposal_list(page, vacancy_id), outcomes=OUTCOME_LABELS,
            contracts=CONTRACT_LABELS, today=dt.date.today(),
        )  # fmt: skip
    if not page.is_htmx:
        return RedirectResponse(f"/vacatures/{vacancy_id}", status_code=303)
    vacancy = VacancyRepository(page.session).get(vacancy_id=vacancy_id)
    message = _decision_message(candidate_id, outcome, placement, vacancy.status)
    return page.render(
        "partials/proposals.html", message=message, vacancy=vacancy,
        proposals=_proposal_list(page, vacancy_id), outcomes=OUTCOME_LABELS,
        contracts=CONTRACT_LABELS, today=dt.date.today(),
    )  # fmt: skip


def _decision_message(
    candidate_id: str, outcome: str, placement: proposals.PlacementInput | None, status: str
) -> str:
    """What was saved, in one Dutch sentence (and that the vacancy closed, when it did)."""
    message = f"Besluit voor {candidate_id} vastgelegd: {OUTCOME_LABELS[outcome].lower()}"
    if placement is not None:
        contract = CONTRACT_LABELS[placement.contract].lower()
        message += f" per {date_nl(placement.start_date)} ({contract})"
    if status == "filled":
        message += ". Alle plaatsen zijn nu bezet: de vacature is vervuld en gesloten"
    return message + "."


@router.get("/vacatures/{vacancy_id}/shortlist.xlsx")
def shortlist_export(
    vacancy_id: str, page: PageDep, aantal: Annotated[int, Query(ge=1, le=50)] = 10
) -> Response:
    """The shortlist as an .xlsx workbook (the export is audited)."""
    try:
        vacancy = VacancyRepository(page.session).get(vacancy_id=vacancy_id)
        shortlist = _shortlist(page, vacancy_id, aantal)
    except NotFound:
        return page.error(404, f"Vacature {vacancy_id} bestaat niet.", active="vacatures")
    except InvalidInput as error:
        return page.error(422, f"Geen shortlist: {error}", active="vacatures")
    record(
        page.session, page.principal, "shortlist.export", object_type="vacancy",
        object_id=vacancy_id, model_version=shortlist.model_version,
        detail={"candidates": [e.candidate_id for e in shortlist.candidates]},
    )  # fmt: skip
    name = f"shortlist-{vacancy_id}-{dt.date.today().isoformat()}.xlsx"
    return Response(
        shortlist_xlsx(shortlist, title=vacancy.title),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
