"""Shortlists, proposals and employer decisions, reverse matches and allocation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from api.deps import CurrentUser, MatchingDep, RegionsDep, SessionDep, SettingsDep
from api.errors import error_responses
from api.schemas.shortlists import (
    AllocationCreate,
    AllocationPublic,
    MatchesPublic,
    ProposalCreate,
    ProposalDecision,
    ProposalPublic,
    ProposalsPublic,
    ShortlistPublic,
)
from matching.access.audit import record
from matching.errors import NotFound
from matching.programmes import participant_ids
from matching.shortlist import proposals
from matching.shortlist.allocation import AllocationOptions, allocate
from matching.shortlist.policy import policy_for
from matching.shortlist.reverse import candidate_matches
from matching.shortlist.service import vacancy_shortlist
from matching.store.repositories import CandidateRepository

router = APIRouter(tags=["shortlists"], responses=error_responses(401, 403, 422, 503))
BODY_ERRORS = error_responses(400, 404, 413)


@router.get(
    "/vacancies/{vacancy_id}/shortlist",
    response_model=ShortlistPublic,
    response_model_exclude_unset=True,
    responses=error_responses(404),
)
def get_shortlist(
    vacancy_id: str,
    regions: RegionsDep,
    session: SessionDep,
    principal: CurrentUser,
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    explain_filters: bool = False,
    programme: Annotated[
        str | None,
        Query(max_length=64, description="Only the running participants of this programme."),
    ] = None,
) -> Response:
    """Ranked candidates for an open vacancy, explained; others' candidates pseudonymised."""
    only = None
    if programme is not None:
        only = participant_ids(session, programme, principal=principal)
    shortlist = vacancy_shortlist(
        session,
        regions,
        vacancy_id,
        principal=principal,
        limit=limit,
        policy=policy_for(session, principal.organisation_id, settings),
        viewer=principal.municipality_codes,
        explain_filters=explain_filters,
        only=only,
    )
    # The audit row is this request's only write: commit it right after the INSERT, so that
    # SQLite's write lock is held for one statement, not across the validation below or the
    # hop to the dependency's teardown (concurrent writers sleep in SQLite's busy handler).
    session.commit()
    # Validated against the response model once, here; returning the Response itself spares
    # FastAPI validating it a second time (response_model stays for the documented schema).
    body = ShortlistPublic.model_validate(shortlist.to_dict()).model_dump_json(exclude_unset=True)
    return Response(body, media_type="application/json")


def _proposals(items: list[proposals.ProposalInfo]) -> ProposalsPublic:
    return ProposalsPublic(
        data=[ProposalPublic.model_validate(p, from_attributes=True) for p in items],
        count=len(items),
    )


@router.get(
    "/vacancies/{vacancy_id}/proposals",
    response_model=ProposalsPublic,
    responses=error_responses(404),
)
def list_proposals(vacancy_id: str, session: SessionDep, principal: CurrentUser) -> ProposalsPublic:
    """The candidates proposed to a vacancy of the user's organisation and the employer's
    decisions; candidates of other organisations pseudonymised (404 for others' vacancies)."""
    items = proposals.list_proposals(session, vacancy_id, principal=principal)
    record(
        session,
        principal,
        "proposals.read",
        object_type="vacancy",
        object_id=vacancy_id,
        detail={"candidates": [p.candidate_id for p in items]},
    )
    return _proposals(items)


@router.post(
    "/vacancies/{vacancy_id}/proposals",
    response_model=ProposalsPublic,
    status_code=status.HTTP_201_CREATED,
    responses={**BODY_ERRORS, **error_responses(409)},
)
def create_proposals(
    vacancy_id: str, body: ProposalCreate, session: SessionDep, principal: CurrentUser
) -> ProposalsPublic:
    """Record the candidates a person proposes (reason required when skipping higher ranks)."""
    items = proposals.propose(
        session, vacancy_id, body.candidate_ids, principal=principal, reason=body.reason
    )
    return _proposals(items)


@router.patch(
    "/vacancies/{vacancy_id}/proposals/{candidate_id}",
    response_model=ProposalPublic,
    responses=BODY_ERRORS,
)
def decide_proposal(
    vacancy_id: str,
    candidate_id: str,
    body: ProposalDecision,
    session: SessionDep,
    principal: CurrentUser,
) -> ProposalPublic:
    """Record the employer's decision; a hire with a start date records the placement."""
    placement = None
    if body.start_date is not None:
        placement = proposals.PlacementInput(body.start_date, body.contract, body.hours_per_week)
    info = proposals.decide(
        session, vacancy_id, candidate_id, body.outcome, principal=principal, placement=placement
    )
    return ProposalPublic.model_validate(info, from_attributes=True)


@router.get(
    "/candidates/{candidate_id}/matches",
    response_model=MatchesPublic,
    responses=error_responses(404),
)
def get_matches(
    candidate_id: str,
    regions: RegionsDep,
    session: SessionDep,
    principal: CurrentUser,
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> MatchesPublic:
    """The best open vacancies for a candidate of the user's organisation."""
    candidate = CandidateRepository(session).get(candidate_id=candidate_id)
    if not principal.sees_full(candidate.municipality_code):
        raise NotFound(f"Kandidaat {candidate_id!r} niet gevonden.")
    matches = candidate_matches(
        session,
        regions,
        candidate_id,
        principal=principal,
        limit=limit,
        policy=policy_for(session, principal.organisation_id, settings),
    )
    return MatchesPublic.model_validate(matches.to_dict())


@router.post("/allocations", response_model=AllocationPublic, responses=BODY_ERRORS)
def create_allocation(
    body: AllocationCreate,
    context: MatchingDep,
    session: SessionDep,
    principal: CurrentUser,
    settings: SettingsDep,
) -> AllocationPublic:
    """Proposal lists over all open vacancies under per-candidate limits, with the baseline."""
    options = AllocationOptions(
        k=body.k,
        max_proposals_per_candidate=body.max_proposals_per_candidate
        or settings.max_proposals_per_candidate,
        top_n=body.top_n,
    )
    result = allocate(
        session,
        context,
        options=options,
        policy=policy_for(session, principal.organisation_id, settings),
        principal=principal,
    )
    record(
        session,
        principal,
        "allocation.run",
        model_version=result.model_version,
        detail={"options": result.to_dict()["options"], "lists": result.lists},
    )
    return AllocationPublic.model_validate(result.to_dict())
