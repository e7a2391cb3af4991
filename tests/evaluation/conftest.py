"""A small generated region (Holland Rijnland, scale 0.05) in a SQLite store, built once per run.

Imported without the text normaliser (ESCO URIs in the files are kept; free text stays text),
so it is fast; the store is a copy of the session's migrated template with reference data.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from demo import generate_region
from matching.exchange.importing import import_paths
from matching.store.db import make_engine, make_session_factory

REGION_AS_OF = dt.date(2026, 10, 1)


@pytest.fixture(scope="session")
def region_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The exchange files of the generated region."""
    out = tmp_path_factory.mktemp("region")
    generate_region("Holland Rijnland", seed=0, scale=0.05, as_of=REGION_AS_OF, out_dir=out)
    return out


@pytest.fixture(scope="session")
def region_db(
    sqlite_template: Path, region_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A SQLite file holding the imported region (copy it before writing)."""
    path = tmp_path_factory.mktemp("store") / "werkmatch.db"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(url=f"sqlite:///{path}")
    report = import_paths(make_session_factory(engine), [region_dir])
    engine.dispose()
    assert report.rejected == 0
    return path


def open_sessions(path: Path) -> tuple[Engine, sessionmaker[Session]]:
    """An engine and session factory on a SQLite file."""
    engine = make_engine(url=f"sqlite:///{path}")
    return engine, make_session_factory(engine)


@pytest.fixture(scope="session")
def region_sessions(region_db: Path) -> Iterator[sessionmaker[Session]]:
    """Sessions on the region store (read only)."""
    engine, sessions = open_sessions(region_db)
    yield sessions
    engine.dispose()
