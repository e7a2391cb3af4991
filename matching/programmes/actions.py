"""Recording trajectories: enrol (by exception with a reason), change phase, end; audited.

Every action checks the programme belongs to the principal's organisation and the candidate
lives in one of its municipalities (else "not found"), and is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matching.access.audit import record
from matching.access.users import Principal
from matching.columns import OUTCOME
from matching.errors import InvalidInput, NotFound
from matching.exchange.values import check_free_text
from matching.programmes.catalogue import get_programme
from matching.programmes.trajectories import OUTCOME_NL, format_phases, parse_phases
from matching.programmes.worklist import check_candidate
from matching.store.programmes import Enrolment

MAX_REASON = 500


def enrol(
    session: Session,
    programme_id: str,
    candidate_id: str,
    *,
    on: dt.date,
    principal: Principal,
    exception_reason: str | None = None,
    names: dict[str, str] | None = None,
) -> Enrolment:
    """Enrol the candidate in the programme's first phase on ``on``. A candidate who misses a
    rule needs ``exception_reason`` (a project leader's decision, audited); InvalidInput says
    which rules are missed, or that capacity is full, or that they are enrolled already."""
    programme = get_programme(session, programme_id, principal=principal)
    found = check_candidate(session, programme, candidate_id, as_of=on, names=names)
    reason = (exception_reason or "").strip() or None
    if found and reason is None:
        listed = "; ".join(f"{m.label}: {m.reason}" for m in found)
        raise InvalidInput(f"voldoet niet aan de regels van het programma ({listed}); "
                           "toelaten kan alleen als uitzondering met een reden")  # fmt: skip
    if hard := [m for m in found if not m.exceptable]:
        raise InvalidInput(f"ook met uitzondering niet toe te laten: {hard[0].reason}")
    if reason is not None:
        if len(reason) > MAX_REASON:
            raise InvalidInput(f"de reden is te lang (hoogstens {MAX_REASON} tekens)")
        check_free_text(reason)
    if session.get(Enrolment, (programme_id, candidate_id)) is not None:
        raise InvalidInput(f"werkzoekende {candidate_id} is al ingeschreven in dit programma")
    if not programme.start_date <= on <= programme.end_date:
        raise InvalidInput("de inschrijfdatum ligt buiten de looptijd van het programma")
    _check_capacity(session, programme_id, programme.capacity)
    enrolment = Enrolment(
        programme_id=programme_id, candidate_id=candidate_id, enrolled_on=on,
        phases=format_phases(((programme.phases[0].name, on),)),
        exception_reason=reason if found else None,
    )  # fmt: skip
    session.add(enrolment)
    detail = {"on": on.isoformat(), "missed": [m.rule for m in found], "exception": reason}
    action = "programme.admit_exception" if found else "programme.enrol"
    _audit(session, principal, action, programme_id, candidate_id, detail)
    return enrolment


def _check_capacity(session: Session, programme_id: str, capacity: int | None) -> None:
    if capacity is None:
        return
    running = session.scalar(
        select(func.count()).where(
            Enrolment.programme_id == programme_id, Enrolment.ended_on.is_(None)
        )
    )
    if (running or 0) >= capacity:
        raise InvalidInput(f"het programma is vol: {capacity} lopende trajecten")


def _running(
    session: Session, programme_id: str, candidate_id: str, principal: Principal
) -> Enrolment:
    get_programme(session, programme_id, principal=principal)
    enrolment = session.get(Enrolment, (programme_id, candidate_id))
    if enrolment is None:
        raise NotFound(f"traject van {candidate_id!r} in programma {programme_id!r} niet gevonden")
    if enrolment.ended_on is not None:
        raise InvalidInput("dit traject is al beëindigd")
    return enrolment


def change_phase(
    session: Session,
    programme_id: str,
    candidate_id: str,
    *,
    phase: str,
    on: dt.date,
    principal: Principal,
) -> Enrolment:
    """Move a running trajectory into ``phase`` from ``on`` (not before the current phase)."""
    enrolment = _running(session, programme_id, candidate_id, principal)
    programme = get_programme(session, programme_id, principal=principal)
    target = programme.phase(phase)
    if target is None:
        known = ", ".join(p.name for p in programme.phases)
        raise InvalidInput(f"fase '{phase}' hoort niet bij het programma ({known})")
    history = parse_phases(enrolment.phases)
    if on < history[-1][1]:
        raise InvalidInput(f"de nieuwe fase begint vóór de huidige ({history[-1][1]})")
    if history[-1][0].lower() == target.name.lower():
        raise InvalidInput(f"het traject is al in fase '{target.name}'")
    enrolment.phases = format_phases((*history, (target.name, on)))
    detail = {"phase": target.name, "on": on.isoformat()}
    _audit(session, principal, "programme.phase", programme_id, candidate_id, detail)
    return enrolment


def end_trajectory(
    session: Session,
    programme_id: str,
    candidate_id: str,
    *,
    outcome: str,
    on: dt.date,
    principal: Principal,
) -> Enrolment:
    """End a running trajectory on ``on`` with an outcome (werk, opleiding, doorverwijzing,
    uitval)."""
    enrolment = _running(session, programme_id, candidate_id, principal)
    code = OUTCOME.canonical(outcome)
    if code is None:
        raise InvalidInput(
            f"uitkomst '{outcome}' is niet een van: {', '.join(OUTCOME_NL.values())}"
        )
    if on < parse_phases(enrolment.phases)[-1][1]:
        raise InvalidInput("het traject kan niet eindigen vóór de huidige fase begon")
    enrolment.ended_on, enrolment.outcome = on, code
    detail = {"outcome": code, "on": on.isoformat()}
    _audit(session, principal, "programme.end", programme_id, candidate_id, detail)
    return enrolment


def _audit(
    session: Session,
    principal: Principal,
    action: str,
    programme_id: str,
    candidate_id: str,
    detail: dict[str, Any],
) -> None:
    session.flush()
    record(session, principal, action, object_type="enrolment",
           object_id=f"{programme_id}/{candidate_id}", detail=detail)  # fmt: skip
