"""``werkmatch vum match werkzoekenden|vacatures ZOEKVRAAG.json``: the VUM source's search from
the command line, for the organisation that runs werkmatch (every active candidate, every open
vacancy), for scripts and for a mediator testing a query. ``--json`` prints the response body
of ``POST /vum/v3/…/matches``; the search is audited as ``cli:<os user>``."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from matching.cli.common import console, err_console
from matching.settings import Settings

vum_app = typer.Typer(help="VUM: the national matching standard (README 'VUM').")


class Source(StrEnum):
    """The two VUM sources werkmatch serves."""

    werkzoekenden = "werkzoekenden"
    vacatures = "vacatures"


def register(app: typer.Typer) -> None:
    """Add ``werkmatch vum`` to the app."""
    app.add_typer(vum_app, name="vum")


@vum_app.command("match")
def match(
    source: Annotated[Source, typer.Argument(help="werkzoekenden or vacatures.")],
    path: Annotated[
        Path,
        typer.Argument(
            help="A JSON file with one zoekvraag (with its selectiegebied), bare or as the "
            'request body {"vraagObject": …}.'
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the response body.")] = False,
) -> None:
    """Run a zoekvraag over our own pool; exit code 2 when it cannot be run (the reason in
    Dutch)."""
    from matching.access.users import Principal
    from matching.bootstrap import open_store
    from matching.store.db import transaction
    from matching.vum import source as vum_source
    from matching.vum.query import QueryError

    zoekvraag = _read(path)
    domain = vum_source.WERKZOEKENDEN if source is Source.werkzoekenden else vum_source.VACATURES
    settings = Settings()
    store = open_store(settings)
    refused: QueryError | None = None
    with transaction(store.sessions) as session:  # the audit row commits, a refusal's too
        try:
            result = vum_source.match(session, Principal.command_line(), domain, zoekvraag,
                                      limit=settings.vum_max_results)  # fmt: skip
        except QueryError as error:
            refused = error
    store.engine.dispose()
    if refused is not None:
        err_console.print(f"[red]Zoekvraag niet uitgevoerd:[/red] {refused}")
        raise typer.Exit(2)
    if as_json:
        typer.echo(json.dumps(result.body(), ensure_ascii=False))
        return
    _print(domain.id_field, result.body())


def _read(path: Path) -> Any:
    """The zoekvraag in the file; exit code 2 when the file is no JSON."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        err_console.print(f"[red]{path.name} is geen leesbaar JSON-bestand:[/red] {error}")
        raise typer.Exit(2) from error
    if isinstance(value, dict) and set(value) == {"vraagObject"}:
        return value["vraagObject"]
    return value


def _print(id_field: str, body: dict[str, Any]) -> None:
    table = Table("#", "id", "postcode")
    for rank, summary in enumerate(body["matches"], 1):
        where = summary.get("mobiliteit", {}).get("bemiddelingspostcode") or summary.get(
            "adres", {}
        ).get("postcode", "")
        table.add_row(str(rank), summary[id_field], where)
    console.print(table)
    more = (
        " (er zijn er meer: het maximum is bereikt)"
        if body["maximumAantalResultatenBereikt"]
        else ""
    )
    console.print(f"{len(body['matches'])} resultaten{more}.")
