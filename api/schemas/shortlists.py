"""Schemas of shortlists, proposals, reverse matches and allocations.

``ShortlistPublic`` is the stable JSON shape ``werkmatch shortlist --json`` prints too.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import JSON_INTEGER, DateText
from api.schemas.records import CandidatePublic

FallbackLevel = Literal["own", "region", "nearby"]


class ShortlistEntryPublic(BaseModel):
    """One ranked candidate; others' candidates are pseudonymised in ``explanation``."""

    rank: int
    candidate_id: str
    score: float
    p_durable: float = Field(ge=0, le=1)
    fallback_level: FallbackLevel
    municipality_code: str
    distance_km: float | None
    explanation: dict[str, Any]


class ShortlistPublic(BaseModel):
    """A shortlist; ``filters`` only with ``explain_filters=true``."""

    vacancy_id: str
    model_version: str
    generated_at: str
    fallback_used: bool
    candidates: list[ShortlistEntryPublic]
    filters: dict[str, Any] | None = None


class ProposalCreate(BaseModel):
    """Candidates a person proposes; a reason is required when higher-ranked ones are skipped."""

    candidate_ids: list[str] = Field(min_length=1, max_length=100)
    reason: str | None = Field(default=None, max_length=2000)


class ProposalDecision(BaseModel):
    """The employer's decision; a hire with ``start_date`` records the placement."""

    outcome: Literal["hired", "rejected", "withdrawn", "pending"]
    start_date: DateText | None = None
    contract: Literal["regular", "trial", "work_experience", "subsidised"] = "regular"
    hours_per_week: Annotated[int, Field(ge=1, le=40), JSON_INTEGER] | None = None


class ProposalPublic(BaseModel):
    """A proposal; ``candidate`` in full only for the candidate's own organisation, else null
    with ``pseudonymised`` true (a consenting fallback candidate of another organisation)."""

    model_config = ConfigDict(from_attributes=True)

    vacancy_id: str
    candidate_id: str
    proposed_on: dt.date
    outcome: str
    proposed_by: str | None
    reason: str | None
    candidate: CandidatePublic | None
    municipality_code: str | None = None
    pseudonymised: bool = False
    start_date: dt.date | None = Field(default=None, description="Start of the placement (hired).")
    contract: str | None = Field(default=None, description="Contract of the placement (hired).")
    may_decide: bool = Field(
        default=True,
        description="Whether the caller records the employer's decision: where two "
        "organisations cover a municipality, the one whose user made the proposal does.",
    )


class ProposalsPublic(BaseModel):
    """The proposals of a vacancy."""

    data: list[ProposalPublic]
    count: int


class MatchPublic(BaseModel):
    """One open vacancy for a candidate."""

    rank: int
    vacancy_id: str
    title: str
    employer_id: str
    score: float
    p_durable: float = Field(ge=0, le=1)
    fallback_level: FallbackLevel
    municipality_code: str
    distance_km: float | None
    explanation: dict[str, Any]


class MatchesPublic(BaseModel):
    """The best open vacancies for a candidate and how many each filter removed."""

    candidate_id: str
    model_version: str
    generated_at: str
    vacancies: list[MatchPublic]
    filters: dict[str, int]


class AllocationCreate(BaseModel):
    """Options of an allocation run."""

    k: Annotated[int, Field(ge=1, le=20), JSON_INTEGER] = Field(
        default=3, description="Proposals per open position."
    )
    max_proposals_per_candidate: Annotated[int, Field(ge=1, le=20), JSON_INTEGER] | None = Field(
        default=None, description="Default: WERKMATCH_MAX_PROPOSALS_PER_CANDIDATE."
    )
    top_n: Annotated[int, Field(ge=1, le=100), JSON_INTEGER] = Field(
        default=50, description="Candidates per vacancy considered."
    )


class TotalsPublic(BaseModel):
    """What a set of lists achieves."""

    expected_durable: float
    proposals: int
    distinct_candidates: int
    exposure_gini: float


class AllocationPublic(BaseModel):
    """The allocated lists next to independent top-k lists."""

    model_version: str
    generated_at: str
    options: dict[str, int]
    allocated: TotalsPublic
    independent: TotalsPublic
    lists: dict[str, list[str]]
    seconds: float
