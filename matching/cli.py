"""The ``werkmatch`` command line: a thin layer over the ``matching`` Python API."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from matching.settings import Settings

app = typer.Typer(
    name="werkmatch",
    help="Employer–candidate matching for municipal re-integration teams.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)


@app.command("init-db")
def init_db() -> None:
    """Create or upgrade the database schema and load the bundled reference data."""
    from matching.bootstrap import open_store

    store = open_store(Settings())
    console.print(f"Database ready: [bold]{store.url}[/bold]")


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Serve the pages and the API."""
    import uvicorn

    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, workers=workers)


def main() -> None:
    """Entry point of the ``werkmatch`` script."""
    app()


if __name__ == "__main__":
    main()
