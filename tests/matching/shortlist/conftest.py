"""Fixtures: the hand-made store of ``store_fixture`` and a matching cache over it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from matching.shortlist import MatchingCache
from tests.matching.shortlist.store_fixture import seed


@pytest.fixture
def seeded(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """The session factory of a store seeded with the module's pool and vacancy V1."""
    seed(sessions)
    return sessions


@pytest.fixture
def matching_cache(tmp_path: Path) -> MatchingCache:
    """A matching cache without a trained model (the prior scores)."""
    return MatchingCache(tmp_path / "models")
