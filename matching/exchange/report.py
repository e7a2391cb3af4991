"""What an import run reports: per file counts, warnings and every rejected row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class RowError:
    """Why one row was rejected; ``row`` counts as a spreadsheet does (header = row 1)."""

    file: str
    row: int
    column: str | None
    reason: str
    value: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)

    def __str__(self) -> str:
        where = f"{self.file}, rij {self.row}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.reason}"


@dataclass
class FileReport:
    """The outcome of one file; ``file_error`` set means the whole file was rejected."""

    file: str
    entity: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    warnings: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    file_error: str | None = None
    unreadable: bool = False
    kept_records: int = 0  # VUM: records with fields that have no place in ours, kept verbatim
    kept_verbatim: dict[str, int] = field(default_factory=dict)  # JSON path → records

    def warn(self, message: str) -> None:
        """Add a warning once."""
        if message not in self.warnings:
            self.warnings.append(message)

    def reject_row(self, errors: Sequence[RowError]) -> None:
        """Count one rejected row and keep every reason found for it."""
        self.rejected += 1
        self.errors.extend(errors)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        data = asdict(self)
        data["errors"] = [error.to_dict() for error in self.errors]
        return data


@dataclass
class ImportReport:
    """The outcome of one import run over one or more files."""

    files: list[FileReport] = field(default_factory=list)
    dry_run: bool = False
    warnings: list[str] = field(default_factory=list)

    def total(self, name: str) -> int:
        """Sum of one counter (``inserted``, ``updated``, ``unchanged``, ``rejected``)."""
        return sum(int(getattr(report, name)) for report in self.files)

    @property
    def rejected(self) -> int:
        """Rejected rows over all files."""
        return self.total("rejected")

    @property
    def rejected_files(self) -> int:
        """Files rejected as a whole."""
        return sum(report.file_error is not None for report in self.files)

    @property
    def ok(self) -> bool:
        """True when nothing was rejected."""
        return self.rejected == 0 and self.rejected_files == 0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with totals."""
        return {
            "dry_run": self.dry_run,
            "ok": self.ok,
            "inserted": self.total("inserted"),
            "updated": self.total("updated"),
            "unchanged": self.total("unchanged"),
            "rejected": self.rejected,
            "rejected_files": self.rejected_files,
            "warnings": list(self.warnings),
            "files": [report.to_dict() for report in self.files],
        }
