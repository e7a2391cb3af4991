"""The demo's staff as users: the account managers and job hunters the generated files name
(``am-devries``, ``jh-kok``) get a user with a display name and no password, so pages show
"Mark de Vries" where a file holds a user id; they cannot sign in."""

from __future__ import annotations

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from matching.access.users import create_user
from matching.store import models
from matching.store.access import User

FIRST_NAMES = (
    "Anouk", "Mark", "Fatima", "Jeroen", "Sanne", "Kees", "Ilse", "Bas", "Samira", "Emre",
    "Lotte", "Ruud", "Esther", "Daan", "Marieke", "Joost",
)  # fmt: skip
SURNAMES = {
    "devries": "de Vries", "elhaddad": "El Haddad", "vandam": "van Dam",
}  # fmt: skip
ROLES = {"am": "accountmanager", "jh": "jobhunter"}


def staff_name(user_id: str) -> str:
    """A display name for a generated staff id: ``am-devries`` → "Mark de Vries"."""
    word = user_id.split("-", 1)[1]
    base = word.rstrip("0123456789")
    number = word[len(base) :]
    surname = SURNAMES.get(base, base.capitalize())
    first = FIRST_NAMES[sum(map(ord, word)) % len(FIRST_NAMES)]
    return f"{first} {surname}" + (f" {int(number) + 1}" if number else "")


def add_staff_users(session: Session, organisation_id: str) -> list[str]:
    """A user (module doc) for each staff id in the store that is none yet; their ids."""
    v, c, p = models.Vacancy, models.Contact, models.Proposal
    named = union(select(v.acquired_by.label("id")), select(c.by), select(p.proposed_by)).subquery()
    known = select(User.user_id)
    ids = session.scalars(
        select(named.c.id).where(named.c.id.is_not(None), named.c.id.not_in(known))
    ).all()
    added = sorted(i for i in ids if i.split("-", 1)[0] in ROLES and "-" in i)
    for user_id in added:
        create_user(session, user_id, role=ROLES[user_id.split("-", 1)[0]],
                    organisation_id=organisation_id, display_name=staff_name(user_id))  # fmt: skip
    return added
