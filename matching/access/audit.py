"""The append-only audit log: record who did what when; query it; purge past retention.

There is no function that edits or deletes single audit rows. Two statements touch old rows,
both required by law: ``purge_audit`` deletes rows past the retention period, and erasure
(``matching/access/erasure.py``) replaces an erased candidate's id by its pseudonymous trace.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import CursorResult, Select, delete, func, insert, select
from sqlalchemy.orm import Session

from matching.access.users import Principal, now
from matching.domain import Page
from matching.errors import InvalidInput
from matching.store.access import AuditEntry, User
from matching.store.db import table

if TYPE_CHECKING:
    from matching.exchange.report import ImportReport


@dataclass(frozen=True)
class AuditRecord:
    """One audit row as read back; ``detail`` parsed from JSON."""

    id: int
    at: dt.datetime
    user_id: str
    role: str
    action: str
    object_type: str | None
    object_id: str | None
    detail: dict[str, Any] | None
    model_version: str | None


def to_json(detail: dict[str, Any] | None) -> str | None:
    """The stored form of ``detail``: compact JSON, keys sorted."""
    if detail is None:
        return None
    return json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)


def record(
    session: Session,
    principal: Principal,
    action: str,
    *,
    object_type: str | None = None,
    object_id: str | None = None,
    detail: dict[str, Any] | None = None,
    model_version: str | None = None,
) -> None:
    """Append one row to the audit log (committed with the caller's transaction)."""
    append(
        session,
        user_id=principal.user_id,
        role=principal.role,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
        model_version=model_version,
    )


def append(
    session: Session,
    *,
    user_id: str,
    role: str,
    action: str,
    object_type: str | None = None,
    object_id: str | None = None,
    detail: dict[str, Any] | None = None,
    model_version: str | None = None,
) -> None:
    """Append one row for an actor who is not signed in (e.g. a failed login).

    One plain INSERT in the caller's transaction (no ORM object, no RETURNING). The statement
    is built once: a new ``insert().values(...)`` per call cost a cache-key walk every time.
    """
    session.execute(
        _APPEND,
        {
            "at": now(),
            "user_id": user_id,
            "role": role,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "detail": to_json(detail),
            "model_version": model_version,
        },
    )


_APPEND = insert(table(AuditEntry))
"""The Core INSERT of one audit row (the table, not the entity: no ORM bulk-insert path)."""


IMPORT_TOTALS = ("dry_run", "ok", "inserted", "updated", "unchanged", "rejected", "rejected_files")


def import_detail(report: ImportReport) -> dict[str, Any]:
    """What the audit keeps of an import: file names and totals, never row contents."""
    summary = report.to_dict()
    return {"files": [f.file for f in report.files], **{k: summary[k] for k in IMPORT_TOTALS}}


def pseudonym(candidate_id: str, *, key: bytes) -> str:
    """The trace an erased candidate leaves: a keyed (salted) sha256 of the id, never the id."""
    mac = hmac.new(key, b"candidate:" + candidate_id.encode(), hashlib.sha256)
    return "erased:" + mac.hexdigest()[:32]


def _filtered(
    since: dt.datetime | None,
    until: dt.datetime | None,
    user_id: str | None,
    action: str | None,
    object_type: str | None,
) -> Select[AuditEntry]:
    query = select(AuditEntry)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if until is not None:
        query = query.where(AuditEntry.at < until)
    if user_id is not None:
        query = query.where(AuditEntry.user_id == user_id)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    if object_type is not None:
        query = query.where(AuditEntry.object_type == object_type)
    return query


def query_audit(
    session: Session,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    user_id: str | None = None,
    action: str | None = None,
    object_type: str | None = None,
    organisation_id: str | None = None,
    offset: int = 0,
    limit: int = 100,
) -> Page[AuditRecord]:
    """Audit rows, newest first, filtered by time window, user, action and object type; with
    ``organisation_id`` only the rows of that organisation's users (an admin sees no other's)."""
    query = _filtered(since, until, user_id, action, object_type)
    if organisation_id is not None:
        members = select(User.user_id).where(User.organisation_id == organisation_id)
        query = query.where(AuditEntry.user_id.in_(members))
    count = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).offset(offset).limit(limit)
    )
    return Page(data=[_record_of(r) for r in rows], count=count)


def _record_of(row: AuditEntry) -> AuditRecord:
    return AuditRecord(
        id=row.id,
        at=row.at,
        user_id=row.user_id,
        role=row.role,
        action=row.action,
        object_type=row.object_type,
        object_id=row.object_id,
        detail=json.loads(row.detail) if row.detail else None,
        model_version=row.model_version,
    )


def purge_audit(
    session: Session,
    *,
    retention_days: int,
    before: dt.datetime | None = None,
    by: Principal | None = None,
) -> int:
    """Delete audit rows older than ``before`` (default: the retention limit); returns the count.

    Refuses a ``before`` that would delete rows younger than ``retention_days``.
    """
    limit = now() - dt.timedelta(days=retention_days)
    before = before or limit
    if before.tzinfo is None:
        raise InvalidInput("'before' must be timezone-aware")
    if before > limit:
        raise InvalidInput(
            f"audit rows are kept {retention_days} days; "
            f"refusing to purge rows after {limit:%Y-%m-%d %H:%M} UTC"
        )
    result = session.execute(delete(AuditEntry).where(AuditEntry.at < before))
    deleted = cast(CursorResult[Any], result).rowcount
    if by is not None:
        record(session, by, "audit.purge", detail={"before": before.isoformat(), "rows": deleted})
    return int(deleted)
