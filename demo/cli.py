"""The commands ``demo`` adds to ``werkmatch``: ``demo`` (generate, import, train, serve) and
``demo generate``.

Registered through the entry point ``werkmatch.commands`` (pyproject.toml), so the ``matching``
CLI never imports this package. Heavy imports stay inside the commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from matching.cli.common import console, err_console
from matching.dutch import number
from matching.settings import Settings

demo_app = typer.Typer(help="The generated demo region.")


def register(app: typer.Typer) -> None:
    """Add the ``demo`` group to the ``werkmatch`` app."""
    app.add_typer(demo_app, name="demo")


@demo_app.callback(invoke_without_command=True)
def demo(
    ctx: typer.Context,
    region: Annotated[str, typer.Option(help="Labour-market region.")] = "Holland Rijnland",
    seed: Annotated[int, typer.Option(help="Random seed of the generated region.")] = 0,
    scale: Annotated[float, typer.Option(help="1 ≈ 6,000 candidates.")] = 1.0,
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Prepare only.")] = False,
) -> None:
    """Generate the demo region (once), import it, train, create demo users and serve."""
    if ctx.invoked_subcommand is None:
        run_demo(region=region, seed=seed, scale=scale, host=host, port=port, serve=not no_serve)


def run_demo(*, region: str, seed: int, scale: float, host: str, port: int, serve: bool) -> None:
    """The bare ``werkmatch demo``: prepare the store, print how to log in, serve."""
    from demo.run import DEMO_PASSWORD, DEMO_USERS, prepare_demo
    from matching.bootstrap import open_store
    from matching.errors import WerkmatchError

    settings = Settings()
    store = open_store(settings)
    try:
        ready = prepare_demo(
            store, settings, region=region, seed=seed, scale=scale, say=console.print
        )
    except WerkmatchError as exc:
        err_console.print(f"[red]demo mislukt:[/red] {exc}")
        raise typer.Exit(2) from exc
    finally:
        store.engine.dispose()
    if ready.imported is not None:
        from matching.exchange.display import summary_table

        console.print(summary_table(ready.imported))
    console.print(ready.trained)
    console.print(f"Meld u aan op http://{host}:{port}/login met wachtwoord {DEMO_PASSWORD!r} als:")
    for user_id, role, _name in DEMO_USERS:
        console.print(f"  {user_id:<11} ({role})")
    if serve:
        from api.cli import serve as serve_app

        serve_app(host=host, port=port)


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

    from demo import generate_region
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
    console.print(f"Geschreven in {number(summary.seconds, 1)} s.")
