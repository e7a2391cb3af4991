"""Instruments, their rules and training catalogue, and aftercare (nazorg) around placements.

``instruments`` is the exchange file ``instruments.csv``: an instrument (loonkostensubsidie,
proefplaatsing, …) used with a placement or with a proposal (vacancy × candidate).
``instrument_rules`` holds an organisation's own suggestion rules (without any, the shipped
default file applies, ``matching/instruments/default_rules.csv``); ``trainings`` its training
catalogue, each training linked to the ESCO skills it teaches. ``aftercare_checks`` records a
check-in with a running placement (checkpoint 1, 3 or 6 months), ``aftercare_baselines`` the
model's chance of a durable placement when the placement first came on a worklist.
Every row about a person goes with the placement or candidate (``ondelete`` CASCADE), so an
erasure takes it along.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from matching.store.access import UtcDateTime
from matching.store.base import Base


class Instrument(Base):
    """An instrument used with a placement or a proposal (exchange file ``instruments.csv``)."""

    __tablename__ = "instruments"

    instrument_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    placement_id: Mapped[str | None] = mapped_column(
        ForeignKey("placements.placement_id", ondelete="CASCADE"), index=True
    )
    vacancy_id: Mapped[str | None] = mapped_column(
        ForeignKey("vacancies.vacancy_id", ondelete="CASCADE"), index=True
    )
    candidate_id: Mapped[str | None] = mapped_column(
        ForeignKey("candidates.candidate_id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    amount: Mapped[int | None] = mapped_column(Integer)


class InstrumentRule(Base):
    """One suggestion rule of an organisation: an instrument, its conditions and the reason."""

    __tablename__ = "instrument_rules"

    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.organisation_id", ondelete="CASCADE"), primary_key=True
    )
    rule_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    conditions: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)


class Training(Base):
    """A training of an organisation's catalogue and the ESCO skills it teaches."""

    __tablename__ = "trainings"

    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.organisation_id", ondelete="CASCADE"), primary_key=True
    )
    training_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str | None] = mapped_column(String(200))
    duration_days: Mapped[int | None] = mapped_column(Integer)
    cost: Mapped[int | None] = mapped_column(Integer)
    skills: Mapped[str] = mapped_column(Text)  # ESCO skill URIs, ``;``-joined


class AftercareCheck(Base):
    """A check-in with a running placement at one of its checkpoints: who, when, a note."""

    __tablename__ = "aftercare_checks"

    check_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    placement_id: Mapped[str] = mapped_column(
        ForeignKey("placements.placement_id", ondelete="CASCADE"), index=True
    )
    checkpoint: Mapped[int] = mapped_column(Integer)  # months after the start: 1, 3 or 6
    done_on: Mapped[dt.date] = mapped_column(Date)
    by: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class AftercareBaseline(Base):
    """The model's chance of a durable placement when it first came on an aftercare worklist."""

    __tablename__ = "aftercare_baselines"

    placement_id: Mapped[str] = mapped_column(
        ForeignKey("placements.placement_id", ondelete="CASCADE"), primary_key=True
    )
    p_durable: Mapped[float | None] = mapped_column(Float)
    model_version: Mapped[str | None] = mapped_column(String(100))
    computed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
