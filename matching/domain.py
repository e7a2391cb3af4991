"""Domain types of the core: plain dataclasses the repositories return."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Competence:
    """A competence or occupation item: the original text and its ESCO concept."""

    text: str
    uri: str | None
    score: float | None
    needs_review: bool


@dataclass(frozen=True)
class Candidate:
    """A job seeker as the core sees them."""

    candidate_id: str
    municipality_code: str
    postcode4: str | None
    ladder_step: int
    target_group: str
    hours_available: int
    max_travel_km: int | None
    driving_licence: bool | None
    education_level: str | None
    languages: tuple[str, ...]
    sector_preferences: tuple[str, ...]
    available_from: dt.date | None
    status: str
    consent_regional: bool
    competences: tuple[Competence, ...] = field(default=())
    occupations: tuple[Competence, ...] = field(default=())


@dataclass(frozen=True)
class Employer:
    """An employer in the register."""

    employer_id: str
    name: str
    sbi_code: str | None
    sbi_section: str | None
    municipality_code: str
    postcode4: str | None
    employees: int | None


@dataclass(frozen=True)
class Vacancy:
    """A vacancy with its normalised occupation and competences."""

    vacancy_id: str
    employer_id: str
    title: str
    occupation_uri: str | None
    occupation_score: float | None
    occupation_needs_review: bool
    municipality_code: str
    postcode4: str | None
    hours_per_week: int
    education_min: str | None
    languages_required: tuple[str, ...]
    driving_licence_required: bool | None
    positions: int
    opened_on: dt.date
    closes_on: dt.date | None
    status: str
    acquired_by: str | None
    required_competences: tuple[Competence, ...] = field(default=())
    optional_competences: tuple[Competence, ...] = field(default=())


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of results and the total count matching the query."""

    data: list[T]
    count: int
