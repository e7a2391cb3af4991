"""Schemas of instrument suggestions, the aftercare worklist and check-ins, and the employers
for one job seeker (supply-driven acquisition)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.schemas.common import DateText


class CheckPublic(BaseModel):
    """One condition of a rule, in Dutch, and whether the match meets it."""

    model_config = ConfigDict(from_attributes=True)

    text: str
    met: bool


class InstrumentSuggestionPublic(BaseModel):
    """A rule's verdict: the instrument, whether it may apply, why, and what to confirm."""

    model_config = ConfigDict(from_attributes=True)

    rule_id: str
    kind: str
    label: str
    applies: bool
    reason: str
    checks: list[CheckPublic]
    confirm: list[str]


class TrainingPublic(BaseModel):
    """A training of the organisation's catalogue."""

    model_config = ConfigDict(from_attributes=True)

    training_id: str
    name: str
    provider: str | None
    duration_days: int | None
    cost: int | None = Field(description="Whole euros.")


class TrainingSuggestionPublic(BaseModel):
    """A missing required competence and the trainings that teach it."""

    model_config = ConfigDict(from_attributes=True)

    uri: str
    label: str
    trainings: list[TrainingPublic]


class UsedInstrumentPublic(BaseModel):
    """An instrument recorded with the proposal or the placement."""

    model_config = ConfigDict(from_attributes=True)

    instrument_id: str
    kind: str
    label: str
    start_date: dt.date
    end_date: dt.date | None
    amount: int | None
    placement_id: str | None = Field(description="The placement it goes with; null: the proposal.")


class InstrumentCreate(BaseModel):
    """An instrument to record with the pair's proposal, or with one of its placements."""

    kind: str = Field(
        max_length=30,
        description="loonkostensubsidie, proefplaatsing, no_riskpolis, jobcoaching, opleiding, "
        "jobcarving, werkervaringsplaats or overig (the forms instruments.csv reads, too).",
    )
    start_date: DateText
    end_date: DateText | None = None
    amount: int | None = Field(default=None, description="Whole euros, 0–1,000,000.")
    placement_id: str | None = Field(
        default=None, max_length=64, description="A placement of the pair; null: the proposal."
    )


class InstrumentEnd(BaseModel):
    """The day an instrument ended (not before its start)."""

    end_date: DateText


class LikelyCompetencePublic(BaseModel):
    """A required competence not recorded but likely present through work history, as the
    shortlist and the page show it."""

    label: str = Field(description="The competence's Dutch label.")
    reason: str = Field(description="Why it is likely present, in Dutch.")

    @model_validator(mode="before")
    @classmethod
    def _from_pair(cls, value: Any) -> Any:
        """Read the core's ``(label, reason)`` pair."""
        if isinstance(value, tuple | list) and len(value) == 2:
            return {"label": value[0], "reason": value[1]}
        return value


class MatchInstrumentsPublic(BaseModel):
    """Instruments and trainings that may help a candidate for a vacancy, and those in use."""

    model_config = ConfigDict(from_attributes=True)

    vacancy_id: str
    title: str
    candidate_id: str
    p_durable: float = Field(ge=0, le=1)
    likely: list[LikelyCompetencePublic] = Field(
        description="Required competences not recorded but likely present through work "
        "history: not missing, so no training is suggested for them."
    )
    instruments: list[InstrumentSuggestionPublic]
    trainings: list[TrainingSuggestionPublic]
    used: list[UsedInstrumentPublic]


class AftercarePlacementPublic(BaseModel):
    """A running placement on the aftercare worklist."""

    model_config = ConfigDict(from_attributes=True)

    placement_id: str
    candidate_id: str
    employer_id: str
    employer: str
    vacancy_id: str | None
    start_date: dt.date
    account_manager: str | None
    p_durable: float | None = Field(description="The model's chance of lasting, at the start.")
    last_check: dt.date | None


class DueCheckPublic(BaseModel):
    """An open checkpoint."""

    model_config = ConfigDict(from_attributes=True)

    placement: AftercarePlacementPublic
    checkpoint: int = Field(description="Months after the start: 1, 3 or 6 (+ 1 day).")
    label: str
    due_on: dt.date
    days_late: int


class AtRiskPublic(BaseModel):
    """A placement at risk and why (Dutch)."""

    model_config = ConfigDict(from_attributes=True)

    placement: AftercarePlacementPublic
    reasons: list[str]


class WorklistPublic(BaseModel):
    """The aftercare worklist: overdue, due this week, at risk."""

    model_config = ConfigDict(from_attributes=True)

    today: dt.date
    running: int
    overdue: list[DueCheckPublic]
    this_week: list[DueCheckPublic]
    at_risk: list[AtRiskPublic]


class CheckInCreate(BaseModel):
    """A check-in to record; ``by`` is the signed-in user, ``done_on`` defaults to today."""

    checkpoint: int = Field(description="1, 3 or 6 (months after the start).")
    note: str | None = Field(default=None, max_length=2000)
    done_on: DateText | None = None


class CheckInPublic(BaseModel):
    """A recorded check-in."""

    model_config = ConfigDict(from_attributes=True)

    check_id: int
    placement_id: str
    checkpoint: int
    done_on: dt.date
    by: str
    note: str | None


class EmployerLeadPublic(BaseModel):
    """An employer to approach with the job seeker in mind."""

    model_config = ConfigDict(from_attributes=True)

    employer_id: str
    name: str
    municipality: str
    score: float = Field(ge=0, le=100)
    white_spot: bool
    distance_km: float | None
    occupations: list[str]
    reasons: list[str]


class EmployerLeadsPublic(BaseModel):
    """The employers for one job seeker, best first."""

    candidate_id: str
    data: list[EmployerLeadPublic]
    count: int
