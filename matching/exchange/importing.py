"""Importing exchange-format files: one transaction per run, parents first, chunk by chunk."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session, sessionmaker

from matching.columns import ENTITIES, IMPORT_ORDER
from matching.data_versions import HISTORY, bump_candidates, bump_data_version
from matching.exchange.enrolments import check_enrolments
from matching.exchange.instruments import check_instruments
from matching.exchange.normalising import ConceptCache, KnownTerms, TextNormaliser, TextRanker
from matching.exchange.placements import check_placements
from matching.exchange.reading import Table, UnreadableFile, detect_entity, open_table
from matching.exchange.references import Numbered, RejectedIds, check_references
from matching.exchange.regions import touched_regions
from matching.exchange.report import FileReport, ImportReport
from matching.exchange.scope import ImportScope, check_scope
from matching.exchange.upserting import STORE_MAPS, upsert
from matching.exchange.validation import (
    Record,
    ReferenceSets,
    RowValidator,
    check_header,
    store_lengths,
)
from matching.plausibility import DateWindow
from matching.store.db import transaction

Progress = Callable[[str, int, int], None]  # (file name, done, total) in bytes or rows
SUFFIXES = (".csv", ".xlsx", ".json")  # what an import reads; .json: VUM records (matching.vum)
TABLE_SUFFIXES = (".csv", ".xlsx")  # the spreadsheet files (uploads on the pages)
DEFAULT_THRESHOLD = 0.5
IMPORT_LOCK = 0x7765726B6D61  # "werkma": the PostgreSQL advisory lock of import runs


@dataclass(frozen=True)
class ImportOptions:
    """How an import run behaves."""

    normaliser: TextNormaliser | None = None
    threshold: float = DEFAULT_THRESHOLD
    progress: Progress | None = None
    chunk_rows: int = 5000
    reject_unreadable: bool = False  # raise before writing anything if a file is unreadable
    dates: DateWindow = field(default_factory=DateWindow)  # plausible dates
    imported_by: str | None = None  # who runs the import (the review queue's import filter)
    scope: ImportScope | None = None  # an organisation's import (exchange.scope); None: all


def import_paths(
    sessions: sessionmaker[Session],
    paths: Iterable[Path | str],
    *,
    normaliser: TextNormaliser | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    dry_run: bool = False,
    progress: Progress | None = None,
    chunk_rows: int = 5000,
    dates: DateWindow | None = None,
    imported_by: str | None = None,
) -> ImportReport:
    """Import files and directories in one transaction; committed unless ``dry_run``."""
    options = ImportOptions(
        normaliser, threshold, progress, chunk_rows, dates=dates or DateWindow(),
        imported_by=imported_by,
    )  # fmt: skip
    with transaction(sessions) as session:
        report = import_into(session, paths, options=options)
        report.dry_run = dry_run
        if dry_run:
            session.rollback()
    return report


def import_into(
    session: Session, paths: Iterable[Path | str], *, options: ImportOptions | None = None
) -> ImportReport:
    """Import into ``session``'s transaction; the caller commits or rolls back.

    Organisation synonyms and crosswalk entries decide before the normaliser; afterwards the
    review queue is recounted (``matching.review.queue``).
    """
    # imported here: matching.review builds on this package (codes, normalising)
    from matching.review.queue import refresh_queue, start_run
    from matching.review.synonyms import known_terms

    options = options or ImportOptions()
    one_import_at_a_time(session)
    report = ImportReport()
    sources = collect_files(paths, report)
    import_id = start_run(session, files=[p.name for p in sources], by=options.imported_by)
    terms = known_terms(session)
    with ExitStack() as stack:
        opened = [pair for path in sources for pair in _open(path, report, options.chunk_rows)]
        tables = [(r, stack.enter_context(t)) for r, t in opened if t is not None]
        unreadable = [r for r in report.files if r.unreadable]
        if options.reject_unreadable and unreadable:
            raise UnreadableFile("; ".join(f"{r.file}: {r.file_error}" for r in unreadable))
        report.files.sort(key=_import_rank)
        tables.sort(key=lambda pair: _import_rank(pair[0]))
        run = _Run(session.connection(), ReferenceSets.load(session), options, terms)
        for file_report, table in tables:
            run.import_table(table, file_report)
    if report.total("inserted") or report.total("updated"):
        ranker = options.normaliser if isinstance(options.normaliser, TextRanker) else None
        refresh_queue(session, import_id=import_id, ranker=ranker)
        # the in-memory contexts of the regions touched reload on their next request
        bump_candidates(session, run.touched)
        bump_data_version(session, HISTORY)  # vacancies, proposals, contacts may have changed
    return report


def one_import_at_a_time(session: Session) -> None:
    """On PostgreSQL, wait until no other import run is open; held until this transaction ends.

    Two runs with overlapping ids would otherwise both read "not stored yet" and both insert:
    one fails on the primary key. Serialised, the later run reads what the earlier committed
    (READ COMMITTED), so the result is that of one run after the other. SQLite lets one writer
    in at a time anyway.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK})


def collect_files(paths: Iterable[Path | str], report: ImportReport) -> list[Path]:
    """The files to import: given files, and the .csv/.xlsx files inside given directories."""
    files: list[Path] = []
    for path in map(Path, paths):
        if not path.is_dir():
            files.append(path)
            continue
        for child in sorted(path.iterdir()):
            if child.name.startswith((".", "~$")) or not child.is_file():
                continue  # lock files and hidden files are not data
            if child.suffix.lower() in SUFFIXES:
                files.append(child)
            else:
                report.warnings.append(f"skipped {child.name}: not a .csv, .xlsx or .json file")
    return files


def _import_rank(report: FileReport) -> int:
    return IMPORT_ORDER.index(report.entity) if report.entity else len(IMPORT_ORDER)


def _open(
    path: Path, report: ImportReport, chunk_rows: int
) -> list[tuple[FileReport, Table | None]]:
    """Open one file and check its header; a rejected file gets its reason in the report."""
    if path.is_file() and path.suffix.lower() == ".json":
        return _open_vum(path, report, chunk_rows)
    return [_open_table(path, report, chunk_rows)]


def _open_vum(
    path: Path, report: ImportReport, chunk_rows: int
) -> list[tuple[FileReport, Table | None]]:
    """A VUM JSON file: a table per entity it feeds (``matching.vum.reading``)."""
    from matching.vum.reading import open_vum  # the VUM reader builds on this package

    try:
        tables = open_vum(path, chunk_rows=chunk_rows)
    except UnreadableFile as error:
        file_report = FileReport(file=path.name, file_error=str(error), unreadable=True)
        report.files.append(file_report)
        return [(file_report, None)]
    opened: list[tuple[FileReport, Table | None]] = []
    for entity, table in tables:
        file_report = FileReport(file=path.name, entity=entity, encoding="utf-8")
        report.files.append(file_report)
        opened.append((file_report, table))
    return opened


def _open_table(
    path: Path, report: ImportReport, chunk_rows: int
) -> tuple[FileReport, Table | None]:
    file_report = FileReport(file=path.name)
    report.files.append(file_report)
    if not path.is_file():
        file_report.file_error, file_report.unreadable = "bestand niet gevonden", True
        return file_report, None
    try:
        table = open_table(path, chunk_rows=chunk_rows)
    except UnreadableFile as error:
        file_report.file_error, file_report.unreadable = str(error), True
        return file_report, None
    file_report.encoding, file_report.delimiter = table.encoding, table.delimiter
    for warning in table.warnings:
        file_report.warn(warning)
    file_report.entity = detect_entity(path.name, table.header, sheet=table.sheet)
    if file_report.entity is None:
        file_report.file_error = (
            "niet te zien wat dit bestand bevat: noem het "
            + ", ".join(e.file_name for e in ENTITIES.values())
            + " (of kandidaten.csv, vacatures.xlsx enz.)"
            + " of geef het de id-kolom(men) van een daarvan"
        )
    else:
        file_report.file_error = check_header(
            ENTITIES[file_report.entity], table.header, file_report
        )
    if file_report.file_error is not None:
        table.close()
        return file_report, None
    return file_report, table


class _Run:
    """State shared by the files of one run: connection, reference codes, concepts, rejects."""

    def __init__(
        self, conn: Connection, refs: ReferenceSets, options: ImportOptions, terms: KnownTerms
    ) -> None:
        self.conn = conn
        self.refs = refs
        self.options = options
        self.cache = ConceptCache(options.normaliser, threshold=options.threshold, terms=terms)
        self.rejected = RejectedIds()
        self.given: dict[str, dict[str, FileReport]] = {}  # entity → id → file that gave it
        self.clashes: dict[int, dict[str, list[str]]] = {}  # file → earlier file → ids
        self.touched: set[str] = set()  # the regions whose candidates or vacancies changed

    def import_table(self, table: Table, report: FileReport) -> None:
        """Validate, check and upsert every row of one file."""
        assert report.entity is not None
        smap = STORE_MAPS[report.entity]
        validator = RowValidator(
            smap.entity, table.header, self.refs, report,
            lengths=store_lengths(smap.table), dates=self.options.dates,
        )  # fmt: skip
        for chunk in table.rows:
            valid: list[Numbered] = []
            for number, cells in chunk:
                if (problems := table.problems.pop(number, None)) is not None:
                    report.reject_row(problems)
                    self._remember(report, number, validator.raw_id(cells))
                    continue
                result = validator.validate(number, cells)
                if isinstance(result, list):
                    report.reject_row(result)
                    self._remember(report, number, validator.raw_id(cells))
                else:
                    valid.append((number, result))
            report.rows += len(chunk)
            self._write(valid, report, table)
            self._progress(report.file, table.position(), table.size)
        self._progress(report.file, table.size, table.size)
        if table.verbatim is not None:
            report.kept_records, report.kept_verbatim = table.verbatim()
        self._warn_ids_given_twice(report)
        if report.rows == 0:
            report.warn("geen gegevensrijen onder de kopregel")

    def _write(self, valid: Sequence[Numbered], report: FileReport, table: Table) -> None:
        assert report.entity is not None
        smap = STORE_MAPS[report.entity]
        scope = self.options.scope
        errors = check_references(
            self.conn, smap.entity, valid, report.file, self.rejected, scoped=scope is not None
        )
        if scope is not None:  # all rows: another organisation's id reads as a missing one
            outside = check_scope(
                self.conn, report.entity, valid, report.file, scope, self.rejected
            )
            order = smap.entity.column_names  # in column order, as if all came from one check
            for number, found in outside.items():
                merged = [*errors.get(number, []), *found]
                errors[number] = sorted(merged, key=lambda error: order.index(error.column))
        if report.entity == "placements":
            fine = [(number, record) for number, record in valid if number not in errors]
            errors.update(check_placements(self.conn, fine, report.file))
        elif report.entity == "enrolments":
            fine = [(number, record) for number, record in valid if number not in errors]
            errors.update(check_enrolments(self.conn, fine, report.file))
        elif report.entity == "instruments":
            fine = [(number, record) for number, record in valid if number not in errors]
            errors.update(check_instruments(self.conn, fine, report.file))
        records = []
        for number, record in valid:
            if number in errors:
                report.reject_row(errors[number])
                self._remember(report, number, record[smap.entity.id_columns[0]])
            else:
                records.append(record)
        self._note_ids(report, records)
        if records:
            self.touched |= touched_regions(self.conn, records)
            outcome = upsert(self.conn, smap, records, self.cache, keep=table.keep)
            if table.after_write is not None:
                table.after_write(self.conn, records)
            report.inserted += outcome.inserted
            report.updated += outcome.updated
            report.unchanged += outcome.unchanged

    def _note_ids(self, report: FileReport, records: Sequence[Record]) -> None:
        """Remember which file gave each accepted id; an id another file gave is a clash."""
        assert report.entity is not None
        id_columns = ENTITIES[report.entity].id_columns
        given = self.given.setdefault(report.entity, {})
        for record in records:
            key = "/".join(record[name] for name in id_columns)
            earlier = given.setdefault(key, report)
            if earlier is not report:
                self.clashes.setdefault(id(report), {}).setdefault(earlier.file, []).append(key)
                given[key] = report

    def _warn_ids_given_twice(self, report: FileReport) -> None:
        """One warning per earlier file that gave some of this file's ids too."""
        for other, ids in self.clashes.pop(id(report), {}).items():
            shown = ", ".join(ids[:5]) + (", …" if len(ids) > 5 else "")
            report.warn(
                f"{len(ids)} id('s) stonden in deze import ook in {other}: {shown}; "
                f"de rijen uit {report.file} gelden (later ingelezen)"
            )

    def _remember(self, report: FileReport, number: int, row_id: str) -> None:
        if report.entity is not None and row_id:
            self.rejected.add(report.entity, row_id, f"{report.file} rij {number}")

    def _progress(self, name: str, done: int, total: int) -> None:
        if self.options.progress is not None:
            self.options.progress(name, done, total)
