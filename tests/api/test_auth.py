"""Login form: session cookie flags, CSRF tokens, rate limit, logout, audit of logins."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.sessions import CSRF_COOKIE, SESSION_COOKIE
from matching.store.access import AuditEntry

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # database-independent

PASSWORD = "een lang wachtwoord"
SAME_ORIGIN = {"origin": "http://localhost"}  # what a browser sends with a POST


@pytest.fixture(autouse=True)
def fast_hashing(cheap_hashing: None) -> None:
    """The flow is under test here, not the hash strength."""


@pytest.fixture
def browser(password_user: str, app: FastAPI) -> TestClient:
    """A cookie-keeping client on http://localhost, with user am-jansen (Noordwijk)."""
    return TestClient(app, base_url="http://localhost")


def _csrf(client: TestClient) -> str:
    page = client.get("/login")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match is not None
    return match.group(1)


def _page_token(client: TestClient) -> str:
    """The CSRF token the signed-in user's pages carry (bound to the session)."""
    page = client.get("/vacatures", headers={"accept": "text/html"})
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match is not None
    return match.group(1)


def _login(client: TestClient, password: str = PASSWORD, user: str = "am-jansen", **extra: str):  # type: ignore[no-untyped-def]
    form = {"username": user, "password": password, "csrf_token": _csrf(client), **extra}
    return client.post("/login", data=form, follow_redirects=False)


def _actions(sessions: sessionmaker[Session]) -> list[tuple[str, str]]:
    with sessions() as session:
        rows = session.execute(
            select(AuditEntry.action, AuditEntry.user_id).order_by(AuditEntry.id)
        )
        return [(a, u) for a, u in rows if a.startswith(("login", "logout"))]


def test_login_sets_a_session_cookie_that_signs_in(
    browser: TestClient, sessions: sessionmaker[Session]
) -> None:
    response = _login(browser, next="/me")
    assert response.status_code == 303 and response.headers["location"] == "/me"
    cookie = next(c for c in response.headers.get_list("set-cookie") if SESSION_COOKIE in c)
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    me = browser.get("/me")
    assert me.status_code == 200 and me.json()["user_id"] == "am-jansen"
    assert browser.get("/candidates").status_code == 200
    assert _actions(sessions) == [("login.success", "am-jansen")]


def test_session_cookie_is_secure_off_localhost(app: FastAPI, browser: TestClient) -> None:
    remote = TestClient(app, base_url="https://werkmatch.example.nl")
    response = _login(remote, next="//evil.example/")
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = next(c for c in response.headers.get_list("set-cookie") if SESSION_COOKIE in c)
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_wrong_password_fails_and_is_audited(
    browser: TestClient, sessions: sessionmaker[Session]
) -> None:
    response = _login(browser, password="niet het wachtwoord")
    assert response.status_code == 401 and "onjuist wachtwoord" in response.text
    assert SESSION_COOKIE not in browser.cookies
    assert _login(browser, user="nobody").status_code == 401
    assert browser.get("/me").status_code == 401
    assert _actions(sessions) == [("login.failure", "am-jansen"), ("login.failure", "(unknown)")]


def test_login_without_a_valid_csrf_token_is_refused(browser: TestClient) -> None:
    _csrf(browser)
    form = {"username": "am-jansen", "password": PASSWORD}
    assert browser.post("/login", data=form, follow_redirects=False).status_code == 403
    forged = {**form, "csrf_token": "made.up"}
    browser.cookies.set(CSRF_COOKIE, "made.up")
    assert browser.post("/login", data=forged, follow_redirects=False).status_code == 403
    assert SESSION_COOKIE not in browser.cookies


def test_cookie_requests_that_change_things_need_the_csrf_token(browser: TestClient) -> None:
    assert _login(browser).status_code == 303
    assert browser.post("/logout", follow_redirects=False).status_code == 403
    assert browser.get("/me").status_code == 200
    headers = {"X-CSRF-Token": _page_token(browser), **SAME_ORIGIN}
    response = browser.post("/logout", headers=headers, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    browser.cookies.clear()
    assert browser.get("/me").status_code == 401


def test_logout_revokes_the_session_token(browser: TestClient, app: FastAPI) -> None:
    response = _login(browser)
    session_token = response.cookies[SESSION_COOKIE]
    csrf = _page_token(browser)
    browser.post("/logout", data={"csrf_token": csrf}, headers=SAME_ORIGIN, follow_redirects=False)
    replay = TestClient(app, base_url="http://localhost", cookies={SESSION_COOKIE: session_token})
    assert replay.get("/me").status_code == 401


def test_login_attempts_are_rate_limited(
    browser: TestClient, sessions: sessionmaker[Session]
) -> None:
    for _ in range(5):
        assert _login(browser, password="niet het wachtwoord").status_code == 401
    throttled = _login(browser)
    assert throttled.status_code == 429 and int(throttled.headers["retry-after"]) > 0
    assert SESSION_COOKIE not in browser.cookies
    assert _login(browser, user="ev-bos").status_code == 401  # another username is counted apart
    assert ("login.throttled", "am-jansen") in _actions(sessions)
