"""``werkmatch init-db``: the store (``werkmatch serve`` is api's, ``api/cli.py``)."""

from __future__ import annotations

import typer

from matching.cli.common import console
from matching.settings import Settings


def register(app: typer.Typer) -> None:
    """Add ``init-db`` to the ``werkmatch`` app."""
    app.command("init-db")(init_db)


def init_db() -> None:
    """Create or upgrade the database schema and load the bundled reference data."""
    from matching.bootstrap import open_store

    store = open_store(Settings())
    console.print(f"Database klaar: [bold]{store.url}[/bold]")
