"""The audit log: appended, queried newest first, never edited, purged only past retention."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from matching.access import audit
from matching.access.users import Principal, now
from matching.errors import InvalidInput
from matching.store.access import AuditEntry

ADMIN = Principal("ad-admin", "admin", "noordwijk", frozenset({"GM0575"}))


def _entry(session: Session, action: str, age_days: float) -> None:
    session.add(
        AuditEntry(
            at=now() - dt.timedelta(days=age_days),
            user_id="am-jansen",
            role="accountmanager",
            action=action,
        )
    )


def test_record_and_query(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        audit.record(session, ADMIN, "import", detail={"files": ["candidates.csv"], "rows": 3})
        audit.record(
            session,
            ADMIN,
            "shortlist.create",
            object_type="vacancy",
            object_id="V1",
            detail={"candidates": ["K1", "K2"]},
            model_version="2026-01-01",
        )
        _entry(session, "candidate.read", age_days=3)
    with sessions.begin() as session:
        page = audit.query_audit(session)
        assert page.count == 3
        assert [r.action for r in page.data] == ["shortlist.create", "import", "candidate.read"]
        newest = page.data[0]
        assert newest.user_id == "ad-admin" and newest.role == "admin"
        assert (
            newest.detail == {"candidates": ["K1", "K2"]} and newest.model_version == "2026-01-01"
        )
        assert newest.at.tzinfo is not None and now() - newest.at < dt.timedelta(minutes=1)
        recent = audit.query_audit(session, since=now() - dt.timedelta(days=1))
        assert recent.count == 2
        assert audit.query_audit(session, user_id="am-jansen").count == 1
        assert audit.query_audit(session, action="import").data[0].detail == {
            "files": ["candidates.csv"],
            "rows": 3,
        }


def test_audit_rows_cannot_be_changed_through_the_orm(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        audit.record(session, ADMIN, "login.success")
    with pytest.raises(PermissionError, match="append-only"), sessions.begin() as session:
        session.scalars(select(AuditEntry)).one().action = "nothing happened"
    with pytest.raises(PermissionError, match="append-only"), sessions.begin() as session:
        session.delete(session.scalars(select(AuditEntry)).one())
    with sessions.begin() as session:
        assert session.scalars(select(AuditEntry.action)).all() == ["login.success"]


def test_purge_respects_retention(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        _entry(session, "old", age_days=400)
        _entry(session, "past-retention", age_days=201)
        _entry(session, "within-retention", age_days=199)
        _entry(session, "recent", age_days=1)
    with sessions.begin() as session:
        with pytest.raises(InvalidInput, match="kept 200 days"):
            audit.purge_audit(session, retention_days=200, before=now() - dt.timedelta(days=10))
        assert audit.purge_audit(session, retention_days=200, by=ADMIN) == 2
    with sessions.begin() as session:
        left = set(session.scalars(select(AuditEntry.action)))
        assert left == {"within-retention", "recent", "audit.purge"}
        old = now() - dt.timedelta(days=300)
        assert audit.purge_audit(session, retention_days=200, before=old) == 0
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 3


def test_pseudonym_is_keyed_and_stable() -> None:
    first = audit.pseudonym("K1", key=b"a" * 32)
    assert first == audit.pseudonym("K1", key=b"a" * 32)
    assert first != audit.pseudonym("K1", key=b"b" * 32) != audit.pseudonym("K2", key=b"a" * 32)
    assert "K1" not in first and first.startswith("erased:")
