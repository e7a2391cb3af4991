"""Tokens: shown once, stored as sha256, expiring, revocable, kind-bound."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from matching.access import tokens
from matching.access import users as security
from matching.errors import InvalidInput, NotFound
from matching.store.access import ApiToken, Organisation
from tests.matching.security_fixtures import add_organisation

DAY = dt.timedelta(days=1)


def _user(session: Session, user_id: str = "am-jansen") -> None:
    if session.get(Organisation, "noordwijk") is None:
        add_organisation(session)
    security.create_user(session, user_id, role="accountmanager", organisation_id="noordwijk")


def test_token_is_stored_as_a_digest_and_authenticates(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        _user(session)
        issued = tokens.issue_token(session, "am-jansen", lifetime=30 * DAY)
    assert issued.token.startswith(issued.prefix) and len(issued.token) > 40
    with sessions.begin() as session:
        row = session.scalars(select(ApiToken)).one()
        assert row.token_hash == tokens.digest(issued.token) and issued.token not in row.token_hash
        principal = tokens.authenticate(session, issued.token, kind="api")
        assert principal is not None and principal.user_id == "am-jansen"
        assert principal.municipality_codes == {"GM0575"}
        assert tokens.authenticate(session, issued.token, kind="session") is None
        assert tokens.authenticate(session, issued.token + "x", kind="api") is None
        assert tokens.authenticate(session, "Bearer nonsense", kind="api") is None
    with sessions.begin() as session:
        assert session.scalars(select(ApiToken)).one().last_used_at is not None


def test_token_expires(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        _user(session)
        issued = tokens.issue_token(session, "am-jansen", lifetime=DAY)
        soon = security.now() + DAY - dt.timedelta(minutes=1)
        assert tokens.authenticate(session, issued.token, kind="api", at=soon) is not None
        later = security.now() + DAY + dt.timedelta(minutes=1)
        assert tokens.authenticate(session, issued.token, kind="api", at=later) is None
        with pytest.raises(InvalidInput):
            tokens.issue_token(session, "am-jansen", lifetime=-DAY)


def test_token_revocation_by_prefix_or_token(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        _user(session)
        first = tokens.issue_token(session, "am-jansen", lifetime=DAY)
        second = tokens.issue_token(session, "am-jansen", lifetime=DAY)
        assert tokens.revoke_token(session, first.prefix) == first.prefix
        assert tokens.authenticate(session, first.token, kind="api") is None
        assert tokens.authenticate(session, second.token, kind="api") is not None
        with pytest.raises(NotFound):
            tokens.revoke_token(session, first.prefix)
        tokens.revoke_token(session, second.token)
        assert tokens.authenticate(session, second.token, kind="api") is None
        listed = tokens.list_tokens(session, user_id="am-jansen")
        assert {t.prefix for t in listed} == {first.prefix, second.prefix}
        assert all(t.revoked_at is not None for t in listed)


def test_disabled_user_token_stops_working(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        _user(session)
        issued = tokens.issue_token(session, "am-jansen", lifetime=DAY)
        security.set_active(session, "am-jansen", active=False)
        assert tokens.authenticate(session, issued.token, kind="api") is None
        with pytest.raises(NotFound):
            tokens.issue_token(session, "am-jansen", lifetime=DAY)


def test_last_used_is_recorded_at_most_once_a_minute(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        _user(session)
        issued = tokens.issue_token(session, "am-jansen", lifetime=DAY)
    start = security.now()

    def use(at: dt.datetime) -> dt.datetime | None:
        with sessions.begin() as session:
            assert tokens.authenticate(session, issued.token, kind="api", at=at) is not None
        with sessions() as session:
            return session.scalars(select(ApiToken)).one().last_used_at

    assert use(start) == start
    assert use(start + dt.timedelta(seconds=59)) == start  # within the minute: no write
    later = start + tokens.LAST_USED_RESOLUTION
    assert use(later) == later
    with sessions.begin() as session:  # a refused (revoked) token records no use
        tokens.revoke_token(session, issued.prefix)
        assert tokens.authenticate(session, issued.token, kind="api", at=later + DAY / 2) is None
    with sessions() as session:
        assert tokens.list_tokens(session)[0].last_used_at == later


def test_principal_holds_every_municipality_of_the_organisation(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        add_organisation(session, "duin-en-bollen", "GM0575", "GM0546", "GM0537")
        security.create_user(
            session, "am-kok", role="accountmanager", organisation_id="duin-en-bollen"
        )
        issued = tokens.issue_token(session, "am-kok", lifetime=DAY)
    with sessions.begin() as session:
        principal = tokens.authenticate(session, issued.token, kind="api")
    assert principal == security.Principal(
        "am-kok", "accountmanager", "duin-en-bollen", frozenset({"GM0575", "GM0546", "GM0537"})
    )
