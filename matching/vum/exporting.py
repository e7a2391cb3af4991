"""``werkmatch export --format vum``: our candidates and vacancies as VUM JSON files.

Two files, each one JSON array as ``werkmatch import`` reads it: ``werkzoekenden.json``
(``Werkzoekende`` objects) and ``vacatures.json`` (``Vacature`` objects), one record per line,
sorted by id. A file without records is not written (an empty array is no VUM file), and one
left by an earlier export is removed. JSON is no spreadsheet: texts are written as they are
(``matching.formulas`` is for CSV and xlsx).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matching.exchange.exporting import entity_cells
from matching.store import models as m
from matching.vum.documents import candidate_documents, vacancy_documents

FILES = {"candidates": "werkzoekenden.json", "vacancies": "vacatures.json"}


@dataclass
class VumExport:
    """Records written per file, and the records left out with the reason (Dutch)."""

    files: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def export_vum(session: Session, out_dir: Path | str) -> VumExport:
    """Write the VUM files of every candidate and vacancy into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    conn = session.connection()
    result = VumExport()
    people = candidate_documents(conn, entity_cells(conn, "candidates"), result.skipped)
    result.files[FILES["candidates"]] = write_array(out / FILES["candidates"], people)
    used = m.Employer.employer_id.in_(select(m.Vacancy.employer_id))
    employers = {e["employer_id"]: e for e in entity_cells(conn, "employers", where=used)}
    jobs = vacancy_documents(conn, entity_cells(conn, "vacancies"), employers, result.skipped)
    result.files[FILES["vacancies"]] = write_array(out / FILES["vacancies"], jobs)
    return result


def write_array(path: Path, documents: Iterable[tuple[str, dict[str, Any]]]) -> int:
    """Write the documents as one JSON array, a record per line; how many were written."""
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for _record_id, document in documents:
            handle.write("[\n" if count == 0 else ",\n")
            handle.write(json.dumps(document, ensure_ascii=False, separators=(",", ":")))
            count += 1
        if count:
            handle.write("\n]\n")
    if not count:
        path.unlink()
    return count
