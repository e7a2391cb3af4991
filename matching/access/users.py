"""Users, organisations and passwords; who is signed in is a ``Principal``.

Tokens live in ``matching/access/tokens.py``, the audit log in ``matching/access/audit.py`` and
erasure in ``matching/access/erasure.py``. Passwords are hashed with argon2id (argon2-cffi
defaults).
"""

from __future__ import annotations

import datetime as dt
import functools
import getpass
import logging
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal, cast, get_args

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from matching.errors import InvalidInput, NotFound
from matching.settings import Settings
from matching.store.access import ApiToken, Organisation, OrganisationMunicipality, User
from matching.store.reference import Municipality

Role = Literal["accountmanager", "jobhunter", "evaluator", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD_LENGTH = 12
log = logging.getLogger("werkmatch.security")


@dataclass(frozen=True)
class Principal:
    """Who acts: a signed-in user (or the command line), their role and organisation."""

    user_id: str
    role: Role
    organisation_id: str | None
    municipality_codes: frozenset[str]

    def sees_full(self, municipality_code: str) -> bool:
        """True when candidates of ``municipality_code`` belong to this user's organisation."""
        return municipality_code in self.municipality_codes

    def acts_for(self, municipality_code: str) -> bool:
        """True when this principal may work on vacancies and proposals of
        ``municipality_code``: their organisation's own municipalities, or anything for the
        command-line operator (who belongs to no organisation)."""
        return self.organisation_id is None or self.sees_full(municipality_code)

    @classmethod
    def command_line(cls) -> Principal:
        """The operator of the ``werkmatch`` command line, audited as ``cli:<os user>``."""
        return cls(f"cli:{getpass.getuser()}", "admin", None, frozenset())


@dataclass(frozen=True)
class UserInfo:
    """A user as listed: never the password hash."""

    user_id: str
    display_name: str
    role: Role
    organisation_id: str
    active: bool
    has_password: bool


def now() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


@functools.cache
def _process_key() -> bytes:
    log.warning(
        "WERKMATCH_SECRET_KEY is not set: using a random key for this process "
        "(development mode only; sessions and erasure traces do not survive a restart)"
    )
    return secrets.token_bytes(32)


def secret_key(settings: Settings) -> bytes:
    """The configured secret key, or in development a random per-process key."""
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value().encode()
    return _process_key()


@functools.cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``; refuses passwords shorter than 12 characters."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"Een wachtwoord heeft minstens {MIN_PASSWORD_LENGTH} tekens.")
    return _hasher().hash(password)


@functools.cache
def _dummy_hash() -> str:
    return _hasher().hash(secrets.token_urlsafe(16))


def _password_matches(stored: str | None, password: str) -> bool:
    try:
        return _hasher().verify(stored or _dummy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def _check_id(value: str, what: str) -> str:
    if not ID_PATTERN.fullmatch(value):
        raise InvalidInput(
            f"{what} {value!r}: gebruik 2–64 kleine letters, cijfers, '.', '_' of '-'."
        )
    return value


def create_organisation(
    session: Session, organisation_id: str, *, name: str, municipality_codes: Iterable[str]
) -> None:
    """Add an organisation covering the given municipalities (CBS codes like GM0575)."""
    _check_id(organisation_id, "Organisatiecode")
    codes = sorted(set(municipality_codes))
    known = set(session.scalars(select(Municipality.code).where(Municipality.code.in_(codes))))
    if not codes or set(codes) - known:
        unknown = ", ".join(sorted(set(codes) - known)) or "(geen)"
        raise InvalidInput(f"Onbekende gemeentecodes: {unknown}.")
    if session.get(Organisation, organisation_id) is not None:
        raise InvalidInput(f"Organisatie {organisation_id!r} bestaat al.")
    organisation = Organisation(organisation_id=organisation_id, name=name, created_at=now())
    organisation.municipalities = [
        OrganisationMunicipality(organisation_id=organisation_id, municipality_code=code)
        for code in codes
    ]
    session.add(organisation)
    session.flush()


def create_user(
    session: Session,
    user_id: str,
    *,
    role: str,
    organisation_id: str,
    display_name: str | None = None,
    password: str | None = None,
) -> UserInfo:
    """Add an active user; without a password the user can only use tokens."""
    _check_id(user_id, "Gebruikersnaam")
    if role not in ROLES:
        raise InvalidInput(f"De rol is een van: {', '.join(ROLES)}.")
    if session.get(Organisation, organisation_id) is None:
        raise NotFound(f"Organisatie {organisation_id!r} niet gevonden.")
    if session.get(User, user_id) is not None:
        raise InvalidInput(f"Gebruiker {user_id!r} bestaat al.")
    user = User(
        user_id=user_id,
        display_name=display_name or user_id,
        role=role,
        organisation_id=organisation_id,
        password_hash=hash_password(password) if password is not None else None,
        active=True,
        created_at=now(),
    )
    session.add(user)
    session.flush()
    return _info(user)


def _user(session: Session, user_id: str) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"Gebruiker {user_id!r} niet gevonden.")
    return user


def set_password(session: Session, user_id: str, password: str) -> int:
    """Replace the user's password and end their login sessions and API tokens; returns how
    many ended.

    A password is changed when it may be known to someone else: whatever was opened or issued
    while it was valid ends, integrations included (issue a new token with
    ``werkmatch users token``).
    """
    _user(session, user_id).password_hash = hash_password(password)
    ended = session.execute(
        update(ApiToken)
        .where(
            ApiToken.user_id == user_id,
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > now(),
        )
        .values(revoked_at=now())
    )
    session.flush()
    return cast(CursorResult[Any], ended).rowcount


def set_active(session: Session, user_id: str, *, active: bool) -> None:
    """Enable or disable a user; a disabled user's tokens stop working at once."""
    _user(session, user_id).active = active
    session.flush()


def verify_password(session: Session, user_id: str, password: str) -> Principal | None:
    """The principal when ``user_id`` is active and ``password`` matches, else None."""
    user = session.get(User, user_id) if ID_PATTERN.fullmatch(user_id) else None
    stored = user.password_hash if user is not None and user.active else None
    if not _password_matches(stored, password) or user is None:
        return None
    if _hasher().check_needs_rehash(stored or ""):
        user.password_hash = _hasher().hash(password)
    return principal_of(session, user)


def principal_of(session: Session, user: User) -> Principal:
    """The principal acting as ``user``, with the municipalities of their organisation."""
    codes = session.scalars(
        select(OrganisationMunicipality.municipality_code).where(
            OrganisationMunicipality.organisation_id == user.organisation_id
        )
    )
    return Principal(user.user_id, cast(Role, user.role), user.organisation_id, frozenset(codes))


def _info(user: User) -> UserInfo:
    return UserInfo(
        user_id=user.user_id,
        display_name=user.display_name,
        role=cast(Role, user.role),
        organisation_id=user.organisation_id,
        active=user.active,
        has_password=user.password_hash is not None,
    )


def list_users(session: Session) -> list[UserInfo]:
    """Every user, ordered by id."""
    return [_info(u) for u in session.scalars(select(User).order_by(User.user_id))]


def user_names(session: Session, organisation_id: str | None) -> dict[str, str]:
    """The display names of an organisation's users, by user id."""
    stmt = select(User.user_id, User.display_name).where(User.organisation_id == organisation_id)
    return {user_id: name for user_id, name in session.execute(stmt) if name}


def other_users(session: Session, principal: Principal) -> frozenset[str]:
    """The users of other organisations than the principal's (none for the command line): whose
    names an organisation's lists of shared things (employers' contacts, vacancies) never show."""
    if principal.organisation_id is None:
        return frozenset()
    stmt = select(User.user_id).where(User.organisation_id != principal.organisation_id)
    return frozenset(session.scalars(stmt))
