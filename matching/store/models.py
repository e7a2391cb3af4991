"""Entity tables: candidates, employers, vacancies, contacts, proposals, placements.

Attribute names equal the exchange-format column names (``matching/columns.py``) where the
format has the field. Lists are stored canonically: ``;``-joined, as exported.
Free-text competences and occupations keep the original text next to the ESCO concept chosen
on import, its score, the runner-up and a review flag.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, Text, false, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matching.store import (
    access,  # noqa: F401  (the access-control and audit tables)
    instruments,  # noqa: F401  (instruments, their rules, trainings, aftercare)
    jobs,  # noqa: F401  (background jobs)
    matching_state,  # noqa: F401  (data versions, policies)
    programmes,  # noqa: F401  (programmes and enrolments)
    review,  # noqa: F401  (import runs, review queue, synonyms, crosswalks)
)
from matching.store.access import UtcDateTime
from matching.store.base import Base


class NormalisedItem:
    """Columns of a free-text item normalised to ESCO on import."""

    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    uri: Mapped[str | None] = mapped_column(String(200), index=True)
    score: Mapped[float | None] = mapped_column(Float)
    runner_up_uri: Mapped[str | None] = mapped_column(String(200))
    runner_up_score: Mapped[float | None] = mapped_column(Float)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)


class Candidate(Base):
    """A job seeker (werkzoekende); pseudonymous id, never a BSN."""

    __tablename__ = "candidates"

    candidate_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipalities.code"), index=True)
    postcode4: Mapped[str | None] = mapped_column(String(4))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    gender: Mapped[str | None] = mapped_column(String(1))
    ladder_step: Mapped[int] = mapped_column(Integer)
    target_group: Mapped[str] = mapped_column(String(20))
    benefit: Mapped[str | None] = mapped_column(String(20))
    hours_available: Mapped[int] = mapped_column(Integer)
    max_travel_km: Mapped[int | None] = mapped_column(Integer)
    driving_licence: Mapped[bool | None] = mapped_column(Boolean)
    education_level: Mapped[str | None] = mapped_column(String(10))
    languages: Mapped[str | None] = mapped_column(String(200))
    sector_preferences: Mapped[str | None] = mapped_column(String(200))
    available_from: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), index=True)
    consent_regional: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(
        UtcDateTime, server_default=func.now(), index=True
    )
    """Set by the database's triggers (migration 0012) on every change of the candidate or of
    their competences, occupations or placements; never written by the application."""

    competences: Mapped[list[CandidateCompetence]] = relationship(
        cascade="all, delete-orphan", order_by="CandidateCompetence.position", lazy="selectin"
    )
    occupations: Mapped[list[CandidateOccupation]] = relationship(
        cascade="all, delete-orphan", order_by="CandidateOccupation.position", lazy="selectin"
    )


class CandidateCompetence(NormalisedItem, Base):
    """One competence of a candidate, as written and as normalised to an ESCO skill."""

    __tablename__ = "candidate_competences"

    candidate_id: Mapped[str] = mapped_column(
        ForeignKey("candidates.candidate_id", ondelete="CASCADE"), primary_key=True
    )


class CandidateOccupation(NormalisedItem, Base):
    """One occupation of a candidate's history or target, normalised to ESCO."""

    __tablename__ = "candidate_occupations"

    candidate_id: Mapped[str] = mapped_column(
        ForeignKey("candidates.candidate_id", ondelete="CASCADE"), primary_key=True
    )


class Employer(Base):
    """An employer (werkgever), known or a white spot."""

    __tablename__ = "employers"

    employer_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    sbi_code: Mapped[str | None] = mapped_column(String(10))
    sbi_section: Mapped[str | None] = mapped_column(String(1), index=True)
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipalities.code"), index=True)
    postcode4: Mapped[str | None] = mapped_column(String(4))
    employees: Mapped[int | None] = mapped_column(Integer)


class Vacancy(Base):
    """A vacancy at an employer; the title is normalised to an ESCO occupation."""

    __tablename__ = "vacancies"

    vacancy_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    employer_id: Mapped[str] = mapped_column(ForeignKey("employers.employer_id"), index=True)
    title: Mapped[str] = mapped_column(Text)
    occupation: Mapped[str | None] = mapped_column(String(200))
    occupation_uri: Mapped[str | None] = mapped_column(String(200), index=True)
    occupation_score: Mapped[float | None] = mapped_column(Float)
    occupation_runner_up_uri: Mapped[str | None] = mapped_column(String(200))
    occupation_runner_up_score: Mapped[float | None] = mapped_column(Float)
    occupation_needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipalities.code"), index=True)
    postcode4: Mapped[str | None] = mapped_column(String(4))
    hours_per_week: Mapped[int] = mapped_column(Integer)
    education_min: Mapped[str | None] = mapped_column(String(10))
    languages_required: Mapped[str | None] = mapped_column(String(200))
    driving_licence_required: Mapped[bool | None] = mapped_column(Boolean)
    positions: Mapped[int] = mapped_column(Integer, default=1)
    opened_on: Mapped[dt.date] = mapped_column(Date)
    closes_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), index=True)
    acquired_by: Mapped[str | None] = mapped_column(String(64))

    competences: Mapped[list[VacancyCompetence]] = relationship(
        cascade="all, delete-orphan",
        order_by="(VacancyCompetence.kind, VacancyCompetence.position)",
        lazy="selectin",
    )


class VacancyCompetence(NormalisedItem, Base):
    """A required or optional competence of a vacancy, normalised to an ESCO skill."""

    __tablename__ = "vacancy_competences"

    vacancy_id: Mapped[str] = mapped_column(
        ForeignKey("vacancies.vacancy_id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)


class Contact(Base):
    """An acquisition step with an employer (letter, call, visit, meeting)."""

    __tablename__ = "contacts"

    contact_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    employer_id: Mapped[str] = mapped_column(ForeignKey("employers.employer_id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(10))
    outcome: Mapped[str | None] = mapped_column(String(20))
    by: Mapped[str | None] = mapped_column(String(64))
    # made with a job seeker in mind ("met het cv onder de arm"); optional in contacts.csv (1.1)
    supply_driven: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Proposal(Base):
    """A candidate proposed to a vacancy by a person, and the employer's decision."""

    __tablename__ = "proposals"

    vacancy_id: Mapped[str] = mapped_column(ForeignKey("vacancies.vacancy_id"), primary_key=True)
    candidate_id: Mapped[str] = mapped_column(
        ForeignKey("candidates.candidate_id", ondelete="CASCADE"), primary_key=True, index=True
    )
    proposed_on: Mapped[dt.date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(10))
    proposed_by: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(Text)


class Placement(Base):
    """A candidate starting work at an employer."""

    __tablename__ = "placements"

    placement_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    candidate_id: Mapped[str] = mapped_column(
        ForeignKey("candidates.candidate_id", ondelete="CASCADE"), index=True
    )
    employer_id: Mapped[str] = mapped_column(ForeignKey("employers.employer_id"), index=True)
    vacancy_id: Mapped[str | None] = mapped_column(ForeignKey("vacancies.vacancy_id"), index=True)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    hours_per_week: Mapped[int] = mapped_column(Integer)
    contract: Mapped[str] = mapped_column(String(20))


class CandidateVum(Base):
    """A job seeker's VUM profile as imported, verbatim (what has no place in ours, kept)."""

    __tablename__ = "candidate_vum"

    candidate_id: Mapped[str] = mapped_column(
        ForeignKey("candidates.candidate_id", ondelete="CASCADE"), primary_key=True
    )
    document: Mapped[str] = mapped_column(Text)


class VacancyVum(Base):
    """A vacancy's VUM detail as imported, verbatim."""

    __tablename__ = "vacancy_vum"

    vacancy_id: Mapped[str] = mapped_column(
        ForeignKey("vacancies.vacancy_id", ondelete="CASCADE"), primary_key=True
    )
    document: Mapped[str] = mapped_column(Text)
