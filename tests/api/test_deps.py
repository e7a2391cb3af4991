"""The request session commits before the response is sent (a failed commit is never a 2xx)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

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
