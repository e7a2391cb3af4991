"""Programmes as the signed-in user may see them: their own organisation's (the command line
sees all); another organisation's programme is "not found"."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from matching.access.users import Principal
from matching.errors import NotFound
from matching.programmes.rules import ProgrammeInfo, programme_info
from matching.store.access import OrganisationMunicipality
from matching.store.programmes import Programme


def list_programmes(session: Session, *, principal: Principal) -> list[ProgrammeInfo]:
    """The programmes of the principal's organisation, by start date and name."""
    statement = select(Programme).order_by(Programme.start_date, Programme.name)
    if principal.organisation_id is not None:
        statement = statement.where(Programme.organisation_id == principal.organisation_id)
    return [programme_info(row) for row in session.scalars(statement)]


def get_programme(session: Session, programme_id: str, *, principal: Principal) -> ProgrammeInfo:
    """One programme of the principal's organisation; NotFound otherwise."""
    row = session.get(Programme, programme_id)
    if row is None or principal.organisation_id not in (None, row.organisation_id):
        raise NotFound(f"programma {programme_id!r} niet gevonden")
    return programme_info(row)


def organisation_municipalities(session: Session, organisation_id: str) -> frozenset[str]:
    """The municipalities whose candidates a programme of ``organisation_id`` may take."""
    om = OrganisationMunicipality
    statement = select(om.municipality_code).where(om.organisation_id == organisation_id)
    return frozenset(session.scalars(statement))


def participant_ids(
    session: Session, programme_id: str, *, principal: Principal, as_of: dt.date | None = None
) -> set[str]:
    """The candidates whose trajectory in the programme runs on ``as_of`` (default today);
    NotFound for another organisation's programme."""
    from matching.store.programmes import Enrolment

    get_programme(session, programme_id, principal=principal)
    day = as_of or dt.date.today()
    e = Enrolment
    statement = select(e.candidate_id).where(
        e.programme_id == programme_id,
        e.enrolled_on <= day,
        (e.ended_on.is_(None)) | (e.ended_on > day),
    )
    return set(session.scalars(statement))
