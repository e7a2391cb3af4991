"""Open the store: engine, migrations to head, bundled reference data loaded once."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from matching import migrate
from matching.reference import load_reference
from matching.settings import Settings
from matching.store.db import autocommitting, make_engine, make_session_factory


@dataclass(frozen=True)
class Store:
    """An opened store: its URL (password hidden), engine and session factories: ``sessions``
    for units of work, ``reads`` for requests that read and audit (``autocommitting``)."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    reads: sessionmaker[Session]


def open_store(settings: Settings | None = None, *, migrate_schema: bool = True) -> Store:
    """Open the configured database, migrate it and load reference data if missing."""
    settings = settings or Settings()
    engine = make_engine(settings)
    if migrate_schema:
        migrate.upgrade(engine)
        load_reference(engine)
    return Store(
        url=engine.url.render_as_string(hide_password=True),
        engine=engine,
        sessions=make_session_factory(engine),
        reads=make_session_factory(autocommitting(engine)),
    )
