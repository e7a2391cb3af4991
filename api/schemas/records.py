"""Schemas of the registers: candidates, employers, vacancies."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from api.schemas.common import CompetencePublic


class CandidatePublic(BaseModel):
    """A candidate as matching sees them; no birth year or gender (audit-only fields)."""

    model_config = ConfigDict(from_attributes=True)

    candidate_id: str
    municipality_code: str
    postcode4: str | None
    ladder_step: int
    target_group: str
    hours_available: int
    max_travel_km: int | None
    driving_licence: bool | None
    education_level: str | None
    languages: list[str]
    sector_preferences: list[str]
    available_from: dt.date | None
    status: str
    consent_regional: bool
    competences: list[CompetencePublic]
    occupations: list[CompetencePublic]


class CandidatesPublic(BaseModel):
    """A page of candidates."""

    data: list[CandidatePublic]
    count: int


class EmployerPublic(BaseModel):
    """An employer."""

    model_config = ConfigDict(from_attributes=True)

    employer_id: str
    name: str
    sbi_code: str | None
    sbi_section: str | None
    municipality_code: str
    postcode4: str | None
    employees: int | None


class EmployersPublic(BaseModel):
    """A page of employers."""

    data: list[EmployerPublic]
    count: int


class VacancyPublic(BaseModel):
    """A vacancy with its normalised occupation and competences."""

    model_config = ConfigDict(from_attributes=True)

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
    languages_required: list[str]
    driving_licence_required: bool | None
    positions: int
    opened_on: dt.date
    closes_on: dt.date | None
    status: str
    acquired_by: str | None
    required_competences: list[CompetencePublic]
    optional_competences: list[CompetencePublic]


class VacanciesPublic(BaseModel):
    """A page of vacancies."""

    data: list[VacancyPublic]
    count: int
