"""Exporting the store as the exchange-format files, byte-stable for unchanged data.

Canonical values, columns in the format's order, rows sorted by id (in Python, so the order does
not depend on the database's collation), lists ``;``-joined in stored order, competences and
occupations as their original text, ISO dates, ``true``/``false``, empty for unknown. Text
cells a spreadsheet would run as a formula get a leading ``'`` (``matching.formulas``); the
importer takes it off again, so a round trip keeps every value.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, select
from sqlalchemy.orm import Session

from matching.columns import ENTITIES, Entity
from matching.exchange.upserting import STORE_MAPS, ChildSpec
from matching.formulas import neutralise


def export_all(session: Session, out_dir: Path | str) -> dict[str, int]:
    """Write ``<entity>.csv`` for every entity into ``out_dir``; rows written per entity."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    conn = session.connection()
    return {
        name: export_entity(conn, entity, out / entity.file_name)
        for name, entity in ENTITIES.items()
    }


def export_entity(conn: Connection, entity: Entity, path: Path) -> int:
    """Write one entity's file; the number of rows written."""
    rows, lists = _stored(conn, entity)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(entity.column_names)
        for row in rows:
            writer.writerow(_cells(entity, row, lists))
    return len(rows)


def entity_cells(
    conn: Connection, name: str, *, where: ColumnElement[bool] | None = None
) -> list[dict[str, str]]:
    """Each stored row of an entity as the format's cells (column → text), sorted by id.

    Not neutralised: that is for files a spreadsheet may open (``export_entity``). ``where``
    (a condition on the entity's table) limits the rows, and their lists with them.
    """
    entity = ENTITIES[name]
    rows, lists = _stored(conn, entity, where)
    parent = entity.id_columns[0]
    return [
        {
            column: lists[column].get(row[parent], "")
            if column in lists
            else format_value(row[column])
            for column in entity.column_names
        }
        for row in rows
    ]


Lists = dict[str, dict[str, str]]


def _stored(
    conn: Connection, entity: Entity, where: ColumnElement[bool] | None = None
) -> tuple[list[dict[str, Any]], Lists]:
    """The entity's stored rows sorted by id, and each list column's texts per parent."""
    smap = STORE_MAPS[entity.name]
    statement = select(smap.table)
    parents = None
    if where is not None:
        statement = statement.where(where)
        parents = select(smap.table.c[entity.id_columns[0]]).where(where)
    lists = {spec.column: _child_texts(conn, spec, parents) for spec in smap.children}
    rows = [dict(row) for row in conn.execute(statement).mappings()]
    rows.sort(key=lambda row: tuple(row[k] for k in entity.id_columns))
    return rows, lists


def _cells(entity: Entity, row: dict[str, Any], lists: Lists) -> list[str]:
    parent = row[entity.id_columns[0]]
    return [
        neutralise(lists[name].get(parent, "")) if name in lists else _cell(row[name])
        for name in entity.column_names
    ]


def _cell(value: Any) -> str:
    """One stored value as a cell; only text is neutralised, so ``-3`` stays a number."""
    text = format_value(value)
    return neutralise(text) if isinstance(value, str) else text


def format_value(value: Any) -> str:
    """A stored value as the format writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _child_texts(
    conn: Connection, spec: ChildSpec, parents: Select[tuple[Any]] | None = None
) -> dict[str, str]:
    """Each parent's item texts, ``;``-joined in position order (of ``parents`` only, if given)."""
    table = spec.table
    filters = [table.c[name] == value for name, value in spec.fixed.items()]
    if parents is not None:
        filters.append(table.c[spec.parent].in_(parents))
    statement = (
        select(table.c[spec.parent], table.c.text)
        .where(*filters)
        .order_by(table.c[spec.parent], table.c.position)
    )
    texts: dict[str, list[str]] = {}
    for parent, text in conn.execute(statement):
        texts.setdefault(parent, []).append(text)
    return {parent: ";".join(items) for parent, items in texts.items()}
