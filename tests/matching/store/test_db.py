"""Engines: a pooled connection for each request a server worker admits."""

from __future__ import annotations

from pathlib import Path

from matching.settings import Settings
from matching.store.db import make_engine


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
