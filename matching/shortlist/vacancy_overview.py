"""The account manager's overview of open vacancies: filtered, paged, with qualifying counts.

A candidate *qualifies* for a vacancy when they pass the shortlist's hard filters, are within
its reach under the fallback policy (own municipality, or a consenting candidate of the region
or nearby) and reach the policy's threshold on the chance of a durable placement — the same
rules the shortlist uses (``matching.shortlist.ranking``), counted without generating a list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from matching.errors import InvalidInput
from matching.shortlist.context import MatchingContext
from matching.shortlist.policy import FallbackPolicy
from matching.shortlist.ranking import rank_vacancy
from matching.shortlist.service import proposed_ids
from matching.store import models

MAX_PAGE = 200


@dataclass(frozen=True)
class VacancyRow:
    """One open vacancy as the overview lists it."""

    vacancy_id: str
    title: str
    employer_id: str
    employer_name: str
    municipality_code: str
    sbi_section: str | None
    hours_per_week: int
    positions: int
    opened_on: dt.date
    closes_on: dt.date | None
    acquired_by: str | None


@dataclass(frozen=True)
class VacancyPage:
    """A page of the overview and how many vacancies matched the filters."""

    rows: list[VacancyRow]
    count: int
    offset: int
    limit: int


@dataclass(frozen=True)
class Qualifying:
    """Qualifying candidates of one vacancy: own municipality, fallback, and all eligible."""

    own: int
    fallback: int
    eligible: int

    @property
    def total(self) -> int:
        """Own plus fallback."""
        return self.own + self.fallback


def _conditions(
    *, municipalities: Collection[str] | None, sector: str | None, acquired_by: str | None
) -> list[ColumnElement[bool]]:
    """The WHERE conditions of the overview: open, and the filters that are set."""
    v, e = models.Vacancy, models.Employer
    conditions = [v.status == "open"]
    if municipalities is not None:
        conditions.append(v.municipality_code.in_(sorted(municipalities)))
    if sector:
        conditions.append(e.sbi_section == sector)
    if acquired_by:
        conditions.append(v.acquired_by == acquired_by)
    return conditions


def open_vacancies(
    session: Session,
    *,
    municipalities: Collection[str] | None = None,
    sector: str | None = None,
    acquired_by: str | None = None,
    offset: int = 0,
    limit: int = 25,
) -> VacancyPage:
    """Open vacancies, newest first, in ``municipalities`` (None: all), of an SBI section,
    acquired by a user; ``count`` is the number matching before paging."""
    if offset < 0 or not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"offset must be ≥ 0 and limit between 1 and {MAX_PAGE}")
    v, e = models.Vacancy, models.Employer
    where = _conditions(municipalities=municipalities, sector=sector, acquired_by=acquired_by)
    on = e.employer_id == v.employer_id
    total = session.scalar(select(func.count()).select_from(v).join(e, on).where(*where)) or 0
    stmt = select(v, e).join(e, on).where(*where).order_by(v.opened_on.desc(), v.vacancy_id)
    rows = [
        VacancyRow(
            vacancy.vacancy_id,
            vacancy.title,
            employer.employer_id,
            employer.name,
            vacancy.municipality_code,
            employer.sbi_section,
            vacancy.hours_per_week,
            vacancy.positions or 1,
            vacancy.opened_on,
            vacancy.closes_on,
            vacancy.acquired_by,
        )
        for vacancy, employer in session.execute(stmt.offset(offset).limit(limit))
    ]
    return VacancyPage(rows, int(total), offset, limit)


def open_vacancy_municipalities(session: Session) -> list[str]:
    """The municipality codes that have open vacancies, sorted."""
    v = models.Vacancy
    stmt = select(v.municipality_code).where(v.status == "open").distinct()
    return sorted(session.scalars(stmt))


def qualifying_counts(
    session: Session,
    context: MatchingContext,
    vacancy_ids: Sequence[str],
    *,
    policy: FallbackPolicy | None = None,
) -> dict[str, Qualifying]:
    """Per open vacancy among ``vacancy_ids``: its qualifying candidates (module doc).

    Candidates already proposed to the vacancy are not counted (the shortlist leaves them out
    too). Not audited: only counts, no candidate is shown.
    """
    policy = policy or FallbackPolicy()
    open_ = context.open_vacancies(session)
    index = {info.vacancy_id: i for i, info in enumerate(open_.info)}
    counts: dict[str, Qualifying] = {}
    for vacancy_id in vacancy_ids:
        i = index.get(vacancy_id)
        if i is None:
            continue
        shortlist = rank_vacancy(
            context, open_.arrays.row(i), open_.info[i], limit=1, policy=policy,
            proposed=proposed_ids(session, vacancy_id), explain_filters=True,
            with_explanation=False,
        )  # fmt: skip
        levels = (shortlist.filters or {}).get("levels", {})
        own = levels.get("own", {}).get("qualifying", 0)
        fallback = sum(v["qualifying"] for k, v in levels.items() if k != "own")
        eligible = sum(v["eligible"] for v in levels.values())
        counts[vacancy_id] = Qualifying(int(own), int(fallback), int(eligible))
    return counts
