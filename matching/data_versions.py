"""Data versions: a counter per kind of data, bumped in the transaction that changes it."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from matching.access.users import now
from matching.regions import all_regions, version_name
from matching.store.db import table
from matching.store.matching_state import DataVersion

CANDIDATES = "candidates"
"""Candidates, their placements and anything else the in-memory pool is built from; each
labour-market region has its own version besides (``matching.regions.version_name``)."""
HISTORY = "history"
"""Proposals and their decisions, and acquisition contacts: what the evaluation report reads
besides the candidates (imports bump it too; hires bump both)."""


def data_version(session: Session, name: str = CANDIDATES) -> int:
    """The current version of ``name`` (0 when never bumped): one primary-key lookup."""
    value = session.scalar(_VERSION, {"name": name})
    return int(value or 0)


_VERSION = select(table(DataVersion).c.version).where(
    table(DataVersion).c.name == bindparam("name")
)


def bump_candidates(session: Session, regions: Iterable[str] | None) -> None:
    """Bump ``candidates`` and the version of each of ``regions`` (None: every region).

    Whoever changes candidates, their placements or vacancies names the regions touched (old
    and new, for a move), so that only those regions' in-memory contexts reload.
    """
    bump_data_version(session)
    for region in sorted(all_regions() if regions is None else set(regions)):
        bump_data_version(session, version_name(region))


def bump_data_version(session: Session, name: str = CANDIDATES) -> int:
    """Add one to the version of ``name`` (committed with the caller); returns the new value."""
    if not _add_one(session, name):
        try:
            with session.begin_nested():  # the first bump ever; a concurrent one may win
                session.add(DataVersion(name=name, version=1, changed_at=now()))
        except IntegrityError:
            _add_one(session, name)
    return data_version(session, name)


def _add_one(session: Session, name: str) -> bool:
    """Add one to an existing counter; False when ``name`` has none yet."""
    changed = session.execute(
        update(DataVersion)
        .where(DataVersion.name == name)
        .values(version=DataVersion.version + 1, changed_at=now())
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(changed, "rowcount", 0))
