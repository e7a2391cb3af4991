"""Every route refuses anonymous callers (401) and the wrong roles (403); public paths stay open.

The expected roles come from ``api.roles.ROUTE_ROLES`` by router tag, so a router included
without a guard, or under a tag missing from the table, fails here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from fastapi.testclient import TestClient
from pydantic import ValidationError

from api import create_app
from api.roles import PUBLIC_PATHS, ROUTE_ROLES, api_routes, declared_roles
from matching.access.users import ROLES

Clients = dict[str, TestClient]


def _url(route: RouteContext) -> str:
    return re.sub(r"\{[^}]+\}", "1", route.path or "")


def _violations(app: FastAPI, anonymous: TestClient, clients: Clients) -> list[str]:
    """Every way the app's routes disagree with ROUTE_ROLES (empty when all is well)."""
    problems = [
        f"{context.path}: a {type(context.original_route).__name__} outside PUBLIC_PATHS"
        for context in iter_route_contexts(app.routes)
        if not isinstance(context.original_route, APIRoute)
        and context.path not in PUBLIC_PATHS
        and not (context.path or "").startswith("/static")
    ]
    for route in api_routes(app):
        if route.path in PUBLIC_PATHS:
            continue
        expected = ROUTE_ROLES.get(route.tags[0] if route.tags else "")
        if expected is None:
            problems.append(f"{route.path}: tag {route.tags} has no entry in ROUTE_ROLES")
            expected = ()
        if declared_roles(route) != frozenset(expected):
            problems.append(f"{route.path}: guard admits {declared_roles(route)}, not {expected}")
        for method in sorted(route.methods):
            url = _url(route)
            status = anonymous.request(method, url).status_code
            if status != 401:
                problems.append(f"{method} {url}: anonymous got {status}, not 401")
            for role, client in clients.items():
                status = client.request(method, url).status_code
                if role not in expected and status != 403:
                    problems.append(f"{method} {url}: {role} got {status}, not 403")
                if role in expected and method == "GET" and status in (401, 403):
                    problems.append(f"{method} {url}: {role} got {status}")
    return problems


def test_every_route_declares_and_enforces_its_roles(
    app: FastAPI, anonymous_client: TestClient, client_as: Callable[..., TestClient]
) -> None:
    clients = {role: client_as(role) for role in ROLES}
    assert _violations(app, anonymous_client, clients) == []
    assert len(list(api_routes(app))) >= 10


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # database-independent
def test_an_unguarded_router_is_caught(
    app: FastAPI, anonymous_client: TestClient, client_as: Callable[..., TestClient]
) -> None:
    forgotten = APIRouter(prefix="/forgotten", tags=["forgotten"])

    @forgotten.get("/{item_id}")
    def read_item(item_id: str) -> dict[str, str]:
        return {"item_id": item_id}

    app.include_router(forgotten)
    problems = _violations(app, anonymous_client, {"admin": client_as("admin")})
    assert any("/forgotten" in p and "ROUTE_ROLES" in p for p in problems)
    assert any("GET /forgotten/1: anonymous got 200" in p for p in problems)


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # database-independent
def test_public_paths_need_no_sign_in(anonymous_client: TestClient) -> None:
    for path in ("/healthz", "/login", "/openapi.json", "/docs"):
        assert anonymous_client.get(path).status_code == 200, path
    schema = anonymous_client.get("/openapi.json").json()
    assert "/candidates" in schema["paths"] and "K1" not in str(schema)


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # database-independent
def test_bad_credentials_are_401(anonymous_client: TestClient) -> None:
    for header in ("Bearer wm_nonsense", "Basic YWRtaW46YWRtaW4=", "Bearer "):
        response = anonymous_client.get("/me", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.headers["www-authenticate"] == "Bearer"


def test_me_tells_role_and_scope(client_as: Callable[..., TestClient]) -> None:
    body = client_as("accountmanager", ["GM0575", "GM0546"]).get("/me").json()
    assert body["role"] == "accountmanager"
    assert body["municipality_codes"] == ["GM0546", "GM0575"]


def test_production_mode_without_a_secret_key_does_not_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WERKMATCH_MODE", "production")
    monkeypatch.delenv("WERKMATCH_SECRET_KEY", raising=False)
    with pytest.raises(ValidationError, match="WERKMATCH_SECRET_KEY"):
        create_app()
