"""Reading a VUM JSON file (one array of ``Werkzoekende`` or ``Vacature`` objects) as tables.

Each record is checked against the VUM schema (``matching.vum.model``) and mapped to the cells
of an exchange-format row (``matching.vum.mapping``); the import pipeline does the rest as for
a CSV file. A record that violates the schema, or that werkmatch cannot place, becomes a
rejected row naming the record, the JSON path and the reason in Dutch. The file is streamed
record by record (``json.JSONDecoder.raw_decode`` over blocks), so 100k profiles are never held
in memory at once. A vacancy file gives two tables: its employers first, then its vacancies.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import Connection

from matching.bsn import BSN_REASON, contains_bsn
from matching.columns import ENTITIES
from matching.exchange.reading import Row, Table, UnreadableFile
from matching.exchange.report import RowError
from matching.exchange.validation import Record
from matching.vum import mapping
from matching.vum import model as vm
from matching.vum.documents import write_documents

BLOCK = 1 << 20
KINDS: dict[str, type[BaseModel]] = {"werkzoekende": vm.Werkzoekende, "vacature": vm.Vacature}
ID_FIELD = {"werkzoekende": "idWerkzoekende", "vacature": "idVacature"}
# Leaf paths (array indices left out) that have a place in the exchange format.
MAPPED = {
    "werkzoekende": frozenset(
        {
            "idWerkzoekende", "indicatieLdrRegistratie", "mobiliteit.bemiddelingspostcode",
            "mobiliteit.maximaleReisafstand", "werktijden.aantalWerkurenPerWeekMaximaal",
            "werktijden.aantalWerkurenPerWeekMinimaal", "sector.codeSbi",
            "flexibiliteit.datumAanvangBeschikbaarVoorWerk",
            "arbeidsmarktkwalificatie.rijbewijs.codeSoortRijbewijs",
            "arbeidsmarktkwalificatie.taalbeheersing.codeTaal",
            "arbeidsmarktkwalificatie.opleiding.codeNiveauOpleiding",
            "arbeidsmarktkwalificatie.codeWerkEnDenkniveauWerkzoekende",
            "arbeidsmarktkwalificatie.cursus.naamCursus",
            "arbeidsmarktkwalificatie.interesse.naamInteresse",
            "arbeidsmarktkwalificatie.werkervaring.toelichtingWerkervaring",
        }
    ),
    "vacature": frozenset(
        {
            "idVacature", "naamVacature", "adres.postcode",
            "werktijden.aantalWerkurenPerWeekMaximaal",
            "werktijden.aantalWerkurenPerWeekMinimaal", "cursus.naamCursus",
            "opleiding.codeNiveauOpleiding", "codeWerkEnDenkniveauMinimaal",
            "taalbeheersing.codeTaal", "rijbewijs.codeSoortRijbewijs", "sluitingsdatumVacature",
            "werkgever.handelsnaamOrganisatie", "werkgever.sector.codeSbi", "sector.codeSbi",
        }
    ),
}  # fmt: skip


def open_vum(path: Path, *, chunk_rows: int = 5000) -> list[tuple[str, Table]]:
    """The tables of a VUM file as (entity, table): candidates, or employers and vacancies."""
    kind = _kind(path)
    today = dt.date.today()
    if kind == "werkzoekende":
        return [("candidates", _table(path, kind, "candidates", chunk_rows, today))]
    return [
        ("employers", _table(path, kind, "employers", chunk_rows, today)),
        ("vacancies", _table(path, kind, "vacancies", chunk_rows, today)),
    ]


def _kind(path: Path) -> str:
    """werkzoekende or vacature, from the first record; UnreadableFile when neither."""
    first = next(records(path), None)
    if first is None:
        raise UnreadableFile(f"{path.name}: lege lijst: geen VUM-records")
    document = first[1]
    if isinstance(document, dict) and "idVacature" in document:
        return "vacature"
    if isinstance(document, dict):
        return "werkzoekende"
    raise UnreadableFile(f"{path.name}: record 1 is geen JSON-object")


def records(path: Path) -> Iterator[tuple[int, Any]]:
    """(index, value) of each element of the file's top-level JSON array, streamed."""
    decoder = json.JSONDecoder()
    with path.open(encoding="utf-8") as handle:
        buffer, index, started = handle.read(BLOCK).lstrip("\ufeff"), 0, False
        pos = 0
        while True:
            pos = _skip(buffer, pos)
            if pos >= len(buffer):
                more = handle.read(BLOCK)
                if not more:
                    raise UnreadableFile(f"{path.name}: het bestand houdt midden in de lijst op")
                buffer, pos = buffer[pos:] + more, 0
                continue
            char = buffer[pos]
            if not started:
                if char != "[":
                    raise UnreadableFile(
                        f"{path.name}: geen VUM-bestand: verwacht één JSON-lijst ([…]) van "
                        "Werkzoekende- of Vacature-objecten"
                    )
                started, pos = True, pos + 1
                continue
            if char == "]":
                return
            if char == "," and index > 0:
                pos += 1
                continue
            value, pos, buffer = _decode(decoder, buffer, pos, handle, path, index)
            yield index, value
            index += 1


def _skip(buffer: str, pos: int) -> int:
    while pos < len(buffer) and buffer[pos] in " \t\r\n":
        pos += 1
    return pos


def _decode(
    decoder: json.JSONDecoder, buffer: str, pos: int, handle: Any, path: Path, index: int
) -> tuple[Any, int, str]:
    """Decode one element at ``pos``, reading more of the file while it is incomplete."""
    while True:
        try:
            value, end = decoder.raw_decode(buffer, pos)
        except json.JSONDecodeError as error:
            more = handle.read(BLOCK)
            if not more:
                raise UnreadableFile(
                    f"{path.name}: record {index + 1} is geen geldige JSON ({error.msg})"
                ) from error
            buffer, pos = buffer[pos:] + more, 0
            continue
        if end == len(buffer):  # a number may go on in the next block
            more = handle.read(BLOCK)
            if more:
                buffer, pos = buffer[pos:] + more, 0
                continue
        if len(buffer) > 4 * BLOCK and end > BLOCK:
            return value, 0, buffer[end:]
        return value, end, buffer


class _Source:
    """One table's view of a VUM file: rows of cells, rejected records, documents kept."""

    def __init__(self, path: Path, kind: str, entity: str, today: dt.date) -> None:
        self.path, self.kind, self.entity, self.today = path, kind, entity, today
        self.header = list(ENTITIES[entity].column_names)
        self.problems: dict[int, list[RowError]] = {}
        self.documents: dict[str, str] = {}
        self.kept: Counter[str] = Counter()
        self.kept_records = 0
        self.seen = 0
        self.employers: set[str] = set()

    def rows(self, chunk_rows: int) -> Iterator[list[Row]]:
        chunk: list[Row] = []
        for index, document in records(self.path):
            self.seen = index + 1
            row = self._row(index, document)
            if row is not None:
                chunk.append(row)
            if len(chunk) >= chunk_rows:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def _row(self, index: int, document: Any) -> Row | None:
        number = index + 1
        id_field = ID_FIELD[self.kind]
        raw_id = document.get(id_field) if isinstance(document, dict) else None
        problems = self._check(index, document)
        if problems:
            if self.entity == "employers":
                return None  # reported once, with the vacancy
            self.problems[number] = problems
            return number, self._cells({self.header[0]: raw_id if isinstance(raw_id, str) else ""})
        try:
            cells = self._map(document)
        except mapping.MappingError as error:
            if self.entity == "employers":
                return None
            self.problems[number] = [self._error(index, error.path, error.reason)]
            return number, self._cells({self.header[0]: str(raw_id or "")})
        if self.entity == "employers":
            if cells["employer_id"] in self.employers:
                return None
            self.employers.add(cells["employer_id"])
        else:
            self._keep(document)
        return number, self._cells(cells)

    def _check(self, index: int, document: Any) -> list[RowError]:
        model = KINDS[self.kind]
        if not isinstance(document, dict):
            return [self._error(index, "", "een record is een JSON-object")]
        try:
            model.model_validate(document)
        except ValidationError as error:
            return [
                self._error(index, _json_path(e["loc"]), dutch_reason(e)) for e in error.errors()
            ]
        return [
            self._error(index, where, f"de tekst {BSN_REASON}") for where in _bsn_paths(document)
        ]

    def _map(self, document: dict[str, Any]) -> dict[str, str]:
        if self.kind == "werkzoekende":
            return mapping.candidate_cells(vm.Werkzoekende.model_validate(document))
        vacancy = vm.Vacature.model_validate(document)
        if self.entity == "employers":
            return mapping.employer_cells(vacancy)
        return mapping.vacancy_cells(vacancy, today=self.today)

    def _keep(self, document: dict[str, Any]) -> None:
        """Remember the verbatim record, and count what has no place in ours."""
        record_id = str(document[ID_FIELD[self.kind]])
        self.documents[record_id] = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        unmapped = {p for p in _leaf_paths(document) if p not in MAPPED[self.kind]}
        self.kept.update(unmapped)
        self.kept_records += bool(unmapped)

    def _cells(self, values: dict[str, str]) -> list[str]:
        return [values.get(name, "") for name in self.header]

    def _error(self, index: int, where: str, reason: str) -> RowError:
        path = f"$[{index}]" + (f".{where}" if where and not where.startswith("[") else where)
        return RowError(self.path.name, index + 1, path, reason)

    def written(self, conn: Connection, records: Sequence[Record]) -> None:
        """Store the verbatim documents of the records that landed."""
        if self.entity == "employers":
            return
        id_column = ENTITIES[self.entity].id_columns[0]
        landed = {str(r[id_column]): self.documents.pop(str(r[id_column]), None) for r in records}
        write_documents(conn, self.entity, {k: v for k, v in landed.items() if v is not None})
        self.documents.clear()


def _table(path: Path, kind: str, entity: str, chunk_rows: int, today: dt.date) -> Table:
    source = _Source(path, kind, entity, today)
    return Table(
        name=path.name,
        header=source.header,
        encoding="utf-8",
        delimiter=None,
        size=0,
        rows=source.rows(chunk_rows),
        position=lambda: source.seen,
        close=lambda: None,
        problems=source.problems,
        keep=_KEEP[entity],
        after_write=source.written,
        verbatim=lambda: (source.kept_records, dict(source.kept)),
    )


_KEEP = {
    "candidates": mapping.KEEP_CANDIDATE,
    "vacancies": mapping.KEEP_VACANCY,
    "employers": mapping.KEEP_EMPLOYER,
}


def _json_path(loc: tuple[int | str, ...]) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")


def _leaf_paths(value: Any, prefix: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaf_paths(item, f"{prefix}.{key}" if prefix else key)
    elif isinstance(value, list):
        for item in value:
            yield from _leaf_paths(item, prefix)
    elif value not in (None, ""):
        yield prefix


FREE_TEXT = ("toelichting", "omschrijving", "persoonlijkePresentatie", "naam", "handelsnaam",
             "salarisIndicatie", "straatnaam")  # fmt: skip
NOT_FREE_TEXT = frozenset({"naamContactpersoonAfdeling"})  # contact details, like phone numbers


def _bsn_paths(value: Any, prefix: str = "", key: str = "") -> Iterator[str]:
    """JSON paths of the free texts that hold a BSN-like number (never repeating it).

    Ids go through the id check of the import pipeline; codes (``codeOpleidingsnaam`` is up
    to 10 digits) and contact details are no free text: one 9-digit number in 11 passes the
    elfproef by chance.
    """
    if isinstance(value, dict):
        for name, item in value.items():
            yield from _bsn_paths(item, f"{prefix}.{name}" if prefix else name, name)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _bsn_paths(item, f"{prefix}[{i}]", key)
    elif (
        isinstance(value, str)
        and key.startswith(FREE_TEXT)
        and key not in NOT_FREE_TEXT
        and contains_bsn(value)
    ):
        yield prefix


_REASONS: dict[str, Callable[[dict[str, Any]], str]] = {
    "extra_forbidden": lambda _c: "veld bestaat niet in het VUM-schema",
    "missing": lambda _c: "verplicht veld ontbreekt",
    "string_too_long": lambda c: f"tekst te lang: ten hoogste {c.get('max_length')} tekens",
    "string_pattern_mismatch": lambda c: f"heeft niet de vorm die VUM vraagt ({c.get('pattern')})",
    "literal_error": lambda c: f"geen code uit de waardelijst (toegestaan: {c.get('expected')})",
    "greater_than_equal": lambda c: f"te klein: ten minste {c.get('ge')}",
    "less_than_equal": lambda c: f"te groot: ten hoogste {c.get('le')}",
    "int_type": lambda _c: "verwacht een geheel getal",
    "string_type": lambda _c: "verwacht tekst",
    "list_type": lambda _c: "verwacht een lijst",
    "model_type": lambda _c: "verwacht een object",
    "dict_type": lambda _c: "verwacht een object",
    "bool_type": lambda _c: "verwacht true of false",
    "bool_parsing": lambda _c: "verwacht true of false",
    "json_invalid": lambda _c: "geen geldige JSON",
}


def dutch_reason(error: Any) -> str:
    """A pydantic error as a Dutch reason; never the submitted value."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in _REASONS:
        return _REASONS[kind](ctx)
    if kind == "value_error":
        return str(ctx.get("error", "ongeldige waarde"))
    return f"voldoet niet aan het VUM-schema ({kind})"
