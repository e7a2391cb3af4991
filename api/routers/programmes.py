"""Programmes: rules and targets, trajectories, eligibility, the worklist and progress; the
user's own organisation only (another organisation's programme is 404). Reads that list
candidates and every change are audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query, status

from api.deps import CurrentUser, SessionDep
from api.errors import error_responses
from api.schemas.common import DateParam
from api.schemas.programmes import (
    EligibilityPublic,
    EnrolmentCreate,
    MissPublic,
    PhaseChange,
    PhasePublic,
    ProgrammePublic,
    ProgrammesPublic,
    ProgressPublic,
    RulesPublic,
    TargetsPublic,
    TrajectoriesPublic,
    TrajectoryEnd,
    TrajectoryPublic,
    WorklistPublic,
)
from evaluation.programme_report import load_progress, programme_dict
from matching.access.audit import record
from matching.history import municipality_names
from matching.programmes import (
    ProgrammeInfo,
    Trajectory,
    change_phase,
    check_candidate,
    end_trajectory,
    enrol,
    get_programme,
    list_programmes,
    load_trajectories,
    worklist,
)

router = APIRouter(
    prefix="/programmes", tags=["programmes"], responses=error_responses(401, 403, 422, 503)
)
BODY_ERRORS = error_responses(400, 404, 413)
AsOf = Annotated[DateParam | None, Query(description="Reference date; default today.")]


def programme_public(p: ProgrammeInfo) -> ProgrammePublic:
    """The API form of a programme."""
    rules = asdict(p.rules)
    rules = {k: sorted(v) if isinstance(v, frozenset) else v for k, v in rules.items()}
    return ProgrammePublic(
        programme_id=p.programme_id, name=p.name, start_date=p.start_date, end_date=p.end_date,
        capacity=p.capacity, phases=[PhasePublic(**asdict(ph)) for ph in p.phases],
        rules=RulesPublic(**rules), targets=TargetsPublic(**asdict(p.targets)),
        moments=list(p.moments),
    )  # fmt: skip


def trajectory_public(t: Trajectory, programme: ProgrammeInfo, as_of: dt.date) -> TrajectoryPublic:
    """The API form of a trajectory with its flag as of ``as_of``."""
    return TrajectoryPublic(
        candidate_id=t.candidate_id, municipality_code=t.municipality_code,
        enrolled_on=t.enrolled_on, phase=t.phase, phase_since=t.phase_since,
        phase_due=t.phase_due(programme), over_time=t.over_time(programme, as_of),
        phases=list(t.phases), ended_on=t.ended_on, outcome=t.outcome,
        exception_reason=t.exception_reason,
    )  # fmt: skip


@router.get("", response_model=ProgrammesPublic)
def list_all(session: SessionDep, principal: CurrentUser) -> ProgrammesPublic:
    """The programmes of the user's organisation."""
    found = list_programmes(session, principal=principal)
    return ProgrammesPublic(data=[programme_public(p) for p in found], count=len(found))


@router.get("/{programme_id}", response_model=ProgrammePublic, responses=error_responses(404))
def get_one(programme_id: str, session: SessionDep, principal: CurrentUser) -> ProgrammePublic:
    """One programme: rules, phases, capacity, targets, evaluation moments."""
    return programme_public(get_programme(session, programme_id, principal=principal))


@router.get(
    "/{programme_id}/progress", response_model=ProgressPublic, responses=error_responses(404)
)
def progress(
    programme_id: str, session: SessionDep, principal: CurrentUser, as_of: AsOf = None
) -> ProgressPublic:
    """Progress against every target at the evaluation moments, per phase and municipality,
    with the linear forecast to the end date; aggregates, and the ids of the trajectories over
    their phase's maximum (audited)."""
    day = as_of or dt.date.today()
    found = load_progress(session, programme_id, as_of=day, principal=principal)
    record(session, principal, "programme.progress", object_type="programme",
           object_id=programme_id, detail={"over_time": found.over_time})  # fmt: skip
    return ProgressPublic.model_validate(programme_dict(found) | {"programme_id": programme_id})


@router.get(
    "/{programme_id}/trajectories",
    response_model=TrajectoriesPublic,
    responses=error_responses(404),
)
def trajectories(
    programme_id: str, session: SessionDep, principal: CurrentUser, as_of: AsOf = None
) -> TrajectoriesPublic:
    """The programme's trajectories, flagged when past their phase's maximum duration."""
    day = as_of or dt.date.today()
    programme = get_programme(session, programme_id, principal=principal)
    found = load_trajectories(session, programme_id)
    record(session, principal, "programme.trajectories", object_type="programme",
           object_id=programme_id, detail={"ids": [t.candidate_id for t in found]})  # fmt: skip
    data = [trajectory_public(t, programme, day) for t in found]
    return TrajectoriesPublic(data=data, count=len(data))


@router.get("/{programme_id}/eligible", response_model=WorklistPublic,
            responses=error_responses(404))  # fmt: skip
def eligible(
    programme_id: str,
    session: SessionDep,
    principal: CurrentUser,
    as_of: AsOf = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> WorklistPublic:
    """Wie komt in aanmerking: eligible candidates not enrolled, and those missing one rule."""
    programme = get_programme(session, programme_id, principal=principal)
    found = worklist(session, programme, as_of=as_of or dt.date.today(), limit=limit,
                     names=municipality_names(session))  # fmt: skip
    ids = [e.candidate_id for e in found.eligible + found.by_exception]
    record(session, principal, "programme.worklist", object_type="programme",
           object_id=programme_id, detail={"ids": ids})  # fmt: skip
    return WorklistPublic.model_validate(asdict(found))


@router.get(
    "/{programme_id}/eligibility/{candidate_id}",
    response_model=EligibilityPublic,
    responses=error_responses(404),
)
def eligibility(
    programme_id: str,
    candidate_id: str,
    session: SessionDep,
    principal: CurrentUser,
    as_of: AsOf = None,
) -> EligibilityPublic:
    """Which rules one candidate of the organisation misses, with Dutch reasons."""
    programme = get_programme(session, programme_id, principal=principal)
    misses = check_candidate(session, programme, candidate_id, as_of=as_of or dt.date.today(),
                             names=municipality_names(session))  # fmt: skip
    record(session, principal, "programme.eligibility", object_type="candidate",
           object_id=candidate_id, detail={"programme": programme_id})  # fmt: skip
    return EligibilityPublic(candidate_id=candidate_id, eligible=not misses,
                             misses=[MissPublic(**asdict(m)) for m in misses])  # fmt: skip


def _one(
    session: SessionDep, programme_id: str, candidate_id: str, principal: CurrentUser
) -> TrajectoryPublic:
    """The trajectory as it stands after a change."""
    programme = get_programme(session, programme_id, principal=principal)
    (found,) = load_trajectories(session, programme_id, candidate_id=candidate_id)
    return trajectory_public(found, programme, dt.date.today())


@router.post(
    "/{programme_id}/enrolments",
    response_model=TrajectoryPublic,
    status_code=status.HTTP_201_CREATED,
    responses=BODY_ERRORS,
)
def create_enrolment(
    programme_id: str, body: EnrolmentCreate, session: SessionDep, principal: CurrentUser
) -> TrajectoryPublic:
    """Enrol a candidate (a project leader may admit by exception with a reason)."""
    enrol(session, programme_id, body.candidate_id, on=body.on, principal=principal,
          exception_reason=body.exception_reason, names=municipality_names(session))  # fmt: skip
    return _one(session, programme_id, body.candidate_id, principal)


@router.post(
    "/{programme_id}/enrolments/{candidate_id}/phase",
    response_model=TrajectoryPublic,
    responses=BODY_ERRORS,
)
def move_phase(
    programme_id: str,
    candidate_id: str,
    body: PhaseChange,
    session: SessionDep,
    principal: CurrentUser,
) -> TrajectoryPublic:
    """Move a running trajectory into another phase."""
    change_phase(session, programme_id, candidate_id, phase=body.phase, on=body.on,
                 principal=principal)  # fmt: skip
    return _one(session, programme_id, candidate_id, principal)


@router.post(
    "/{programme_id}/enrolments/{candidate_id}/end",
    response_model=TrajectoryPublic,
    responses=BODY_ERRORS,
)
def end(
    programme_id: str,
    candidate_id: str,
    body: TrajectoryEnd,
    session: SessionDep,
    principal: CurrentUser,
) -> TrajectoryPublic:
    """End a running trajectory with an outcome."""
    end_trajectory(session, programme_id, candidate_id, outcome=body.outcome, on=body.on,
                   principal=principal)  # fmt: skip
    return _one(session, programme_id, candidate_id, principal)
