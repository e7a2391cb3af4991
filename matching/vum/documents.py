"""The verbatim VUM documents beside the records they were imported into."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select

from matching.store import models as m

TABLES: Mapping[str, tuple[Any, str]] = {
    "candidates": (m.CandidateVum.__table__, "candidate_id"),
    "vacancies": (m.VacancyVum.__table__, "vacancy_id"),
}
BATCH = 1000


def write_documents(conn: Connection, entity: str, documents: Mapping[str, str]) -> None:
    """Store (replace) the JSON text of each record's VUM document."""
    table, key = _table(entity)
    ids = list(documents)
    for start in range(0, len(ids), BATCH):
        conn.execute(delete(table).where(table.c[key].in_(ids[start : start + BATCH])))
    if ids:
        conn.execute(insert(table), [{key: i, "document": documents[i]} for i in ids])


def read_documents(
    conn: Connection, entity: str, ids: Iterable[str] | None = None
) -> dict[str, dict[str, Any]]:
    """The stored VUM documents by record id (all, or those of ``ids``)."""
    table, key = _table(entity)
    statement = select(table.c[key], table.c.document)
    found: dict[str, dict[str, Any]] = {}
    if ids is None:
        for record_id, text in conn.execute(statement):
            found[record_id] = json.loads(text)
        return found
    wanted = list(ids)
    for start in range(0, len(wanted), BATCH):
        batch = statement.where(table.c[key].in_(wanted[start : start + BATCH]))
        for record_id, text in conn.execute(batch):
            found[record_id] = json.loads(text)
    return found


def _table(entity: str) -> tuple[Table, str]:
    table, key = TABLES[entity]
    return table, key
