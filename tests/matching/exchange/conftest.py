"""Helpers for the exchange tests: the small fixture region and files written on the fly."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from matching.store.base import Base

REGION_SMALL = Path(__file__).parents[2] / "fixtures" / "region_small"
CANDIDATE_HEADER = "candidate_id,municipality_code,ladder_step,target_group,hours_available,status"
EMPLOYER_HEADER = "employer_id,name,sbi_code,municipality_code"
VACANCY_HEADER = "vacancy_id,employer_id,title,municipality_code,hours_per_week,opened_on,status"

Write = Callable[..., Path]


@pytest.fixture
def region(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/region_small that a test may change."""
    target = tmp_path / "region"
    shutil.copytree(REGION_SMALL, target)
    return target


@pytest.fixture
def write(tmp_path: Path) -> Write:
    """Write text to a file under tmp_path: ``write("candidates.csv", "a,b\\n1,2\\n")``."""

    def _write(name: str, text: str, *, encoding: str = "utf-8") -> Path:
        path = tmp_path / "in" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(text.encode(encoding))
        return path

    return _write


def count(sessions: sessionmaker[Session], model: type[Base]) -> int:
    """Rows of one table."""
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)
