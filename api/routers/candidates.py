"""Candidates: paged list and detail, limited to the user's organisation; every read audited."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.deps import CurrentUser, LimitQuery, OffsetQuery, SessionDep
from api.errors import error_responses
from api.schemas.records import CandidatePublic, CandidatesPublic
from matching.access.audit import record
from matching.caseload import CandidateQuery, find_candidates
from matching.errors import NotFound
from matching.programmes import participant_ids
from matching.shortlist.labels import load_labels
from matching.store.repositories import CandidateRepository

router = APIRouter(
    prefix="/candidates", tags=["candidates"], responses=error_responses(401, 403, 422, 503)
)


@router.get("", response_model=CandidatesPublic, responses=error_responses(404))
def list_candidates(
    session: SessionDep,
    principal: CurrentUser,
    offset: OffsetQuery = 0,
    limit: LimitQuery = 50,
    municipality: Annotated[str | None, Query(pattern=r"^GM\d{4}$")] = None,
    status: Literal["active", "placed", "inactive"] | None = None,
    q: Annotated[
        str,
        Query(
            max_length=100,
            description="Search: id, a competence or occupation as written, or the Dutch "
            "label of a normalised one (case-insensitive, part of a word is enough).",
        ),
    ] = "",
    target_group: Literal["regulier", "doelgroepregister", "statushouder", "nug"] | None = None,
    ladder_step: Annotated[int | None, Query(ge=1, le=6)] = None,
    programme: Annotated[
        str | None,
        Query(max_length=64, description="Only the running participants of this programme."),
    ] = None,
) -> CandidatesPublic:
    """Candidates of the user's organisation ordered by id, searched and filtered (404 for
    another organisation's programme)."""
    participants = None
    if programme is not None:
        participants = frozenset(participant_ids(session, programme, principal=principal))
    query = CandidateQuery(q, municipality, target_group, ladder_step, status, participants)
    page = find_candidates(
        session,
        query,
        within=principal.municipality_codes,
        labels=load_labels(),
        offset=offset,
        limit=limit,
    )
    filters = {
        "municipality": municipality,
        "status": status,
        "q": q or None,
        "target_group": target_group,
        "ladder_step": ladder_step,
        "programme": programme,
        "offset": offset,
        "limit": limit,
    }
    record(
        session,
        principal,
        "candidates.list",
        object_type="candidate",
        detail={
            "filters": filters,
            "count": page.count,
            "ids": [c.candidate_id for c in page.data],
        },
    )
    return CandidatesPublic.model_validate(page, from_attributes=True)


@router.get("/{candidate_id}", response_model=CandidatePublic, responses=error_responses(404))
def get_candidate(
    candidate_id: str, session: SessionDep, principal: CurrentUser
) -> CandidatePublic:
    """One candidate of the user's organisation (404 for candidates of other organisations)."""
    candidate = CandidateRepository(session).get(candidate_id=candidate_id)
    if not principal.sees_full(candidate.municipality_code):
        raise NotFound(f"Kandidaat {candidate_id!r} niet gevonden.")
    record(session, principal, "candidate.read", object_type="candidate", object_id=candidate_id)
    return CandidatePublic.model_validate(candidate)
