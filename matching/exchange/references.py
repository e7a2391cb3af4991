"""Referential checks: ids a row points at (a vacancy's employer) must exist in the store.

Entities are imported parents first in one transaction, so "in the store" covers rows imported
earlier in the same run as well as rows stored before it. A reference to a row that was rejected
in this run says so, with the file and row to fix.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, select

from matching.columns import ENTITIES, Entity
from matching.exchange.report import RowError
from matching.exchange.upserting import STORE_MAPS
from matching.exchange.validation import Record

Numbered = tuple[int, Record]
SINGULAR = {
    "employers": "werkgever",
    "candidates": "werkzoekende",
    "vacancies": "vacature",
    "programmes": "programma",
    "placements": "plaatsing",
}
"""How an error names one record of an entity (Dutch: errors are read by users)."""
PLURAL = {
    "employers": "werkgevers",
    "candidates": "werkzoekenden",
    "vacancies": "vacatures",
    "programmes": "programma's",
    "placements": "plaatsingen",
}


class RejectedIds:
    """Ids rejected during this run, per entity, with where they were given."""

    def __init__(self) -> None:
        self._where: dict[str, dict[str, str]] = {}

    def add(self, entity: str, row_id: str, where: str) -> None:
        """Remember that ``row_id`` of ``entity`` was rejected at ``where``."""
        self._where.setdefault(entity, {}).setdefault(row_id, where)

    def where(self, entity: str, row_id: str) -> str | None:
        """Where ``row_id`` was rejected in this run, or None."""
        return self._where.get(entity, {}).get(row_id)


def check_references(
    conn: Connection,
    entity: Entity,
    rows: Sequence[Numbered],
    file: str,
    rejected: RejectedIds,
    *,
    scoped: bool = False,
) -> dict[int, list[RowError]]:
    """Errors per row number for references to ids that do not exist (``scoped``: in an
    organisation's import, worded as ``missing_reason`` says)."""
    errors: dict[int, list[RowError]] = {}
    for column in entity.columns:
        if column.refers_to is None:
            continue
        wanted = {record[column.name] for _number, record in rows if record[column.name]}
        found = _existing(conn, column.refers_to, wanted)
        for number, record in rows:
            value = record[column.name]
            if value and value not in found:
                reason = missing_reason(column.refers_to, value, rejected, scoped=scoped)
                errors.setdefault(number, []).append(
                    RowError(file, number, column.name, reason, value)
                )
    return errors


def _existing(conn: Connection, entity: str, ids: set[str]) -> set[str]:
    table = STORE_MAPS[entity].table
    column = table.c[ENTITIES[entity].id_columns[0]]
    ordered = sorted(ids)
    found: set[str] = set()
    for start in range(0, len(ordered), 5000):
        statement = select(column).where(column.in_(ordered[start : start + 5000]))
        found.update(conn.scalars(statement))
    return found


def missing_reason(entity: str, value: str, rejected: RejectedIds, *, scoped: bool = False) -> str:
    """Why a row may not name ``value``: rejected earlier in this run, or not stored; in an
    organisation's import (``scoped``) also the words for another organisation's record, so
    that they cannot be told apart (``matching.exchange.scope``)."""
    what = SINGULAR.get(entity, entity)
    where = rejected.where(entity, value)
    if where is not None:
        return f"{what} '{value}' is in deze import afgekeurd ({where}): verbeter eerst die rij"
    return (
        f"{what} '{value}' bestaat niet: niet bij de {PLURAL.get(entity, entity)} van deze "
        "import en niet in de opslag" + (" van uw organisatie" if scoped else "")
    )
