"""Users, organisations and passwords: argon2 hashes, validation, principals and scoping."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from matching.access import users as security
from matching.errors import InvalidInput, NotFound
from matching.settings import Settings
from matching.store.access import User
from tests.matching.security_fixtures import LEIDEN, NOORDWIJK, add_organisation

PASSWORD = "correct horse battery"


def test_password_is_hashed_with_argon2_and_verified(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        add_organisation(session, "holland-rijnland", NOORDWIJK, LEIDEN)
        security.create_user(
            session,
            "am-jansen",
            role="accountmanager",
            organisation_id="holland-rijnland",
            password=PASSWORD,
        )
    with sessions.begin() as session:
        stored = session.get(User, "am-jansen")
        assert stored is not None and stored.password_hash is not None
        assert (
            stored.password_hash.startswith("$argon2id$") and PASSWORD not in stored.password_hash
        )
        principal = security.verify_password(session, "am-jansen", PASSWORD)
        assert principal == security.Principal(
            "am-jansen", "accountmanager", "holland-rijnland", frozenset({NOORDWIJK, LEIDEN})
        )
        assert principal.sees_full(LEIDEN) and not principal.sees_full("GM0599")
        assert security.verify_password(session, "am-jansen", PASSWORD + "!") is None
        assert security.verify_password(session, "nobody", PASSWORD) is None
        assert security.verify_password(session, "NOT AN ID", PASSWORD) is None


@pytest.fixture
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters where the flow, not the hash strength, is under test."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(security, "_hasher", lambda: cheap)


@pytest.mark.usefixtures("cheap_hashing")
def test_inactive_or_passwordless_users_cannot_sign_in(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        add_organisation(session)
        security.create_user(session, "jh-smit", role="jobhunter", organisation_id="noordwijk")
        security.create_user(
            session, "ev-bos", role="evaluator", organisation_id="noordwijk", password=PASSWORD
        )
        assert security.verify_password(session, "jh-smit", "") is None
        security.set_active(session, "ev-bos", active=False)
        assert security.verify_password(session, "ev-bos", PASSWORD) is None
        security.set_active(session, "ev-bos", active=True)
        security.set_password(session, "ev-bos", "another long password")
        assert security.verify_password(session, "ev-bos", PASSWORD) is None
        assert security.verify_password(session, "ev-bos", "another long password") is not None
        listed = security.list_users(session)
        assert [(u.user_id, u.has_password) for u in listed] == [
            ("ev-bos", True),
            ("jh-smit", False),
        ]


def test_invalid_users_and_organisations_are_refused(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        with pytest.raises(InvalidInput, match="Onbekende gemeentecodes: GM9999"):
            add_organisation(session, "nowhere", "GM9999")
        add_organisation(session)
        with pytest.raises(InvalidInput, match="bestaat al"):
            add_organisation(session)
        with pytest.raises(InvalidInput, match="De rol is een van"):
            security.create_user(session, "x-1", role="boss", organisation_id="noordwijk")
        with pytest.raises(InvalidInput, match="Gebruikersnaam"):
            security.create_user(session, "Am Jansen", role="admin", organisation_id="noordwijk")
        with pytest.raises(NotFound):
            security.create_user(session, "am-1", role="admin", organisation_id="elsewhere")
        with pytest.raises(InvalidInput, match="minstens 12 tekens"):
            security.create_user(
                session, "am-2", role="admin", organisation_id="noordwijk", password="short"
            )
        security.create_user(session, "am-3", role="admin", organisation_id="noordwijk")
        with pytest.raises(InvalidInput, match="bestaat al"):
            security.create_user(session, "am-3", role="admin", organisation_id="noordwijk")


def test_production_mode_needs_a_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WERKMATCH_SECRET_KEY", raising=False)
    with pytest.raises(ValidationError, match="WERKMATCH_SECRET_KEY"):
        Settings(mode="production")
    with pytest.raises(ValidationError, match="WERKMATCH_SECRET_KEY"):
        Settings(mode="production", secret_key="too short")
    monkeypatch.setenv("WERKMATCH_SECRET_KEY", "k" * 40)
    configured = Settings(mode="production")
    assert security.secret_key(configured) == b"k" * 40


def test_development_mode_uses_a_random_process_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WERKMATCH_SECRET_KEY", raising=False)
    settings = Settings()
    key = security.secret_key(settings)
    assert len(key) == 32 and security.secret_key(Settings()) == key
