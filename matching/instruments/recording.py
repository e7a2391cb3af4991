"""Recording an instrument by hand: with a proposal or a placement of one candidate × vacancy,
ended or removed later. The same checks as a row of ``instruments.csv`` (the kind from the
instruments vocabulary, plausible dates, the end not before the start, the amount's range);
only for the principal's organisation's candidates (else NotFound, worded as for an unknown
id); every write is audited."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from matching.access.audit import record
from matching.access.users import Principal
from matching.columns import INSTRUMENT_KIND, INSTRUMENTS
from matching.dutch import long_date
from matching.errors import InvalidInput, NotFound
from matching.instruments.rules import KIND_LABELS
from matching.instruments.suggestions import UsedInstrument, used_one
from matching.plausibility import DateWindow
from matching.store import models
from matching.store.instruments import Instrument

AMOUNT = INSTRUMENTS.by_name["amount"]


@dataclass(frozen=True)
class NewInstrument:
    """What an account manager records; without ``placement_id`` it goes with the proposal."""

    kind: str
    start_date: dt.date
    end_date: dt.date | None = None
    amount: int | None = None
    placement_id: str | None = None


@dataclass(frozen=True)
class PairLinks:
    """What an instrument of a candidate × vacancy can go with: the proposal, its placements."""

    proposed: bool
    placements: list[tuple[str, dt.date]]  # (placement id, start date), by start


def pair_links(session: Session, vacancy_id: str, candidate_id: str) -> PairLinks:
    """The pair's proposal (whether made) and placements."""
    proposed = session.get(models.Proposal, (vacancy_id, candidate_id)) is not None
    p = models.Placement
    rows = session.execute(
        select(p.placement_id, p.start_date)
        .where(p.vacancy_id == vacancy_id, p.candidate_id == candidate_id)
        .order_by(p.start_date, p.placement_id)
    )
    return PairLinks(proposed, [(placement_id, start) for placement_id, start in rows])


def _own_candidate(session: Session, candidate_id: str, principal: Principal) -> None:
    candidate = session.get(models.Candidate, candidate_id)
    if candidate is None or not principal.acts_for(candidate.municipality_code):
        raise NotFound(f"kandidaat {candidate_id!r} bestaat niet")


def _checked(given: NewInstrument) -> str:
    """The canonical kind, after checking dates and amount (InvalidInput in Dutch)."""
    kind = INSTRUMENT_KIND.canonical(given.kind.strip())
    if kind is None:
        allowed = ", ".join(KIND_LABELS[k].lower() for k in INSTRUMENT_KIND.values)
        raise InvalidInput(f"kies een soort instrument uit de lijst: {allowed}")
    DateWindow().check(given.start_date, field="De begindatum")
    if given.end_date is not None:
        _check_end(given.start_date, given.end_date)
    low, high = AMOUNT.minimum or 0, AMOUNT.maximum or 0
    if given.amount is not None and not low <= given.amount <= high:
        top = f"{high:_}".replace("_", ".")
        raise InvalidInput(f"het bedrag moet tussen {low} en {top} euro liggen")
    return str(kind)


def _check_end(start: dt.date, end: dt.date) -> None:
    DateWindow().check(end, field="De einddatum")
    if end < start:
        raise InvalidInput(f"de einddatum ligt vóór de begindatum ({long_date(start)})")


def record_instrument(
    session: Session,
    vacancy_id: str,
    candidate_id: str,
    given: NewInstrument,
    *,
    principal: Principal,
) -> UsedInstrument:
    """Store an instrument with the pair's proposal or one of its placements; audited."""
    _own_candidate(session, candidate_id, principal)
    links = pair_links(session, vacancy_id, candidate_id)
    if given.placement_id is not None:
        if given.placement_id not in {pid for pid, _start in links.placements}:
            raise NotFound(f"plaatsing {given.placement_id!r} bestaat niet")
    elif not links.proposed:
        raise NotFound(f"kandidaat {candidate_id!r} is niet voorgesteld voor deze vacature")
    kind = _checked(given)
    on_proposal = given.placement_id is None
    row = Instrument(
        instrument_id=f"i-{uuid.uuid4().hex}", placement_id=given.placement_id,
        vacancy_id=vacancy_id if on_proposal else None, candidate_id=candidate_id, kind=kind,
        start_date=given.start_date, end_date=given.end_date, amount=given.amount,
    )  # fmt: skip
    session.add(row)
    session.flush()
    _audit(session, principal, "instruments.record", row)
    return used_one(row)


def _own_instrument(session: Session, instrument_id: str, principal: Principal) -> Instrument:
    """The instrument, when its candidate is the principal's organisation's (else NotFound)."""
    row = session.get(Instrument, instrument_id)
    candidate_id = row.candidate_id if row is not None else None
    if row is not None and candidate_id is None and row.placement_id is not None:
        placement = session.get(models.Placement, row.placement_id)
        candidate_id = placement.candidate_id if placement is not None else None
    try:
        if row is None or candidate_id is None:
            raise NotFound
        _own_candidate(session, candidate_id, principal)
    except NotFound:
        raise NotFound(f"instrument {instrument_id!r} bestaat niet") from None
    return row


def end_instrument(
    session: Session, instrument_id: str, on: dt.date, *, principal: Principal
) -> UsedInstrument:
    """Set the instrument's end date (not before its start); audited."""
    row = _own_instrument(session, instrument_id, principal)
    _check_end(row.start_date, on)
    row.end_date = on
    session.flush()
    _audit(session, principal, "instruments.end", row)
    return used_one(row)


def remove_instrument(session: Session, instrument_id: str, *, principal: Principal) -> None:
    """Delete the instrument (recorded by mistake); audited."""
    row = _own_instrument(session, instrument_id, principal)
    _audit(session, principal, "instruments.remove", row)
    session.delete(row)
    session.flush()


def _audit(session: Session, principal: Principal, action: str, row: Instrument) -> None:
    detail = {
        "instrument_id": row.instrument_id, "kind": row.kind, "placement_id": row.placement_id,
        "vacancy_id": row.vacancy_id, "start_date": row.start_date.isoformat(),
        "end_date": row.end_date.isoformat() if row.end_date else None, "amount": row.amount,
    }  # fmt: skip
    kind = "candidate" if row.candidate_id is not None else "placement"
    record(session, principal, action, object_type=kind,
           object_id=row.candidate_id or row.placement_id, detail=detail)  # fmt: skip
