"""API fixtures: TestClients over ``create_app(test_settings)`` on the per-test store.

``client`` is signed in as an admin; ``client_as(role)`` as another role; ``anonymous_client``
sends no credentials.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from api import create_app
from matching.access import tokens
from matching.access import users as security
from matching.settings import Settings
from matching.store.access import Organisation, User
from matching.store.reference import Municipality


@pytest.fixture
def test_settings(engine: Engine, tmp_path: Path) -> Settings:
    """Settings pointing at the per-test store."""
    return Settings(database_url=engine.url.render_as_string(hide_password=False), var_dir=tmp_path)


@pytest.fixture
def app(test_settings: Settings) -> FastAPI:
    """The app under test (its lifespan runs when ``client`` enters it)."""
    return create_app(test_settings)


def sign_in(
    sessions: sessionmaker[Session], role: str, municipalities: Sequence[str] | None = None
) -> str:
    """A bearer token of a user ``test-<role>`` in an organisation covering ``municipalities``
    (default: every municipality, so role tests need not care about organisation scope)."""
    with sessions.begin() as session:
        codes = sorted(municipalities or session.scalars(select(Municipality.code)))
        organisation_id = "test-" + hashlib.sha256(";".join(codes).encode()).hexdigest()[:12]
        if session.get(Organisation, organisation_id) is None:
            security.create_organisation(
                session, organisation_id, name="Test", municipality_codes=codes
            )
        user_id = f"test-{role}-{organisation_id[5:]}"
        if session.get(User, user_id) is None:
            security.create_user(session, user_id, role=role, organisation_id=organisation_id)
        return tokens.issue_token(session, user_id, lifetime=dt.timedelta(days=1)).token


@pytest.fixture
def client(app: FastAPI, sessions: sessionmaker[Session]) -> Iterator[TestClient]:
    """A client of the app, with its lifespan run, signed in as an admin who sees every
    municipality (``Authorization: Bearer …`` on every request)."""
    with TestClient(app) as test_client:
        test_client.headers["Authorization"] = f"Bearer {sign_in(sessions, 'admin')}"
        yield test_client


@pytest.fixture
def client_as(
    client: TestClient, app: FastAPI, sessions: sessionmaker[Session]
) -> Callable[..., TestClient]:
    """A factory: ``client_as("jobhunter")`` or ``client_as("accountmanager", ["GM0575"])``."""

    def make(role: str, municipalities: Sequence[str] | None = None) -> TestClient:
        token = sign_in(sessions, role, municipalities)
        return TestClient(app, headers={"Authorization": f"Bearer {token}"})

    return make


@pytest.fixture
def anonymous_client(client: TestClient, app: FastAPI) -> TestClient:
    """A client of the (started) app that sends no credentials."""
    return TestClient(app)


PASSWORD = "een lang wachtwoord"
"""The password of ``password_user``."""


@pytest.fixture
def password_user(client: TestClient, sessions: sessionmaker[Session]) -> str:
    """Account manager am-jansen of organisation noordwijk, who signs in with ``PASSWORD``."""
    from tests.matching.security_fixtures import add_organisation

    with sessions.begin() as session:
        add_organisation(session)
        security.create_user(
            session, "am-jansen", role="accountmanager", organisation_id="noordwijk",
            password=PASSWORD,
        )  # fmt: skip
    return "am-jansen"


@pytest.fixture
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheaper argon2 parameters for tests of limits and sessions, not of the hash strength."""
    from argon2 import PasswordHasher

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(security, "_hasher", lambda: cheap)
