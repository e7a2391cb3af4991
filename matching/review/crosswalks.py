"""Crosswalks from national code lists to ESCO: ``werkmatch crosswalk import FILE``.

A crosswalk file (.csv or .xlsx) has a column ``code`` (a CompetentNL URI or a 10-digit UWV
beroepscode), ``esco_uri`` (or ``uri``: an ESCO occupation or skill URI) and optionally
``label``. Every row is checked first; one bad row (an unknown ESCO URI, a code that is no
national code, a code given twice with two concepts) refuses the whole file with the row
numbers and nothing is stored. Stored entries are used by every later import, and are written
at once into stored items that carry the code and still await review.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from matching.access.users import now
from matching.data_versions import bump_candidates
from matching.errors import InvalidInput
from matching.exchange.codes import split_code
from matching.exchange.reading import open_table
from matching.formulas import restore
from matching.review.records import apply_decisions
from matching.store.review import Crosswalk

CODE_COLUMNS = ("code",)
URI_COLUMNS = ("esco_uri", "uri")
MAX_ERRORS_SHOWN = 50
MAX_CODE = 200  # the length of crosswalks.code


@dataclass(frozen=True)
class Entry:
    """One crosswalk row."""

    row: int
    code: str
    uri: str
    label: str | None


@dataclass(frozen=True)
class CrosswalkResult:
    """What an import did: entries added and changed, stored items mapped."""

    added: int
    changed: int
    mapped: int


def read_entries(path: Path) -> list[Entry]:
    """The rows of a crosswalk file; InvalidInput when its columns are missing."""
    with open_table(path) as table:
        header = table.header
        code = _column(header, CODE_COLUMNS)
        uri = _column(header, URI_COLUMNS)
        label = header.index("label") if "label" in header else None
        entries = []
        for chunk in table.rows:
            for number, cells in chunk:
                cells = [restore(cell.strip()) for cell in cells] + [""] * len(header)
                text = cells[label] if label is not None else ""
                entries.append(Entry(number, cells[code], cells[uri], text or None))
    return entries


def _column(header: Sequence[str], names: Sequence[str]) -> int:
    for name in names:
        if name in header:
            return header.index(name)
    raise InvalidInput(
        f"kolom {' of '.join(names)} ontbreekt: een crosswalk heeft de kolommen code, esco_uri "
        "en eventueel label"
    )


def check_entries(session: Session, entries: Sequence[Entry]) -> dict[str, str]:
    """The kind (occupation, skill) of each entry's concept; InvalidInput naming every bad
    row (module doc)."""
    from matching.review.synonyms import known_concepts

    uris = {entry.uri for entry in entries}
    kinds = {uri: "occupation" for uri in known_concepts(session, "occupation", uris)}
    kinds |= {uri: "skill" for uri in known_concepts(session, "skill", uris)}
    errors: list[str] = []
    first: dict[str, Entry] = {}
    for entry in entries:
        parts = split_code(entry.code)
        if not entry.code or parts is None or parts[1] or len(entry.code) > MAX_CODE:
            errors.append(
                f"rij {entry.row}: '{entry.code}' is geen CompetentNL-URI of UWV-beroepscode "
                "van 10 cijfers"
            )
        elif entry.uri not in kinds:
            errors.append(f"rij {entry.row}: '{entry.uri}' is geen bekende ESCO-URI")
        elif entry.code in first and first[entry.code].uri != entry.uri:
            earlier = first[entry.code].row
            errors.append(f"rij {entry.row}: code {entry.code} staat ook op rij {earlier}")
        first.setdefault(entry.code, entry)
    if not entries:
        errors.append("het bestand heeft geen rijen onder de kopregel")
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        more = len(errors) - len(shown)
        tail = [f"… en nog {more} fouten"] if more else []
        lines = "\n".join(shown + tail)
        raise InvalidInput(f"Crosswalk niet ingelezen, niets opgeslagen:\n{lines}")
    return {entry.code: kinds[entry.uri] for entry in entries}


def import_crosswalk(session: Session, path: Path) -> CrosswalkResult:
    """Check and store a crosswalk file in the caller's transaction (module doc)."""
    entries = read_entries(path)
    kinds = check_entries(session, entries)
    stored = {row.code: row for row in session.scalars(select(Crosswalk))}
    added = changed = 0
    at = now()
    for entry in {e.code: e for e in entries}.values():
        row = stored.get(entry.code)
        if row is None:
            session.add(
                Crosswalk(code=entry.code, kind=kinds[entry.code], uri=entry.uri,
                          label=entry.label, imported_at=at)
            )  # fmt: skip
            added += 1
        elif (row.uri, row.label) != (entry.uri, entry.label):
            row.kind, row.uri, row.label = kinds[entry.code], entry.uri, entry.label
            row.imported_at = at
            changed += 1
    session.flush()
    decisions = {(kinds[e.code], e.code): e.uri for e in entries}
    conn = session.connection()
    mapped = apply_decisions(conn, decisions, municipalities=None, only_flagged=True)
    if mapped:
        from matching.review.queue import refresh_queue

        refresh_queue(session, import_id=None, ranker=None)
        bump_candidates(session, None)  # a crosswalk maps texts of every region
    return CrosswalkResult(added, changed, mapped)
