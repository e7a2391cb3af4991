"""Dependencies as ``Annotated`` aliases: one transaction per request (safe requests on
PostgreSQL: one per statement, see ``get_session``)."""

from __future__ import annotations

import math
import re
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from api.sessions import SAFE_METHODS, SESSION_COOKIE, check_csrf
from matching.access.tokens import TOUCHED, authenticate
from matching.access.users import Principal, secret_key
from matching.bootstrap import Store
from matching.errors import InvalidInput
from matching.settings import Settings
from matching.shortlist.context import MatchingCache, MatchingContext
from matching.shortlist.regional import RegionalView
from matching.whitespots.cache import WhiteSpotCache


# Dependencies without I/O are ``async def``: FastAPI runs a plain ``def`` dependency in the
# thread pool, a hop (and a thread wake-up) per request each.
async def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


async def get_store(request: Request) -> Store:
    """The opened store."""
    store: Store = request.app.state.store
    return store


async def get_matching_cache(request: Request) -> MatchingCache:
    """The process's matching cache, made by the lifespan (loads nothing by itself)."""
    cache: MatchingCache = request.app.state.matching
    return cache


async def get_white_spots(request: Request) -> WhiteSpotCache:
    """The process's white-spot ranking cache, made by the lifespan."""
    spots: WhiteSpotCache = request.app.state.white_spots
    return spots


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A session per request; committed once at the end, rolled back on error.

    A safe request (GET, HEAD, OPTIONS) writes at most its audit row and the token's
    last-used time, so on PostgreSQL it gets an autocommitting session (``Store.reads``,
    ``matching.store.db.autocommitting``): two round trips fewer, no read changed. An audit
    row written before the request fails stays there (it records an attempt).

    Opening a session does no I/O, so only the end goes through the thread pool, and only when
    a transaction is open (an endpoint that committed itself needs no hop at all).
    """
    store: Store = request.app.state.store
    session = store.reads() if request.method in SAFE_METHODS else store.sessions()
    try:
        yield session
        if session.in_transaction():
            await run_in_threadpool(session.commit)
    except BaseException:
        if session.in_transaction():
            await run_in_threadpool(session.rollback)
        raise
    finally:
        if session.in_transaction():  # a rollback that failed: give the connection back
            await run_in_threadpool(session.close)
        else:
            session.close()  # no connection held: no I/O


UNREPRESENTABLE_JSON = (
    "De JSON in het verzoek bevat een waarde die niet is toegestaan: NaN, Infinity, een getal "
    "buiten bereik (zoals 1e999) of een ongeldig Unicode-teken (een losse surrogaat zoals "
    "\\ud800)."
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _unrepresentable(value: Any) -> bool:
    """True when a parsed JSON value holds a non-finite number or a lone surrogate (iterative:
    nesting as deep as the parser allows cannot exhaust the stack here)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, float) and not math.isfinite(item):
            return True
        if isinstance(item, str) and not item.isascii() and _SURROGATE.search(item):
            return True
        if isinstance(item, dict):
            pending += [*item.keys(), *item.values()]
        elif isinstance(item, list):
            pending += item
    return False


async def reject_unrepresentable_json(request: Request) -> None:
    """422 for a JSON body with NaN, Infinity, 1e999 or a lone surrogate, on every route.

    Python's parser accepts them, but they are no JSON (RFC 8259), no store takes them, and
    the answer about them cannot be written (a validation error echoes its input). An app-wide
    dependency runs after FastAPI parsed the body (``Request.json`` keeps the parsed value)
    and before the body is validated.
    """
    if request.method in SAFE_METHODS:
        return
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if content_type != "application/json" and not content_type.endswith("+json"):
        return
    try:
        value = await request.json()
    except ValueError:  # not JSON at all: FastAPI answers that itself
        return
    if _unrepresentable(value):
        raise InvalidInput(UNREPRESENTABLE_JSON)


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
# scope="function": the commit runs when the endpoint returns, before the response is sent, so
# a failed commit (database gone) is answered 503 and never a 2xx for a write that was lost.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
MatchingCacheDep = Annotated[MatchingCache, Depends(get_matching_cache)]
WhiteSpotsDep = Annotated[WhiteSpotCache, Depends(get_white_spots)]


async def get_read_session(request: Request, session: SessionDep) -> AsyncIterator[Session]:
    """The session for reads that may lag a moment (matching pools, reports): the replica's
    when the store has one (``WERKMATCH_DATABASE_REPLICA_URL``), else the request's own.

    Writes, and reads a write depends on (the "already proposed" check beside the audit row),
    stay on ``SessionDep``: the primary, in the request's transaction.
    """
    store: Store = request.app.state.store
    if store.replica is None:
        yield session
        return
    reader = store.replica()
    try:
        yield reader
    finally:
        if reader.in_transaction():
            await run_in_threadpool(reader.close)
        else:
            reader.close()


ReadSessionDep = Annotated[Session, Depends(get_read_session, scope="function")]


def get_matching(cache: MatchingCacheDep, reads: ReadSessionDep) -> MatchingContext:
    """The matching context of the whole pool, fresh for the data version (read routing:
    loaded through the replica when there is one)."""
    return cache.get(reads)


async def get_regions(cache: MatchingCacheDep, reads: ReadSessionDep) -> RegionalView:
    """The region contexts (shortlists), read like ``get_matching``; loads nothing itself."""
    return RegionalView(cache, reads)


MatchingDep = Annotated[MatchingContext, Depends(get_matching)]
RegionsDep = Annotated[RegionalView, Depends(get_regions)]


async def csrf_protect(request: Request, settings: SettingsDep) -> None:
    """Unsafe requests authenticated by the session cookie must carry the CSRF token."""
    if request.method in SAFE_METHODS or "authorization" in request.headers:
        return
    if SESSION_COOKIE in request.cookies:
        await check_csrf(request, secret_key(settings))


def _unauthenticated(detail: str) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail, headers={"WWW-Authenticate": "Bearer"}
    )


def get_current_user(
    request: Request, session: SessionDep, _csrf: Annotated[None, Depends(csrf_protect)]
) -> Principal:
    """The signed-in user: a bearer token (Authorization header) or the session cookie."""
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _unauthenticated("Gebruik 'Authorization: Bearer <token>'.")
        principal = authenticate(session, token.strip(), kind="api")
    elif cookie := request.cookies.get(SESSION_COOKIE):
        principal = authenticate(session, cookie, kind="session")
    else:
        raise _unauthenticated(
            "Niet aangemeld: meld u aan op /login of stuur een bearer-token mee."
        )
    if principal is None:
        raise _unauthenticated("Ongeldige, verlopen of ingetrokken aanmelding: meld u opnieuw aan.")
    if session.info.pop(TOUCHED, False):
        # last_used_at (at most once a minute): commit it now, so that SQLite's write lock is
        # not held through the rest of the request, and a request that fails still records it
        session.commit()
    request.state.principal = principal
    return principal


CurrentUser = Annotated[Principal, Depends(get_current_user)]
# bounded: SQLite cannot bind an offset beyond 64 bits (schemathesis found the 500); no table
# comes near 2**31 rows
OffsetQuery = Annotated[int, Query(ge=0, le=2**31 - 1, description="Rows to skip.")]
LimitQuery = Annotated[int, Query(ge=1, le=500, description="Rows per page (at most 500).")]
