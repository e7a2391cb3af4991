"""Page access: browsers are sent to the login form, API clients get 401, wrong roles a Dutch
403 page; the session cookie login works for pages and their forms need the CSRF token."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from matching.access import users as security

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
HTML = {"accept": "text/html,application/xhtml+xml"}
HOME = {
    "accountmanager": "/vacatures",
    "jobhunter": "/witte-vlekken",
    "evaluator": "/evaluatie",
    "admin": "/vacatures",
}


def test_anonymous_browser_goes_to_login_with_next(anonymous_client: TestClient) -> None:
    response = anonymous_client.get("/vacatures?sector=N", headers=HTML, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/vacatures%3Fsector%3DN"


def test_anonymous_api_client_and_htmx_get_401(anonymous_client: TestClient) -> None:
    plain = anonymous_client.get("/witte-vlekken")
    assert plain.status_code == 401 and plain.json()["detail"].startswith("Niet aangemeld")
    htmx = anonymous_client.post(
        "/witte-vlekken/contact",
        headers={"hx-request": "true", "hx-current-url": "http://x/witte-vlekken?periode=maand"},
    )
    assert htmx.status_code == 401
    assert htmx.headers["hx-redirect"] == "/login?next=/witte-vlekken%3Fperiode%3Dmaand"


@pytest.mark.parametrize("role", sorted(HOME))
def test_home_sends_each_role_to_its_page(client_as: Callable[..., TestClient], role: str) -> None:
    response = client_as(role).get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == HOME[role]


def test_wrong_role_sees_a_dutch_403_page_and_only_its_nav(
    client_as: Callable[..., TestClient],
) -> None:
    jobhunter = client_as("jobhunter")
    page = jobhunter.get("/vacatures", headers=HTML)
    assert page.status_code == 403 and "Geen toegang" in page.text
    assert 'href="/witte-vlekken"' in page.text and 'href="/vacatures"' not in page.text
    assert jobhunter.get("/import").status_code == 403  # JSON for non-browsers
    assert jobhunter.get("/import").json()["detail"].endswith("mag dit niet.")


def _login(app: FastAPI, user: str, password: str) -> TestClient:
    # loopback: cookies without Secure; Origin as a browser sends it with every POST
    client = TestClient(app, base_url="http://127.0.0.1", headers={"origin": "http://127.0.0.1"})
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None
    data = {"username": user, "password": password, "csrf_token": token.group(1)}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303
    return client


def test_cookie_session_pages_and_csrf(
    client: TestClient, app: FastAPI, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        security.create_organisation(session, "org", name="Org", municipality_codes=["GM0575"])
        security.create_user(
            session, "jh", role="jobhunter", organisation_id="org", password="geheim-genoeg-1"
        )
    browser = _login(app, "jh", "geheim-genoeg-1")
    page = browser.get("/witte-vlekken", headers=HTML)
    assert page.status_code == 200 and "Acquisitietrechter" in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    data = {"employer_id": "nobody", "kind": "call"}
    assert browser.post("/witte-vlekken/contact", data=data).status_code == 403  # no token
    answer = browser.post("/witte-vlekken/contact", data={**data, "csrf_token": token.group(1)})
    assert answer.status_code == 404 and "bestaat niet" in answer.text
    assert browser.get("/static/css/werkmatch.css").status_code == 200
    assert "'unsafe-inline'" not in page.headers["content-security-policy"]
