"""White-spot status: derived from contacts, vacancies and placements, never stored.

An employer is a *white spot* (witte vlek) when the organisation has had nothing to do with it
in the look-back window ``[since, as_of]`` (``since`` None = ever):

* no contact dated in the window;
* no vacancy *open* in the window: opened on or before ``as_of`` and not closed before
  ``since`` (a vacancy without ``closes_on`` that is still ``open`` counts as open);
* no placement *running* in the window: started on or before ``as_of`` and not ended before
  ``since``.

Events after ``as_of`` are not known at ``as_of`` and are ignored. A white spot becomes a known
employer with its first contact (the next call simply finds the contact).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, Select, and_, exists, not_, or_, select, true
from sqlalchemy.orm import Session

from matching.errors import InvalidInput
from matching.store import models


def window_start(*, as_of: dt.date, lookback_days: int | None) -> dt.date | None:
    """The first day of the look-back window, or None for 'ever'."""
    if lookback_days is None:
        return None
    if lookback_days < 1:
        raise InvalidInput(f"lookback_days must be at least 1, not {lookback_days}")
    first = as_of.toordinal() - (lookback_days - 1)
    return dt.date.fromordinal(max(first, 1))  # a window reaching before year 1 starts there


def _contact_in_window(since: dt.date | None, as_of: dt.date) -> ColumnElement[bool]:
    c = models.Contact
    after = c.date >= since if since is not None else true()
    return exists().where(c.employer_id == models.Employer.employer_id, c.date <= as_of, after)


def _vacancy_in_window(since: dt.date | None, as_of: dt.date) -> ColumnElement[bool]:
    v = models.Vacancy
    if since is None:
        still_open: ColumnElement[bool] = true()
    else:
        still_open = or_(
            v.closes_on >= since, and_(v.closes_on.is_(None), v.status == "open"),
            v.opened_on >= since,
        )  # fmt: skip
    return exists().where(
        v.employer_id == models.Employer.employer_id, v.opened_on <= as_of, still_open
    )


def _placement_in_window(since: dt.date | None, as_of: dt.date) -> ColumnElement[bool]:
    p = models.Placement
    running = (
        or_(p.end_date.is_(None), p.end_date >= since, p.start_date >= since)
        if since is not None
        else true()
    )
    return exists().where(
        p.employer_id == models.Employer.employer_id, p.start_date <= as_of, running
    )


def known_condition(*, as_of: dt.date, since: dt.date | None) -> ColumnElement[bool]:
    """SQL condition on ``employers``: a contact, vacancy or placement in the window."""
    return or_(
        _contact_in_window(since, as_of),
        _vacancy_in_window(since, as_of),
        _placement_in_window(since, as_of),
    )


def white_spot_query(*, as_of: dt.date, since: dt.date | None = None) -> Select[str]:
    """SELECT of the ids of the white-spot employers (one query, correlated NOT EXISTS)."""
    return select(models.Employer.employer_id).where(
        not_(known_condition(as_of=as_of, since=since))
    )


def white_spot_ids(
    session: Session,
    *,
    as_of: dt.date | None = None,
    lookback_days: int | None = None,
) -> set[str]:
    """Ids of the employers that are white spots as of ``as_of`` (default today)."""
    as_of = as_of or dt.date.today()
    since = window_start(as_of=as_of, lookback_days=lookback_days)
    return set(session.scalars(white_spot_query(as_of=as_of, since=since)))


def is_white_spot(
    session: Session,
    *,
    employer_id: str,
    as_of: dt.date | None = None,
    lookback_days: int | None = None,
) -> bool:
    """True when the employer is a white spot as of ``as_of`` (default today)."""
    as_of = as_of or dt.date.today()
    since = window_start(as_of=as_of, lookback_days=lookback_days)
    stmt = white_spot_query(as_of=as_of, since=since).where(
        models.Employer.employer_id == employer_id
    )
    return session.scalar(stmt) is not None
