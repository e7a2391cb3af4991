"""The request session commits before the response is sent (a failed commit is never a 2xx)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from matching.store.access import ApiToken
from tests.api.conftest import sign_in

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)


def test_a_commit_that_fails_is_answered_503_not_2xx(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/healthz").status_code == 200

        def lost(_self: Session) -> None:
            raise OperationalError("COMMIT", {}, Exception("server closed the connection"))

        monkeypatch.setattr(Session, "commit", lost)
        answer = client.get("/healthz")
    assert answer.status_code == 503
    assert "database" in answer.json()["detail"]
    assert answer.headers["retry-after"] == "5"


def test_last_used_is_committed_even_when_the_request_fails(
    app: FastAPI, sessions: sessionmaker[Session]
) -> None:
    """The once-a-minute last_used_at write is committed when the user is authenticated, not
    at the end of the request: a 404 (rolled back) still records it, and SQLite's write lock is
    not held through the request."""
    token = sign_in(sessions, "accountmanager")
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as client:
        assert client.get("/vacancies/NOPE/shortlist").status_code == 404
    with sessions() as session:
        assert session.scalars(select(ApiToken.last_used_at)).one() is not None
