"""Engines: a pooled connection for each request a server worker admits; autocommitting
sessions for safe requests, which still read one state through ``snapshot``."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from matching.access.audit import append
from matching.settings import Settings
from matching.store.access import AuditEntry
from matching.store.db import autocommitting, make_engine, make_session_factory, snapshot


def test_the_pool_keeps_a_connection_per_admitted_request(tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path, concurrent_requests=7)
    engine = make_engine(settings, url=f"sqlite:///{tmp_path / 'w.db'}")
    connections = [engine.connect() for _ in range(7)]
    for connection in connections:
        connection.close()  # back to the pool, not closed
    assert engine.pool.size() == 7 and engine.pool.checkedin() == 7
    engine.dispose()


def test_an_in_memory_database_keeps_its_own_pool(tmp_path: Path) -> None:
    engine = make_engine(Settings(var_dir=tmp_path), url="sqlite:///:memory:")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT 1").scalar() == 1


def _audit_rows(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def _append(session: Session) -> None:
    append(session, user_id="tester", role="admin", action="test.write")


def test_an_autocommitting_session_commits_each_statement_on_postgresql(engine: Engine) -> None:
    """On PostgreSQL the row is there for others before the session ends; SQLite keeps its
    transaction, so the row is gone with the session that never committed."""
    postgres = engine.dialect.name == "postgresql"
    assert (autocommitting(engine) is engine) is not postgres
    reads = make_session_factory(autocommitting(engine))
    with reads() as session:
        _append(session)
        assert _audit_rows(engine) == (1 if postgres else 0)
    assert _audit_rows(engine) == (1 if postgres else 0)
    with make_session_factory(engine)() as session:  # the plain factory still needs a commit
        _append(session)
    assert _audit_rows(engine) == (1 if postgres else 0)


@pytest.mark.parametrize(
    "engine", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_a_snapshot_of_an_autocommitting_session_sees_one_state(engine: Engine) -> None:
    """The pool load reads in a REPEATABLE READ transaction even from a safe request's session:
    a commit between its queries is not seen."""
    reads = make_session_factory(autocommitting(engine))
    with reads() as session, snapshot(session) as reader:
        before = reader.scalar(select(func.count()).select_from(AuditEntry))
        with make_session_factory(engine).begin() as other:
            _append(other)
        assert reader.scalar(select(func.count()).select_from(AuditEntry)) == before
    assert _audit_rows(engine) == before + 1
