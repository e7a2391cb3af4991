"""Login limits against guessing and spraying, and whose address counts.

The address is the TCP peer: ``X-Forwarded-For`` counts only from ``WERKMATCH_TRUSTED_PROXIES``
(none by default), so rotating it does not escape the limits. Served through the uvicorn
options ``werkmatch serve`` uses (``api.listeners.uvicorn_options``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api import create_app
from api.listeners import uvicorn_options
from matching.settings import Settings
from matching.store.access import AuditEntry

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # database-independent

PASSWORD = "een lang wachtwoord"


@pytest.fixture
def user(password_user: str, cheap_hashing: None) -> str:
    """am-jansen, who signs in with PASSWORD (hashed cheaply: not under test here)."""
    return password_user


def login(
    client: TestClient, user: str, password: str = "niet het wachtwoord", **headers: str
) -> Any:
    page = client.get("/login")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match is not None
    form = {"username": user, "password": password, "csrf_token": match.group(1)}
    return client.post("/login", data=form, headers=headers, follow_redirects=False)


def throttles(sessions: sessionmaker[Session]) -> list[dict[str, Any]]:
    with sessions() as session:
        query = select(AuditEntry.detail).where(AuditEntry.action == "login.throttled")
        return [
            json.loads(detail or "{}") for detail in session.scalars(query.order_by(AuditEntry.id))
        ]


@pytest.fixture
def served(test_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A factory: the app as ``werkmatch serve`` loads it (environment settings, the serve
    path's uvicorn options), seen from a client on 127.0.0.1."""
    started: list[TestClient] = []
    monkeypatch.setenv("WERKMATCH_DATABASE_URL", test_settings.database_url)
    monkeypatch.setenv("WERKMATCH_VAR_DIR", str(test_settings.var_dir))

    def serve(trusted_proxies: str = "") -> TestClient:
        monkeypatch.setenv("WERKMATCH_TRUSTED_PROXIES", trusted_proxies)
        options = uvicorn_options(Settings(), host="127.0.0.1", port=8000)
        config = uvicorn.Config("api.app:create_app", **options, log_config=None)
        config.load()
        client = TestClient(config.loaded_app, base_url="http://localhost", client=("127.0.0.1", 5))
        started.append(client.__enter__())
        return client

    yield serve
    for client in started:
        client.__exit__(None, None, None)


def test_rotating_x_forwarded_for_does_not_escape_the_limit(
    served: Any, user: str, sessions: sessionmaker[Session]
) -> None:
    client = served()
    for i in range(5):
        assert login(client, user, **{"X-Forwarded-For": f"10.0.0.{i}"}).status_code == 401
    assert login(client, user, **{"X-Forwarded-For": "10.0.0.99"}).status_code == 429
    assert throttles(sessions) == [{"ip": "127.0.0.1", "limit": "user_and_ip"}]


def test_forwarded_addresses_count_from_a_trusted_proxy(
    served: Any, user: str, sessions: sessionmaker[Session]
) -> None:
    client = served("127.0.0.1, 10.1.0.0/16")
    for i in range(6):
        assert login(client, user, **{"X-Forwarded-For": f"10.0.0.{i}"}).status_code == 401
    with sessions() as session:
        query = select(AuditEntry.detail).where(AuditEntry.action == "login.failure")
        assert [
            json.loads(d)["ip"] for d in session.scalars(query.order_by(AuditEntry.id)) if d
        ] == [f"10.0.0.{i}" for i in range(6)]


def _client(app: Any, ip: str) -> TestClient:
    return TestClient(app, base_url="http://localhost", client=(ip, 5))


def test_spraying_user_names_from_one_address_hits_the_address_limit(
    test_settings: Settings, user: str, sessions: sessionmaker[Session]
) -> None:
    app = create_app(test_settings.model_copy(update={"login_failures_per_ip": 4}))
    with TestClient(app):
        spray = _client(app, "192.0.2.7")
        for name in ("a-1", "a-2", "a-3", user):
            assert login(spray, name).status_code == 401
        assert login(spray, "a-5").status_code == 429
        assert login(spray, user, PASSWORD).status_code == 429  # even the right password
        assert login(_client(app, "192.0.2.8"), user, PASSWORD).status_code == 303
    assert {t["limit"] for t in throttles(sessions)} == {"ip"}


def test_one_account_from_many_addresses_hits_the_account_limit(
    test_settings: Settings, user: str, sessions: sessionmaker[Session]
) -> None:
    app = create_app(test_settings.model_copy(update={"login_failures_per_account": 3}))
    with TestClient(app):
        for i in range(3):
            assert login(_client(app, f"198.51.100.{i}"), user.upper()).status_code == 401
        assert login(_client(app, "198.51.100.50"), user, PASSWORD).status_code == 429
        assert login(_client(app, "198.51.100.50"), "a-other").status_code == 401
    assert throttles(sessions) == [{"ip": "198.51.100.50", "limit": "account"}]


def test_failures_in_all_hit_the_global_limit(
    test_settings: Settings, user: str, sessions: sessionmaker[Session]
) -> None:
    app = create_app(test_settings.model_copy(update={"login_failures_per_minute": 5}))
    with TestClient(app):
        for i in range(5):
            assert login(_client(app, f"203.0.113.{i}"), f"u-{i}").status_code == 401
        assert login(_client(app, "203.0.113.77"), user, PASSWORD).status_code == 429
    assert throttles(sessions) == [{"ip": "203.0.113.77", "limit": "all"}]
