"""Instruments that cannot be: one given with a proposal that was never made, or with a
placement of another person than the candidate named beside it.

Checked per chunk against the store, after the references (the ids themselves exist).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, select, tuple_

from matching.exchange.references import Numbered
from matching.exchange.report import RowError
from matching.store.db import table
from matching.store.models import Placement, Proposal


def check_instruments(
    conn: Connection, rows: Sequence[Numbered], file: str
) -> dict[int, list[RowError]]:
    """Errors per row number for an unknown proposal or a placement of someone else."""
    pairs = {
        (r["vacancy_id"], r["candidate_id"])
        for _n, r in rows
        if r["vacancy_id"] and r["candidate_id"] and not r["placement_id"]
    }
    p, pl = table(Proposal), table(Placement)
    proposed: set[tuple[str, str]] = set()
    for start in range(0, len(ordered := sorted(pairs)), 1000):
        stmt = select(p.c.vacancy_id, p.c.candidate_id).where(
            tuple_(p.c.vacancy_id, p.c.candidate_id).in_(ordered[start : start + 1000])
        )
        proposed.update((v, c) for v, c in conn.execute(stmt))
    placed = sorted({r["placement_id"] for _n, r in rows if r["placement_id"]})
    person: dict[str, str] = {}
    for start in range(0, len(placed), 1000):
        stmt = select(pl.c.placement_id, pl.c.candidate_id).where(
            pl.c.placement_id.in_(placed[start : start + 1000])
        )
        person.update({pid: cid for pid, cid in conn.execute(stmt)})
    errors: dict[int, list[RowError]] = {}
    for number, r in rows:
        if (r["vacancy_id"], r["candidate_id"]) in pairs - proposed and not r["placement_id"]:
            reason = (
                f"kandidaat '{r['candidate_id']}' is niet voorgesteld voor vacature "
                f"'{r['vacancy_id']}': een instrument hoort bij een voorstel of plaatsing"
            )
            errors[number] = [RowError(file, number, "candidate_id", reason, r["candidate_id"])]
        elif (
            r["placement_id"]
            and r["candidate_id"]
            and person.get(r["placement_id"])
            not in (
                None,
                r["candidate_id"],
            )
        ):
            reason = f"plaatsing '{r['placement_id']}' is van een andere werkzoekende"
            errors[number] = [RowError(file, number, "candidate_id", reason, r["candidate_id"])]
    return errors
