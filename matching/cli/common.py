"""What every room of commands shares: the consoles and one transaction on the store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from sqlalchemy.orm import Session

from matching.errors import WerkmatchError
from matching.settings import Settings

console = Console()
err_console = Console(stderr=True)


@contextmanager
def store_transaction(
    settings: Settings | None = None, *, erasing: bool = False
) -> Iterator[Session]:
    """One transaction on the configured store; core errors end the command with exit code 1.
    ``erasing``: afterwards the SQLite log is emptied too (``store.db.checkpoint``)."""
    from matching.bootstrap import open_store
    from matching.store.db import checkpoint, transaction

    store = open_store(settings or Settings())
    try:
        with transaction(store.sessions) as session:
            yield session
        if erasing:
            checkpoint(store.engine)
    except WerkmatchError as error:
        err_console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from error
    finally:
        store.engine.dispose()
