"""Programmes, trajectories, eligibility and progress as the API shows them."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from api.schemas.common import DateText


class PhasePublic(BaseModel):
    """A phase and its maximum duration in months."""

    name: str
    max_months: int


class RulesPublic(BaseModel):
    """Eligibility rules; empty lists and null: no rule."""

    municipalities: list[str]
    postcode4: list[str]
    age_min: int | None
    age_max: int | None
    ladder_steps: list[int]
    benefits: list[str]
    target_groups: list[str]
    min_hours: int | None
    min_hours_exception: int | None
    languages: list[str]


class TargetsPublic(BaseModel):
    """The programme's targets (percentages 0–100)."""

    participants: int | None
    participants_by: list[tuple[int, int]]
    phase_counts: dict[str, int]
    positive_outflow_pct: int | None
    durable_pct: int | None
    continuation_pct: int | None
    appointment_pct: int | None
    placements_per_municipality: dict[str, int]


class ProgrammePublic(BaseModel):
    """A programme of the user's organisation."""

    programme_id: str
    name: str
    start_date: dt.date
    end_date: dt.date
    capacity: int | None
    phases: list[PhasePublic]
    rules: RulesPublic
    targets: TargetsPublic
    moments: list[str]


class ProgrammesPublic(BaseModel):
    """The programmes of the user's organisation."""

    data: list[ProgrammePublic]
    count: int


class MissPublic(BaseModel):
    """A rule the candidate misses, with the Dutch reason."""

    rule: str
    label: str
    reason: str
    exceptable: bool


class EligibilityPublic(BaseModel):
    """One candidate against a programme's rules."""

    candidate_id: str
    eligible: bool
    misses: list[MissPublic]


class WorklistEntryPublic(BaseModel):
    """A candidate on the worklist "Wie komt in aanmerking"."""

    candidate_id: str
    municipality_code: str
    misses: list[MissPublic]


class WorklistPublic(BaseModel):
    """Eligible, not enrolled; and those missing one rule an exception may set aside."""

    eligible: list[WorklistEntryPublic]
    by_exception: list[WorklistEntryPublic]
    eligible_count: int
    by_exception_count: int


class TrajectoryPublic(BaseModel):
    """One trajectory: phases with start dates, end, outcome, and the over-time flag."""

    candidate_id: str
    municipality_code: str
    enrolled_on: dt.date
    phase: str
    phase_since: dt.date
    phase_due: dt.date | None
    over_time: bool
    phases: list[tuple[str, dt.date]]
    ended_on: dt.date | None
    outcome: str | None
    exception_reason: str | None


class TrajectoriesPublic(BaseModel):
    """The programme's trajectories."""

    data: list[TrajectoryPublic]
    count: int


class EnrolmentCreate(BaseModel):
    """Enrol a candidate; one who misses a rule needs ``exception_reason`` (audited)."""

    candidate_id: str = Field(min_length=1, max_length=64)
    on: DateText
    exception_reason: str | None = Field(default=None, max_length=500)


class PhaseChange(BaseModel):
    """Move a trajectory into another phase from a date."""

    phase: str = Field(min_length=1, max_length=100)
    on: DateText


class TrajectoryEnd(BaseModel):
    """End a trajectory: werk, opleiding, doorverwijzing or uitval."""

    outcome: Literal[
        "werk", "opleiding", "doorverwijzing", "uitval", "work", "education", "referral",
        "dropped_out",
    ]  # fmt: skip
    on: DateText


class TargetProgressPublic(BaseModel):
    """One target at the evaluation moments (null: not yet reached), now and forecast."""

    key: str
    label: str
    share: bool
    target: float | None
    at: list[float | None]
    now: float | None
    forecast: float | None = Field(description="Capped at ``limit`` when there is one.")
    limit: float | None = Field(
        description="The most a count of people can reach with the capacity: participants "
        "so far plus the free places (null without a capacity, and for percentages)."
    )
    on_track: bool | None
    verdict: Literal["op koers", "achter op schema", "boven capaciteit"] | None


class MomentPublic(BaseModel):
    """An evaluation moment."""

    label: str
    date: dt.date


class ProgressPublic(BaseModel):
    """The programme dashboard as of a date."""

    programme_id: str
    as_of: dt.date
    moments: list[MomentPublic]
    targets: list[TargetProgressPublic]
    phases: list[dict[str, str | int | None]]
    municipalities: list[dict[str, str | int | None]]
    over_time: list[str]
    outcomes: dict[str, int]
