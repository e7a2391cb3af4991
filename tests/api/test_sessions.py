"""Login sessions: a password change ends them; the CSRF token is the session's own (new at
each login, worthless in another session); cookie-authenticated changes must come from our own
origin, bearer-token requests need neither."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from api.sessions import CSRF_COOKIE
from matching.access import tokens
from matching.cli import app as cli
from matching.settings import Settings

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # database-independent

PASSWORD = "een lang wachtwoord"
ORIGIN = "http://localhost"
HTML = {"accept": "text/html"}


@pytest.fixture
def user(password_user: str, cheap_hashing: None) -> str:
    """am-jansen, who signs in with PASSWORD (hashed cheaply: not under test here)."""
    return password_user


def form_token(client: TestClient, path: str = "/login") -> str:
    page = client.get(path, headers=HTML)
    match = re.search(r'name="csrf_token" value="([^"]*)"', page.text)
    assert page.status_code == 200 and match is not None, page.text
    return match.group(1)


def signed_in(app: FastAPI, user: str) -> TestClient:
    browser = TestClient(app, base_url=ORIGIN)
    form = {"username": user, "password": PASSWORD, "csrf_token": form_token(browser)}
    assert browser.post("/login", data=form, follow_redirects=False).status_code == 303
    return browser


def logout(browser: TestClient, token: str, **headers: str) -> int:
    answer = browser.post(
        "/logout", headers={"X-CSRF-Token": token, **headers}, follow_redirects=False
    )
    return answer.status_code


def test_a_password_change_ends_sessions_and_api_tokens(
    app: FastAPI, user: str, sessions: sessionmaker[Session], test_settings: Settings
) -> None:
    first, second = signed_in(app, user), signed_in(app, user)
    with sessions.begin() as session:
        api_token = tokens.issue_token(session, user, lifetime=dt.timedelta(days=1)).token
    assert first.get("/me").status_code == 200 and second.get("/me").status_code == 200
    env = {"WERKMATCH_DATABASE_URL": test_settings.database_url}
    result = CliRunner().invoke(
        cli, ["users", "password", user], input="nog een lang wachtwoord\n", env=env
    )
    assert result.exit_code == 0, result.output
    assert "3 sessie(s) en API-token(s) beëindigd" in result.output
    assert first.get("/me").status_code == 401 and second.get("/me").status_code == 401
    bearer = TestClient(app, headers={"Authorization": f"Bearer {api_token}"})
    assert bearer.get("/me").status_code == 401


def test_the_csrf_token_is_new_at_each_login_and_bound_to_its_session(
    app: FastAPI, user: str
) -> None:
    browser = TestClient(app, base_url=ORIGIN)
    before = form_token(browser)
    form = {"username": user, "password": PASSWORD, "csrf_token": before}
    assert browser.post("/login", data=form, follow_redirects=False).status_code == 303
    assert CSRF_COOKIE not in browser.cookies  # the login form's token is discarded
    own = form_token(browser, "/vacatures")
    other = form_token(signed_in(app, user), "/vacatures")
    assert own and own != before and own != other
    assert logout(browser, before, origin=ORIGIN) == 403  # the pre-login token
    assert logout(browser, other, origin=ORIGIN) == 403  # another session's token
    # a token that passes the old signed double submit, planted as cookie and field
    planted = form_token(TestClient(app, base_url=ORIGIN))
    browser.cookies.set(CSRF_COOKIE, planted)
    assert logout(browser, planted, origin=ORIGIN) == 403
    assert browser.get("/me").status_code == 200
    assert logout(browser, own, origin=ORIGIN) == 303
    assert browser.get("/me").status_code == 401


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"origin": "https://evil.example"}, 403),
        ({"origin": "http://localhost:8001"}, 403),
        ({"origin": "null"}, 403),
        ({"referer": "https://evil.example/vacatures"}, 403),
        ({}, 403),  # a browser always sends one of them
        ({"referer": "http://localhost/vacatures/V1"}, 303),
        ({"origin": "http://localhost:80"}, 303),
    ],
)
def test_cookie_requests_that_change_things_must_come_from_our_origin(
    app: FastAPI, user: str, headers: dict[str, str], status: int
) -> None:
    browser = signed_in(app, user)
    assert logout(browser, form_token(browser, "/vacatures"), **headers) == status
    assert browser.get("/me").status_code == (200 if status == 403 else 401)


def test_bearer_requests_need_neither_csrf_token_nor_origin(
    app: FastAPI, user: str, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        api_token = tokens.issue_token(session, user, lifetime=dt.timedelta(days=1)).token
    bearer = TestClient(app, headers={"Authorization": f"Bearer {api_token}"})
    answer = bearer.post(
        "/logout", headers={"origin": "https://evil.example"}, follow_redirects=False
    )
    assert answer.status_code == 303
