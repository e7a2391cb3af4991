"""Login-session cookie, CSRF tokens and the same-origin check for the pages.

The session cookie carries a server-side session token (``matching/access/tokens.py``, kind
``session``): stored as sha256, revoked at logout and at a password change, expiring after
``session_hours``. A signed-in browser's CSRF token is bound to its session: an HMAC, with the
secret key, of the session token's digest. It is new with every login, only the server can
compute it, and a token of one session is worthless in another. Before login the login form
carries a signed double-submit token (cookie and field equal, HMAC-signed), which the login
discards. Unsafe requests authenticated by the session cookie must also come from our own
origin (``Origin``, else ``Referer``); bearer-token requests carry no ambient credentials and
are exempt from both checks.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from fastapi import HTTPException, Request, Response, status

from matching.access.tokens import digest

SESSION_COOKIE = "werkmatch_session"
CSRF_COOKIE = "werkmatch_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
DEFAULT_PORTS = {"http": 80, "https": 443}


def is_local(request: Request) -> bool:
    """True when the browser talks to us on the loopback interface (plain HTTP allowed)."""
    return (request.url.hostname or "") in LOCAL_HOSTS


def _sign(nonce: str, key: bytes) -> str:
    return hmac.new(key, b"csrf:" + nonce.encode(), hashlib.sha256).hexdigest()[:32]


def new_csrf_token(key: bytes) -> str:
    """A fresh signed login-form token: ``nonce.signature``."""
    nonce = secrets.token_urlsafe(18)
    return f"{nonce}.{_sign(nonce, key)}"


def csrf_token_valid(token: str, key: bytes) -> bool:
    """True when the login-form ``token`` carries our signature."""
    nonce, _, signature = token.partition(".")
    return bool(nonce) and hmac.compare_digest(signature, _sign(nonce, key))


def login_csrf_token(request: Request, key: bytes) -> str:
    """The login form's token: the valid CSRF cookie, or a new one (``set_csrf_cookie``)."""
    current = request.cookies.get(CSRF_COOKIE, "")
    return current if csrf_token_valid(current, key) else new_csrf_token(key)


def login_csrf_ok(request: Request, submitted: str, key: bytes) -> bool:
    """True when the login form's token equals the CSRF cookie and is signed by us."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    return bool(
        cookie
        and hmac.compare_digest(cookie.encode(), submitted.encode())
        and csrf_token_valid(cookie, key)
    )


def session_csrf_token(session_token: str, key: bytes) -> str:
    """The CSRF token of the login session ``session_token`` (module doc)."""
    message = b"csrf-session:" + digest(session_token).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def csrf_token_for(request: Request, key: bytes) -> str:
    """The token the pages' forms carry: the session's; empty without a session cookie (a
    bearer-token client needs none)."""
    session_token = request.cookies.get(SESSION_COOKIE, "")
    return session_csrf_token(session_token, key) if session_token else ""


def set_csrf_cookie(request: Request, response: Response, token: str) -> None:
    """Send the login form's CSRF cookie."""
    response.set_cookie(
        CSRF_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=not is_local(request),
        path="/",
    )


def clear_csrf_cookie(response: Response) -> None:
    """Drop the login form's CSRF cookie (signed in, the session's token takes over)."""
    response.delete_cookie(CSRF_COOKIE, path="/", httponly=True, samesite="lax")


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


def _origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of ``url``; None for ``null`` or anything unparsable."""
    try:
        parts = urlsplit(url)
        port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        return None
    if not parts.scheme or not parts.hostname or port is None:
        return None
    return parts.scheme, parts.hostname.lower(), port


def same_origin(request: Request) -> bool:
    """True when ``Origin`` (else ``Referer``) names this server; False when neither is sent.

    Every current browser sends ``Origin`` with a POST, PUT, PATCH or DELETE, and our
    ``Referrer-Policy: same-origin`` keeps ``Referer`` for our own pages. Behind a proxy that
    terminates TLS the scheme is only known when the proxy is trusted
    (``WERKMATCH_TRUSTED_PROXIES``).
    """
    claimed = request.headers.get("origin") or request.headers.get("referer")
    own = _origin(str(request.base_url))
    return claimed is not None and own is not None and _origin(claimed) == own


async def check_csrf(request: Request, key: bytes) -> None:
    """403 unless a session-cookie request carries its session's CSRF token and comes from our
    own origin."""
    session_token = request.cookies.get(SESSION_COOKIE, "")
    submitted = await submitted_csrf_token(request)
    expected = session_csrf_token(session_token, key)
    if not (session_token and hmac.compare_digest(submitted.encode(), expected.encode())):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "Het formulier is verlopen of ongeldig: laad de pagina opnieuw.",
        )
    if not same_origin(request):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, "Verzoek van een andere website geweigerd (Origin/Referer)."
        )
