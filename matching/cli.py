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


demo_app = typer.Typer(help="The generated demo region.")
app.add_typer(demo_app, name="demo")


@demo_app.callback(invoke_without_command=True)
def demo(ctx: typer.Context) -> None:
    """Generate the demo region if missing, import it, train and serve (see ``run_demo``)."""
    if ctx.invoked_subcommand is None:
        run_demo()


def run_demo() -> None:
    """The bare ``werkmatch demo``; a placeholder until generate → import → train → serve."""
    console.print("werkmatch demo: not yet")
    raise typer.Exit()


@demo_app.command("generate")
def demo_generate(
    out: Annotated[Path, typer.Option(help="Directory to write the files to.")],
    region: Annotated[str, typer.Option(help="Labour-market region.")] = "Holland Rijnland",
    seed: Annotated[int, typer.Option(help="Random seed; same seed, same files.")] = 0,
    scale: Annotated[float, typer.Option(help="1 ≈ 6,000 candidates.")] = 1.0,
    as_of: Annotated[str | None, typer.Option(help="Export date, YYYY-MM-DD.")] = None,
) -> None:
    """Generate a realistic region with history as exchange-format files."""
    import datetime as dt

    from rich.table import Table

    from matching.demo import generate_region
    from matching.errors import InvalidInput

    try:
        date = dt.date.fromisoformat(as_of) if as_of else None
        with console.status(f"Generating {region} (seed {seed}, scale {scale:g})…"):
            summary = generate_region(region, seed=seed, scale=scale, as_of=date, out_dir=out)
    except (InvalidInput, ValueError) as error:
        err_console.print(f"[red]{error}[/red]")
        raise typer.Exit(code=2) from error
    table = Table(title=f"{summary.region} · seed {seed} · as of {summary.as_of} → {out}")
    table.add_column("file")
    table.add_column("rows", justify="right")
    for name, rows in summary.rows.items():
        table.add_row(f"{name}.csv", f"{rows:,}")
    table.add_row("white spots (employers)", f"{summary.white_spots:,}")
    table.add_row("placements running", f"{summary.placements_running:,}")
    table.add_row("placements durable", f"{summary.placements_durable:,}")
    console.print(table)
    console.print(f"Written in {summary.seconds:.1f} s.")


def main() -> None:
    """Entry point of the ``werkmatch`` script."""
    app()


if __name__ == "__main__":
    main()
