"""The command ``api`` adds to ``werkmatch``: ``serve``, the pages and the API on uvicorn.

Registered through the entry point ``werkmatch.commands`` (pyproject.toml), so the ``matching``
CLI never imports this package. Heavy imports stay inside the command.
"""

from __future__ import annotations

from typing import Annotated

import typer

from matching.cli.common import err_console
from matching.settings import Settings


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the ``werkmatch`` app."""
    app.command("serve")(serve)


def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    access_log: Annotated[bool, typer.Option(help="Log every request (uvicorn).")] = True,
) -> None:
    """Serve the pages and the API; several workers each listen on a socket of their own."""
    import uvicorn

    from api.listeners import reuse_port_supported, serve_workers, uvicorn_options
    from matching.errors import InvalidInput

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
