"""Enrolments that cannot be: a phase the programme lacks, dates out of order, an outcome
without an end, a candidate outside the programme organisation's municipalities.

Checked per chunk against the store (programmes are imported before enrolments in a run).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Connection, select

from matching.exchange.references import Numbered
from matching.exchange.report import RowError
from matching.store.access import OrganisationMunicipality
from matching.store.db import table
from matching.store.models import Candidate
from matching.store.programmes import Programme


def check_enrolments(
    conn: Connection, rows: Sequence[Numbered], file: str
) -> dict[int, list[RowError]]:
    """Errors per row number (module doc); rows whose programme or candidate is missing are
    left to the reference check."""
    phases, areas = _programmes(conn, {r["programme_id"] for _n, r in rows})
    homes = _homes(conn, {r["candidate_id"] for _n, r in rows})
    errors: dict[int, list[RowError]] = {}
    for number, record in rows:
        programme = record["programme_id"]
        if programme not in phases or record["candidate_id"] not in homes:
            continue
        found = [
            RowError(file, number, column, reason)
            for column, reason in _problems(record, phases[programme])
        ]
        if homes[record["candidate_id"]] not in areas[programme]:
            found.append(RowError(file, number, "candidate_id", _OUTSIDE))
        if found:
            errors[number] = found
    return errors


_OUTSIDE = "de kandidaat woont niet in een gemeente van de organisatie van het programma"


def _problems(record: dict[str, object], phases: set[str]) -> list[tuple[str, str]]:
    """(column, reason) of one enrolment against its programme's phases."""
    found = []
    history = [str(item).split(":", 1) for item in record["phases"]]  # type: ignore[attr-defined]
    for name, _day in history:
        if name.lower() not in phases:
            known = ", ".join(sorted(phases))
            found.append(("phases", f"fase '{name}' hoort niet bij het programma ({known})"))
    enrolled, ended = record["enrolled_on"], record["ended_on"]
    assert isinstance(enrolled, dt.date)
    if history and dt.date.fromisoformat(history[0][1]) < enrolled:
        found.append(("phases", f"de eerste fase begint vóór de inschrijving ({enrolled})"))
    if isinstance(ended, dt.date) and history and dt.date.fromisoformat(history[-1][1]) > ended:
        found.append(("ended_on", "het traject eindigt vóór de laatste fase begint"))
    if (ended is None) != (record["outcome"] is None):
        found.append(("outcome", "een beëindigd traject heeft een uitkomst, een lopend geen"))
    return found


def _programmes(conn: Connection, ids: set[str]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Per programme: its phase names (lower case) and its organisation's municipalities."""
    p, om = table(Programme), table(OrganisationMunicipality)
    phases: dict[str, set[str]] = {}
    owners: dict[str, str] = {}
    statement = select(p.c.programme_id, p.c.phases, p.c.organisation_id).where(
        p.c.programme_id.in_(sorted(ids))
    )
    for programme_id, text, organisation_id in conn.execute(statement):
        phases[programme_id] = {item.split(":", 1)[0].lower() for item in text.split(";")}
        owners[programme_id] = organisation_id
    codes: dict[str, set[str]] = {}
    for organisation_id, code in conn.execute(
        select(om.c.organisation_id, om.c.municipality_code).where(
            om.c.organisation_id.in_(sorted(set(owners.values())))
        )
    ):
        codes.setdefault(organisation_id, set()).add(code)
    return phases, {pid: codes.get(org, set()) for pid, org in owners.items()}


def _homes(conn: Connection, ids: set[str]) -> dict[str, str]:
    """Each candidate's municipality."""
    c = table(Candidate)
    ordered, found = sorted(ids), {}
    for start in range(0, len(ordered), 2000):
        statement = select(c.c.candidate_id, c.c.municipality_code).where(
            c.c.candidate_id.in_(ordered[start : start + 2000])
        )
        found.update({cid: code for cid, code in conn.execute(statement)})
    return found
