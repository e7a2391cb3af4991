"""Validation: a file's header against its entity, and each row to a typed record or errors.

Codes are checked against the reference tables (municipalities, PC4 areas, SBI, ESCO URIs),
loaded once per import run into sets. Whether referenced ids (a vacancy's employer) exist is
checked later, per chunk, against the store (``matching.exchange.references``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from matching.bsn import BSN_REASON, contains_bsn
from matching.columns import (
    BOOLEAN,
    DATE_ORDER,
    LIST_KINDS,
    ONE_OF,
    SECTOR_NAMES,
    Column,
    Entity,
    Kind,
    Vocabulary,
)
from matching.exchange import values as v
from matching.exchange.codes import is_code, reading_text
from matching.exchange.programme_rows import programme_row_problems
from matching.exchange.report import FileReport, RowError
from matching.formulas import restore
from matching.plausibility import DateWindow
from matching.store.access import Organisation
from matching.store.reference import (
    IscoGroup,
    Municipality,
    Occupation,
    Pc4Area,
    SbiDivision,
    SbiSection,
)
from matching.store.reference import Skill as SkillConcept

Record = dict[str, Any]
Key = tuple[str, ...]
MEMO_SIZE = 20_000  # distinct written forms remembered per column


@dataclass(frozen=True)
class ReferenceSets:
    """The codes a row may use, from the reference tables."""

    municipalities: frozenset[str]
    pc4: frozenset[str]
    sbi_sections: frozenset[str]
    sbi_divisions: Mapping[str, str]  # division code → section letter
    skills: frozenset[str]
    occupations: frozenset[str]
    organisations: frozenset[str] = frozenset()

    @classmethod
    def load(cls, session: Session) -> ReferenceSets:
        """Read every code set in one query each."""

        def codes(column: Any) -> frozenset[str]:
            return frozenset(session.scalars(select(column)))

        divisions = session.execute(select(SbiDivision.code, SbiDivision.section))
        return cls(
            municipalities=codes(Municipality.code),
            pc4=codes(Pc4Area.pc4),
            sbi_sections=codes(SbiSection.code),
            sbi_divisions={code: section for code, section in divisions},
            skills=codes(SkillConcept.uri),
            occupations=codes(Occupation.uri) | codes(IscoGroup.uri),
            organisations=codes(Organisation.organisation_id),
        )

    def sbi_section(self, code: str) -> str:
        """The section of an SBI code (a letter or 2–5 digits), or CellError when unknown."""
        if code.isalpha():
            if code not in self.sbi_sections:
                raise v.CellError(f"'{code}' is geen SBI-sectie (A–U)")
            return code
        section = self.sbi_divisions.get(code[:2])
        if section is None:
            raise v.CellError(f"'{code}' is geen SBI-code: afdeling {code[:2]} bestaat niet")
        return section


def check_header(entity: Entity, header: list[str], report: FileReport) -> str | None:
    """Why the whole file must be rejected, or None; unknown columns become warnings."""
    if not header:
        return "leeg bestand: geen kopregel"
    doubled = sorted({name for name in header if header.count(name) > 1 and name})
    if doubled:
        return f"kolom(men) staan meer dan eens in de kopregel: {', '.join(doubled)}"
    missing = [name for name in entity.required_columns if name not in header]
    unknown = [_shown_header(name) for name in header if name not in entity.by_name]
    if missing:
        # a file with its own (e.g. Dutch) column names: say which of them were not read
        unread = f"; niet herkend: {', '.join(unknown)}" if unknown else ""
        return (
            f"verplichte kolom(men) ontbreken: {', '.join(missing)} "
            f"({entity.file_name} vraagt {', '.join(entity.required_columns)}){unread}"
        )
    if unknown:
        report.warn(f"onbekende kolom(men) genegeerd: {', '.join(unknown)}")
    return None


class RowValidator:
    """Turns the rows of one file into typed records, remembering ids to catch duplicates."""

    def __init__(
        self,
        entity: Entity,
        header: list[str],
        refs: ReferenceSets,
        report: FileReport,
        *,
        lengths: Mapping[str, int],
        dates: DateWindow | None = None,
    ) -> None:
        self.entity = entity
        self.dates = dates or DateWindow()
        self.lengths = lengths
        self.refs = refs
        self.report = report
        self.width = len(header)
        self.present = [(entity.by_name[n], i) for i, n in enumerate(header) if n in entity.by_name]
        self.absent = [c for c in entity.columns if c.name not in header]
        self.first_row: dict[str, int] = {}  # id → row where first given
        # Codes, enums, numbers and dates repeat across rows: parse each written form once.
        self._memo: dict[str, dict[str, Any]] = {
            c.name: {} for c in entity.columns if c.kind not in {Kind.ID, Kind.TEXT}
        }
        self._parsers: dict[Kind, Callable[[Column, str], Any]] = {
            Kind.ID: self._id,
            Kind.TEXT: lambda _c, raw: v.check_free_text(v.check_visible(raw)),
            Kind.INT: lambda c, raw: v.parse_int(raw, minimum=c.minimum, maximum=c.maximum),
            Kind.DATE: lambda _c, raw: v.plausible(v.parse_date(raw), self.dates),
            Kind.BOOL: lambda _c, raw: v.parse_bool(raw, BOOLEAN),
            Kind.ENUM: lambda c, raw: v.parse_enum(raw, _vocabulary(c)),
            Kind.MUNICIPALITY: self._municipality,
            Kind.PC4: self._pc4,
            Kind.SBI: self._sbi,
            Kind.OCCUPATION_URI: lambda _c, raw: self._uri(raw, self.refs.occupations, "occ"),
            Kind.LANGUAGES: lambda _c, raw: tuple(map(v.parse_language, v.split_list(raw))),
            Kind.SKILLS: lambda _c, raw: self._items(raw, self.refs.skills, "skill"),
            Kind.OCCUPATIONS: lambda _c, raw: self._items(raw, self.refs.occupations, "occ"),
            Kind.SECTORS: self._sectors,
            Kind.ORGANISATION: self._organisation,
            Kind.MUNICIPALITIES: lambda c, raw: self._each(c, raw, self._municipality),
            Kind.PC4S: lambda c, raw: self._each(c, raw, self._pc4),
            Kind.INTS: lambda c, raw: self._each(c, raw, self._int_text),
            Kind.ENUMS: lambda c, raw: self._each(c, raw, self._parsers[Kind.ENUM]),
            Kind.PAIRS: lambda c, raw: v.parse_pairs(raw, minimum=c.minimum or 0),
            Kind.DATED: lambda _c, raw: v.parse_dated(raw),
            Kind.MOMENTS: lambda _c, raw: v.parse_moments(raw),
        }

    def validate(self, number: int, cells: list[str]) -> Record | list[RowError]:
        """The typed record of one row, or every reason it is rejected."""
        errors: list[RowError] = []
        if len(cells) > self.width and any(cell.strip() for cell in cells[self.width :]):
            errors.append(
                self._error(number, None, f"{len(cells)} cellen, de kopregel heeft er {self.width}")
            )
        record: Record = {column.name: _empty(column) for column in self.absent}
        for column, index in self.present:
            raw = restore(cells[index].strip()) if index < len(cells) else ""
            try:
                record[column.name] = self._cell(column, raw)
            except v.CellError as error:
                errors.append(self._cell_error(number, column.name, raw, error))
        errors.extend(self._row_checks(number, record))
        if not errors:
            errors.extend(self._duplicate(number, record))
        return errors or self._derive(record)

    def raw_id(self, cells: list[str]) -> str:
        """The first id cell of a row as written (for rows that failed validation)."""
        first = self.entity.id_columns[0]
        for column, index in self.present:
            if column.name == first and index < len(cells):
                return restore(cells[index].strip())
        return ""

    def _cell(self, column: Column, raw: str) -> Any:
        if not raw:
            if column.required:
                raise v.CellError("verplichte waarde ontbreekt")
            return _empty(column)
        memo = self._memo.get(column.name)
        if memo is not None and raw in memo:
            return memo[raw]
        value = self._parsers[column.kind](column, raw)
        limit = self.lengths.get(column.name)
        if limit is not None and len(text := _stored_text(value)) > limit:
            raise v.CellError(f"{len(text)} tekens, er passen er ten hoogste {limit}")
        if memo is not None and len(memo) < MEMO_SIZE:
            memo[raw] = value
        return value

    def _cell_error(self, number: int, column: str, raw: str, error: v.CellError) -> RowError:
        """The error of one cell; a cell holding a BSN is neither shown nor repeated."""
        if isinstance(error, v.SensitiveCell):
            return self._error(number, column, str(error))
        if contains_bsn(raw):
            return self._error(number, column, f"de cel {BSN_REASON}")
        return self._error(number, column, str(error), raw)

    def _error(self, number: int, column: str | None, reason: str, raw: str = "") -> RowError:
        return RowError(self.report.file, number, column, reason, raw or None)

    def _row_checks(self, number: int, record: Record) -> list[RowError]:
        errors = []
        for entity, earlier, later in DATE_ORDER:
            first, last = record.get(earlier), record.get(later)
            if entity == self.entity.name and first and last and last < first:
                reason = f"{later} {last} ligt vóór {earlier} {first}"
                errors.append(self._error(number, later, reason, str(last)))
        groups = ONE_OF.get(self.entity.name, ())
        if groups and not any(all(record.get(name) for name in group) for group in groups):
            named = " of ".join(" en ".join(group) for group in groups)
            errors.append(self._error(number, groups[0][0], f"vul {named} in"))
        if self.entity.name == "programmes" and not errors:
            errors.extend(
                self._error(number, column, reason)
                for column, reason in programme_row_problems(record, self.refs.municipalities)
            )
        return errors

    def _duplicate(self, number: int, record: Record) -> list[RowError]:
        parts = [record[name] for name in self.entity.id_columns]
        first = self.first_row.setdefault("\x1f".join(parts), number)  # a separator ids lack
        if first == number:
            return []
        shown = "/".join(parts)
        reason = f"dubbele {', '.join(self.entity.id_columns)} '{shown}': staat al in rij {first}"
        return [self._error(number, self.entity.id_columns[0], reason, shown)]

    def _derive(self, record: Record) -> Record:
        if self.entity.name == "employers":
            code = record.get("sbi_code")
            record["sbi_section"] = self.refs.sbi_section(code) if code else None
        return record

    def _id(self, column: Column, raw: str) -> str:
        if len(raw) > 64:
            raise v.CellError(f"id is {len(raw)} tekens lang, ten hoogste 64 toegestaan")
        v.check_visible(raw)
        if column.name == "candidate_id":
            v.check_not_bsn(raw)
        return raw

    def _organisation(self, _column: Column, raw: str) -> str:
        if raw not in self.refs.organisations:
            raise v.CellError(f"organisatie '{raw}' bestaat niet (werkmatch organisations add)")
        return raw

    def _each(
        self, column: Column, raw: str, parse: Callable[[Column, str], Any]
    ) -> tuple[str, ...]:
        """The items of a ``;``-list, each read by ``parse`` (duplicates dropped, order kept)."""
        items = [str(parse(column, item)) for item in v.split_list(raw)]
        return tuple(dict.fromkeys(items))

    def _int_text(self, column: Column, raw: str) -> str:
        return str(v.parse_int(raw, minimum=column.minimum, maximum=column.maximum))

    def _sbi(self, _column: Column, raw: str) -> str:
        code = v.parse_sbi(raw)
        self.refs.sbi_section(code)
        return code

    def _municipality(self, _column: Column, raw: str) -> str:
        code = v.parse_municipality(raw)
        if code not in self.refs.municipalities:
            raise v.CellError(f"onbekende gemeentecode {code} (geen CBS-gemeente)")
        return code

    def _pc4(self, _column: Column, raw: str) -> str:
        code, cut = v.parse_pc4(raw)
        if code not in self.refs.pc4:
            raise v.CellError(f"onbekend postcodegebied {code}")
        if cut:
            self.report.warn("volledige postcodes zijn ingekort tot hun vier cijfers (postcode4)")
        return code

    def _uri(self, raw: str, known: frozenset[str], what: str) -> str:
        """An ESCO URI of the reference tables, or a national code (a crosswalk maps it)."""
        if is_code(raw):
            v.check_free_text(reading_text(raw))
            return raw
        if raw not in known:
            kind = "competentie" if what == "skill" else "beroep"
            raise v.CellError(f"'{raw}' is geen bekende ESCO-URI van een {kind}")
        return raw

    def _items(self, raw: str, known: frozenset[str], what: str) -> tuple[str, ...]:
        items = v.split_list(raw)
        for item in items:
            if v.is_uri(item) or is_code(item):
                self._uri(item, known, what)
            else:
                v.check_free_text(item)
        return tuple(items)

    def _sectors(self, _column: Column, raw: str) -> tuple[str, ...]:
        sectors = []
        for item in v.split_list(raw):
            if len(item) == 1:
                sectors.append(self.refs.sbi_section(item.upper()))
            elif (letter := SECTOR_NAMES.canonical(item)) is not None:
                sectors.append(letter)
            else:
                v.check_free_text(item)
                self.report.warn(f"sectornaam '{item}' niet herkend: bewaard zoals geschreven")
                sectors.append(item)
        return tuple(sectors)


def _shown_header(name: str) -> str:
    """A header cell as a warning may show it (a BSN in a header row is not repeated)."""
    if contains_bsn(name):
        return "(kolomnaam met een BSN-nummer)"
    return name or "(kolom zonder naam)"


def _empty(column: Column) -> Any:
    """The value of an empty or absent cell: the default, or an empty list."""
    return () if column.kind in LIST_KINDS else column.default


def _stored_text(value: Any) -> str:
    """A value as the store keeps it: lists ``;``-joined."""
    return ";".join(value) if isinstance(value, tuple) else str(value)


def store_lengths(table: Table) -> dict[str, int]:
    """Maximum lengths of the table's string columns, for checking text cells."""
    lengths = {c.name: getattr(c.type, "length", None) for c in table.columns}
    return {name: int(length) for name, length in lengths.items() if length}


def _vocabulary(column: Column) -> Vocabulary:
    if column.vocabulary is None:
        raise TypeError(f"enum column {column.name} has no vocabulary")
    return column.vocabulary
