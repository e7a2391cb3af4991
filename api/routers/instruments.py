"""Instruments around a match, aftercare of running placements, and the employers for one job
seeker (supply-driven acquisition): three routers, each with its own role tag."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import CurrentUser, MatchingDep, RegionsDep, SessionDep, SettingsDep
from api.errors import error_responses
from api.schemas.instruments import (
    CheckInCreate,
    CheckInPublic,
    EmployerLeadPublic,
    EmployerLeadsPublic,
    InstrumentCreate,
    InstrumentEnd,
    MatchInstrumentsPublic,
    UsedInstrumentPublic,
    WorklistPublic,
)
from matching.aftercare.checkins import record_check_in
from matching.aftercare.worklist import aftercare_worklist
from matching.instruments.recording import (
    NewInstrument,
    end_instrument,
    record_instrument,
    remove_instrument,
)
from matching.instruments.suggestions import match_suggestions
from matching.shortlist.policy import policy_for
from matching.whitespots.supply import employers_for

ERRORS = error_responses(401, 403, 422, 503)
router = APIRouter(tags=["instruments"], responses=ERRORS)
aftercare_router = APIRouter(tags=["aftercare"], responses=ERRORS)
supply_router = APIRouter(tags=["supply"], responses=ERRORS)


@router.get(
    "/vacancies/{vacancy_id}/candidates/{candidate_id}/instruments",
    response_model=MatchInstrumentsPublic,
    responses=error_responses(404),
)
def get_match_instruments(
    vacancy_id: str,
    candidate_id: str,
    regions: RegionsDep,
    session: SessionDep,
    principal: CurrentUser,
) -> MatchInstrumentsPublic:
    """The instruments that may apply to the match (rule, reason, conditions), the trainings
    that close a missing required competence, and the instruments in use; audited."""
    context = regions.holding(candidate_id)  # the pair needs the candidate's row only
    found = match_suggestions(session, context, vacancy_id, candidate_id, principal=principal)
    return MatchInstrumentsPublic.model_validate(found, from_attributes=True)


@router.post(
    "/vacancies/{vacancy_id}/candidates/{candidate_id}/instruments",
    response_model=UsedInstrumentPublic,
    status_code=201,
    responses=error_responses(400, 404, 413),
)
def create_instrument(
    vacancy_id: str,
    candidate_id: str,
    body: InstrumentCreate,
    session: SessionDep,
    principal: CurrentUser,
) -> UsedInstrumentPublic:
    """Record an instrument used with the pair's proposal (or, with ``placement_id``, with one
    of its placements), for a candidate of the organisation; audited."""
    given = NewInstrument(body.kind, body.start_date, body.end_date, body.amount,
                          body.placement_id)  # fmt: skip
    used = record_instrument(session, vacancy_id, candidate_id, given, principal=principal)
    return UsedInstrumentPublic.model_validate(used, from_attributes=True)


@router.patch(
    "/instruments/{instrument_id}",
    response_model=UsedInstrumentPublic,
    responses=error_responses(400, 404, 413),
)
def update_instrument_end(
    instrument_id: str, body: InstrumentEnd, session: SessionDep, principal: CurrentUser
) -> UsedInstrumentPublic:
    """End an instrument of a candidate of the organisation on ``end_date``; audited."""
    used = end_instrument(session, instrument_id, body.end_date, principal=principal)
    return UsedInstrumentPublic.model_validate(used, from_attributes=True)


@router.delete("/instruments/{instrument_id}", status_code=204, responses=error_responses(404))
def delete_instrument(instrument_id: str, session: SessionDep, principal: CurrentUser) -> Response:
    """Remove an instrument recorded by mistake (a candidate of the organisation's); audited."""
    remove_instrument(session, instrument_id, principal=principal)
    return Response(status_code=204)


@aftercare_router.get("/aftercare", response_model=WorklistPublic)
def get_aftercare(
    context: MatchingDep,
    session: SessionDep,
    principal: CurrentUser,
    settings: SettingsDep,
    mine: Annotated[bool, Query(description="Only the placements I proposed.")] = False,
) -> WorklistPublic:
    """The organisation's aftercare worklist: overdue, due this week, placements at risk (a
    chance at the start below the organisation's shortlist threshold, or contact overdue)."""
    threshold = policy_for(session, principal.organisation_id, settings).threshold
    worklist = aftercare_worklist(
        session,
        principal,
        context=context,
        mine=mine,
        threshold=threshold,
    )
    return WorklistPublic.model_validate(worklist, from_attributes=True)


@aftercare_router.post(
    "/placements/{placement_id}/check-ins",
    response_model=CheckInPublic,
    status_code=201,
    responses=error_responses(400, 404, 413),
)
def create_check_in(
    placement_id: str, body: CheckInCreate, session: SessionDep, principal: CurrentUser
) -> CheckInPublic:
    """Record a check-in with a placement of the organisation at a checkpoint; audited."""
    check = record_check_in(
        session,
        placement_id,
        body.checkpoint,
        principal=principal,
        note=body.note,
        done_on=body.done_on,
    )
    return CheckInPublic.model_validate(check, from_attributes=True)


@supply_router.get(
    "/candidates/{candidate_id}/employers",
    response_model=EmployerLeadsPublic,
    responses=error_responses(404),
)
def get_candidate_employers(
    candidate_id: str,
    regions: RegionsDep,
    session: SessionDep,
    principal: CurrentUser,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> EmployerLeadsPublic:
    """Employers (white spots included) most likely to have work for the job seeker, with
    reasons: to approach with this person in mind; audited."""
    context = regions.holding(candidate_id)
    leads = employers_for(session, context, candidate_id, principal=principal, limit=limit)
    data = [EmployerLeadPublic.model_validate(lead, from_attributes=True) for lead in leads]
    return EmployerLeadsPublic(candidate_id=candidate_id, data=data, count=len(data))
