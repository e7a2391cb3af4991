"""Acquisition steps (contacts with employers): record one, and read the history for the funnel."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from matching.access.users import Principal, other_users
from matching.bsn import refuse_bsn
from matching.columns import CONTACT_KIND, CONTACT_OUTCOME
from matching.data_versions import HISTORY, bump_data_version
from matching.errors import InvalidInput, NotFound
from matching.plausibility import DateWindow
from matching.store import models
from matching.whitespots.status import is_white_spot


@dataclass(frozen=True)
class Contact:
    """A recorded acquisition step; ``was_white_spot`` says it was the first with a white spot."""

    contact_id: str
    employer_id: str
    date: dt.date
    kind: str
    outcome: str | None
    by: str | None
    was_white_spot: bool
    supply_driven: bool = False


@dataclass(frozen=True)
class FunnelHistory:
    """Contacts in a period and the vacancies and placements of their employers (any date)."""

    contacts: pd.DataFrame
    vacancies: pd.DataFrame
    placements: pd.DataFrame


def _canonical(raw: str | None, vocabulary: object, what: str) -> str | None:
    """The canonical value of ``raw`` (Dutch and English forms accepted), or InvalidInput."""
    if raw is None or not raw.strip():
        return None
    value = vocabulary.canonical(raw)  # type: ignore[attr-defined]
    if value is None:
        refuse_bsn(raw, field=f"Het veld {what}")  # not echoed in the refusal below
        allowed = ", ".join(vocabulary.values)  # type: ignore[attr-defined]
        raise InvalidInput(f"Onbekende waarde {raw!r} voor {what}; kies uit {allowed}.")
    return str(value)


def record_contact(
    session: Session,
    *,
    employer_id: str,
    date: dt.date,
    kind: str,
    outcome: str | None = None,
    by: str | None = None,
    supply_driven: bool = False,
) -> Contact:
    """Store an acquisition step (flushed, not committed); NotFound for an unknown employer.
    ``supply_driven``: made with a job seeker in mind (``matching.whitespots.supply``)."""
    if session.get(models.Employer, employer_id) is None:
        raise NotFound(f"Werkgever {employer_id!r} niet gevonden.")
    canonical_kind = _canonical(kind, CONTACT_KIND, "kind")
    if canonical_kind is None:
        raise InvalidInput("Een contact heeft een soort: letter, call, visit of meeting.")
    DateWindow().check(date, field="De datum")
    contact_id = f"c-{uuid.uuid4().hex}"
    was_white_spot = is_white_spot(session, employer_id=employer_id, as_of=date)
    row = models.Contact(
        contact_id=contact_id, employer_id=employer_id, date=date, kind=canonical_kind,
        outcome=_canonical(outcome, CONTACT_OUTCOME, "outcome"), by=by,
        supply_driven=supply_driven,
    )  # fmt: skip
    session.add(row)
    session.flush()
    bump_data_version(session, HISTORY)
    return Contact(contact_id, employer_id, date, canonical_kind, row.outcome, by, was_white_spot,
                   supply_driven)  # fmt: skip


def _frame(
    session: Session,
    columns: tuple[InstrumentedAttribute[Any], ...],
    *conditions: ColumnElement[bool],
) -> pd.DataFrame:
    stmt = select(*columns).where(*conditions)
    return pd.DataFrame(session.execute(stmt).all(), columns=[c.key for c in columns])


def funnel_history(
    session: Session,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    principal: Principal | None = None,
) -> FunnelHistory:
    """Contacts dated in ``[start, end]`` and the vacancies and placements of their employers;
    for a ``principal``, contacts by users of other organisations count without their name."""
    c, v, p = models.Contact, models.Vacancy, models.Placement
    if start is not None and end is not None and end < start:
        raise InvalidInput(f"De periode eindigt ({end}) vóór ze begint ({start}).")
    window = [cond for cond in (
        c.date >= start if start is not None else None,
        c.date <= end if end is not None else None,
    ) if cond is not None]  # fmt: skip
    contacts = _frame(session, (c.contact_id, c.employer_id, c.date, c.kind, c.outcome, c.by,
                                c.supply_driven), *window)  # fmt: skip
    if principal is not None:
        others = contacts["by"].isin(other_users(session, principal))
        contacts.loc[others, "by"] = None
    employers = select(c.employer_id).where(*window)
    vacancies = _frame(session, (v.vacancy_id, v.employer_id, v.opened_on),
                       v.employer_id.in_(employers))  # fmt: skip
    placements = _frame(session, (p.placement_id, p.employer_id, p.start_date),
                        p.employer_id.in_(employers))  # fmt: skip
    return FunnelHistory(contacts, vacancies, placements)
