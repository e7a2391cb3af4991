"""What an organisation may import: rows about its own job seekers, vacancies and programmes.

An import by a signed-in user (the page, ``POST /imports``) is scoped to their organisation;
the command-line operator belongs to no organisation and may import anything. The
organisation's own records are: job seekers and vacancies in its municipalities; programmes
that name it; placements and instruments all of whose job seeker, vacancy and placement are
its own (a placement without vacancy follows its job seeker); proposals and enrolments whose
vacancy or programme and job seeker are its own. A job seeker of another organisation counts
as its own only beside a vacancy of its own to which one of its users proposed them (on the
page or through the API: the fallback the shortlist offered, with their regional consent,
``matching.shortlist.proposals.propose``). So an import records the employer's decision on
such a proposal, its placement and instruments, but never makes one: proposing is where
another organisation's job seeker is checked (a proposal imported or made on the command line,
without a known proposer, does not count).

A row is refused when the stored record it would change by its own id is not the
organisation's (else a row could, for instance, take over another organisation's job seeker by
moving them), when its new municipality or organisation is not, or when it names a record
that is not (employers and contacts are the region's shared register). A named record that
is not the organisation's is reported in the very words of an id that does not exist
(``references.missing_reason``), so neither a refusal nor a dry run reveals whether another
organisation has a record. Where two organisations cover a vacancy's municipality, a proposal
or placement row about a proposal that a user of the other organisation made is refused: that
organisation records the employer's decision (as on the page).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from matching.columns import ENTITIES
from matching.exchange.references import Numbered, RejectedIds, missing_reason
from matching.exchange.report import RowError
from matching.exchange.upserting import STORE_MAPS
from matching.store.access import User

OUTSIDE = "valt buiten de gemeenten van uw organisatie: u kunt dit niet importeren"
PROGRAMME_OUTSIDE = "een programma van een andere organisatie kunt u niet importeren"
OTHER_PROPOSER = (
    "dit voorstel is gedaan door een andere organisatie: die legt het besluit van de werkgever vast"
)
KEY = {name: entity.id_columns[0] for name, entity in ENTITIES.items()}
BY_OWN_ID = ("instruments", "placements", "candidates", "vacancies", "programmes")
"""The entities whose stored record a row changes by its own id, not by the ids it names."""
OWNING = ("municipality_code", "organisation_id", "placement_id", "vacancy_id", "candidate_id")
"""The stored columns that tell whose a record is."""


@dataclass(frozen=True)
class ImportScope:
    """The organisation an import runs for and the municipalities it covers."""

    organisation_id: str
    municipality_codes: frozenset[str]


def check_scope(
    conn: Connection,
    entity: str,
    rows: Sequence[Numbered],
    file: str,
    scope: ImportScope,
    rejected: RejectedIds,
) -> dict[int, list[RowError]]:
    """Errors per row number for rows outside ``scope`` (module doc); ids that do not exist
    are left to the references check."""
    own = _Own.load(conn, rows, scope)
    errors: dict[int, list[RowError]] = {}
    for number, record in rows:
        found = [
            RowError(
                file, number, column, missing_reason(target, value, rejected, scoped=True), value
            )
            for column, target, value in own.strangers(entity, record)
        ]
        if (refused := own.refusal(entity, record)) is not None:
            column, reason = refused
            found.insert(0, RowError(file, number, column, reason, str(record[column])))
        elif not found and own.proposed_by_other(entity, record):
            value = record["candidate_id"]
            found.append(RowError(file, number, "candidate_id", OTHER_PROPOSER, value))
        if found:
            errors[number] = found
    return errors


@dataclass(frozen=True)
class _Own:
    """The stored records a chunk's rows name or would change, and which are the
    organisation's."""

    scope: ImportScope
    stored: Mapping[str, Mapping[str, Mapping[str, Any]]]  # entity → id → stored columns
    fallback: frozenset[tuple[str, str]]  # (vacancy, candidate) its users proposed
    others: frozenset[tuple[str, str]]  # (vacancy, candidate) other organisations' users did

    @classmethod
    def load(cls, conn: Connection, rows: Sequence[Numbered], scope: ImportScope) -> _Own:
        """Read in bulk what ``rows`` name, and what the stored records they change name."""
        records = [record for _n, record in rows]
        stored: dict[str, dict[str, dict[str, Any]]] = {}
        for name in BY_OWN_ID:  # in this order: instruments and placements name the others
            stored[name] = _stored(conn, name, [r.get(KEY[name]) for r in records])
            if name in ("instruments", "placements"):
                records += stored[name].values()
        fallback, others = _proposers(conn, [r.get("vacancy_id") for r in records], scope)
        return cls(scope, stored, fallback, others)

    def local(self, municipality: str) -> bool:
        """Whether ``municipality`` is one of the organisation's."""
        return municipality in self.scope.municipality_codes

    def strangers(self, entity: str, record: Mapping[str, Any]) -> list[tuple[str, str, str]]:
        """(column, entity, id) of the stored records ``record`` names that are not the
        organisation's."""
        named = [
            (c.name, c.refers_to, str(record.get(c.name) or "")) for c in ENTITIES[entity].columns
        ]
        return [
            (column, target, value)
            for column, target, value in named
            if target is not None
            and value in self.stored.get(target, {})
            and not self._owns(target, value, record.get("vacancy_id"))
        ]

    def refusal(self, entity: str, record: Mapping[str, Any]) -> tuple[str, str] | None:
        """(column, reason) when the row's own record is not the organisation's: the stored
        one it would change, or its new municipality or organisation."""
        key = str(record[KEY[entity]])
        if entity in BY_OWN_ID and key in self.stored[entity] and not self._owns(entity, key):
            return KEY[entity], PROGRAMME_OUTSIDE if entity == "programmes" else OUTSIDE
        if entity == "programmes" and record["organisation_id"] != self.scope.organisation_id:
            return "organisation_id", PROGRAMME_OUTSIDE
        if entity in ("candidates", "vacancies") and not self.local(record["municipality_code"]):
            return KEY[entity], OUTSIDE
        return None

    def proposed_by_other(self, entity: str, record: Mapping[str, Any]) -> bool:
        """Whether a proposal or placement row is about a proposal another organisation made."""
        pair = (record.get("vacancy_id"), record.get("candidate_id"))
        return entity in ("proposals", "placements") and pair in self.others

    def _owns(self, entity: str, key: str, vacancy: str | None = None) -> bool:
        """Whether the stored ``entity`` ``key`` is the organisation's (module doc); a job
        seeker of another organisation is, beside ``vacancy`` they were proposed to by it."""
        old = self.stored[entity][key]
        if entity == "programmes":
            return bool(old["organisation_id"] == self.scope.organisation_id)
        if entity == "candidates" and vacancy is not None and (vacancy, key) in self.fallback:
            return True
        if entity in ("candidates", "vacancies"):
            return self.local(old["municipality_code"])
        return not self.strangers(entity, old)


def _stored(conn: Connection, entity: str, ids: Sequence[object]) -> dict[str, dict[str, Any]]:
    """Id → stored row of those of ``ids`` that exist (missing ids are the references check's
    to report)."""
    table = STORE_MAPS[entity].table
    key = table.c[KEY[entity]]
    columns = [table.c[name] for name in dict.fromkeys((key.name, *OWNING)) if name in table.c]
    wanted = sorted({str(i) for i in ids if i})
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(wanted), 5000):
        statement = select(*columns).where(key.in_(wanted[start : start + 5000]))
        found.update({str(row[key.name]): dict(row) for row in conn.execute(statement).mappings()})
    return found


def _proposers(
    conn: Connection, vacancies: Sequence[object], scope: ImportScope
) -> tuple[frozenset[tuple[str, str]], frozenset[tuple[str, str]]]:
    """(vacancy, candidate) of the stored proposals to ``vacancies`` made by a user of the
    organisation, and of those made by a user of another organisation."""
    proposal, user = STORE_MAPS["proposals"].table, User.__table__
    wanted = sorted({str(v) for v in vacancies if v})
    own: set[tuple[str, str]] = set()
    others: set[tuple[str, str]] = set()
    for start in range(0, len(wanted), 5000):
        statement = (
            select(proposal.c.vacancy_id, proposal.c.candidate_id, user.c.organisation_id)
            .join(user, user.c.user_id == proposal.c.proposed_by)
            .where(proposal.c.vacancy_id.in_(wanted[start : start + 5000]))
        )
        for vacancy, candidate, organisation in conn.execute(statement):
            (own if organisation == scope.organisation_id else others).add((vacancy, candidate))
    return frozenset(own), frozenset(others)
