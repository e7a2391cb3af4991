"""``werkmatch import``, ``export`` and ``normalise``: the exchange format and free texts."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from matching.cli.common import console, err_console
from matching.settings import Settings


def register(app: typer.Typer) -> None:
    """Add ``import``, ``export`` and ``normalise`` to the ``werkmatch`` app."""
    app.command("import")(import_files)
    app.command("export")(export_files)
    app.command("normalise")(normalise)


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
    from matching.access.users import Principal
    from matching.bootstrap import open_store
    from matching.errors import InvalidInput
    from matching.exchange import ImportOptions, run_import
    from matching.exchange.display import import_progress, print_report

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
            err_console.print(f"[red]Import afgebroken, niets opgeslagen:[/red] {error}")
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
    from matching.cli.access import exported
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
        console.print(f"{name}: {rows} rijen" + (" (niet geschreven)" if unwritten else ""))
    for reason in skipped:
        err_console.print(reason)


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

    from matching.cli.review import kind_of
    from matching.normalisation import Normaliser, candidates_json

    concept_kind = kind_of(kind)
    lines = list(texts or [])
    if file is not None:
        lines += [t for t in file.read_text(encoding="utf-8").splitlines() if t.strip()]
    if organisation is not None:
        results = _for_organisation(organisation, lines, kind=concept_kind, top=top)
    else:
        results = Normaliser().rank(lines, kind=concept_kind, top=top)
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


def _for_organisation(organisation: str, lines: list[str], *, kind: Any, top: int) -> Any:
    """The ranked results with the organisation's synonyms as aliases and its exact synonyms
    first."""
    from matching import normalisation
    from matching.bootstrap import open_store
    from matching.errors import NotFound
    from matching.review.synonyms import organisation_aliases, scope_of, with_synonyms

    store = open_store(Settings())
    try:
        with store.sessions() as session:
            scope_of(session, organisation)
            aliases = organisation_aliases(session, organisation)
            normaliser = normalisation.for_organisation(organisation, aliases)
            results = normaliser.rank(lines, kind=kind, top=top)
            return with_synonyms(session, organisation, lines, results, kind=kind, top=top)
    except NotFound as error:
        err_console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from error
    finally:
        store.engine.dispose()
