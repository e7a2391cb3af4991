"""Login-session cookie and CSRF double-submit tokens for the pages.

The session cookie carries a server-side session token (``matching/tokens.py``, kind
``session``): stored as sha256, revoked at logout, expiring after ``session_hours``. Forms carry
a CSRF token that must equal the CSRF cookie and bear our HMAC signature (signed double submit).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import HTTPException, Request, Response, status

SESSION_COOKIE = "werkmatch_session"
CSRF_COOKIE = "werkmatch_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


def is_local(request: Request) -> bool:
    """True when the browser talks to us on the loopback interface (plain HTTP allowed)."""
    return (request.url.hostname or "") in LOCAL_HOSTS


def _sign(nonce: str, key: bytes) -> str:
    return hmac.new(key, b"csrf:" + nonce.encode(), hashlib.sha256).hexdigest()[:32]


def new_csrf_token(key: bytes) -> str:
    """A fresh signed CSRF token: ``nonce.signature``."""
    nonce = secrets.token_urlsafe(18)
    return f"{nonce}.{_sign(nonce, key)}"


def csrf_token_valid(token: str, key: bytes) -> bool:
    """True when ``token`` carries our signature."""
    nonce, _, signature = token.partition(".")
    return bool(nonce) and hmac.compare_digest(signature, _sign(nonce, key))


def csrf_token_for(request: Request, key: bytes) -> str:
    """The request's valid CSRF cookie value, or a new token (set it with ``set_csrf_cookie``)."""
    current = request.cookies.get(CSRF_COOKIE, "")
    return current if csrf_token_valid(current, key) else new_csrf_token(key)


def set_csrf_cookie(request: Request, response: Response, token: str) -> None:
    """Send the CSRF cookie the forms are checked against."""
    response.set_cookie(
        CSRF_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=not is_local(request),
        path="/",
    )


def set_session_cookie(request: Request, response: Response, token: str, *, hours: int) -> None:
    """Send the session cookie: HttpOnly, SameSite=Lax, Secure unless on localhost."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=hours * 3600,
        httponly=True,
        samesite="lax",
        secure=not is_local(request),
        path="/",
    )


def clear_session_cookie(response: Response) -> None:
    """Remove the session cookie."""
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")


async def submitted_csrf_token(request: Request) -> str:
    """The CSRF token of a request: the X-CSRF-Token header or the form field."""
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    return ""


async def check_csrf(request: Request, key: bytes) -> None:
    """403 unless the submitted CSRF token equals the CSRF cookie and is signed by us."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    submitted = await submitted_csrf_token(request)
    if not (
        cookie
        and hmac.compare_digest(cookie.encode(), submitted.encode())
        and csrf_token_valid(cookie, key)
    ):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "missing or invalid CSRF token")
