"""The candidate page: the profile matching needs, and the best open vacancies (reverse)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from api.pages.rendering import PageDep
from matching.audit import record
from matching.errors import NotFound, WerkmatchError
from matching.shortlist.explain import LADDER
from matching.shortlist.labels import load_labels
from matching.shortlist.policy import policy_for
from matching.shortlist.ranking import LEVEL_LABELS
from matching.shortlist.reverse import Matches, candidate_matches
from matching.store.repositories import CandidateRepository

router = APIRouter(tags=["pages-candidates"], include_in_schema=False)
TARGET_GROUPS = {
    "regulier": "Regulier",
    "doelgroepregister": "Doelgroepregister (banenafspraak)",
    "statushouder": "Statushouder",
    "nug": "Niet-uitkeringsgerechtigd (NUG)",
}
EDUCATION = {
    "none": "Geen startkwalificatie", "vo": "Voortgezet onderwijs", "mbo1": "mbo 1",
    "mbo2": "mbo 2", "mbo3": "mbo 3", "mbo4": "mbo 4", "hbo": "hbo", "wo": "wo",
}  # fmt: skip
STATUS = {"active": "Actief", "placed": "Geplaatst", "inactive": "Niet actief"}


@router.get("/kandidaten/{candidate_id}", response_class=HTMLResponse)
def candidate_page(
    candidate_id: str, page: PageDep, aantal: Annotated[int, Query(ge=1, le=50)] = 10
) -> HTMLResponse:
    """A candidate of the user's organisation and the vacancies that fit best."""
    missing = f"Kandidaat {candidate_id} bestaat niet of hoort niet bij uw organisatie."
    try:
        candidate = CandidateRepository(page.session).get(candidate_id=candidate_id)
    except NotFound:
        return page.error(404, missing, active="vacatures")
    if not page.principal.sees_full(candidate.municipality_code):
        return page.error(404, missing, active="vacatures")
    record(
        page.session, page.principal, "candidate.read", object_type="candidate",
        object_id=candidate_id,
    )  # fmt: skip
    matches: Matches | None = None
    problem = None
    try:
        context = page.request.app.state.matching.get(page.session)
        matches = candidate_matches(
            page.session, context, candidate_id, principal=page.principal, limit=aantal,
            policy=policy_for(page.session, page.principal.organisation_id, page.settings),
        )  # fmt: skip
    except WerkmatchError as error:
        problem = f"Passende vacatures zijn nu niet te bepalen: {error}"
    return page.render(
        "candidate.html", active="vacatures", candidate=candidate, matches=matches,
        problem=problem, labels=load_labels(), ladder=LADDER, target_groups=TARGET_GROUPS,
        education=EDUCATION, status_labels=STATUS, level_labels=LEVEL_LABELS, limit=aantal,
    )  # fmt: skip
