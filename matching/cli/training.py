"""``werkmatch train``: train, compare with the prior, activate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from matching.cli.common import console, err_console
from matching.settings import Settings


def register(app: typer.Typer) -> None:
    """Add ``train`` to the ``werkmatch`` app."""
    app.command("train")(train_model)


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
    from matching.scoring.fitting import train

    settings = Settings()
    store, model_dir = open_store(settings), settings.resolved_model_dir()
    try:
        with store.sessions() as session:
            date = dt.date.fromisoformat(as_of) if as_of else None
            result = train(session, model_dir=model_dir, as_of=date, force=force)
    except (ModelNotTrained, ValueError) as error:
        err_console.print(f"[red]{error}[/red]")
        raise typer.Exit(code=1) from error
    if docs is not None:  # beside the model they are written by train itself
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
