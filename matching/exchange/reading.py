"""Reading exchange-format files: encoding, delimiter, entity and rows streamed in chunks.

A CSV file is scanned once in blocks to settle its encoding (UTF-8 with or without BOM; else
Windows-1252, which Excel on Windows writes, accepted with a warning; else rejected), then read
record by record with the ``csv`` module, so a 100 MB file is never held in memory. An .xlsx
file is read with openpyxl in read-only mode, one sheet: the one named after the entity
(``candidates``), else the first; the report says which when there are more.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import charset_normalizer
from sqlalchemy import Connection

from matching.columns import ENTITIES
from matching.dutch import FILE_KINDS
from matching.errors import InvalidInput
from matching.exchange.report import RowError

BLOCK_BYTES = 1 << 18  # 256 KiB: scanning memory stays small whatever the file size
DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
# An .xlsx is a zip of XML. Real exports deflate 5–30 to one; a zip bomb 1000 to one, and openpyxl
# would parse all of it (shared strings in memory, every row to size a sheet) before a single row
# is checked. The sizes in the zip's directory are the most Python's zipfile will ever inflate.
MAX_XLSX_UNPACKED = 1 << 30  # bytes of XML in all members together
MAX_XLSX_RATIO = 200  # unpacked / packed, for members over RATIO_FROM_BYTES
RATIO_FROM_BYTES = 16 << 20

Row = tuple[int, list[str]]  # (spreadsheet row number, cells)


class UnreadableFile(InvalidInput):
    """A file that cannot be read as CSV or .xlsx at all."""


@dataclass
class Table:
    """An opened file: its header, how it was read, and its rows as a stream of chunks."""

    name: str
    header: list[str]
    encoding: str | None
    delimiter: str | None
    size: int  # progress total: bytes (CSV) or rows (xlsx)
    rows: Iterator[list[Row]]
    position: Callable[[], int]  # how far the stream has read, in the unit of ``size``
    close: Callable[[], None]
    warnings: list[str] = field(default_factory=list)
    sheet: str | None = None  # the sheet read from an .xlsx file
    # Sources other than CSV/xlsx (VUM JSON, ``matching.vum.reading``): rows found invalid
    # before they became cells, columns a row does not carry (stored values kept on update),
    # what to store beside the accepted records, and what was kept verbatim (records, paths).
    problems: dict[int, list[RowError]] = field(default_factory=dict)
    keep: frozenset[str] = frozenset()
    after_write: Callable[[Connection, Sequence[dict[str, Any]]], None] | None = None
    verbatim: Callable[[], tuple[int, dict[str, int]]] | None = None

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def normalise_header(cell: str) -> str:
    """A header cell as a column name: trimmed, lower case, spaces and hyphens as ``_``."""
    return re.sub(r"[\s\-]+", "_", cell.replace("\ufeff", "").strip().lower())


def detect_encoding(path: Path) -> tuple[str, str | None]:
    """The codec to read ``path`` with and a warning, or UnreadableFile saying why not."""
    with path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16"
    else:
        codec = "utf-8"
    if codec != "utf-16":
        _refuse_nul(path)
    failed_at = _first_decode_error(path, codec)
    if failed_at is None:
        return codec, None
    if codec != "utf-8":
        raise UnreadableFile(
            f"geen geldige {codec}-tekst (byte {failed_at}); sla het bestand op als CSV UTF-8"
        )
    return _fallback_cp1252(path, failed_at), _CP1252_WARNING


_CP1252_WARNING = (
    "bestand is geen UTF-8: gelezen als Windows-1252 (cp1252), de codering van Excel op Windows; "
    "sla op als 'CSV UTF-8' om zeker te zijn dat elk teken goed overkomt"
)


def _refuse_nul(path: Path) -> None:
    """UnreadableFile for NUL bytes: no text export holds them, and PostgreSQL refuses them."""
    offset = 0
    with path.open("rb") as handle:
        while block := handle.read(BLOCK_BYTES):
            if (at := block.find(b"\x00")) != -1:
                raise UnreadableFile(
                    f"geen tekstbestand (binaire inhoud: een NUL-byte op positie {offset + at}); "
                    "verwacht CSV UTF-8 of .xlsx"
                )
            offset += len(block)


def _first_decode_error(path: Path, codec: str) -> int | None:
    """Byte offset of the first decoding error of the whole file, or None; reads in blocks."""
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    offset = 0
    with path.open("rb") as handle:
        while block := handle.read(BLOCK_BYTES):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as error:
                return offset + error.start
            offset += len(block)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return offset
    return None


def _fallback_cp1252(path: Path, failed_at: int) -> str:
    """Accept a non-UTF-8 file as cp1252 when it is text and decodes as such, else reject."""
    with path.open("rb") as handle:
        sample = handle.read(BLOCK_BYTES // 4)
        handle.seek(max(failed_at - 4096, 0))
        sample += handle.read(8192)
    if b"\x00" in sample or charset_normalizer.from_bytes(sample).best() is None:
        raise UnreadableFile("geen tekstbestand (binaire inhoud); verwacht CSV of .xlsx")
    failed = _first_decode_error(path, "cp1252")
    if failed is not None:
        raise UnreadableFile(
            f"geen UTF-8- of Windows-1252-tekst (onleesbare byte op positie {failed_at}); "
            "sla het bestand op als CSV UTF-8"
        )
    return "cp1252"


def sniff_delimiter(line: str) -> str:
    """The delimiter of a header line: the most frequent of comma, semicolon and tab."""
    unquoted = re.sub(r'"[^"]*"', "", line)
    counts = {delimiter: unquoted.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] > 0 else ","


DUTCH_NAMES = {word.replace("'", ""): entity for entity, word in FILE_KINDS.items()} | {
    "inschrijvingen": "enrolments",
    "kandidaten": "candidates",
}
"""Dutch file and sheet names beside the English ones (``werkzoekenden.xlsx``,
``kandidaten.xlsx``, ``Programma's``)."""


def entity_of_name(name: str) -> str | None:
    """The entity a file or sheet name stands for (``candidates_mei.xlsx``,
    ``kandidaten mei.csv``), or None."""
    stem = Path(name).stem.lower() if "." in name else name.strip().lower()
    stem = stem.replace("'", "").replace("\u2019", "")  # programma's, programma’s
    for word, entity in [(e, e) for e in ENTITIES] + list(DUTCH_NAMES.items()):
        if re.fullmatch(rf"{re.escape(word)}([ _.\-].*)?", stem):
            return entity
    return None


def detect_entity(name: str, header: list[str], *, sheet: str | None = None) -> str | None:
    """The entity a file holds: by file name (``candidates.csv``, ``kandidaten_mei.xlsx``), else
    by the name of the .xlsx sheet read, else by header (all id columns present, most known
    columns)."""
    for given in (name, sheet):
        if given is not None and (named := entity_of_name(given)) is not None:
            return named
    columns = set(header)
    scored = [
        (len(columns & set(entity.column_names)), entity.name)
        for entity in ENTITIES.values()
        if set(entity.id_columns) <= columns
    ]
    scored.sort(reverse=True)
    if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
        return None
    return scored[0][1]


def open_table(path: Path, *, name: str | None = None, chunk_rows: int = 5000) -> Table:
    """Open a CSV or .xlsx file for streaming; UnreadableFile when it cannot be read."""
    name = name or path.name
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic.startswith(OLE_MAGIC) or path.suffix.lower() == ".xls":
        raise UnreadableFile("oud Excel-formaat (.xls); sla het op als .xlsx of CSV UTF-8")
    if magic.startswith(ZIP_MAGIC) or path.suffix.lower() in {".xlsx", ".xlsm"}:
        return _open_xlsx(path, name, chunk_rows)
    return _open_csv(path, name, chunk_rows)


def _open_csv(path: Path, name: str, chunk_rows: int) -> Table:
    if path.stat().st_size == 0:
        raise UnreadableFile("leeg bestand: geen kopregel")
    encoding, warning = detect_encoding(path)
    raw = path.open("rb")
    text = io.TextIOWrapper(raw, encoding=encoding, newline="")
    first = text.readline()
    hint = re.fullmatch(r"sep=(.)\r?\n?", first.lstrip("\ufeff"))  # Excel's "sep=;" line
    if hint is not None:
        first = text.readline()
    if not first.strip():
        raw.close()
        raise UnreadableFile("leeg bestand: de eerste regel moet de kopregel zijn")
    delimiter = hint.group(1) if hint is not None else sniff_delimiter(first)
    header = [normalise_header(cell) for cell in next(csv.reader([first], delimiter=delimiter))]
    # strict: an unbalanced quote is an error, not a field swallowing the rest of the file
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    return Table(
        name=name,
        header=_trim_header(header),
        encoding=encoding,
        delimiter=delimiter,
        size=path.stat().st_size,
        rows=_chunked(reader, chunk_rows, name),
        position=raw.tell,
        close=raw.close,
        warnings=[warning] if warning else [],
    )


def _chunked(rows: Iterator[list[str]], chunk_rows: int, name: str) -> Iterator[list[Row]]:
    """Rows in lists of ``chunk_rows``; blank lines count as rows but are not yielded."""
    chunk: list[Row] = []
    number = 1
    try:
        for number, cells in enumerate(rows, start=2):
            if any(cell.strip() for cell in cells):
                chunk.append((number, cells))
                if len(chunk) >= chunk_rows:
                    yield chunk
                    chunk = []
        if chunk:
            yield chunk
    except csv.Error as error:
        raise UnreadableFile(f"{name}: kapotte CSV na rij {number}: {error}") from error


def _trim_header(header: list[str]) -> list[str]:
    """Drop empty header cells at the end (spreadsheets pad rows)."""
    while header and not header[-1]:
        header.pop()
    return header


def check_xlsx_size(path: Path) -> None:
    """UnreadableFile for a damaged zip or one that would inflate too far, before inflating it."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UnreadableFile(f"geen leesbaar .xlsx-bestand: {error}") from error
    if sum(member.file_size for member in members) > MAX_XLSX_UNPACKED:
        raise UnreadableFile(
            f"geweigerd: de .xlsx zou uitpakken tot meer dan {MAX_XLSX_UNPACKED >> 20} MB; "
            "splits het bestand of sla het op als CSV UTF-8"
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FROM_BYTES and ratio > MAX_XLSX_RATIO:
            raise UnreadableFile(
                f"geweigerd: {member.filename} in de .xlsx is {ratio:.0f} op één gecomprimeerd "
                "(een zipbom?); sla het opnieuw op vanuit Excel of als CSV UTF-8"
            )


def _open_xlsx(path: Path, name: str, chunk_rows: int) -> Table:
    from openpyxl import load_workbook

    check_xlsx_size(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        title, warning = choose_sheet(workbook.sheetnames, entity_of_name(name))
        sheet = workbook[title]
        values = sheet.iter_rows(values_only=True)
        first = next(values, None)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise UnreadableFile(f"geen leesbaar .xlsx-bestand: {error}") from error
    if first is None or not any(cell is not None for cell in first):
        workbook.close()
        raise UnreadableFile(
            f"leeg bestand: de eerste rij van blad '{sheet.title}' moet de kopregel zijn"
        )
    header = _trim_header([normalise_header(excel_cell(cell)) for cell in first])
    counter = _RowCounter(name)
    cells = counter.count([excel_cell(cell) for cell in row] for row in values)
    return Table(
        name=name,
        header=header,
        encoding=None,
        delimiter=None,
        size=int(sheet.max_row or 0),
        rows=_chunked(cells, chunk_rows, name),
        position=lambda: counter.seen,
        close=workbook.close,
        warnings=[warning] if warning else [],
        sheet=title,
    )


def choose_sheet(names: list[str], entity: str | None) -> tuple[str, str | None]:
    """The sheet to read: the one named after ``entity`` (or, for a file whose name tells no
    entity, after any entity), else the first; and a warning saying which, when there are more.

    >>> choose_sheet(["Toelichting", "Candidates"], "candidates")[0]
    'Candidates'
    >>> choose_sheet(["Blad1"], None), choose_sheet(["Blad1", "Blad2"], None)[0]
    (('Blad1', None), 'Blad1')
    """
    kinds = {n: entity_of_name(n) for n in names}
    named = [n for n in names if kinds[n] is not None and entity in (None, kinds[n])]
    chosen = named[0] if named else names[0]
    if len(names) == 1:
        return chosen, None
    why = (
        "naar het soort gegevens genoemd"
        if named
        else "het eerste; geen blad heet naar het soort gegevens"
    )
    others = ", ".join(f"'{n}'" for n in names if n != chosen)
    return (
        chosen,
        f"werkmap met {len(names)} bladen: blad '{chosen}' gelezen ({why}); niet gelezen: {others}",
    )


class _RowCounter:
    """Counts rows passing through, for the progress of an .xlsx file."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.seen = 1

    def count(self, rows: Iterator[list[str]]) -> Iterator[list[str]]:
        try:
            for row in rows:
                self.seen += 1
                yield row
        except Exception as error:  # a member damaged further on: bad CRC, broken XML, …
            message = f"{self.name}: beschadigde .xlsx na rij {self.seen}: {error}"
            raise UnreadableFile(message) from error


def excel_cell(value: object) -> str:
    """An .xlsx cell value as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
