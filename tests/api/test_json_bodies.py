"""JSON bodies that JSON allows but the API cannot answer about: non-finite numbers (``NaN``,
``Infinity``, ``-Infinity``, ``1e999``) and lone surrogates (``"\\ud800"``) get 422 with a
Dutch message on every route that reads a JSON body, never a 500. The VUM source routes answer
as their contracts say: 400 with the contract's ``Error`` body (``api/routers/vum.py``).

The routes come from the app's route table, so a new JSON-body route is covered at once.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, params
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api import create_app
from api.roles import api_routes
from matching.settings import Settings

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # database-independent

BAD_BODIES = (
    '{"candidate_ids": ["K-1"], "k": NaN}',
    "[Infinity]",
    '{"k": -Infinity, "date": "2026-01-01"}',
    "1e999",
    '{"nested": {"deeper": [1, 2, -1e999]}}',
    '{"reason": "\\ud800"}',
    '{"\\udfff": 1}',
    '["ok", ["\\ud83d"]]',
)


def json_body_routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every route whose body is JSON (not a form or an upload)."""
    found = []
    for context in api_routes(app):
        route = context.original_route
        assert isinstance(route, APIRoute)
        field = route.body_field
        if field is not None and not isinstance(field.field_info, params.Form):
            found += [(method, context.path) for method in sorted(context.methods or ())]
    return found


def refusal(path: str, response: httpx.Response) -> Any:
    """The reason a refused request was given: 422's detail, or the VUM contract's details."""
    assert response.headers["content-type"] == "application/json"
    if path.startswith("/vum/"):
        assert response.status_code == 400, (path, response.text)
        return response.json()["details"]
    assert response.status_code == 422, (path, response.text)
    return response.json()["detail"]


@pytest.fixture(scope="module")
def routes(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    """``json_body_routes`` of the app, read once per module: every app has the same table."""
    var = tmp_path_factory.mktemp("routes")
    return json_body_routes(create_app(Settings(database_url=f"sqlite:///{var}/x.db", var_dir=var)))


def test_the_route_table_has_json_body_routes(
    test_settings: Settings, routes: list[tuple[str, str]]
) -> None:
    assert json_body_routes(create_app(test_settings)) == routes
    assert ("POST", "/vacancies/{vacancy_id}/proposals") in routes and len(routes) >= 4


@pytest.mark.parametrize("body", BAD_BODIES)
def test_non_finite_numbers_and_lone_surrogates_get_422(
    client: TestClient, routes: list[tuple[str, str]], body: str
) -> None:
    for method, path in routes:
        url = re.sub(r"\{[^}]+\}", "X-1", path)
        response = client.request(
            method, url, content=body.encode(), headers={"Content-Type": "application/json"}
        )
        reason = refusal(path, response)
        assert "JSON" in reason and "niet" in reason


@pytest.mark.parametrize(
    ("content_type", "body"),
    [("text/plain", b"\xff\xfe"), (None, b"\xed\xa0\x80"), ("text/plain", b"NaN")],
)
def test_a_body_that_is_no_json_gets_a_writable_422(
    client: TestClient, routes: list[tuple[str, str]], content_type: str | None, body: bytes
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    for method, path in routes:
        url = re.sub(r"\{[^}]+\}", "X-1", path)
        response = client.request(method, url, content=body, headers=headers)
        reason = refusal(path, response)
        assert isinstance(reason, str if path.startswith("/vum/") else list)
