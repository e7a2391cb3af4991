"""What an organisation may import: rows about its own job seekers, vacancies and programmes.

An import by a signed-in user (the page, ``POST /imports``) is scoped to their organisation's
municipalities; the command-line operator belongs to no organisation and may import anything.
A candidate or vacancy row must lie in one of the organisation's municipalities, and so must
the stored record it would change (else a row could take over another organisation's job
seeker by moving them). Proposals, placements and instruments follow their vacancy (the
vacancy's organisation decides on them, also for a job seeker proposed as fallback), or their
candidate when they name no vacancy; enrolments follow their candidate, and programmes belong
to the importing organisation. Rows outside are refused with the same words whether or not
the record exists, so a refusal reveals nothing of another organisation. Where two
organisations cover a vacancy's municipality, a proposal or placement row about a proposal
that a user of the other organisation made is refused: that organisation records the
employer's decision (as on the page, ``matching.shortlist.proposals``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, select

from matching.exchange.references import Numbered
from matching.exchange.report import RowError
from matching.exchange.upserting import STORE_MAPS
from matching.exchange.validation import Record
from matching.store.access import User

OUTSIDE = "valt buiten de gemeenten van uw organisatie: u kunt dit niet importeren"
PROGRAMME_OUTSIDE = "een programma van een andere organisatie kunt u niet importeren"
OTHER_PROPOSER = (
    "dit voorstel is gedaan door een andere organisatie: die legt het besluit van de werkgever vast"
)
OWN_MUNICIPALITY = ("candidates", "vacancies")
FOLLOWS_VACANCY = ("proposals", "placements", "instruments")
KEY = {"candidates": "candidate_id", "vacancies": "vacancy_id"}


@dataclass(frozen=True)
class ImportScope:
    """The organisation an import runs for and the municipalities it covers."""

    organisation_id: str
    municipality_codes: frozenset[str]


def check_scope(
    conn: Connection, entity: str, rows: Sequence[Numbered], file: str, scope: ImportScope
) -> dict[int, list[RowError]]:
    """Errors per row number for rows outside ``scope`` (module doc)."""
    if entity == "programmes":
        own = scope.organisation_id
        return _errors(rows, file, "organisation_id", PROGRAMME_OUTSIDE,
                       lambda record: record["organisation_id"] == own)  # fmt: skip
    if entity in OWN_MUNICIPALITY:
        key = KEY[entity]
        stored = _stored_municipality(conn, entity, [record[key] for _n, record in rows])

        def inside(record: Record) -> bool:
            old = stored.get(str(record[key]))
            new = record.get("municipality_code")
            return new in scope.municipality_codes and (
                old is None or old in scope.municipality_codes
            )

        return _errors(rows, file, key, OUTSIDE, inside)
    column = "vacancy_id" if entity in FOLLOWS_VACANCY else "candidate_id"
    errors = _follow(conn, rows, file, scope, column)
    if entity in ("proposals", "placements"):
        others = _proposed_by_others(conn, rows, scope)
        for number, record in rows:
            if (
                number not in errors
                and (record.get("vacancy_id"), record.get("candidate_id")) in others
            ):
                value = str(record.get("candidate_id") or "")
                errors[number] = [RowError(file, number, "candidate_id", OTHER_PROPOSER, value)]
    return errors


def _proposed_by_others(
    conn: Connection, rows: Sequence[Numbered], scope: ImportScope
) -> set[tuple[str, str]]:
    """(vacancy, candidate) of the rows' stored proposals made by a user of another organisation."""
    proposal, user = STORE_MAPS["proposals"].table, User.__table__
    wanted = sorted({str(r.get("vacancy_id")) for _n, r in rows if r.get("vacancy_id")})
    found: set[tuple[str, str]] = set()
    for start in range(0, len(wanted), 5000):
        statement = (
            select(proposal.c.vacancy_id, proposal.c.candidate_id)
            .join(user, user.c.user_id == proposal.c.proposed_by)
            .where(
                proposal.c.vacancy_id.in_(wanted[start : start + 5000]),
                user.c.organisation_id != scope.organisation_id,
            )
        )
        found.update((str(v), str(c)) for v, c in conn.execute(statement))
    return found


def _follow(
    conn: Connection, rows: Sequence[Numbered], file: str, scope: ImportScope, column: str
) -> dict[int, list[RowError]]:
    """Rows judged by the municipality of their vacancy (or candidate, when none is named)."""
    vacancies = _stored_municipality(conn, "vacancies", [r.get("vacancy_id") for _n, r in rows])
    candidates = _stored_municipality(conn, "candidates", [r.get("candidate_id") for _n, r in rows])

    def inside(record: Record) -> bool:
        vacancy = record.get("vacancy_id") if column == "vacancy_id" else None
        found = (
            vacancies.get(str(vacancy))
            if vacancy
            else candidates.get(str(record.get("candidate_id")))
        )
        return found is None or found in scope.municipality_codes

    return _errors(rows, file, column, OUTSIDE, inside)


def _stored_municipality(conn: Connection, entity: str, ids: list[object]) -> dict[str, str]:
    """Id → stored municipality code of those of ``ids`` that exist (missing ids are the
    references check's to report)."""
    table = STORE_MAPS[entity].table
    key = table.c[KEY[entity]]
    wanted = sorted({str(i) for i in ids if i})
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 5000):
        statement = select(key, table.c.municipality_code).where(
            key.in_(wanted[start : start + 5000])
        )
        found.update({str(i): str(code) for i, code in conn.execute(statement)})
    return found


def _errors(
    rows: Sequence[Numbered],
    file: str,
    column: str,
    reason: str,
    inside: Callable[[Record], bool],
) -> dict[int, list[RowError]]:
    """One error per row that is not ``inside``."""
    return {
        number: [RowError(file, number, column, reason, str(record.get(column) or ""))]
        for number, record in rows
        if not inside(record)
    }
