"""Vacancies: paged list and detail."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.deps import LimitQuery, OffsetQuery, SessionDep
from api.errors import error_responses
from api.schemas.records import VacanciesPublic, VacancyPublic
from matching.store.repositories import VacancyRepository

router = APIRouter(
    prefix="/vacancies", tags=["vacancies"], responses=error_responses(401, 403, 422, 503)
)


@router.get("", response_model=VacanciesPublic)
def list_vacancies(
    session: SessionDep,
    offset: OffsetQuery = 0,
    limit: LimitQuery = 50,
    municipality: Annotated[str | None, Query(pattern=r"^GM\d{4}$")] = None,
    status: Literal["open", "filled", "closed"] | None = None,
    employer_id: str | None = None,
) -> VacanciesPublic:
    """Vacancies ordered by id, filtered by municipality, status and employer."""
    page = VacancyRepository(session).list(
        offset=offset,
        limit=limit,
        municipality_code=municipality,
        status=status,
        employer_id=employer_id,
    )
    return VacanciesPublic.model_validate(page, from_attributes=True)


@router.get("/{vacancy_id}", response_model=VacancyPublic, responses=error_responses(404))
def get_vacancy(vacancy_id: str, session: SessionDep) -> VacancyPublic:
    """One vacancy."""
    return VacancyPublic.model_validate(VacancyRepository(session).get(vacancy_id=vacancy_id))
