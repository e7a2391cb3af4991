"""Placements that cannot be: a person placed twice at the same time, a vacancy over its places.

Checked per chunk against the store (earlier chunks and files of the run are written already)
and against the chunk's earlier rows; a row that replaces a stored placement (same id) is
compared with the others only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import Connection, or_, select

from matching.exchange.references import Numbered
from matching.exchange.report import RowError
from matching.plausibility import Period, placement_conflict
from matching.store.db import table
from matching.store.models import Placement, Vacancy

Periods = dict[str, dict[str, Period]]  # owner id → placement id → period


def check_placements(
    conn: Connection, rows: Sequence[Numbered], file: str
) -> dict[int, list[RowError]]:
    """Errors per row number for placements that overlap or overfill (module doc)."""
    people, vacancies = _stored(conn, rows)
    positions = _positions(conn, {r["vacancy_id"] for _n, r in rows if r["vacancy_id"]})
    errors: dict[int, list[RowError]] = {}
    for number, record in rows:
        new = Period(record["placement_id"], record["start_date"], record["end_date"])
        vacancy = record["vacancy_id"]
        reason = placement_conflict(
            new,
            list(people[record["candidate_id"]].values()),
            list(vacancies[vacancy].values()) if vacancy else [],
            positions.get(vacancy, 1) if vacancy else 1,
        )
        if reason is not None:
            column = "start_date" if reason.startswith("de werkzoekende") else "vacancy_id"
            errors[number] = [RowError(file, number, column, reason)]
            continue
        people[record["candidate_id"]][new.placement_id] = new
        if vacancy:
            vacancies[vacancy][new.placement_id] = new
    return errors


def _stored(conn: Connection, rows: Sequence[Numbered]) -> tuple[Periods, Periods]:
    """The stored placements of the rows' people and vacancies."""
    people: Periods = defaultdict(dict)
    vacancies: Periods = defaultdict(dict)
    p = table(Placement)
    candidates = sorted({r["candidate_id"] for _n, r in rows})
    wanted = sorted({r["vacancy_id"] for _n, r in rows if r["vacancy_id"]})
    for start in range(0, max(len(candidates), len(wanted)), 2000):
        statement = select(p.c.placement_id, p.c.candidate_id, p.c.vacancy_id, p.c.start_date,
                           p.c.end_date).where(or_(
            p.c.candidate_id.in_(candidates[start : start + 2000]),
            p.c.vacancy_id.in_(wanted[start : start + 2000]),
        ))  # fmt: skip
        for placement_id, candidate_id, vacancy_id, begin, end in conn.execute(statement):
            period = Period(placement_id, begin, end)
            people[candidate_id][placement_id] = period
            if vacancy_id:
                vacancies[vacancy_id][placement_id] = period
    return people, vacancies


def _positions(conn: Connection, ids: set[str]) -> dict[str, int]:
    v = table(Vacancy)
    ordered = sorted(ids)
    found: dict[str, int] = {}
    for start in range(0, len(ordered), 2000):
        statement = select(v.c.vacancy_id, v.c.positions).where(
            v.c.vacancy_id.in_(ordered[start : start + 2000])
        )
        found.update(
            {vacancy_id: positions or 1 for vacancy_id, positions in conn.execute(statement)}
        )
    return found
