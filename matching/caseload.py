"""The caseload: find an organisation's job seekers, and what happened to one of them.

``find_candidates`` searches by id, by the text of a competence or an occupation as written,
and by the Dutch ESCO label of a normalised one ("heftruck" finds everyone whose competence is
normalised to "heftruck besturen"), filtered by municipality, target group, ladder step and
status, always within the organisation's municipalities. ``candidate_history`` lists the
proposals and placements of one candidate, newest first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, func, or_, select
from sqlalchemy.orm import Session

from matching import domain
from matching.shortlist.labels import Labels
from matching.store import models
from matching.store.repositories import to_candidate

MAX_LABEL_MATCHES = 500
"""At most this many ESCO concepts whose label contains the search text are searched for."""


@dataclass(frozen=True)
class CandidateQuery:
    """What to look for; empty fields do not filter."""

    text: str = ""
    municipality_code: str | None = None
    target_group: str | None = None
    ladder_step: int | None = None
    status: str | None = None
    participants: frozenset[str] | None = None  # a programme's running participants


@dataclass(frozen=True)
class HistoryItem:
    """A proposal or a placement of a candidate, for the profile."""

    kind: str  # "proposal" | "placement"
    on: dt.date
    vacancy_id: str | None
    title: str | None
    employer_name: str | None
    outcome: str | None = None
    end_date: dt.date | None = None
    contract: str | None = None


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.casefold()}%"


def labelled_concepts(labels: Labels, text: str) -> list[str]:
    """URIs of the ESCO skills and occupations whose Dutch label contains ``text``."""
    needle = text.casefold()
    found = [
        uri
        for table in (labels.skills, labels.occupations)
        for uri, label in table.items()
        if needle in label.casefold()
    ]
    return found[:MAX_LABEL_MATCHES]


def _text_condition(text: str, labels: Labels) -> ColumnElement[bool]:
    """Id, written competence or occupation, or a normalised concept's label contains ``text``."""
    pattern, uris = _like(text), labelled_concepts(labels, text)
    c = models.Candidate
    items = []
    for item in (models.CandidateCompetence, models.CandidateOccupation):
        hit: ColumnElement[bool] = func.lower(item.text).like(pattern, escape="\\")
        if uris:
            hit = or_(hit, item.uri.in_(uris))
        items.append(select(item.candidate_id).where(hit))
    return or_(
        func.lower(c.candidate_id).like(pattern, escape="\\"),
        c.candidate_id.in_(items[0]),
        c.candidate_id.in_(items[1]),
    )


def find_candidates(
    session: Session,
    query: CandidateQuery,
    *,
    within: Collection[str],
    labels: Labels,
    offset: int = 0,
    limit: int = 50,
) -> domain.Page[domain.Candidate]:
    """A page of the candidates in ``within`` (municipality codes) matching ``query``, by id."""
    c = models.Candidate
    conditions: list[ColumnElement[bool]] = [
        c.municipality_code.in_(sorted(within)) if within else false()
    ]
    equal = {
        c.municipality_code: query.municipality_code,
        c.target_group: query.target_group,
        c.ladder_step: query.ladder_step,
        c.status: query.status,
    }
    conditions += [column == value for column, value in equal.items() if value is not None]
    if query.participants is not None:
        conditions.append(c.candidate_id.in_(sorted(query.participants)))
    if query.text.strip():
        conditions.append(_text_condition(query.text.strip(), labels))
    base = select(c).where(*conditions)
    count = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.scalars(base.order_by(c.candidate_id).offset(offset).limit(limit)).all()
    return domain.Page(data=[to_candidate(r) for r in rows], count=count)


def candidate_history(session: Session, candidate_id: str) -> list[HistoryItem]:
    """The candidate's proposals and placements, newest first."""
    p, v, e, pl = models.Proposal, models.Vacancy, models.Employer, models.Placement
    proposals = session.execute(
        select(p.proposed_on, p.vacancy_id, v.title, e.name, p.outcome)
        .join(v, v.vacancy_id == p.vacancy_id)
        .join(e, e.employer_id == v.employer_id)
        .where(p.candidate_id == candidate_id)
    ).all()
    placements = session.execute(
        select(pl.start_date, pl.vacancy_id, v.title, e.name, pl.end_date, pl.contract)
        .join(e, e.employer_id == pl.employer_id)
        .outerjoin(v, v.vacancy_id == pl.vacancy_id)
        .where(pl.candidate_id == candidate_id)
    ).all()
    items = [HistoryItem("proposal", *row) for row in proposals] + [
        HistoryItem("placement", on, vid, title, name, end_date=end, contract=contract)
        for on, vid, title, name, end, contract in placements
    ]
    return sorted(items, key=lambda item: (item.on, item.kind), reverse=True)
