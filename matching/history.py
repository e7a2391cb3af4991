"""Read the recorded history as plain DataFrames for the evaluation: placements, proposals, people.

The evaluation package reads the store only through these functions. ``audit_attributes`` is
the one reader of ``gender`` and ``birth_year``: the fairness audit needs them, no score does.
Column names are the exchange-format names (``evaluation.columns``).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Executable, select
from sqlalchemy.orm import Session

from matching.store import models
from matching.store.reference import Municipality

PLACEMENT_COLUMNS = (
    "placement_id", "candidate_id", "employer_id", "vacancy_id", "start_date", "end_date",
    "hours_per_week", "contract", "municipality_code", "target_group", "ladder_step",
    "work_municipality_code",
)  # fmt: skip
"""Placements with the candidate's municipality, target group and ladder step, and the place of
work (the vacancy's municipality, or the employer's when the placement has no vacancy)."""
PROPOSAL_COLUMNS = ("vacancy_id", "candidate_id", "proposed_on", "outcome")
VACANCY_COLUMNS = (
    "vacancy_id", "employer_id", "municipality_code", "opened_on", "closes_on", "status",
    "positions", "title", "hours_per_week", "occupation_uri",
)  # fmt: skip
AUDIT_COLUMNS = (
    "candidate_id", "gender", "birth_year", "target_group", "ladder_step", "municipality_code",
)  # fmt: skip


def _frame(session: Session, stmt: Executable, columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame(session.execute(stmt).all(), columns=list(columns))


def placement_history(session: Session, *, until: dt.date | None = None) -> pd.DataFrame:
    """Every placement started on or before ``until`` (all when None), with the joined columns."""
    p, c, v, e = models.Placement, models.Candidate, models.Vacancy, models.Employer
    stmt = (
        select(
            p.placement_id,
            p.candidate_id,
            p.employer_id,
            p.vacancy_id,
            p.start_date,
            p.end_date,
            p.hours_per_week,
            p.contract,
            c.municipality_code,
            c.target_group,
            c.ladder_step,
            v.municipality_code,
            e.municipality_code,
        )
        .join(c, c.candidate_id == p.candidate_id)
        .join(e, e.employer_id == p.employer_id)
        .outerjoin(v, v.vacancy_id == p.vacancy_id)
        .order_by(p.start_date, p.placement_id)
    )
    if until is not None:
        stmt = stmt.where(p.start_date <= until)
    rows = [(*r[:11], r[11] if r[11] is not None else r[12]) for r in session.execute(stmt)]
    return pd.DataFrame(rows, columns=list(PLACEMENT_COLUMNS))


def proposal_history(session: Session, *, until: dt.date | None = None) -> pd.DataFrame:
    """Every proposal made on or before ``until`` (all when None)."""
    p = models.Proposal
    stmt = select(p.vacancy_id, p.candidate_id, p.proposed_on, p.outcome)
    if until is not None:
        stmt = stmt.where(p.proposed_on <= until)
    return _frame(session, stmt.order_by(p.proposed_on, p.vacancy_id), PROPOSAL_COLUMNS)


def vacancy_history(session: Session, *, until: dt.date | None = None) -> pd.DataFrame:
    """Every vacancy opened on or before ``until`` (all when None)."""
    v = models.Vacancy
    stmt = select(
        v.vacancy_id, v.employer_id, v.municipality_code, v.opened_on, v.closes_on, v.status,
        v.positions, v.title, v.hours_per_week, v.occupation_uri,
    )  # fmt: skip
    if until is not None:
        stmt = stmt.where(v.opened_on <= until)
    return _frame(session, stmt.order_by(v.opened_on, v.vacancy_id), VACANCY_COLUMNS)


def audit_attributes(session: Session) -> pd.DataFrame:
    """Per candidate: gender, birth year, target group, ladder step, municipality (audit only)."""
    c = models.Candidate
    stmt = select(
        c.candidate_id, c.gender, c.birth_year, c.target_group, c.ladder_step, c.municipality_code
    )
    return _frame(session, stmt.order_by(c.candidate_id), AUDIT_COLUMNS)


def municipality_names(session: Session) -> dict[str, str]:
    """CBS code → municipality name, from the reference table."""
    m = Municipality
    return {code: name for code, name in session.execute(select(m.code, m.name))}
