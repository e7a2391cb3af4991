"""The verbatim VUM documents beside the records they were imported into, and the VUM
documents of our records (``matching.vum.building``) read with them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select

from matching.store import models as m
from matching.vum.building import candidate_document, id_problem, vacancy_document

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


def candidate_documents(
    conn: Connection, rows: Sequence[Mapping[str, str]], skipped: list[str] | None = None
) -> list[tuple[str, dict[str, Any]]]:
    """(id, VUM ``Werkzoekende``) of candidates given as exchange cells, in their order.

    A record whose id VUM cannot carry is left out, with the reason added to ``skipped``.
    """
    originals = read_documents(conn, "candidates", [row["candidate_id"] for row in rows])
    found = []
    for row in rows:
        record_id = row["candidate_id"]
        if _refused("werkzoekende", record_id, skipped):
            continue
        found.append((record_id, candidate_document(row, originals.get(record_id))))
    return found


def vacancy_documents(
    conn: Connection,
    rows: Sequence[Mapping[str, str]],
    employers: Mapping[str, Mapping[str, str]],
    skipped: list[str] | None = None,
) -> list[tuple[str, dict[str, Any]]]:
    """(id, VUM ``Vacature``) of vacancies given as exchange cells, with their employers'."""
    originals = read_documents(conn, "vacancies", [row["vacancy_id"] for row in rows])
    found = []
    for row in rows:
        record_id = row["vacancy_id"]
        if _refused("vacature", record_id, skipped):
            continue
        employer = employers[row["employer_id"]]
        found.append((record_id, vacancy_document(row, employer, originals.get(record_id))))
    return found


def _refused(kind: str, record_id: str, skipped: list[str] | None) -> bool:
    problem = id_problem(record_id)
    if problem is not None and skipped is not None:
        shown = "" if "BSN" in problem else f" {record_id!r}"  # a BSN is never repeated
        skipped.append(f"{kind}{shown} niet uitgevoerd: {problem}")
    return problem is not None
