"""Erasure (right to be forgotten): remove a candidate's personal data everywhere.

Every table in the database with a ``candidate_id`` column loses the candidate's rows (found by
reflecting the live schema, so tables added later are covered too); the audit log keeps only a
pseudonymous trace: the candidate's id is replaced by a keyed hash in older rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, MetaData, delete, func, select, update
from sqlalchemy.orm import Session

from matching.audit import pseudonym, record, to_json
from matching.data_versions import bump_data_version
from matching.errors import NotFound
from matching.security import Principal
from matching.store.models import Candidate
from matching.store.security import AuditEntry


@dataclass(frozen=True)
class ErasureReport:
    """What an erasure removed: rows per table, audit rows pseudonymised, and the trace."""

    trace: str
    rows: dict[str, int]
    audit_rows: int


def _replace(value: Any, old: str, new: str) -> Any:
    """``value`` with every string equal to ``old`` replaced by ``new``, at any depth."""
    if isinstance(value, str):
        return new if value == old else value
    if isinstance(value, list):
        return [_replace(v, old, new) for v in value]
    if isinstance(value, dict):
        return {k: _replace(v, old, new) for k, v in value.items()}
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
    """Replace the id by ``trace`` in older audit rows' object_id and detail."""
    by_object = session.execute(
        update(AuditEntry).where(AuditEntry.object_id == candidate_id).values(object_id=trace)
    )
    changed = cast(CursorResult[Any], by_object).rowcount
    fragment = json.dumps(candidate_id, ensure_ascii=False)
    hits = session.execute(
        select(AuditEntry.id, AuditEntry.detail).where(
            AuditEntry.detail.contains(fragment, autoescape=True)
        )
    ).all()
    for row_id, detail in hits:
        cleaned = to_json(_replace(json.loads(detail or "null"), candidate_id, trace))
        session.execute(update(AuditEntry).where(AuditEntry.id == row_id).values(detail=cleaned))
    return changed + len(hits)


def erase_candidate(
    session: Session, candidate_id: str, *, by: Principal, key: bytes
) -> ErasureReport:
    """Remove the candidate everywhere; the audit log keeps only the keyed-hash trace."""
    exists = session.scalar(select(func.count()).where(Candidate.candidate_id == candidate_id))
    if not exists:
        raise NotFound(f"candidate {candidate_id!r} not found")
    trace = pseudonym(candidate_id, key=key)
    session.flush()
    rows = _delete_rows(session, candidate_id)
    audit_rows = _pseudonymise_audit(session, candidate_id, trace)
    bump_data_version(session)  # the erased candidate leaves every in-memory pool
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
