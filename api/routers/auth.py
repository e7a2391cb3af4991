"""Sign in and out: the login form, the session cookie, and who am I."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import math
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from api.deps import CurrentUser, SessionDep, SettingsDep
from api.errors import error_responses
from api.ratelimit import LoginLimits
from api.schemas.access import MePublic
from api.sessions import (
    SESSION_COOKIE,
    clear_csrf_cookie,
    clear_session_cookie,
    login_csrf_ok,
    login_csrf_token,
    set_csrf_cookie,
    set_session_cookie,
)
from matching.access.audit import append, record
from matching.access.tokens import issue_token, revoke_token
from matching.access.users import secret_key, verify_password
from matching.errors import NotFound
from matching.settings import Settings
from matching.store.access import User

public_router = APIRouter(tags=["auth"])
router = APIRouter(tags=["auth"], responses=error_responses(401, 403, 503))
LOGIN_REFUSED: dict[int | str, dict[str, Any]] = {
    code: {"description": text, "content": {"text/html": {}}}
    for code, text in {
        401: "Unknown user or wrong password: the form again.",
        403: "The form's CSRF token is missing or expired: the form again.",
        429: "Too many attempts: the form again, with Retry-After.",
    }.items()
}
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
FAILED = "Onbekende gebruiker of onjuist wachtwoord."


@functools.cache
def _templates() -> Jinja2Templates:
    return Jinja2Templates(directory=TEMPLATES)


def _safe_next(target: str) -> str:
    """A local path to go to after login; never another site."""
    if target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def _form(
    request: Request,
    settings: Settings,
    *,
    next_path: str = "/",
    status_code: int = 200,
    error: str | None = None,
    username: str = "",
) -> HTMLResponse:
    """The login form with a (new or current) CSRF token in field and cookie."""
    token = login_csrf_token(request, secret_key(settings))
    context = {
        "csrf_token": token,
        "next": _safe_next(next_path),
        "error": error,
        "username": username,
    }
    response = _templates().TemplateResponse(
        request, "login.html", context, status_code=status_code
    )
    set_csrf_cookie(request, response, token)
    return response


def _limits(request: Request) -> LoginLimits:
    limits: LoginLimits = request.app.state.login_limits
    return limits


@public_router.get("/login", response_class=HTMLResponse)
def login_page(
    request: Request,
    settings: SettingsDep,
    next_path: Annotated[str, Query(alias="next", max_length=500)] = "/",
) -> HTMLResponse:
    """The login form."""
    return _form(request, settings, next_path=next_path)


@public_router.post("/login", response_class=HTMLResponse, status_code=303, responses=LOGIN_REFUSED)
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next_path: Annotated[str, Form(alias="next", max_length=500)] = "/",
) -> Response:
    """Check the password; on success set the session cookie and go to ``next`` (303)."""
    if not login_csrf_ok(request, csrf_token, secret_key(settings)):
        error = "Het formulier is verlopen; probeer het opnieuw."
        return _form(request, settings, next_path=next_path, status_code=403, error=error)
    ip = request.client.host if request.client else "unknown"
    known = session.get(User, username) is not None if username else False
    actor = {"user_id": username if known else "(unknown)", "role": "anonymous"}
    if throttled := _limits(request).attempt(username, ip):
        limit, wait = throttled
        append(session, **actor, action="login.throttled", detail={"ip": ip, "limit": limit})
        error = "Te veel pogingen; wacht een minuut."
        response = _form(request, settings, next_path=next_path, status_code=429, error=error)
        response.headers["Retry-After"] = str(math.ceil(wait))
        return response
    principal = verify_password(session, username, password)
    if principal is None:
        _limits(request).failed(username, ip)
        append(session, **actor, action="login.failure", detail={"ip": ip})
        return _form(request, settings, next_path=next_path, status_code=401, error=FAILED)
    lifetime = dt.timedelta(hours=settings.session_hours)
    issued = issue_token(session, principal.user_id, lifetime=lifetime, kind="session")
    record(session, principal, "login.success", detail={"ip": ip})
    redirect = RedirectResponse(_safe_next(next_path), status_code=303)
    set_session_cookie(request, redirect, issued.token, hours=settings.session_hours)
    clear_csrf_cookie(redirect)  # the session's own CSRF token takes over (api/sessions.py)
    return redirect


@router.post(
    "/logout",
    status_code=303,
    response_class=Response,
    responses={303: {"description": "Signed out: to the login form."}},
)
def logout(request: Request, session: SessionDep, principal: CurrentUser) -> Response:
    """End the login session (its token is revoked) and go back to the login form."""
    token = request.cookies.get(SESSION_COOKIE)
    if token and "authorization" not in request.headers:
        with contextlib.suppress(NotFound):
            revoke_token(session, token)
    record(session, principal, "logout")
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response)
    return response


@router.get("/me", response_model=MePublic)
def me(principal: CurrentUser) -> MePublic:
    """The signed-in user, their role and the municipalities they see in full."""
    return MePublic(
        user_id=principal.user_id,
        role=principal.role,
        organisation_id=principal.organisation_id,
        municipality_codes=sorted(principal.municipality_codes),
    )
