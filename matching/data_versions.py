"""Data versions: a counter per kind of data, bumped in the transaction that changes it."""

from __future__ import annotations

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from matching.security import now
from matching.store.db import table
from matching.store.matching_state import DataVersion

CANDIDATES = "candidates"
"""Candidates, their placements and anything else the in-memory pool is built from."""


def data_version(session: Session, name: str = CANDIDATES) -> int:
    """The current version of ``name`` (0 when never bumped): one primary-key lookup."""
    value = session.scalar(_VERSION, {"name": name})
    return int(value or 0)


_VERSION = select(table(DataVersion).c.version).where(
    table(DataVersion).c.name == bindparam("name")
)


def bump_data_version(session: Session, name: str = CANDIDATES) -> int:
    """Add one to the version of ``name`` (committed with the caller); returns the new value."""
    changed = session.execute(
        update(DataVersion)
        .where(DataVersion.name == name)
        .values(version=DataVersion.version + 1, changed_at=now())
        .execution_options(synchronize_session=False)
    )
    if getattr(changed, "rowcount", 0) == 0:
        session.add(DataVersion(name=name, version=1, changed_at=now()))
        session.flush()
    return data_version(session, name)
