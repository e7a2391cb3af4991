"""Who qualifies: one candidate's check against a programme, and the worklist "Wie komt in
aanmerking" (eligible, not enrolled; and those who miss one rule an exception may set aside)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from matching.errors import NotFound
from matching.programmes.catalogue import organisation_municipalities
from matching.programmes.eligibility import eligible, load_candidates, rule_masks
from matching.programmes.reasons import Miss, misses
from matching.programmes.rules import ProgrammeInfo
from matching.store.programmes import Enrolment


@dataclass(frozen=True)
class WorklistEntry:
    """A candidate who qualifies (``misses`` empty) or misses one exceptable rule."""

    candidate_id: str
    municipality_code: str
    misses: list[Miss]


@dataclass(frozen=True)
class Worklist:
    """The worklist: eligible candidates first, then those an exception could admit."""

    eligible: list[WorklistEntry]
    by_exception: list[WorklistEntry]
    eligible_count: int
    by_exception_count: int


def check_candidate(
    session: Session,
    programme: ProgrammeInfo,
    candidate_id: str,
    *,
    as_of: dt.date,
    names: dict[str, str] | None = None,
) -> list[Miss]:
    """The rules the candidate misses ([] when eligible); NotFound for a candidate outside the
    programme organisation's municipalities."""
    within = organisation_municipalities(session, programme.organisation_id)
    table = load_candidates(session, within=within, ids=[candidate_id])
    if len(table) == 0:
        raise NotFound(f"werkzoekende {candidate_id!r} niet gevonden")
    return misses(table, 0, programme.rules, as_of=as_of, names=names)


def enrolled_ids(session: Session, programme_id: str) -> set[str]:
    """Everyone ever enrolled in the programme."""
    statement = select(Enrolment.candidate_id).where(Enrolment.programme_id == programme_id)
    return set(session.scalars(statement))


def worklist(
    session: Session,
    programme: ProgrammeInfo,
    *,
    as_of: dt.date,
    limit: int = 50,
    names: dict[str, str] | None = None,
) -> Worklist:
    """Candidates of the programme's organisation not enrolled in it: those who meet every rule
    and those who miss exactly one rule an exception may set aside (at most ``limit`` each)."""
    within = organisation_municipalities(session, programme.organisation_id)
    table = load_candidates(session, within=within)
    masks = rule_masks(table, programme.rules, as_of=as_of)
    taken = np.isin(table.ids, sorted(enrolled_ids(session, programme.programme_id)))
    ok = eligible(masks) & ~taken
    missed = np.sum([~m for m in masks.values()], axis=0) if masks else np.zeros(len(table))
    one_off = (missed == 1) & ~taken & masks["active"]
    floor = programme.rules.min_hours_exception
    if floor is not None:  # below the exception floor no exception admits (reasons.py)
        one_off &= masks["hours"] | (table.hours >= floor)
    lists: list[list[WorklistEntry]] = []
    for rows in (np.flatnonzero(ok), np.flatnonzero(one_off)):
        entries = []
        for row in rows:
            at = int(row)
            found = misses(table, at, programme.rules, as_of=as_of, masks=masks, names=names)
            if all(m.exceptable for m in found):
                home = table.value("municipality", at)
                entries.append(WorklistEntry(str(table.ids[at]), home, found))
            if len(entries) >= limit:
                break
        lists.append(entries)
    return Worklist(lists[0], lists[1], int(ok.sum()), int(one_off.sum()))
