"""What a job hunter needs next to an employer: the last contact, who had it, the follow-up date.

The last contact comes from the acquisition contacts (``contacts``, the region's: employers are
shared); the *contact person* is the colleague who recorded it (the contact's ``by``, shown by
their display name), or ``OTHER_ORGANISATION`` when a user of another organisation did. The
follow-up date is the organisation's own plan (``follow_ups``, one per organisation and
employer): setting it again replaces it, and it does not make a white spot known — only a
contact does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from matching.access.users import now
from matching.errors import InvalidInput, NotFound
from matching.store import models
from matching.store.access import User
from matching.store.matching_state import FollowUp

OTHER_ORGANISATION = "een andere organisatie"
"""The contact person shown for a contact by a user of another organisation."""
LATEST_FOLLOW_UP_YEARS = 5
"""A follow-up date further ahead than this is refused as a typing error."""


@dataclass(frozen=True)
class LastContact:
    """The most recent acquisition step with an employer (latest date, then latest id)."""

    date: dt.date
    kind: str
    outcome: str | None
    by: str | None
    by_name: str | None


@dataclass(frozen=True)
class NextStep:
    """An employer's last contact (None: never) and the organisation's follow-up date."""

    last_contact: LastContact | None
    follow_up: dt.date | None


def last_contacts(
    session: Session,
    organisation_id: str | None,
    employer_ids: Collection[str],
    *,
    as_of: dt.date | None = None,
) -> dict[str, LastContact]:
    """The last contact dated on or before ``as_of`` (default: any) per employer that had one,
    its contact person unnamed when a user of another organisation than ``organisation_id``
    (None: the command line, who sees all)."""
    c = models.Contact
    conditions: list[ColumnElement[bool]] = [c.employer_id.in_(sorted(employer_ids))]
    if as_of is not None:
        conditions.append(c.date <= as_of)
    newest = (
        select(
            c.employer_id, c.date, c.kind, c.outcome, c.by, User.display_name, User.organisation_id
        )
        .outerjoin(User, User.user_id == c.by)
        .where(*conditions)
        .order_by(c.employer_id, c.date.desc(), c.contact_id.desc())
    )
    found: dict[str, LastContact] = {}
    for employer_id, date, kind, outcome, by, name, by_organisation in session.execute(newest):
        if organisation_id is not None and by_organisation not in (None, organisation_id):
            by, name = None, OTHER_ORGANISATION
        found.setdefault(employer_id, LastContact(date, kind, outcome, by, name))
    return found


def follow_ups(
    session: Session, organisation_id: str | None, employer_ids: Collection[str]
) -> dict[str, dt.date]:
    """The organisation's follow-up date per employer that has one."""
    if organisation_id is None:
        return {}
    f = FollowUp
    stmt = select(f.employer_id, f.due_on).where(
        f.organisation_id == organisation_id, f.employer_id.in_(sorted(employer_ids))
    )
    return {employer_id: due for employer_id, due in session.execute(stmt)}


def next_steps(
    session: Session, organisation_id: str | None, employer_ids: Collection[str]
) -> dict[str, NextStep]:
    """Last contact and follow-up date of each of ``employer_ids``."""
    contacts = last_contacts(session, organisation_id, employer_ids)
    planned = follow_ups(session, organisation_id, employer_ids)
    return {e: NextStep(contacts.get(e), planned.get(e)) for e in employer_ids}


def set_follow_up(
    session: Session,
    *,
    organisation_id: str | None,
    employer_id: str,
    due_on: dt.date | None,
    by: str | None,
    today: dt.date | None = None,
) -> dt.date | None:
    """Plan (or with None clear) the organisation's next step with an employer (flushed).

    NotFound for an unknown employer; InvalidInput (in Dutch: the page shows it) without an
    organisation, or for a date in the past or more than ``LATEST_FOLLOW_UP_YEARS`` ahead.
    """
    if session.get(models.Employer, employer_id) is None:
        raise NotFound(f"Werkgever {employer_id!r} niet gevonden.")
    if organisation_id is None:
        raise InvalidInput("Een opvolgdatum hoort bij een organisatie; u hoort bij geen.")
    today = today or dt.date.today()
    if due_on is not None and not today <= due_on <= _years_ahead(today):
        raise InvalidInput(
            f"Kies een opvolgdatum tussen vandaag en {LATEST_FOLLOW_UP_YEARS} jaar vooruit."
        )
    row = session.get(FollowUp, (organisation_id, employer_id))
    if due_on is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(FollowUp(organisation_id=organisation_id, employer_id=employer_id,
                             due_on=due_on, set_by=by, set_at=now()))  # fmt: skip
    else:
        row.due_on, row.set_by, row.set_at = due_on, by, now()
    session.flush()
    return due_on


def _years_ahead(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=round(365.25 * LATEST_FOLLOW_UP_YEARS))


@dataclass(frozen=True)
class PlannedStep:
    """A follow-up the organisation planned: the employer, the date, its last contact."""

    employer_id: str
    name: str
    due_on: dt.date
    last_contact: LastContact | None


def planned_steps(
    session: Session, organisation_id: str | None, *, limit: int = 10
) -> list[PlannedStep]:
    """The organisation's earliest follow-ups (overdue first), white spot or not."""
    if organisation_id is None:
        return []
    f, e = FollowUp, models.Employer
    stmt = (
        select(f.employer_id, e.name, f.due_on)
        .join(e, e.employer_id == f.employer_id)
        .where(f.organisation_id == organisation_id)
        .order_by(f.due_on, f.employer_id)
        .limit(limit)
    )
    rows = session.execute(stmt).all()
    contacts = last_contacts(session, organisation_id, [r.employer_id for r in rows])
    return [PlannedStep(r.employer_id, r.name, r.due_on, contacts.get(r.employer_id)) for r in rows]
