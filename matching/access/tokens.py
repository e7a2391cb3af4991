"""Bearer and login-session tokens: issued once in clear, kept as sha256, revocable, expiring."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Literal, cast

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from matching.access.users import Principal, Role, now
from matching.errors import InvalidInput, NotFound
from matching.store.access import ApiToken, OrganisationMunicipality, User
from matching.store.db import table

TokenKind = Literal["api", "session"]
TOKEN_MARK = "wm_"
PREFIX_LENGTH = len(TOKEN_MARK) + 8
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    """A freshly issued token: ``token`` is shown once and never stored."""

    token: str
    prefix: str
    user_id: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class TokenInfo:
    """A stored token as listed: its prefix, never the token."""

    prefix: str
    user_id: str
    kind: str
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None


def digest(token: str) -> str:
    """The sha256 hex digest kept at rest."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(
    session: Session, user_id: str, *, lifetime: dt.timedelta, kind: TokenKind = "api"
) -> IssuedToken:
    """A new random token for an active user, valid for ``lifetime``."""
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise NotFound(f"Actieve gebruiker {user_id!r} niet gevonden.")
    if lifetime <= dt.timedelta(0):
        raise InvalidInput("Een token moet langer dan nul dagen geldig zijn.")
    token = TOKEN_MARK + secrets.token_urlsafe(32)
    issued_at = now()
    row = ApiToken(
        token_hash=digest(token),
        prefix=token[:PREFIX_LENGTH],
        kind=kind,
        user_id=user_id,
        created_at=issued_at,
        expires_at=issued_at + lifetime,
    )
    session.add(row)
    session.flush()
    return IssuedToken(token, row.prefix, user_id, row.expires_at)


TOUCHED = "werkmatch.token_touched"
"""Key ``authenticate`` sets in ``Session.info`` when it wrote ``last_used_at``: a caller that
otherwise only reads can commit that write at once (SQLite holds its write lock until then)."""


def authenticate(
    session: Session, token: str, *, kind: TokenKind, at: dt.datetime | None = None
) -> Principal | None:
    """The principal a live token of ``kind`` stands for; None if unknown, revoked or expired.

    One query (token, user and the organisation's municipalities joined); ``last_used_at`` is
    written only when it is older than ``LAST_USED_RESOLUTION`` (at most once a minute).
    """
    if not token.startswith(TOKEN_MARK) or len(token) > 200:
        return None
    row = session.execute(_AUTHENTICATE, {"token_hash": digest(token)}).first()
    at = at or now()
    if row is None:
        return None
    if row.kind != kind or row.revoked_at is not None or row.expires_at <= at or not row.active:
        return None
    if row.last_used_at is None or at - row.last_used_at >= LAST_USED_RESOLUTION:
        session.execute(_TOUCH, {"b_token_id": row.token_id, "at": at})
        session.info[TOUCHED] = True
    codes = frozenset(row.municipality_codes.split(",")) if row.municipality_codes else frozenset()
    return Principal(row.user_id, cast(Role, row.role), row.organisation_id, codes)


_t, _u, _m = table(ApiToken).c, table(User).c, table(OrganisationMunicipality).c
_CODES = (
    select(func.aggregate_strings(_m.municipality_code, ","))
    .where(_m.organisation_id == _u.organisation_id)
    .correlate(table(User))
    .scalar_subquery()
    .label("municipality_codes")
)
_AUTHENTICATE = (
    select(
        *(_t.token_id, _t.kind, _t.revoked_at, _t.expires_at, _t.last_used_at),
        *(_u.user_id, _u.role, _u.organisation_id, _u.active, _CODES),
    )
    .join_from(table(ApiToken), table(User), _u.user_id == _t.user_id)
    .where(_t.token_hash == bindparam("token_hash"))
)
"""The token, its user and the organisation's municipalities (comma-joined): one row from one
statement, built once (a row per municipality cost a datetime conversion each)."""
_TOUCH = (
    update(table(ApiToken))
    .where(_t.token_id == bindparam("b_token_id"))
    .values(last_used_at=bindparam("at"))
)


def revoke_token(session: Session, prefix_or_token: str) -> str:
    """Revoke the token with this prefix (or this full token); returns its prefix."""
    if len(prefix_or_token) > PREFIX_LENGTH:
        rows = list(
            session.scalars(select(ApiToken).where(ApiToken.token_hash == digest(prefix_or_token)))
        )
    else:
        rows = list(session.scalars(select(ApiToken).where(ApiToken.prefix == prefix_or_token)))
    live = [r for r in rows if r.revoked_at is None]
    if not live:
        raise NotFound(f"Geen geldig token dat begint met {prefix_or_token[:PREFIX_LENGTH]!r}.")
    if len(live) > 1:
        raise InvalidInput(
            f"Meer dan één token begint met {prefix_or_token!r}; geef het hele token."
        )
    live[0].revoked_at = now()
    session.flush()
    return live[0].prefix


def list_tokens(session: Session, *, user_id: str | None = None) -> list[TokenInfo]:
    """Stored tokens (newest first), optionally of one user."""
    query = select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.token_id.desc())
    if user_id is not None:
        query = query.where(ApiToken.user_id == user_id)
    return [
        TokenInfo(
            r.prefix, r.user_id, r.kind, r.created_at, r.expires_at, r.revoked_at, r.last_used_at
        )
        for r in session.scalars(query)
    ]
