"""Shared fixtures: a migrated store with reference data, on SQLite and on PostgreSQL.

SQLite: the schema and the bundled reference data are built once per session into a template
file; every test gets its own copy (fresh, isolated, fast). PostgreSQL: the ``test`` database is
migrated and loaded once per session; after each test the entity tables are emptied. The
PostgreSQL variant runs whenever 127.0.0.1:5432 answers and is skipped otherwise.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from matching import migrate
from matching.reference import load_reference
from matching.store.base import Base
from matching.store.db import make_engine, make_session_factory

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def entity_tables() -> list[str]:
    """Every table except the reference tables, which are loaded once per session."""
    import matching.store.models  # noqa: F401  (register the entity tables)

    reference = {
        mapper.local_table.name
        for mapper in Base.registry.mappers
        if mapper.class_.__module__ == "matching.store.reference"
    }
    return [t.name for t in Base.metadata.sorted_tables if t.name not in reference]


def postgres_answers(host: str = "127.0.0.1", port: int = 5432) -> bool:
    """True when something listens on the PostgreSQL port."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


SHARED_FIXTURES = {
    "demo_site": "browser",
    "chromium": "browser",
    "region_dir": "region",
    "region_db": "region",
    "region_sessions": "region",
    "bench": "quality-bench",
}
"""Expensive session- or module-scoped fixtures -> the xdist group of the tests using them."""


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put the tests sharing an expensive fixture on one worker (``make test`` runs
    ``--dist loadgroup``), so that a served demo region, Chromium, the evaluation region or
    the quality bench is built once per run, not once per worker that happens to get a test."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        for group in sorted({SHARED_FIXTURES[n] for n in names if n in SHARED_FIXTURES}):
            item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(autouse=True)
def _unsettled_heap(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """No full collection and freeze after each matching-context load (``settle_heap``).

    It keeps a serving worker's cyclic GC off the loaded pool; in a test process every load
    made it walk the whole heap of pytest and every imported library again (0.2-0.4 s per
    load, hundreds of loads). Nothing else depends on it: a test that asks for
    ``settled_heap`` (tests/matching/shortlist/test_context.py) runs it as the app does.
    """
    if "settled_heap" not in request.fixturenames:
        from matching.shortlist import context

        monkeypatch.setattr(context, "settle_heap", lambda **_: None)


@pytest.fixture(autouse=True)
def _no_alias_indexes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Organisations rank with the base index, as before they had aliases: an alias index is
    a full index build (seconds, on a background thread that outlives the test). The tests of
    aliases pass their own ``AliasIndexes`` (tests/matching/test_normalisation_aliases.py)."""
    from matching.normalisation import aliases

    class NoAliasIndexes(aliases.AliasIndexes):
        def get(self, *args: object, **kwargs: object) -> None:
            return None

    monkeypatch.setattr(aliases, "INDEXES", NoAliasIndexes())


@pytest.fixture
def settled_heap() -> None:
    """Keep ``settle_heap`` after context loads (see ``_unsettled_heap``)."""


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with the schema at head and the reference data loaded (never written to:
    tests copy it).

    Built once per run: xdist workers share the run's temporary directory, and the first worker
    to get the lock builds the file while the others wait for it.
    """
    if os.environ.get("PYTEST_XDIST_WORKER"):
        folder = tmp_path_factory.getbasetemp().parent / "template"
        folder.mkdir(exist_ok=True)
    else:
        folder = tmp_path_factory.mktemp("template")
    path = folder / "template.db"
    with (folder / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            building = folder / "building.db"
            engine = make_engine(url=f"sqlite:///{building}")
            migrate.upgrade(engine)
            load_reference(engine)
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
            building.replace(path)
    return path


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    """A schema of its own in the ``test`` database, migrated and loaded once per session.

    The schema is named after the process, so concurrent test runs never share tables.
    """
    if not postgres_answers():
        pytest.skip("PostgreSQL does not answer on 127.0.0.1:5432")
    schema = f"werkmatch_test_{os.getpid()}"
    admin = make_engine(url=PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine = make_engine(url=f"{PG_URL}?options=-csearch_path%3D{schema}")
    migrate.upgrade(engine)
    load_reference(engine)
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    admin.dispose()


def _empty_entities(engine: Engine) -> None:
    """Delete the rows of the entity tables that hold any, children before parents.

    A test leaves a few hundred rows at most: DELETE takes milliseconds where TRUNCATE of the
    (mostly empty) tables took 0.3-0.7 s (new files for every table and index, synced at commit),
    twice per PostgreSQL test. TRUNCATE ... CASCADE stays the fallback, e.g. for a table only a
    migration knows that points at an entity table.
    """
    tables = entity_tables()
    try:
        with engine.begin() as conn:
            holding = " UNION ALL ".join(
                f"SELECT '{name}' WHERE EXISTS (SELECT FROM {name})" for name in tables
            )
            full = set(conn.execute(text(holding)).scalars())
            for name in reversed(tables):  # sorted_tables order: parents first
                if name in full:
                    conn.execute(text(f"DELETE FROM {name}"))
    except DBAPIError:
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(
    request: pytest.FixtureRequest, sqlite_template: Path, tmp_path: Path
) -> Iterator[Engine]:
    """A fresh store per test: a copy of the SQLite template, or PostgreSQL emptied after."""
    if request.param == "sqlite":
        path = tmp_path / "werkmatch.db"
        shutil.copyfile(sqlite_template, path)
        sqlite_engine = make_engine(url=f"sqlite:///{path}")
        yield sqlite_engine
        sqlite_engine.dispose()
        # 75 MB per test (the reference data): gone before it is written back to the disk,
        # rather than hundreds of copies kept under /tmp for pytest's last three runs
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    pg: Engine = request.getfixturevalue("postgres_engine")
    _empty_entities(pg)
    try:
        yield pg
    finally:
        _empty_entities(pg)


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to the per-test store."""
    return make_session_factory(engine)
