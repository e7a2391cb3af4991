"""Who may open a page: the page guard, and how refusals look in a browser.

Page routes are guarded like API routes, by tag from ``api.roles.ROUTE_ROLES``, and refuse
with the same status codes (401 anonymous, 403 wrong role), so the route-enumerating test in
``tests/api/test_security.py`` holds for them too. What differs is the body, chosen by the
``Accept`` header: a browser (``text/html``) is sent to ``/login?next=…`` (303) or shown a
Dutch "no access" page; htmx gets an ``HX-Redirect`` to the login form; API clients get JSON.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request, status
from fastapi.responses import JSONResponse, RedirectResponse, Response

from api.deps import SessionDep, SettingsDep, csrf_protect, get_current_user
from api.roles import ROUTE_ROLES
from api.sessions import SESSION_COOKIE
from matching.access.users import Principal, Role


class LoginRequired(HTTPException):
    """Nobody (validly) signed in."""

    def __init__(
        self, detail: str = "Niet aangemeld: meld u aan op /login of stuur een bearer-token mee."
    ) -> None:
        super().__init__(status.HTTP_401_UNAUTHORIZED, detail, {"WWW-Authenticate": "Bearer"})


class PageForbidden(HTTPException):
    """Signed in, but the role may not open this page."""

    def __init__(self, role: str) -> None:
        super().__init__(status.HTTP_403_FORBIDDEN, f"De rol {role!r} mag dit niet.")


def wants_html(request: Request) -> bool:
    """True for a browser navigation or an htmx request."""
    return "text/html" in request.headers.get("accept", "") or "hx-request" in request.headers


def login_url(request: Request) -> str:
    """The login form, coming back to this page (a GET page; else its referring page)."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET":
        target = request.headers.get("hx-current-url", "") or "/"
        target = "/" + target.split("/", 3)[3] if target.count("/") >= 3 else "/"
    return f"/login?next={quote(target, safe='/')}"


async def page_principal(request: Request, session: SessionDep, settings: SettingsDep) -> Principal:
    """The signed-in user (bearer token or session cookie), or LoginRequired."""
    if "authorization" not in request.headers and SESSION_COOKIE not in request.cookies:
        raise LoginRequired()
    await csrf_protect(request, settings)
    try:
        return get_current_user(request, session, None)
    except HTTPException as error:
        if error.status_code == status.HTTP_401_UNAUTHORIZED:
            raise LoginRequired(str(error.detail)) from error
        raise


def require_page_roles(*roles: Role) -> Callable[..., Awaitable[Principal]]:
    """A dependency admitting signed-in users whose role is in ``roles``."""
    allowed = frozenset(roles)

    async def _require(principal: Principal = Depends(page_principal)) -> Principal:  # noqa: B008
        if principal.role not in allowed:
            raise PageForbidden(principal.role)
        return principal

    _require.roles = allowed  # type: ignore[attr-defined]
    return _require


def page_guard(tag: str) -> list[Any]:
    """The router-level dependencies of the page router with ``tag``."""
    return [Depends(require_page_roles(*ROUTE_ROLES[tag]))]


def allowed(principal: Principal, tag: str) -> bool:
    """True when the principal's role may open the pages of ``tag``."""
    return principal.role in ROUTE_ROLES.get(tag, ())


async def login_required_handler(request: Request, exc: Exception) -> Response:
    """Browsers go to the login form; API clients get 401 JSON."""
    assert isinstance(exc, LoginRequired)
    if "hx-request" in request.headers:
        return Response(status_code=401, headers={"HX-Redirect": login_url(request)})
    if wants_html(request):
        return RedirectResponse(login_url(request), status_code=status.HTTP_303_SEE_OTHER)
    return JSONResponse({"detail": exc.detail}, status_code=401, headers=exc.headers)
