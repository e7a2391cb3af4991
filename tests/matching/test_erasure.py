"""Erasure removes a candidate everywhere and leaves only a keyed-hash trace in the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from matching import audit
from matching.erasure import erase_candidate
from matching.errors import NotFound
from matching.security import Principal
from matching.store import models
from matching.store.security import AuditEntry
from tests.matching.security_fixtures import add_candidate

KEY = b"k" * 32
AM = Principal("am-jansen", "accountmanager", "noordwijk", frozenset({"GM0575"}))
ADMIN = Principal.command_line()
TABLES = ("candidates", "candidate_competences", "proposals", "placements")


def _count(session: Session, table: str, candidate_id: str) -> int:
    query = text(f"SELECT count(*) FROM {table} WHERE candidate_id = :id")
    return int(session.scalar(query, {"id": candidate_id}) or 0)


def test_erasure_removes_the_candidate_everywhere(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        add_candidate(session, "K1")
        add_candidate(session, "K10")
        audit.record(session, AM, "candidate.read", object_type="candidate", object_id="K1")
        audit.record(session, AM, "candidate.read", object_type="candidate", object_id="K10")
        audit.record(session, AM, "candidates.list", detail={"ids": ["K1", "K10"], "count": 2})
    with sessions.begin() as session:
        report = erase_candidate(session, "K1", by=ADMIN, key=KEY)
    assert report.trace == audit.pseudonym("K1", key=KEY)
    assert {t: report.rows[t] for t in TABLES} == dict.fromkeys(TABLES, 1)
    assert report.audit_rows == 2
    with sessions.begin() as session:
        assert [_count(session, t, "K1") for t in TABLES] == [0, 0, 0, 0]
        assert [_count(session, t, "K10") for t in TABLES] == [1, 1, 1, 1]
        rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert [r.object_id for r in rows] == [report.trace, "K10", None, report.trace]
        assert audit.query_audit(session, action="candidates.list").data[0].detail == {
            "ids": [report.trace, "K10"],
            "count": 2,
        }
        everything = " ".join(f"{r.object_id} {r.detail}" for r in rows)
        assert '"K1"' not in everything and "K1 " not in everything
        erased = rows[-1]
        assert (erased.action, erased.user_id) == ("candidate.erase", ADMIN.user_id)


def test_erasing_an_unknown_candidate_is_not_found(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session, pytest.raises(NotFound):
        erase_candidate(session, "nobody", by=ADMIN, key=KEY)
    with sessions.begin() as session:
        assert session.scalars(select(models.Candidate)).all() == []
