"""The ``werkmatch`` command line: a thin layer over the ``matching`` Python API."""

from __future__ import annotations

from enum import StrEnum
from importlib.metadata import entry_points
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from matching.cli_instruments import register as register_instrument_commands
from matching.cli_programmes import register as register_programme_commands
from matching.cli_review import register as register_review_commands
from matching.cli_security import register as register_security_commands
from matching.cli_shortlist import register as register_shortlist_commands
from matching.cli_vum import register as register_vum_commands
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


@app.command("import")
def import_files(
    paths: Annotated[
        list[Path], typer.Argument(help="Files (.csv, .xlsx) or directories holding them.")
    ],
    dry_run: Annotated[bool, typer.Option(help="Validate and count, store nothing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Import exchange-format files (one transaction); exit code 1 when any row or file was
    rejected, 2 when a file broke off mid-way (nothing stored), 0 when all was accepted."""
    import json
    from contextlib import nullcontext

    from matching import normalisation
    from matching.bootstrap import open_store
    from matching.errors import InvalidInput
    from matching.exchange import ImportOptions, run_import
    from matching.exchange.display import import_progress, print_report
    from matching.security import Principal

    settings = Settings()
    store = open_store(settings)
    bar = nullcontext(None) if as_json else import_progress(err_console)
    try:
        with bar as progress:
            options = ImportOptions(
                normaliser=normalisation,
                threshold=settings.normalise_threshold,
                dates=settings.date_window(),
                progress=progress,
            )
            report = run_import(
                store.sessions,
                paths,
                principal=Principal.command_line(),
                dry_run=dry_run,
                options=options,
            )
    except InvalidInput as error:  # a file broke off mid-way: nothing was stored
        if as_json:
            stopped = {"ok": False, "stored": False, "error": f"Import gestopt: {error}"}
            typer.echo(json.dumps(stopped, ensure_ascii=False))
        else:
            err_console.print(f"[red]Import stopped, nothing stored:[/red] {error}")
        raise typer.Exit(2) from error
    if as_json:
        console.print_json(json.dumps(report.to_dict()))
    else:
        print_report(console, report)
    raise typer.Exit(0 if report.ok else 1)


class ExportFormat(StrEnum):
    """The formats ``werkmatch export`` writes."""

    csv = "csv"
    vum = "vum"


@app.command("export")
def export_files(
    directory: Annotated[Path, typer.Argument(help="Directory to write the files into.")],
    file_format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            help="csv: the exchange-format files; vum: werkzoekenden.json and "
            "vacatures.json in the VUM standard (README 'VUM').",
        ),
    ] = ExportFormat.csv,
) -> None:
    """Export the store as exchange-format files (candidates.csv, employers.csv, …) or as VUM
    JSON; audited."""
    from matching.bootstrap import open_store
    from matching.cli_security import exported
    from matching.exchange import export_all
    from matching.store.db import transaction
    from matching.vum.exporting import export_vum

    store = open_store(Settings())
    skipped: list[str] = []
    with transaction(store.sessions) as session:  # the audit row commits with the read
        if file_format is ExportFormat.vum:
            result = export_vum(session, directory)
            files, skipped = result.files, result.skipped
        else:
            files = {f"{name}.csv": rows for name, rows in export_all(session, directory).items()}
        exported(session, directory, files)
    for name, rows in files.items():
        unwritten = file_format is ExportFormat.vum and not rows  # an empty array is no VUM file
        console.print(f"{name}: {rows} rows" + (" (not written)" if unwritten else ""))
    for reason in skipped:
        err_console.print(reason)


@app.command("normalise")
def normalise(
    texts: Annotated[list[str] | None, typer.Argument(help="Titles or competences.")] = None,
    kind: Annotated[str, typer.Option(help="occupation or skill.")] = "occupation",
    top: Annotated[int, typer.Option(help="Candidates per text.")] = 10,
    file: Annotated[Path | None, typer.Option(help="Read one text per line.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Write JSON lines.")] = False,
    organisation: Annotated[
        str | None, typer.Option(help="Its synonyms first (a kept text gets no candidates).")
    ] = None,
) -> None:
    """Rank ESCO occupations (or skills) for free-text titles (or competences)."""
    import json

    from matching.cli_review import kind_of
    from matching.normalisation import Normaliser, candidates_json

    concept_kind = kind_of(kind)
    lines = list(texts or [])
    if file is not None:
        lines += [t for t in file.read_text(encoding="utf-8").splitlines() if t.strip()]
    results = Normaliser().rank(lines, kind=concept_kind, top=top)
    if organisation is not None:
        results = _with_synonyms(organisation, lines, results, kind=concept_kind, top=top)
    if as_json:
        for text, matches in zip(lines, results, strict=True):
            typer.echo(json.dumps(candidates_json(text, matches), ensure_ascii=False))
        return
    from rich.table import Table

    for text, matches in zip(lines, results, strict=True):
        table = Table(title=text)
        for column in ("#", "label", "score", "confidence", "uri"):
            table.add_column(column)
        for i, m in enumerate(matches, 1):
            table.add_row(str(i), m.label, f"{m.score:.3f}", f"{m.confidence:.3f}", m.uri)
        console.print(table)


def _with_synonyms(
    organisation: str, lines: list[str], results: Any, *, kind: Any, top: int
) -> Any:
    """The ranked results with the organisation's synonyms first."""
    from matching.bootstrap import open_store
    from matching.errors import NotFound
    from matching.review.synonyms import scope_of, with_synonyms

    store = open_store(Settings())
    try:
        with store.sessions() as session:
            scope_of(session, organisation)
            return with_synonyms(session, organisation, lines, results, kind=kind, top=top)
    except NotFound as error:
        err_console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from error
    finally:
        store.engine.dispose()


demo_app = typer.Typer(help="The generated demo region.")
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
    from matching.bootstrap import open_store
    from matching.demo.run import DEMO_PASSWORD, DEMO_USERS, prepare_demo
    from matching.errors import WerkmatchError

    settings = Settings()
    store = open_store(settings)
    try:
        ready = prepare_demo(
            store, settings, region=region, seed=seed, scale=scale, say=console.print
        )
    except WerkmatchError as exc:
        err_console.print(f"[red]demo failed:[/red] {exc}")
        raise typer.Exit(2) from exc
    finally:
        store.engine.dispose()
    if ready.imported is not None:
        from matching.exchange.display import summary_table

        console.print(summary_table(ready.imported))
    console.print(ready.trained)
    console.print(f"Log in at http://{host}:{port}/login with password {DEMO_PASSWORD!r} as:")
    for user_id, role, _name in DEMO_USERS:
        console.print(f"  {user_id:<11} ({role})")
    if serve:
        import uvicorn

        from matching.listeners import uvicorn_options

        uvicorn.run("api.app:create_app", **uvicorn_options(settings, host=host, port=port))


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


@app.command("train")
def train_model(
    as_of: Annotated[str | None, typer.Option(help="Train on history up to YYYY-MM-DD.")] = None,
    force: Annotated[bool, typer.Option(help="Activate even when worse than the prior.")] = False,
    docs: Annotated[
        Path | None,
        typer.Option(
            help="Also write model-card.md and algoritmeregister.md into this directory "
            "(they are always kept beside the model, served at /model/card and shown on "
            "the page /over-het-model)."
        ),
    ] = None,
) -> None:
    """Train the durable-placement model, compare it with the prior, store and activate it."""
    import datetime as dt

    from rich.table import Table

    from matching.bootstrap import open_store
    from matching.errors import ModelNotTrained
    from matching.scoring.card import write_documents
    from matching.scoring.train import train

    settings = Settings()
    store, model_dir = open_store(settings), settings.resolved_model_dir()
    try:
        with store.sessions() as session:
            date = dt.date.fromisoformat(as_of) if as_of else None
            result = train(session, model_dir=model_dir, as_of=date, force=force)
    except (ModelNotTrained, ValueError) as error:
        err_console.print(f"[red]{error}[/red]")
        raise typer.Exit(code=1) from error
    write_documents(result.sidecar, model_dir=model_dir, docs_dir=docs)
    table = Table(title=f"hold-out, {result.sidecar['rows']['holdout']} proposals")
    for column in ("scorer", "Brier", "AUC", "NDCG@10"):
        table.add_column(column)
    for name in ("learned", "prior"):
        m = result.sidecar["metrics"][name]
        table.add_row(name, *(str(m[k]) for k in ("brier", "auc", "ndcg_at_10")))
    console.print(table)
    (console if result.activated else err_console).print(result.message)
    raise typer.Exit(code=0 if result.activated else 3)


@app.command("whitespots")
def whitespots(
    municipality: Annotated[str | None, typer.Option(help="Employer's CBS code.")] = None,
    region: Annotated[str | None, typer.Option(help="Labour-market region.")] = None,
    sbi: Annotated[str | None, typer.Option(help="SBI section letter A–U.")] = None,
    limit: Annotated[int, typer.Option(help="How many white spots.")] = 20,
    lookback_days: Annotated[int | None, typer.Option(help="Look-back days; default ever.")] = None,
    radius_km: Annotated[float, typer.Option(help="Reach of candidates in km.")] = 10.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    xlsx: Annotated[Path | None, typer.Option(help="Write the week list to this .xlsx.")] = None,
) -> None:
    """White spots (witte vlekken): employers without contact, ranked by fit with our pool."""
    import dataclasses
    import json

    from matching.bootstrap import open_store
    from matching.errors import InvalidInput
    from matching.scoring import load_scorer
    from matching.whitespots import PotentialOptions, WhiteSpotFilter, rank_white_spots
    from matching.whitespots.export import write_white_spots_xlsx

    settings = Settings()
    store = open_store(settings)
    try:
        with store.sessions() as session:
            result = rank_white_spots(
                session, scorer=load_scorer(settings.resolved_model_dir()),
                where=WhiteSpotFilter(municipality=municipality, region=region, sbi=sbi),
                limit=limit, lookback_days=lookback_days,
                options=PotentialOptions(
                    radius_km=radius_km, fit_threshold=settings.fallback_threshold
                ),
            )  # fmt: skip
    except InvalidInput as error:
        err_console.print(f"[red]{error}[/red]")
        raise typer.Exit(code=2) from error
    if xlsx is not None:
        write_white_spots_xlsx(result, xlsx)
        err_console.print(f"{len(result.data)} white spots written to {xlsx}")
    if as_json:
        typer.echo(json.dumps(dataclasses.asdict(result), default=str, ensure_ascii=False))
    elif xlsx is None:
        for rank, spot in enumerate(result.data, 1):
            console.print(f"[bold]{rank}. {spot.name}[/bold] ({spot.municipality}, "
                          f"SBI {spot.sbi_code or '?'}) score {spot.score:.1f}")  # fmt: skip
            for reason in spot.reasons:
                console.print(f"   · {reason}")
        console.print(f"{len(result.data)} of {result.count} white spots.")


register_security_commands(app)  # werkmatch users | organisations | candidates | audit
register_shortlist_commands(app)  # werkmatch shortlist | matches | allocate | shortlist-policy
register_review_commands(app)  # werkmatch review | synonyms | crosswalk
register_vum_commands(app)  # werkmatch vum match
register_programme_commands(app)  # werkmatch programmes list|show|eligible|enrol|phase|end
register_instrument_commands(app)  # werkmatch instruments rules|trainings export|import


def _register_contributed() -> None:
    """Commands other packages contribute through the entry-point group ``werkmatch.commands``
    (``evaluation`` adds ``evaluate`` and ``bench``): imports point one way, so ``matching``
    never imports them; each entry point is a ``register(app)`` function."""
    for entry in entry_points(group="werkmatch.commands"):
        entry.load()(app)


_register_contributed()


def main() -> None:
    """Entry point of the ``werkmatch`` script."""
    app()


if __name__ == "__main__":
    main()
