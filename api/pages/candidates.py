"""The caseload pages: find a job seeker of the organisation; a profile with its history and
the best open vacancies (reverse)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from api.pages.rendering import Page, PageDep
from api.pages.whitespots import spot_filter
from api.routers.whitespots import white_spot_page
from matching import dutch
from matching.access.audit import record
from matching.caseload import CandidateQuery, candidate_history, find_candidates
from matching.errors import NotFound, WerkmatchError
from matching.programmes import list_programmes, participant_ids
from matching.shortlist.explain import LADDER
from matching.shortlist.labels import load_labels
from matching.shortlist.policy import policy_for
from matching.shortlist.ranking import LEVEL_LABELS
from matching.shortlist.reverse import Matches, candidate_matches
from matching.store import models
from matching.store.repositories import CandidateRepository
from matching.whitespots.cache import SpotQuery

router = APIRouter(tags=["pages-candidates"], include_in_schema=False)
TARGET_GROUPS = dutch.TARGET_GROUPS
EDUCATION = {
    "none": "Geen startkwalificatie", "vo": "Voortgezet onderwijs", "mbo1": "mbo 1",
    "mbo2": "mbo 2", "mbo3": "mbo 3", "mbo4": "mbo 4", "hbo": "hbo", "wo": "wo",
}  # fmt: skip
STATUS = {"active": "Actief", "placed": "Geplaatst", "inactive": "Niet actief"}
SUITABLE_SCAN = 100_000
"""White spots looked through for the employer asked (all of them: the list is in memory)."""
PER_PAGE = 25
OUTCOME_LABELS = dutch.PROPOSAL_OUTCOMES
CONTRACT_LABELS = dutch.CONTRACTS
Municipality = Annotated[str, Query(pattern=r"^(GM\d{4})?$")]
TargetGroup = Annotated[str, Query(pattern=r"^(regulier|doelgroepregister|statushouder|nug)?$")]
Status = Annotated[str, Query(pattern=r"^(active|placed|inactive)?$")]
Step = Annotated[str, Query(pattern=r"^[1-6]?$")]


@router.get("/kandidaten", response_class=HTMLResponse)
def candidates_page(
    page: PageDep,
    zoek: Annotated[str, Query(max_length=100)] = "",
    gemeente: Municipality = "",
    doelgroep: TargetGroup = "",
    trede: Step = "",
    status: Status = "",
    pagina: Annotated[int, Query(ge=1, le=10_000)] = 1,
    programma: Annotated[str, Query(max_length=64)] = "",
) -> HTMLResponse:
    """The organisation's job seekers: search and filters (a programme's participants among
    them), a page at a time; audited."""
    labels = load_labels()
    try:
        participants = (
            frozenset(participant_ids(page.session, programma, principal=page.principal))
            if programma else None
        )  # fmt: skip
    except NotFound:
        return page.error(404, "Dit programma bestaat niet.", active="kandidaten")
    query = CandidateQuery(
        zoek, gemeente or None, doelgroep or None, int(trede) if trede else None, status or None,
        participants,
    )  # fmt: skip
    found = find_candidates(
        page.session, query, within=page.principal.municipality_codes, labels=labels,
        offset=(pagina - 1) * PER_PAGE, limit=PER_PAGE,
    )  # fmt: skip
    record(
        page.session, page.principal, "candidates.list", object_type="candidate",
        detail={"filters": {"q": zoek or None, "municipality": gemeente or None,
                            "target_group": doelgroep or None, "ladder_step": trede or None,
                            "status": status or None, "programme": programma or None,
                            "page": pagina},
                "count": found.count, "ids": [c.candidate_id for c in found.data]},
    )  # fmt: skip
    towns = sorted(
        ((c, labels.municipality(c)) for c in page.principal.municipality_codes),
        key=lambda pair: pair[1],
    )
    filters = {"zoek": zoek, "gemeente": gemeente, "doelgroep": doelgroep, "trede": trede,
               "status": status, "programma": programma}  # fmt: skip
    return page.render(
        "candidates.html", active="kandidaten", found=found, filters=filters, towns=towns,
        labels=labels, target_groups=TARGET_GROUPS, status_labels=STATUS, ladder=LADDER,
        pagina=pagina, pages=max(1, -(-found.count // PER_PAGE)),
        programmes=list_programmes(page.session, principal=page.principal),
    )  # fmt: skip


@router.get("/kandidaten/{candidate_id}", response_class=HTMLResponse)
def candidate_page(
    candidate_id: str, page: PageDep, aantal: Annotated[int, Query(ge=1, le=50)] = 10
) -> HTMLResponse:
    """A candidate of the user's organisation and the vacancies that fit best."""
    missing = f"Werkzoekende {candidate_id} bestaat niet of hoort niet bij uw organisatie."
    try:
        candidate = CandidateRepository(page.session).get(candidate_id=candidate_id)
    except NotFound:
        return page.error(404, missing, active="kandidaten")
    if not page.principal.sees_full(candidate.municipality_code):
        return page.error(404, missing, active="kandidaten")
    record(
        page.session, page.principal, "candidate.read", object_type="candidate",
        object_id=candidate_id,
    )  # fmt: skip
    matches: Matches | None = None
    problem = None
    try:
        matches = candidate_matches(
            page.session, page.regions(), candidate_id, principal=page.principal, limit=aantal,
            policy=policy_for(page.session, page.principal.organisation_id, page.settings),
        )  # fmt: skip
    except WerkmatchError as error:
        problem = f"Passende vacatures zijn nu niet te bepalen: {error}"
    return page.render(
        "candidate.html", active="kandidaten", candidate=candidate, matches=matches,
        history=candidate_history(page.session, candidate_id), outcomes=OUTCOME_LABELS,
        contracts=CONTRACT_LABELS,
        problem=problem, labels=load_labels(), ladder=LADDER, target_groups=TARGET_GROUPS,
        education=EDUCATION, status_labels=STATUS, level_labels=LEVEL_LABELS, limit=aantal,
        languages=dutch.LANGUAGES,
    )  # fmt: skip


@router.get("/witte-vlekken/geschikt", response_class=HTMLResponse)
def suitable_for_employer(
    page: PageDep, werkgever: Annotated[str, Query(min_length=1, max_length=64)]
) -> HTMLResponse:
    """The organisation's job seekers the white-spot list counts as suitable for an employer
    (the link behind the count on the job hunter's page)."""
    where = spot_filter(page, "", "")
    spot = None
    try:
        ranking = white_spot_page(page.white_spots, page.session, page.principal, page.settings,
                                  SpotQuery(where, limit=SUITABLE_SCAN))  # fmt: skip
        spot = next((s for s in ranking.data if s.employer_id == werkgever), None)
    except WerkmatchError as error:
        return page.error(503, f"Nu niet te bepalen: {error}", active="vacatures")
    if spot is None:
        message = f"Werkgever {werkgever} is geen witte vlek (meer) of bestaat niet."
        return page.error(404, message, active="vacatures")
    fits: dict[str, list[str]] = {}
    for occupation in spot.occupations:
        for candidate_id in occupation.suitable_ids:
            fits.setdefault(candidate_id, []).append(occupation.label)
    people = own_candidates(page, sorted(fits))
    record(
        page.session, page.principal, "candidates.list", object_type="employer",
        object_id=werkgever, detail={"ids": [c.candidate_id for c in people]},
    )  # fmt: skip
    return page.render(
        "suitable.html", active="vacatures", spot=spot, people=people, fits=fits,
        labels=load_labels(), ladder=LADDER, radius_km=ranking.radius_km,
    )  # fmt: skip


def own_candidates(page: Page, ids: list[str]) -> list[models.Candidate]:
    """The candidates among ``ids`` of the user's organisation, by id."""
    c = models.Candidate
    own = sorted(page.principal.municipality_codes)
    stmt = select(c).where(c.candidate_id.in_(ids), c.municipality_code.in_(own))
    return list(page.session.scalars(stmt.order_by(c.candidate_id)))
