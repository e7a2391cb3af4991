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
    for units of work, ``reads`` for requests that read and audit (``autocommitting``), and
    ``replica`` for reads that may lag a moment (matching pools, reports) when a read replica
    is configured (``WERKMATCH_DATABASE_REPLICA_URL``; None: they read from the primary)."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    reads: sessionmaker[Session]
    replica: sessionmaker[Session] | None = None

    def lagging_reads(self) -> Session:
        """A session for reads that may lag a moment: the replica's, else the primary's."""
        return (self.replica or self.sessions)()


def open_store(settings: Settings | None = None, *, migrate_schema: bool = True) -> Store:
    """Open the configured database, migrate it and load reference data if missing."""
    settings = settings or Settings()
    engine = make_engine(settings)
    if migrate_schema:
        migrate.upgrade(engine)
        load_reference(engine)
    replica = None
    if settings.database_replica_url:  # migrated and loaded through the primary
        replica_engine = make_engine(settings, url=settings.database_replica_url)
        replica = make_session_factory(autocommitting(replica_engine))
    return Store(
        url=engine.url.render_as_string(hide_password=True),
        engine=engine,
        sessions=make_session_factory(engine),
        reads=make_session_factory(autocommitting(engine)),
        replica=replica,
    )
