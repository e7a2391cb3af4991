"""The instruments and trainings that may apply to a candidate for a vacancy, and those used.

For the account manager's view of one match (the shortlist entry or the proposal): the
organisation's rules (``rules``) are checked against the pair's facts, and for each required
competence the shortlist explanation lists as missing the catalogue's trainings that teach it;
one likely present through work history (``likely``) is not missing, as on the shortlist.
Both the vacancy and the candidate must be the principal's organisation's (else NotFound,
worded as for unknown ids); every view is audited, as any read of a candidate's record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from matching.access.audit import record
from matching.access.users import Principal
from matching.errors import NotFound
from matching.instruments.pairs import score_pair
from matching.instruments.rules import KIND_LABELS, MatchFacts, Suggestion, rules_for, suggest
from matching.instruments.trainings import TrainingSuggestion, catalogue, suggest_trainings
from matching.shortlist.context import MatchingContext
from matching.shortlist.service import require_vacancy_access
from matching.store import models
from matching.store.instruments import Instrument


@dataclass(frozen=True)
class UsedInstrument:
    """An instrument recorded for the pair (with its proposal or its placement)."""

    instrument_id: str
    kind: str
    label: str
    start_date: dt.date
    end_date: dt.date | None
    amount: int | None
    placement_id: str | None = None  # None: with the proposal


def used_one(row: Instrument) -> UsedInstrument:
    """A stored instrument as shown."""
    return UsedInstrument(row.instrument_id, row.kind, KIND_LABELS.get(row.kind, row.kind),
                          row.start_date, row.end_date, row.amount, row.placement_id)  # fmt: skip


@dataclass(frozen=True)
class MatchSuggestions:
    """What may help this match, and what is in use."""

    vacancy_id: str
    title: str
    candidate_id: str
    p_durable: float
    missing: list[tuple[str, str]]
    likely: list[tuple[str, str]]
    instruments: list[Suggestion]
    trainings: list[TrainingSuggestion]
    used: list[UsedInstrument]


def used_instruments(session: Session, vacancy_id: str, candidate_id: str) -> list[UsedInstrument]:
    """Instruments stored with the proposal or with a placement of the pair, by start date."""
    i, p = Instrument, models.Placement
    placements = select(p.placement_id).where(
        p.vacancy_id == vacancy_id, p.candidate_id == candidate_id
    )
    rows = session.scalars(
        select(i)
        .where(
            or_(
                i.placement_id.in_(placements),
                (i.vacancy_id == vacancy_id) & (i.candidate_id == candidate_id),
            )
        )
        .order_by(i.start_date, i.instrument_id)
    )
    return [used_one(r) for r in rows]


def match_suggestions(
    session: Session,
    context: MatchingContext,
    vacancy_id: str,
    candidate_id: str,
    *,
    principal: Principal,
) -> MatchSuggestions:
    """The suggestions for the pair (module doc); audited."""
    vacancy = session.get(models.Vacancy, vacancy_id)
    if vacancy is None:
        raise NotFound(f"Vacature {vacancy_id!r} niet gevonden.")
    require_vacancy_access(principal, vacancy.municipality_code, vacancy_id)
    candidate = session.get(models.Candidate, candidate_id)
    if candidate is None or not principal.acts_for(candidate.municipality_code):
        raise NotFound(f"Kandidaat {candidate_id!r} niet gevonden.")
    scored = score_pair(session, context, vacancy_id, candidate_id)
    if scored is None:
        raise NotFound(f"Kandidaat {candidate_id!r} niet gevonden.")
    facts = MatchFacts(
        benefit=candidate.benefit,
        target_group=candidate.target_group,
        ladder_step=candidate.ladder_step,
        vacancy_hours=vacancy.hours_per_week,
        hours_available=candidate.hours_available,
        missing_required=len(scored.missing),
        p_durable=scored.p_durable,
    )
    organisation = principal.organisation_id
    trainings = catalogue(session, organisation) if organisation else []
    record(
        session,
        principal,
        "instruments.suggest",
        object_type="candidate",
        object_id=candidate_id,
        model_version=context.model_version,
        detail={"vacancy_id": vacancy_id},
    )
    return MatchSuggestions(
        vacancy_id,
        vacancy.title,
        candidate_id,
        scored.p_durable,
        scored.missing,
        scored.likely,
        suggest(rules_for(session, organisation), facts),
        suggest_trainings(trainings, scored.missing),
        used_instruments(session, vacancy_id, candidate_id),
    )
