"""Erasure (right to be forgotten): remove a candidate's personal data everywhere.

Every table in the database with a ``candidate_id`` column loses the candidate's rows (found by
reflecting the live schema, so tables added later are covered too); the audit log keeps only a
pseudonymous trace: the candidate's id is replaced by a keyed hash in older rows, wherever it
stands (object ids, lists of ids, placement ids ``<vacancy>-<candidate>``, free text), and in
other candidates' proposal reasons. The bytes leave a SQLite file because its connections run
with ``secure_delete`` (``matching/store/db.py``); PostgreSQL needs a VACUUM (README).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, MetaData, delete, func, select, update
from sqlalchemy.orm import Session

from matching.access.audit import pseudonym, record, to_json
from matching.access.users import Principal
from matching.data_versions import bump_candidates
from matching.errors import NotFound
from matching.regions import candidate_regions
from matching.review.queue import refresh_queue
from matching.store import models
from matching.store.access import AuditEntry
from matching.store.models import Candidate


@dataclass(frozen=True)
class ErasureReport:
    """What an erasure removed: rows per table, audit rows pseudonymised, and the trace."""

    trace: str
    rows: dict[str, int]
    audit_rows: int


def _id_pattern(candidate_id: str) -> re.Pattern[str]:
    """Where ``candidate_id`` stands as an id: the whole value, the candidate part of a
    placement id ``<vacancy>-<candidate>``, or a word in a text; not inside a longer id
    (``K1`` is not found in ``K10`` or ``K1-2``)."""
    return re.compile(rf"(?<![\w.]){re.escape(candidate_id)}(?![\w]|[.\-]\w)")


def _replace(value: Any, pattern: re.Pattern[str], new: str) -> Any:
    """``value`` with the id replaced by ``new`` in every string and key, at any depth."""
    if isinstance(value, str):
        return pattern.sub(new, value)
    if isinstance(value, list):
        return [_replace(v, pattern, new) for v in value]
    if isinstance(value, dict):
        return {_replace(k, pattern, new): _replace(v, pattern, new) for k, v in value.items()}
    return value


def _delete_rows(session: Session, candidate_id: str) -> dict[str, int]:
    """Delete the candidate's rows from every table with a candidate_id, children first."""
    schema = MetaData()
    schema.reflect(bind=session.connection())
    rows: dict[str, int] = {}
    for table in reversed(schema.sorted_tables):
        if "candidate_id" in table.c:
            result = session.execute(delete(table).where(table.c.candidate_id == candidate_id))
            rows[table.name] = cast(CursorResult[Any], result).rowcount
    return rows


def _pseudonymise_audit(session: Session, candidate_id: str, trace: str) -> int:
    """Replace the id by ``trace`` wherever it stands in audit rows' object_id and detail."""
    pattern = _id_pattern(candidate_id)
    fragment = json.dumps(candidate_id, ensure_ascii=False)[1:-1]  # as it stands inside JSON
    hits = session.execute(
        select(AuditEntry.id, AuditEntry.object_id, AuditEntry.detail).where(
            AuditEntry.object_id.contains(candidate_id, autoescape=True)
            | AuditEntry.detail.contains(fragment, autoescape=True)
        )
    ).all()
    changed = 0
    for row_id, object_id, detail in hits:
        values = {
            "object_id": _replace(object_id, pattern, trace),
            "detail": to_json(_replace(json.loads(detail or "null"), pattern, trace)),
        }
        if values != {"object_id": object_id, "detail": detail}:
            session.execute(update(AuditEntry).where(AuditEntry.id == row_id).values(**values))
            changed += 1
    return changed


def _scrub_reasons(session: Session, candidate_id: str, trace: str) -> None:
    """Other candidates' proposal reasons may name the erased one: the trace takes its place."""
    pattern, p = _id_pattern(candidate_id), models.Proposal
    hits = session.execute(
        select(p.vacancy_id, p.candidate_id, p.reason).where(
            p.reason.contains(candidate_id, autoescape=True)
        )
    ).all()
    for vacancy_id, other, reason in hits:
        session.execute(
            update(p)
            .where(p.vacancy_id == vacancy_id, p.candidate_id == other)
            .values(reason=_replace(reason, pattern, trace))
        )


def erase_candidate(
    session: Session, candidate_id: str, *, by: Principal, key: bytes
) -> ErasureReport:
    """Remove the candidate everywhere; the audit log keeps only the keyed-hash trace."""
    exists = session.scalar(select(func.count()).where(Candidate.candidate_id == candidate_id))
    if not exists:
        raise NotFound(f"Kandidaat {candidate_id!r} niet gevonden.")
    trace = pseudonym(candidate_id, key=key)
    regions = candidate_regions(session, [candidate_id])
    session.flush()
    rows = _delete_rows(session, candidate_id)
    audit_rows = _pseudonymise_audit(session, candidate_id, trace)
    _scrub_reasons(session, candidate_id, trace)
    refresh_queue(session, import_id=None, ranker=None)  # texts only they wrote leave the queue
    bump_candidates(session, regions)  # the erased candidate leaves the in-memory pools
    session.expire_all()
    record(
        session,
        by,
        "candidate.erase",
        object_type="candidate",
        object_id=trace,
        detail={"rows": rows, "audit_rows_pseudonymised": audit_rows},
    )
    return ErasureReport(trace=trace, rows=rows, audit_rows=audit_rows)
