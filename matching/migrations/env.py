"""Alembic environment: migrations run against the engine werkmatch hands in, or the settings."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from matching.migrate import ours
from matching.settings import Settings
from matching.store import access, models, reference  # noqa: F401  (register tables)
from matching.store.base import Base
from matching.store.db import make_engine

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=ours,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Use a connection passed via ``config.attributes`` or open one from the settings."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(Settings())
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


run_migrations_online()
