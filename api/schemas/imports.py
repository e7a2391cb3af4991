"""Schemas of an import report, as ``POST /imports`` returns it."""

from __future__ import annotations

from pydantic import BaseModel


class RowErrorPublic(BaseModel):
    """Why one row was rejected; ``row`` counts as a spreadsheet does (header = row 1)."""

    file: str
    row: int
    column: str | None
    reason: str
    value: str | None


class FileReportPublic(BaseModel):
    """The outcome of one file; ``file_error`` set means the whole file was rejected."""

    file: str
    entity: str | None
    encoding: str | None
    delimiter: str | None
    rows: int
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    warnings: list[str]
    errors: list[RowErrorPublic]
    file_error: str | None
    unreadable: bool
    kept_records: int = 0
    kept_verbatim: dict[str, int] = {}


class ImportReportPublic(BaseModel):
    """The outcome of one import run: totals, and per file counts, warnings and errors."""

    dry_run: bool
    ok: bool
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    rejected_files: int
    warnings: list[str]
    files: list[FileReportPublic]
