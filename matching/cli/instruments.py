"""``werkmatch instruments rules|trainings export|import FILE --organisation ORG``: an
organisation's instrument rules and training catalogue as CSV (one bad row refuses the whole
file, each bad cell named; nothing is stored)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from matching.access.users import Principal
from matching.cli.common import console, store_transaction
from matching.cli.review import Organisation

instruments_app = typer.Typer(
    help="An organisation's instrument rules and training catalogue as CSV.", no_args_is_help=True
)
CsvFile = Annotated[Path, typer.Argument(help="The CSV (or .xlsx, to import) file.")]
KINDS = ("rules", "trainings")
KindArgument = Annotated[str, typer.Argument(help="rules (instrument rules) or trainings.")]


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise typer.BadParameter("kies rules (instrumentregels) of trainings (opleidingen)")
    return kind


@instruments_app.command("export")
def export_file(kind: KindArgument, file: CsvFile, organisation: Organisation) -> None:
    """Write the organisation's rules (the shipped ones when it has none) or trainings."""
    from matching.access.audit import record
    from matching.instruments.rule_files import rules_csv
    from matching.instruments.trainings import trainings_csv
    from matching.review.synonyms import scope_of

    with store_transaction() as session:
        scope_of(session, organisation)
        write = rules_csv if _kind(kind) == "rules" else trainings_csv
        text = write(session, organisation)
        record(session, Principal.command_line(), f"instruments.{kind}.export",
               object_type="organisation", object_id=organisation)  # fmt: skip
    file.write_text(text, encoding="utf-8")
    console.print(f"{text.count(chr(10)) - 1} rijen geschreven naar {file}.")


@instruments_app.command("import")
def import_file(kind: KindArgument, file: CsvFile, organisation: Organisation) -> None:
    """Replace the organisation's rules or trainings by those of the file (all or nothing)."""
    from matching.access.audit import record
    from matching.instruments.rule_files import read_rules
    from matching.instruments.rules import store_rules
    from matching.instruments.trainings import read_trainings, store_trainings
    from matching.review.synonyms import scope_of

    with store_transaction() as session:
        scope_of(session, organisation)
        if _kind(kind) == "rules":
            rules = read_rules(file)
            store_rules(session, organisation, rules)
            stored = len(rules)
        else:
            trainings = read_trainings(session, file)
            store_trainings(session, organisation, trainings)
            stored = len(trainings)
        record(session, Principal.command_line(), f"instruments.{kind}.import",
               object_type="organisation", object_id=organisation,
               detail={"rows": stored})  # fmt: skip
    what = "instrumentregels" if kind == "rules" else "opleidingen"
    console.print(f"{stored} {what} opgeslagen voor {organisation}.")


def register(app: typer.Typer) -> None:
    """Add ``werkmatch instruments`` to the app."""
    app.add_typer(instruments_app, name="instruments")
