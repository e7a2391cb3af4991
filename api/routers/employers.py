"""Employers: paged list and detail."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import LimitQuery, OffsetQuery, SessionDep
from api.errors import error_responses
from api.schemas.records import EmployerPublic, EmployersPublic
from matching.store.repositories import EmployerRepository

router = APIRouter(
    prefix="/employers", tags=["employers"], responses=error_responses(401, 403, 422, 503)
)


@router.get("", response_model=EmployersPublic)
def list_employers(
    session: SessionDep,
    offset: OffsetQuery = 0,
    limit: LimitQuery = 50,
    municipality: Annotated[str | None, Query(pattern=r"^GM\d{4}$")] = None,
    sbi: Annotated[str | None, Query(pattern=r"^[A-U]$")] = None,
) -> EmployersPublic:
    """Employers ordered by id, filtered by municipality and SBI section."""
    page = EmployerRepository(session).list(
        offset=offset, limit=limit, municipality_code=municipality, sbi_section=sbi
    )
    return EmployersPublic.model_validate(page, from_attributes=True)


@router.get("/{employer_id}", response_model=EmployerPublic, responses=error_responses(404))
def get_employer(employer_id: str, session: SessionDep) -> EmployerPublic:
    """One employer."""
    return EmployerPublic.model_validate(EmployerRepository(session).get(employer_id=employer_id))
