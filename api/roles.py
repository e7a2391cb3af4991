"""Who may call what: the role table, the role guard, and the public paths.

Every router is included in ``api/app.py`` with ``dependencies=guard(<its tag>)``; the roles
per tag live only in ``ROUTE_ROLES``. ``tests/api/test_security.py`` walks every route of the
app and proves anonymous callers get 401 and the other roles 403, so a router included without
a guard (or a tag missing here) fails the suite.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, status
from fastapi.params import Depends as DependsParam
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts

from api.deps import CurrentUser
from matching.access.users import ROLES, Principal, Role

SIGNED_IN: tuple[Role, ...] = ROLES

ROUTE_ROLES: dict[str, tuple[Role, ...]] = {
    "candidates": ("accountmanager", "admin"),
    "employers": ("accountmanager", "jobhunter", "admin"),
    "vacancies": ("accountmanager", "jobhunter", "admin"),
    "shortlists": ("accountmanager", "admin"),
    "imports": ("admin",),
    "normalise": SIGNED_IN,
    "model": SIGNED_IN,
    "audit": ("admin",),
    "auth": SIGNED_IN,
    "whitespots": ("jobhunter", "admin"),
    "acquisition": ("jobhunter", "admin"),
    "acquisition-funnel": ("jobhunter", "evaluator", "admin"),
    "programmes": ("evaluator", "admin"),
    "instruments": ("accountmanager", "admin"),
    "aftercare": ("accountmanager", "admin"),
    "supply": ("accountmanager", "jobhunter", "admin"),
    # the VUM source (api/routers/vum.py): other mediators' systems, with an API token
    "vum-werkzoekenden": ("accountmanager", "admin"),
    "vum-vacatures": ("accountmanager", "jobhunter", "admin"),
    # the pages (api/pages): browsers are sent to /login instead of a bare 401
    "pages-home": SIGNED_IN,
    "pages-vacancies": ("accountmanager", "admin"),
    "pages-candidates": ("accountmanager", "admin"),
    "pages-whitespots": ("jobhunter", "admin"),
    "pages-evaluation": ("evaluator", "admin"),
    "pages-programmes": ("evaluator", "admin"),
    "pages-import": ("admin",),
    "pages-review": ("accountmanager", "admin"),
    "pages-instruments": ("accountmanager", "admin"),
    "pages-aftercare": ("accountmanager", "admin"),
    "pages-supply": ("accountmanager", "jobhunter", "admin"),
}
"""Roles allowed per router tag."""

SHARED_ACROSS_ORGANISATIONS: dict[str, str] = {
    "/vacancies/{vacancy_id}": "a vacancy is employer information shared in the region",
    "/employers/{employer_id}": "the employer register is shared in the region",
    "/vum/v3/vacatures/{idVacature}": "an open vacancy is employer information shared in the "
    "region, and VUM publishes it to every mediator",
}
"""Routes taking an id that may answer for another organisation's data, and why. Every other
route that takes a vacancy or candidate id answers 404 for another organisation's data
(``tests/api/test_organisation_scope.py`` walks them all from the route table)."""

PUBLIC_PATHS = frozenset(
    {
        "/healthz",
        "/favicon.ico",
        "/login",
        "/docs",
        "/redoc",
        "/docs-assets",
        "/docs-assets/redoc.standalone.js",
        "/openapi.json",
    }
)
"""Paths anyone may call: health, the icon, the login form and the (data-free) API
documentation."""


def require_roles(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency admitting signed-in users whose role is in ``roles`` (403 otherwise)."""
    allowed = frozenset(roles)

    async def _require(principal: CurrentUser) -> Principal:  # no I/O: no thread-pool hop
        if principal.role not in allowed:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN, f"De rol {principal.role!r} mag dit niet."
            )
        return principal

    _require.roles = allowed  # type: ignore[attr-defined]
    return _require


def guard(tag: str) -> list[Any]:
    """The router-level dependencies for the router with ``tag``: its roles from the table."""
    return [Depends(require_roles(*ROUTE_ROLES[tag]))]


def api_routes(app: FastAPI) -> Iterator[RouteContext]:
    """Every API route of ``app`` as included (prefix, tags and router dependencies applied)."""
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute):
            yield context


def declared_roles(route: APIRoute | RouteContext) -> frozenset[str] | None:
    """The roles a route's guard admits, or None when it has no role guard."""
    for dependency in route.dependencies:
        if isinstance(dependency, DependsParam):
            roles = getattr(dependency.dependency, "roles", None)
            if roles is not None:
                return frozenset(roles)
    return None
