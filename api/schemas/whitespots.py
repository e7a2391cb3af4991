"""Schemas of white spots and of the acquisition funnel."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import DateText
from matching.columns import CONTACT_KIND, CONTACT_OUTCOME, Vocabulary


def _written_forms(vocabulary: Vocabulary) -> list[str]:
    """The forms the API takes for an enum column: its values and their synonyms, as written."""
    return sorted({*vocabulary.values, *vocabulary.synonyms})


# The schema lists the forms the core takes (``matching.whitespots.acquisition`` checks them,
# after its BSN check, case-insensitively): a free string let schemathesis find
# documented-valid values that were refused.
ContactKind = Annotated[str, Field(json_schema_extra={"enum": _written_forms(CONTACT_KIND)})]
ContactOutcome = Annotated[str, Field(json_schema_extra={"enum": _written_forms(CONTACT_OUTCOME)})]


class OccupationPotentialPublic(BaseModel):
    """A typical occupation of the employer and the fitting candidates within reach."""

    model_config = ConfigDict(from_attributes=True)

    uri: str
    label: str = Field(description="Dutch ESCO label.")
    share: float = Field(description="Share of the employer's expected hiring (0–1).")
    candidates: int = Field(
        description="Job seekers within reach who are suitable as on a shortlist: hard "
        "filters passed and the chance of a durable placement at the organisation's threshold."
    )
    fit: float = Field(
        description="Mean chance of a durable placement of the 10 best job seekers within "
        "reach (0–1)."
    )


class WhiteSpotPublic(BaseModel):
    """A white-spot employer with its potential score and the reasons in Dutch."""

    model_config = ConfigDict(from_attributes=True)

    employer_id: str
    name: str
    municipality_code: str
    municipality: str
    region: str
    sbi_code: str | None
    sbi_section: str | None
    employees: int | None
    score: float = Field(description="Potential, 0–100.")
    suitable: int = Field(
        description="Distinct suitable job seekers of the organisation for its top occupations."
    )
    occupations: list[OccupationPotentialPublic]
    candidates_nearby: int
    sector_vacancies: int
    reasons: list[str]


class WhiteSpotsPublic(BaseModel):
    """One page of the ranked white spots; ``count`` is how many matched the filter."""

    model_config = ConfigDict(from_attributes=True)

    data: list[WhiteSpotPublic]
    count: int
    as_of: dt.date
    radius_km: float


class ContactCreate(BaseModel):
    """An acquisition step to record; ``by`` is the signed-in user and the id is made here (an
    id chosen by the caller would tell whether another organisation's contact has it)."""

    employer_id: str = Field(min_length=1, max_length=64)
    date: DateText
    kind: ContactKind = Field(description="letter, call, visit or meeting (Dutch forms accepted).")
    outcome: ContactOutcome | None = Field(
        default=None, description="none, interest, appointment, vacancy or no_interest."
    )
    supply_driven: bool = Field(
        default=False,
        description="Made with a job seeker in mind (met het cv onder de arm): counted apart "
        "in the funnel of the evaluation report.",
    )


class ContactPublic(BaseModel):
    """A recorded acquisition step; ``was_white_spot`` when it was the first with a white spot."""

    model_config = ConfigDict(from_attributes=True)

    contact_id: str
    employer_id: str
    date: dt.date
    kind: str
    outcome: str | None
    by: str | None
    was_white_spot: bool
    supply_driven: bool = False


FunnelGroup = Literal["user", "month", "week", "quarter"]


class FunnelRow(BaseModel):
    """Funnel counts and conversions of one job hunter and/or period (or in total).

    The stages contacted → appointment → vacancy → placement are nested (each counts the
    employers that got at least that far); ``written`` is the part of ``contacted`` approached
    by letter or e-mail."""

    user: str | None = None
    period: str | None = None
    contacted: int
    written: int
    appointment: int
    vacancy: int
    placement: int
    placements: int
    written_share: float | None
    appointment_share: float | None
    vacancy_share: float | None
    placement_share: float | None


class FunnelPublic(BaseModel):
    """The acquisition funnel over contacts dated ``from``–``to``."""

    data: list[FunnelRow]
    count: int
    by: list[str]
