"""``werkmatch review|synonyms|crosswalk``: the review queue, organisation synonyms and
crosswalks from the command line; a thin layer over ``matching.review``. Every decision is
audited as ``cli:<os user>``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from matching.access.users import Principal
from matching.cli.common import console, store_transaction
from matching.exchange.normalising import TextKind

review_app = typer.Typer(
    help="The review queue ('Te beoordelen') of an organisation.", no_args_is_help=True
)
synonyms_app = typer.Typer(help="An organisation's synonyms as CSV.", no_args_is_help=True)
crosswalk_app = typer.Typer(help="Crosswalks from national codes to ESCO.", no_args_is_help=True)
KIND_NAMES: dict[str, TextKind] = {
    "beroep": "occupation",
    "occupation": "occupation",
    "competentie": "skill",
    "skill": "skill",
}
Organisation = Annotated[str, typer.Option(help="The organisation (its id).")]


def _records(count: int) -> str:
    """'1 gegeven', '3 gegevens'."""
    return f"{count} gegeven" if count == 1 else f"{count} gegevens"


def _percent(score: float) -> str:
    """A score as a Dutch percentage: 0.385 → '38,5 %'."""
    return f"{100 * score:.1f} %".replace(".", ",")


@review_app.command("list")
def review_list(
    organisation: Organisation,
    kind: Annotated[str | None, typer.Option(help="beroep or competentie.")] = None,
    import_id: Annotated[int | None, typer.Option("--import", help="Raised by import.")] = None,
    page: Annotated[int, typer.Option(min=1, help="Page (25 texts each).")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The open texts of the organisation, most frequent first, with their candidates."""
    from matching.review.queue import PER_PAGE, organisation_rankers, review_queue
    from matching.review.synonyms import scope_of

    if kind is not None and kind not in KIND_NAMES:
        raise typer.BadParameter("--kind must be beroep or competentie")
    with store_transaction() as session:
        result = review_queue(
            session, scope_of(session, organisation),
            kind=KIND_NAMES[kind] if kind else None, import_id=import_id,
            offset=(page - 1) * PER_PAGE,
            rankers=organisation_rankers(session, organisation, wait=True),
        )  # fmt: skip
    if as_json:
        data = [
            {"id": item.review_id, "kind": item.kind, "text": item.text,
             "occurrences": item.occurrences, "sampled": item.sampled,
             "candidates": [c.__dict__ for c in item.candidates]}
            for item in result.data
        ]  # fmt: skip
        typer.echo(json.dumps({"data": data, "count": result.count}, ensure_ascii=False))
        return
    for item in result.data:
        sample = " · steekproef" if item.sampled else ""
        console.print(
            f"[bold]{item.review_id}[/bold] {item.kind_label} '{item.text}' "
            f"({item.occurrences}×{sample})"
        )
        for number, candidate in enumerate(item.candidates, 1):
            console.print(f"    {number}. {candidate.label} ({_percent(candidate.score)})")
    console.print(f"{len(result.data)} van {result.count} te beoordelen teksten.")


@review_app.command("choose")
def review_choose(
    review_id: Annotated[int, typer.Argument(help="The text's id (from review list).")],
    choice: Annotated[str, typer.Argument(help="A candidate's number, or an ESCO URI.")],
    organisation: Organisation,
) -> None:
    """Choose a concept for a text: stored as the organisation's synonym, applied at once."""
    from matching.review.queue import organisation_rankers, review_item
    from matching.review.synonyms import scope_of

    with store_transaction() as session:
        rankers = organisation_rankers(session, organisation, wait=True)
        item = review_item(session, scope_of(session, organisation), review_id, rankers=rankers)
        uri = choice
        if choice.isdigit():
            number = int(choice)
            if not 1 <= number <= len(item.candidates):
                raise typer.BadParameter(f"choose 1–{len(item.candidates)} or an ESCO URI")
            uri = item.candidates[number - 1].uri
        _decide(session, organisation, review_id, uri)


@review_app.command("keep")
def review_keep(
    review_id: Annotated[int, typer.Argument(help="The text's id (from review list).")],
    organisation: Organisation,
) -> None:
    """None of the candidates: keep the text as written (stored as a synonym too)."""
    with store_transaction() as session:
        _decide(session, organisation, review_id, None)


def _decide(session: Session, organisation: str, review_id: int, uri: str | None) -> None:
    from matching.access.audit import record
    from matching.review.queue import decide
    from matching.review.synonyms import scope_of

    principal = Principal.command_line()
    scope = scope_of(session, organisation)
    decision = decide(session, scope, review_id, uri, by=principal.user_id)
    record(
        session, principal, "review.decide", object_type="review_text",
        object_id=str(review_id),
        detail={"organisation": organisation, "uri": uri, "changed": decision.changed},
    )  # fmt: skip
    chosen = decision.label or "tekst houden zoals geschreven"
    console.print(f"'{decision.text}' → {chosen}: {_records(decision.changed)} bijgewerkt.")


@synonyms_app.command("export")
def synonyms_export(
    file: Annotated[Path, typer.Argument(help="The CSV file to write.")],
    organisation: Organisation,
) -> None:
    """Write the organisation's synonyms as CSV (kind, text, uri, label, decided_by, …)."""
    from matching.access.audit import record
    from matching.review.synonym_files import synonyms_csv
    from matching.review.synonyms import scope_of

    with store_transaction() as session:
        scope_of(session, organisation)
        text = synonyms_csv(session, organisation)
        record(session, Principal.command_line(), "synonyms.export",
               object_type="organisation", object_id=organisation)  # fmt: skip
    file.write_text(text, encoding="utf-8")
    console.print(f"{text.count(chr(10)) - 1} synoniemen geschreven naar {file}.")


@synonyms_app.command("import")
def synonyms_import(
    file: Annotated[Path, typer.Argument(help="A synonyms CSV (as export writes it).")],
    organisation: Organisation,
) -> None:
    """Store every synonym of a CSV for the organisation and apply them; one bad row refuses
    the file (each bad row is named), nothing is stored."""
    from matching.access.audit import record
    from matching.review.synonym_files import read_synonyms
    from matching.review.synonyms import scope_of, set_synonyms

    principal = Principal.command_line()
    with store_transaction() as session:
        scope = scope_of(session, organisation)
        choices = read_synonyms(session, file)
        changed = set_synonyms(session, scope, choices, by=principal.user_id)
        record(
            session, principal, "synonyms.import", object_type="organisation",
            object_id=organisation, detail={"synonyms": len(choices), "changed": changed},
        )  # fmt: skip
    stored = "1 synoniem" if len(choices) == 1 else f"{len(choices)} synoniemen"
    console.print(f"{stored} opgeslagen; {_records(changed)} bijgewerkt.")


@crosswalk_app.command("import")
def crosswalk_import(
    file: Annotated[Path, typer.Argument(help="CSV or .xlsx: code, esco_uri, label.")],
) -> None:
    """Store a crosswalk (CompetentNL URI or UWV beroepscode → ESCO URI); one bad row refuses
    the file with its row number, nothing is stored."""
    from matching.access.audit import record
    from matching.review.crosswalks import import_crosswalk

    with store_transaction() as session:
        result = import_crosswalk(session, file)
        record(
            session, Principal.command_line(), "crosswalk.import", object_type="crosswalk",
            detail={"file": file.name, "added": result.added, "changed": result.changed},
        )  # fmt: skip
    console.print(
        f"Crosswalk ingelezen: {result.added} nieuw, {result.changed} gewijzigd; "
        f"{result.mapped} opgeslagen gegevens gekoppeld."
    )


def kind_of(name: str) -> TextKind:
    """``occupation``/``skill`` for a kind written in Dutch or English."""
    if name not in KIND_NAMES:
        raise typer.BadParameter("--kind must be occupation or skill (beroep, competentie)")
    return KIND_NAMES[name]


def register(app: typer.Typer) -> None:
    """Add the review command groups to the ``werkmatch`` app."""
    app.add_typer(review_app, name="review")
    app.add_typer(synonyms_app, name="synonyms")
    app.add_typer(crosswalk_app, name="crosswalk")
