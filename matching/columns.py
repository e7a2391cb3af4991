"""The exchange format's columns, in one place: files, ids, order, types, enums and synonyms.

Everything that knows a column name of ``docs/exchange-format.md`` reads it from here: the
importer's validation, the exporter's column order and the store mapping. The enums' values and
the words users write for them are in ``matching.vocabularies`` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType

from matching.plausibility import MAX_EMPLOYEES
from matching.vocabularies import (
    BENEFIT,
    BOOLEAN,
    CANDIDATE_STATUS,
    CONTACT_KIND,
    CONTACT_OUTCOME,
    CONTRACT,
    EDUCATION,
    GENDER,
    INSTRUMENT_KIND,
    LANGUAGE_NAMES,
    OUTCOME,
    PROPOSAL_OUTCOME,
    SECTOR_NAMES,
    TARGET_GROUP,
    VACANCY_STATUS,
    Vocabulary,
    fold,
)

__all__ = [  # the vocabularies, re-exported: they live in matching.vocabularies
    "BENEFIT",
    "BOOLEAN",
    "CANDIDATE_STATUS",
    "CONTACT_KIND",
    "CONTACT_OUTCOME",
    "CONTRACT",
    "EDUCATION",
    "GENDER",
    "INSTRUMENT_KIND",
    "LANGUAGE_NAMES",
    "OUTCOME",
    "PROPOSAL_OUTCOME",
    "SECTOR_NAMES",
    "TARGET_GROUP",
    "VACANCY_STATUS",
    "Vocabulary",
    "fold",
]


class Kind(StrEnum):
    """How a cell is read and checked."""

    ID = "id"  # a source-system identifier
    TEXT = "text"
    INT = "int"
    DATE = "date"
    BOOL = "bool"
    ENUM = "enum"
    MUNICIPALITY = "municipality"  # CBS code, checked against the reference table
    PC4 = "pc4"  # four-digit postcode, checked against the reference table
    ORGANISATION = "organisation"  # an organisation id of the store
    SBI = "sbi"  # section letter or 2–5 digits
    OCCUPATION_URI = "occupation_uri"
    LANGUAGES = "languages"  # list of ISO 639-1 codes
    SKILLS = "skills"  # list of ESCO skill URIs or free text
    OCCUPATIONS = "occupations"  # list of ESCO occupation URIs or free text
    SECTORS = "sectors"  # list of SBI section letters or sector names
    MUNICIPALITIES = "municipalities"  # list of CBS codes
    PC4S = "pc4s"  # list of four-digit postcodes
    INTS = "ints"  # list of whole numbers within [minimum, maximum]
    ENUMS = "enums"  # list of values of the column's vocabulary
    PAIRS = "pairs"  # list of name:number (``intake:1``), number ≥ minimum
    DATED = "dated"  # list of name:date (``intake:2026-01-05``)
    MOMENTS = "moments"  # list of months after the start, ``eind`` or ``eind+N``


LIST_KINDS = frozenset(
    {Kind.LANGUAGES, Kind.SKILLS, Kind.OCCUPATIONS, Kind.SECTORS, Kind.MUNICIPALITIES, Kind.PC4S,
     Kind.INTS, Kind.ENUMS, Kind.PAIRS, Kind.DATED, Kind.MOMENTS}
)  # fmt: skip


@dataclass(frozen=True)
class Column:
    """One column of an exchange-format file."""

    name: str
    kind: Kind
    required: bool = False
    vocabulary: Vocabulary | None = None
    minimum: int | None = None
    maximum: int | None = None
    default: object = None
    refers_to: str | None = None  # entity whose id this column holds


@dataclass(frozen=True)
class Entity:
    """One file of the format: its name, id column(s) and columns in export order."""

    name: str
    id_columns: tuple[str, ...]
    columns: tuple[Column, ...]

    @property
    def file_name(self) -> str:
        """The canonical file name, ``candidates.csv``."""
        return f"{self.name}.csv"

    @cached_property
    def by_name(self) -> Mapping[str, Column]:
        """Columns by name."""
        return MappingProxyType({column.name: column for column in self.columns})

    @property
    def column_names(self) -> tuple[str, ...]:
        """Column names in export order."""
        return tuple(column.name for column in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        """Names of the columns a file must have."""
        return tuple(column.name for column in self.columns if column.required)


def _id(name: str, *, refers_to: str | None = None, required: bool = True) -> Column:
    return Column(name, Kind.ID, required=required, refers_to=refers_to)


def _enum(name: str, vocabulary: Vocabulary, *, required: bool = False) -> Column:
    return Column(name, Kind.ENUM, required=required, vocabulary=vocabulary)


CANDIDATES = Entity(
    "candidates",
    ("candidate_id",),
    (
        _id("candidate_id"),
        Column("municipality_code", Kind.MUNICIPALITY, required=True),
        Column("postcode4", Kind.PC4),
        Column("birth_year", Kind.INT, minimum=1900, maximum=2100),
        _enum("gender", GENDER),
        Column("ladder_step", Kind.INT, required=True, minimum=1, maximum=6),
        _enum("target_group", TARGET_GROUP, required=True),
        _enum("benefit", BENEFIT),
        Column("hours_available", Kind.INT, required=True, minimum=1, maximum=40),
        Column("max_travel_km", Kind.INT, minimum=0, maximum=500),
        Column("driving_licence", Kind.BOOL),
        _enum("education_level", EDUCATION),
        Column("languages", Kind.LANGUAGES),
        Column("competences", Kind.SKILLS),
        Column("occupations", Kind.OCCUPATIONS),
        Column("sector_preferences", Kind.SECTORS),
        Column("available_from", Kind.DATE),
        _enum("status", CANDIDATE_STATUS, required=True),
        Column("consent_regional", Kind.BOOL, default=False),
    ),
)
EMPLOYERS = Entity(
    "employers",
    ("employer_id",),
    (
        _id("employer_id"),
        Column("name", Kind.TEXT, required=True),
        Column("sbi_code", Kind.SBI),
        Column("municipality_code", Kind.MUNICIPALITY, required=True),
        Column("postcode4", Kind.PC4),
        Column("employees", Kind.INT, minimum=0, maximum=MAX_EMPLOYEES),
    ),
)
VACANCIES = Entity(
    "vacancies",
    ("vacancy_id",),
    (
        _id("vacancy_id"),
        _id("employer_id", refers_to="employers"),
        Column("title", Kind.TEXT, required=True),
        Column("occupation", Kind.OCCUPATION_URI),
        Column("municipality_code", Kind.MUNICIPALITY, required=True),
        Column("postcode4", Kind.PC4),
        Column("hours_per_week", Kind.INT, required=True, minimum=1, maximum=40),
        Column("required_competences", Kind.SKILLS),
        Column("optional_competences", Kind.SKILLS),
        _enum("education_min", EDUCATION),
        Column("languages_required", Kind.LANGUAGES),
        Column("driving_licence_required", Kind.BOOL),
        Column("positions", Kind.INT, minimum=1, default=1),
        Column("opened_on", Kind.DATE, required=True),
        Column("closes_on", Kind.DATE),
        _enum("status", VACANCY_STATUS, required=True),
        Column("acquired_by", Kind.TEXT),
    ),
)
CONTACTS = Entity(
    "contacts",
    ("contact_id",),
    (
        _id("contact_id"),
        _id("employer_id", refers_to="employers"),
        Column("date", Kind.DATE, required=True),
        _enum("kind", CONTACT_KIND, required=True),
        _enum("outcome", CONTACT_OUTCOME),
        Column("by", Kind.TEXT),
        Column("supply_driven", Kind.BOOL, default=False),  # format 1.1, optional
    ),
)
PROPOSALS = Entity(
    "proposals",
    ("vacancy_id", "candidate_id"),
    (
        _id("vacancy_id", refers_to="vacancies"),
        _id("candidate_id", refers_to="candidates"),
        Column("proposed_on", Kind.DATE, required=True),
        _enum("outcome", PROPOSAL_OUTCOME, required=True),
    ),
)
PLACEMENTS = Entity(
    "placements",
    ("placement_id",),
    (
        _id("placement_id"),
        _id("candidate_id", refers_to="candidates"),
        _id("employer_id", refers_to="employers"),
        _id("vacancy_id", refers_to="vacancies", required=False),
        Column("start_date", Kind.DATE, required=True),
        Column("end_date", Kind.DATE),
        # 60 h/week is the legal maximum (Arbeidstijdenwet); the format gives no range here.
        Column("hours_per_week", Kind.INT, required=True, minimum=1, maximum=60),
        _enum("contract", CONTRACT, required=True),
    ),
)
INSTRUMENTS = Entity(  # format 1.1: per placement, or per proposal (vacancy and candidate)
    "instruments",
    ("instrument_id",),
    (
        _id("instrument_id"),
        _id("placement_id", refers_to="placements", required=False),
        _id("vacancy_id", refers_to="vacancies", required=False),
        _id("candidate_id", refers_to="candidates", required=False),
        _enum("kind", INSTRUMENT_KIND, required=True),
        Column("start_date", Kind.DATE, required=True),
        Column("end_date", Kind.DATE),
        Column("amount", Kind.INT, minimum=0, maximum=1_000_000),  # euros
    ),
)


def _percent(name: str) -> Column:
    return Column(name, Kind.INT, minimum=0, maximum=100)


PROGRAMMES = Entity(
    "programmes",
    ("programme_id",),
    (
        _id("programme_id"),
        Column("organisation_id", Kind.ORGANISATION, required=True),
        Column("name", Kind.TEXT, required=True),
        Column("start_date", Kind.DATE, required=True),
        Column("end_date", Kind.DATE, required=True),
        Column("municipalities", Kind.MUNICIPALITIES),
        Column("postcode4_areas", Kind.PC4S),
        Column("age_min", Kind.INT, minimum=15, maximum=100),
        Column("age_max", Kind.INT, minimum=15, maximum=100),
        Column("ladder_steps", Kind.INTS, minimum=1, maximum=6),
        Column("benefits", Kind.ENUMS, vocabulary=BENEFIT),
        Column("target_groups", Kind.ENUMS, vocabulary=TARGET_GROUP),
        Column("min_hours", Kind.INT, minimum=1, maximum=40),
        Column("min_hours_exception", Kind.INT, minimum=1, maximum=40),
        Column("languages", Kind.LANGUAGES),
        Column("phases", Kind.PAIRS, required=True, minimum=1),
        Column("capacity", Kind.INT, minimum=1),
        Column("evaluation_moments", Kind.MOMENTS),
        Column("target_participants", Kind.INT, minimum=0),
        Column("target_participants_by", Kind.PAIRS, minimum=0),
        Column("target_phase_counts", Kind.PAIRS, minimum=0),
        _percent("target_positive_outflow_pct"),
        _percent("target_durable_pct"),
        _percent("target_continuation_pct"),
        _percent("target_appointment_pct"),
        Column("target_placements_per_municipality", Kind.PAIRS, minimum=0),
    ),
)
ENROLMENTS = Entity(
    "enrolments",
    ("programme_id", "candidate_id"),
    (
        _id("programme_id", refers_to="programmes"),
        _id("candidate_id", refers_to="candidates"),
        Column("enrolled_on", Kind.DATE, required=True),
        Column("phases", Kind.DATED, required=True),
        Column("ended_on", Kind.DATE),
        _enum("outcome", OUTCOME),
        Column("exception_reason", Kind.TEXT),
    ),
)

# Import order: every entity after the ones its ids refer to.
ENTITIES: Mapping[str, Entity] = MappingProxyType(
    {
        e.name: e
        for e in (EMPLOYERS, CANDIDATES, VACANCIES, CONTACTS, PROPOSALS, PLACEMENTS, INSTRUMENTS,
                  PROGRAMMES, ENROLMENTS)
    }
)  # fmt: skip
IMPORT_ORDER: tuple[str, ...] = tuple(ENTITIES)
PLANNED: tuple[str, ...] = ("programmes", "enrolments")
"""Files written by the people who plan programmes: the demo generator leaves them to
``demo.programmes``, which writes them once the organisations they name exist."""

# Date pairs that must not run backwards: (entity, earlier, later).
DATE_ORDER: tuple[tuple[str, str, str], ...] = (
    ("vacancies", "opened_on", "closes_on"),
    ("placements", "start_date", "end_date"),
    ("programmes", "start_date", "end_date"),
    ("enrolments", "enrolled_on", "ended_on"),
    ("instruments", "start_date", "end_date"),
)
# Per entity, groups of columns of which a row must fill one group completely.
ONE_OF: Mapping[str, tuple[tuple[str, ...], ...]] = MappingProxyType(
    {"instruments": (("placement_id",), ("vacancy_id", "candidate_id"))}
)
