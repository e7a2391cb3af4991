"""Repositories: take a Session, return domain objects; keyword-only query methods."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, inspect, select
from sqlalchemy.orm import Session

from matching import domain
from matching.errors import NotFound
from matching.store import models


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(item for item in (value or "").split(";") if item)


def _items(rows: Sequence[models.NormalisedItem]) -> tuple[domain.Competence, ...]:
    return tuple(
        domain.Competence(text=r.text, uri=r.uri, score=r.score, needs_review=r.needs_review)
        for r in rows
    )


def to_candidate(row: models.Candidate) -> domain.Candidate:
    """Map a stored candidate to the domain type."""
    return domain.Candidate(
        candidate_id=row.candidate_id,
        municipality_code=row.municipality_code,
        postcode4=row.postcode4,
        ladder_step=row.ladder_step,
        target_group=row.target_group,
        hours_available=row.hours_available,
        max_travel_km=row.max_travel_km,
        driving_licence=row.driving_licence,
        education_level=row.education_level,
        languages=_split(row.languages),
        sector_preferences=_split(row.sector_preferences),
        available_from=row.available_from,
        status=row.status,
        consent_regional=row.consent_regional,
        competences=_items(row.competences),
        occupations=_items(row.occupations),
    )


def to_employer(row: models.Employer) -> domain.Employer:
    """Map a stored employer to the domain type."""
    return domain.Employer(
        employer_id=row.employer_id,
        name=row.name,
        sbi_code=row.sbi_code,
        sbi_section=row.sbi_section,
        municipality_code=row.municipality_code,
        postcode4=row.postcode4,
        employees=row.employees,
    )


def to_vacancy(row: models.Vacancy) -> domain.Vacancy:
    """Map a stored vacancy to the domain type."""
    items = {
        kind: [c for c in row.competences if c.kind == kind] for kind in ("required", "optional")
    }
    return domain.Vacancy(
        vacancy_id=row.vacancy_id,
        employer_id=row.employer_id,
        title=row.title,
        occupation_uri=row.occupation_uri,
        occupation_score=row.occupation_score,
        occupation_needs_review=row.occupation_needs_review,
        municipality_code=row.municipality_code,
        postcode4=row.postcode4,
        hours_per_week=row.hours_per_week,
        education_min=row.education_min,
        languages_required=_split(row.languages_required),
        driving_licence_required=row.driving_licence_required,
        positions=row.positions,
        opened_on=row.opened_on,
        closes_on=row.closes_on,
        status=row.status,
        acquired_by=row.acquired_by,
        required_competences=_items(items["required"]),
        optional_competences=_items(items["optional"]),
    )


def _page(
    session: Session,
    model: Any,
    filters: dict[str, str | None],
    *conditions: ColumnElement[bool],
    offset: int,
    limit: int,
) -> tuple[list[Any], int]:
    """Rows of ``model`` matching the non-empty equality ``filters`` and ``conditions``,
    ordered by primary key."""
    query = select(model).where(
        *conditions, *(getattr(model, col) == value for col, value in filters.items() if value)
    )
    count = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    key = inspect(model).primary_key
    rows = session.scalars(query.order_by(*key).offset(offset).limit(limit)).all()
    return list(rows), count


def _get(session: Session, model: Any, key: str, noun: str) -> Any:
    """The row of ``model`` with primary key ``key``, or NotFound naming the ``noun``."""
    row = session.get(model, key)
    if row is None:
        raise NotFound(f"{noun} {key!r} niet gevonden.")
    return row


class CandidateRepository:
    """Read access to candidates."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, *, candidate_id: str) -> domain.Candidate:
        """One candidate, or NotFound."""
        return to_candidate(_get(self.session, models.Candidate, candidate_id, "Kandidaat"))


class EmployerRepository:
    """Read access to employers."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, *, employer_id: str) -> domain.Employer:
        """One employer, or NotFound."""
        return to_employer(_get(self.session, models.Employer, employer_id, "Werkgever"))

    def list(
        self,
        *,
        offset: int = 0,
        limit: int = 50,
        municipality_code: str | None = None,
        sbi_section: str | None = None,
    ) -> domain.Page[domain.Employer]:
        """A page of employers, ordered by id, optionally filtered."""
        filters = {"municipality_code": municipality_code, "sbi_section": sbi_section}
        rows, count = _page(self.session, models.Employer, filters, offset=offset, limit=limit)
        return domain.Page(data=[to_employer(r) for r in rows], count=count)


class VacancyRepository:
    """Read access to vacancies."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, *, vacancy_id: str) -> domain.Vacancy:
        """One vacancy, or NotFound."""
        return to_vacancy(_get(self.session, models.Vacancy, vacancy_id, "Vacature"))

    def list(
        self,
        *,
        offset: int = 0,
        limit: int = 50,
        municipality_code: str | None = None,
        status: str | None = None,
        employer_id: str | None = None,
    ) -> domain.Page[domain.Vacancy]:
        """A page of vacancies, ordered by id, optionally filtered."""
        filters = {
            "municipality_code": municipality_code,
            "status": status,
            "employer_id": employer_id,
        }
        rows, count = _page(self.session, models.Vacancy, filters, offset=offset, limit=limit)
        return domain.Page(data=[to_vacancy(r) for r in rows], count=count)
