"""``werkmatch init-db`` and ``werkmatch serve``: the store and the web server."""

from __future__ import annotations

from typing import Annotated

import typer

from matching.cli.common import console, err_console
from matching.settings import Settings


def register(app: typer.Typer) -> None:
    """Add ``init-db`` and ``serve`` to the ``werkmatch`` app."""
    app.command("init-db")(init_db)
    app.command("serve")(serve)


def init_db() -> None:
    """Create or upgrade the database schema and load the bundled reference data."""
    from matching.bootstrap import open_store

    store = open_store(Settings())
    console.print(f"Database ready: [bold]{store.url}[/bold]")


def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    access_log: Annotated[bool, typer.Option(help="Log every request (uvicorn).")] = True,
) -> None:
    """Serve the pages and the API; several workers each listen on a socket of their own."""
    import uvicorn

    from matching.errors import InvalidInput
    from matching.listeners import reuse_port_supported, serve_workers, uvicorn_options

    options = uvicorn_options(
        Settings(), host=host, port=port, workers=workers, access_log=access_log
    )
    if workers > 1 and reuse_port_supported(port):
        try:
            serve_workers(uvicorn.Config("api.app:create_app", **options))
        except InvalidInput as error:
            err_console.print(f"[red]{error}[/red]")
            raise typer.Exit(1) from error
        return
    uvicorn.run("api.app:create_app", **options)
