"""Candidates: organisation scope (others are 404) and an audit row for every read."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from matching.store.access import AuditEntry
from tests.matching.security_fixtures import LEIDEN, NOORDWIJK, add_candidate
from tests.matching.shortlist.store_fixture import seed


def _seed(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        add_candidate(session, "K1", NOORDWIJK)
        add_candidate(session, "K2", NOORDWIJK)
        add_candidate(session, "L1", LEIDEN)


def _audit(sessions: sessionmaker[Session]) -> list[AuditEntry]:
    with sessions() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def test_account_manager_sees_only_own_organisation(
    client_as: Callable[..., TestClient], sessions: sessionmaker[Session]
) -> None:
    _seed(sessions)
    noordwijk = client_as("accountmanager", [NOORDWIJK])
    page = noordwijk.get("/candidates").json()
    assert (page["count"], [c["candidate_id"] for c in page["data"]]) == (2, ["K1", "K2"])
    assert noordwijk.get("/candidates", params={"municipality": LEIDEN}).json()["count"] == 0
    assert noordwijk.get("/candidates/K1").status_code == 200
    other = noordwijk.get("/candidates/L1")
    assert other.status_code == 404 and other.json() == {"detail": "Kandidaat 'L1' niet gevonden."}
    leiden = client_as("accountmanager", [LEIDEN])
    assert [c["candidate_id"] for c in leiden.get("/candidates").json()["data"]] == ["L1"]


def test_roles_without_candidate_access_are_refused(
    client_as: Callable[..., TestClient], sessions: sessionmaker[Session]
) -> None:
    _seed(sessions)
    for role in ("jobhunter", "evaluator"):
        assert client_as(role, [NOORDWIJK]).get("/candidates/K1").status_code == 403
    assert not [e for e in _audit(sessions) if e.action.startswith("candidate")]


def test_every_candidate_read_is_audited(
    client_as: Callable[..., TestClient], sessions: sessionmaker[Session]
) -> None:
    _seed(sessions)
    noordwijk = client_as("accountmanager", [NOORDWIJK])
    noordwijk.get("/candidates", params={"status": "active"})
    noordwijk.get("/candidates/K2")
    listed, read = _audit(sessions)
    assert listed.action == "candidates.list" and listed.role == "accountmanager"
    assert listed.user_id.startswith("test-accountmanager-")
    assert '"ids": ["K1", "K2"]' in (listed.detail or "")
    assert '"status": "active"' in (listed.detail or "")
    assert (read.action, read.object_type, read.object_id) == ("candidate.read", "candidate", "K2")
    assert read.at >= listed.at


def test_candidates_search_through_the_api(
    client_as: Callable[..., TestClient], sessions: sessionmaker[Session]
) -> None:
    seed(sessions)
    noordwijk = client_as("accountmanager", [NOORDWIJK])
    body = noordwijk.get("/candidates", params={"q": "schoonmaker", "ladder_step": 5}).json()
    ids = {c["candidate_id"] for c in body["data"]}
    assert {"O1", "O2", "O3"} <= ids and "O4" not in ids and "R1" not in ids
    assert noordwijk.get("/candidates", params={"target_group": "onbekend"}).status_code == 422
