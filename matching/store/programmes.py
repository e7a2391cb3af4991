"""Programme tables: programmes with their rules and targets as data, and enrolments.

Attribute names equal the exchange-format columns of ``programmes.csv`` and ``enrolments.csv``
(``matching/columns.py``); lists are stored ``;``-joined as the files write them (phases as
``intake:1;werving:2``, an enrolment's phase history as ``intake:2026-01-05;werving:…``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from matching.store.base import Base


class Programme(Base):
    """A programme (project, traject) of an organisation: eligibility, phases and targets."""

    __tablename__ = "programmes"

    programme_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.organisation_id"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    municipalities: Mapped[str | None] = mapped_column(Text)
    postcode4_areas: Mapped[str | None] = mapped_column(Text)
    age_min: Mapped[int | None] = mapped_column(Integer)
    age_max: Mapped[int | None] = mapped_column(Integer)
    ladder_steps: Mapped[str | None] = mapped_column(String(20))
    benefits: Mapped[str | None] = mapped_column(String(100))
    target_groups: Mapped[str | None] = mapped_column(String(100))
    min_hours: Mapped[int | None] = mapped_column(Integer)
    min_hours_exception: Mapped[int | None] = mapped_column(Integer)
    languages: Mapped[str | None] = mapped_column(String(200))
    phases: Mapped[str] = mapped_column(Text)
    capacity: Mapped[int | None] = mapped_column(Integer)
    evaluation_moments: Mapped[str | None] = mapped_column(String(200))
    target_participants: Mapped[int | None] = mapped_column(Integer)
    target_participants_by: Mapped[str | None] = mapped_column(Text)
    target_phase_counts: Mapped[str | None] = mapped_column(Text)
    target_positive_outflow_pct: Mapped[int | None] = mapped_column(Integer)
    target_durable_pct: Mapped[int | None] = mapped_column(Integer)
    target_continuation_pct: Mapped[int | None] = mapped_column(Integer)
    target_appointment_pct: Mapped[int | None] = mapped_column(Integer)
    target_placements_per_municipality: Mapped[str | None] = mapped_column(Text)


class Enrolment(Base):
    """A candidate's trajectory in a programme: phases with start dates, end and outcome."""

    __tablename__ = "enrolments"

    programme_id: Mapped[str] = mapped_column(
        ForeignKey("programmes.programme_id", ondelete="CASCADE"), primary_key=True
    )
    candidate_id: Mapped[str] = mapped_column(
        ForeignKey("candidates.candidate_id", ondelete="CASCADE"), primary_key=True, index=True
    )
    enrolled_on: Mapped[dt.date] = mapped_column(Date)
    phases: Mapped[str] = mapped_column(Text)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(20))
    exception_reason: Mapped[str | None] = mapped_column(Text)
