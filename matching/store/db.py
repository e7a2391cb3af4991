"""Engine and session handling; SQLite gets WAL mode, enforced foreign keys, secure delete."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from matching.settings import Settings


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted rows are overwritten with zeros, so an erased candidate leaves no bytes behind
    # in the file (many builds default to it; this makes it hold everywhere).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(settings: Settings | None = None, *, url: str | None = None) -> Engine:
    """Create the engine for ``url`` or the settings' database, creating ``var/`` on first use."""
    settings = settings or Settings()
    url = url or settings.resolved_database_url()
    parsed = make_url(url)
    # A pooled connection for each request a server worker admits (api/middleware.py): with
    # the default pool of 5, every request beyond five opened and closed a connection.
    pool = {"pool_size": settings.concurrent_requests, "max_overflow": 4}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        else:
            pool = {}  # an in-memory database lives in one connection per thread
        engine = create_engine(url, connect_args={"check_same_thread": False}, **pool)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **pool)


def checkpoint(engine: Engine) -> None:
    """On SQLite, move the write-ahead log into the file and empty it, so pages an erasure
    overwrote do not linger in older log frames; elsewhere nothing (PostgreSQL: VACUUM)."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def autocommitting(engine: Engine) -> Engine:
    """``engine`` whose connections commit each statement by itself, on PostgreSQL (the same
    pool); elsewhere ``engine``.

    For requests that only read and append an audit row: under PostgreSQL's READ COMMITTED each
    statement sees its own snapshot inside a transaction too, so autocommit changes no read, and
    it spares the ``BEGIN`` and ``COMMIT`` round trips (the shortlist request went from eight
    to six). Reads of several queries that must agree use ``snapshot``. SQLite keeps its
    transactions: a round trip there is a function call, and its write lock wants them short.
    """
    if engine.dialect.name != "postgresql":
        return engine
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def table(entity: type[Any]) -> Table:
    """The Core table of a mapped class.

    Hot statements are built once at import on the table with ``bindparam`` placeholders: a
    statement built per call costs its construction and cache key every time, and an ORM
    entity in it takes the (slower) ORM execution path.
    """
    found: Table = entity.__table__
    return found


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to ``engine``; objects stay usable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def snapshot(session: Session) -> Iterator[Session]:
    """A read-only session on one consistent state of the store, for reads of several queries.

    On PostgreSQL a REPEATABLE READ transaction of its own: every query sees the data as it was
    at the first, whatever commits meanwhile (an import landing halfway through loading the
    candidate pool would otherwise mix old candidates with new skills). Elsewhere ``session``.
    """
    engine = session.get_bind().engine
    if engine.dialect.name != "postgresql":
        yield session
        return
    with engine.connect() as connection:
        connection.execution_options(isolation_level="REPEATABLE READ")
        with Session(bind=connection) as reader:
            yield reader
            reader.rollback()
