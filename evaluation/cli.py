"""The commands ``evaluation`` adds to ``werkmatch``: ``evaluate`` and ``bench``.

Registered through the entry point ``werkmatch.commands`` (pyproject.toml), so the ``matching``
CLI never imports this package. Heavy imports stay inside the commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from evaluation.evaluate_command import command
from matching import dutch

if TYPE_CHECKING:
    from evaluation.normalisation_bench import BenchResult

console = Console()


def register(app: typer.Typer) -> None:
    """Add ``evaluate`` and the ``bench`` group to the ``werkmatch`` app."""
    app.command("evaluate")(command)
    app.add_typer(bench_app, name="bench")


bench_app = typer.Typer(
    help="Benchmarks: the title normaliser, and matching quality over generated worlds.",
    no_args_is_help=True,
)
err_console = Console(stderr=True)


def _print_bench(result: BenchResult, as_json: bool) -> None:
    """Print one benchmark result as JSON or as a table."""
    import json

    if as_json:
        typer.echo(json.dumps(result.as_dict()))
        return
    from rich.table import Table

    table = Table(title=f"Normalisation benchmark: {result.dataset}")
    for key, value in result.as_dict().items():
        table.add_row(key, str(value))
    console.print(table)


@bench_app.command("melo")
def bench_melo(
    directory: Annotated[Path, typer.Argument(help="A MELO-format dataset directory.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Evaluate the normaliser on a MELO dataset (MRR, Acc@1, R@5, R@10, titles/s)."""
    from evaluation.normalisation_bench import run_melo
    from matching.normalisation import Normaliser, concept_index

    concept_index("occupation")  # build outside the timed part
    _print_bench(run_melo(directory, Normaliser()), as_json)


@bench_app.command("jobbert")
def bench_jobbert(
    file: Annotated[Path, typer.Argument(help="The JobBERT titles CSV.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Evaluate the normaliser on the JobBERT English titles (MRR, R@5, R@10, titles/s)."""
    from evaluation.normalisation_bench import run_jobbert
    from matching.normalisation import Normaliser, concept_index

    concept_index("occupation")
    _print_bench(run_jobbert(file, Normaliser()), as_json)


SYNONYM_ROWS: dict[str, str] = {
    "texts": "titels van de organisatie",
    "corrected": "gecorrigeerd (eerste deel)",
    "synonyms": "synoniemen opgeslagen",
    "rest": "overige titels",
    "mrr_plain": "MRR zonder synoniemen",
    "mrr_exact": "MRR met synoniemen (exacte tekst)",
    "mrr_aliases": "MRR met synoniemen als extra labels",
    "rest_new_texts": "overige titels met een nieuwe tekst",
    "mrr_new_texts_plain": "  MRR zonder synoniemen",
    "mrr_new_texts_aliases": "  MRR met synoniemen als extra labels",
    "rest_unseen_titles": "overige titels van een nooit gecorrigeerd beroep",
    "mrr_unseen_titles_plain": "  MRR zonder synoniemen",
    "mrr_unseen_titles_aliases": "  MRR met synoniemen als extra labels",
}


@bench_app.command("synonyms")
def bench_synonyms(
    texts: Annotated[int, typer.Option(help="Titels van de gesimuleerde organisatie.")] = 5000,
    corrected: Annotated[float, typer.Option(help="Deel dat gecorrigeerd wordt.")] = 0.05,
    seed: Annotated[int, typer.Option(help="Seed van de simulatie.")] = 20261203,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Helpen opgeslagen synoniemen van een organisatie de normalisatie van haar andere titels?"""
    import json

    from evaluation.synonym_bench import run_synonyms
    from matching.reference import read_table

    result = run_synonyms(read_table, texts=texts, corrected=corrected, seed=seed).as_dict()
    if as_json:
        typer.echo(json.dumps(result))
        return
    from rich.table import Table

    table = Table(title="Synoniemen van een organisatie (ESCO-hold-out)")
    for key, label in SYNONYM_ROWS.items():
        value = result[key]
        if isinstance(value, float):
            table.add_row(label, f"{value:.4f}".replace(".", ","))
        else:
            table.add_row(label, f"{value:,}".replace(",", "."))
    console.print(table)


@bench_app.command("quality")
def bench_quality(
    scale: Annotated[float, typer.Option(help="Size of each world (1 ≈ 6,000 candidates).")] = 0.5,
    final: Annotated[
        bool, typer.Option("--final", help="Also run the final worlds (once, at the end).")
    ] = False,
    workers: Annotated[int, typer.Option(help="Worlds run at the same time.")] = 1,
    out: Annotated[
        Path | None, typer.Option(help="Also write quality.md and quality.json here.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON, not Markdown.")] = False,
    work_dir: Annotated[
        Path | None, typer.Option(help="Keep each world (files, store, models) here.")
    ] = None,
) -> None:
    """Matching quality over a family of generated worlds: NDCG@10, expected durable
    placements, ratio to the oracle and calibration, per world, mean and worst case."""
    import json

    from evaluation.quality_bench import run_quality_bench, to_markdown
    from matching.errors import WerkmatchError

    try:
        bench = run_quality_bench(
            scale=scale,
            final=final,
            workers=workers,
            work_dir=work_dir,
            say=lambda text: err_console.print(text),
        )
    except WerkmatchError as error:
        err_console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from error
    text, data = to_markdown(bench), json.dumps(bench.to_dict(), ensure_ascii=False, indent=1)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / "quality.md").write_text(text, encoding="utf-8")
        (out / "quality.json").write_text(data + "\n", encoding="utf-8")
    typer.echo(data if as_json else text)


@bench_app.command("prior")
def bench_prior(
    scale: Annotated[float, typer.Option(help="Size of each world (1 ≈ 6,000 candidates).")] = 0.5,
    workers: Annotated[int, typer.Option(help="Worlds read at the same time.")] = 1,
    out: Annotated[Path, typer.Option(help="Where to write the fitted prior (JSON).")] = Path(
        "matching/scoring/prior_weights.json"
    ),
) -> None:
    """Fit the prior's weights and level on the development worlds; print the figures of
    each world with weights fitted on the others (the final worlds are never read)."""
    import json

    from evaluation.prior_fit import fit_prior, write_prior

    fitted = fit_prior(scale=scale, workers=workers, say=lambda text: err_console.print(text))
    write_prior(fitted, out)
    typer.echo(json.dumps(fitted["held_out"], ensure_ascii=False, indent=1))


@bench_app.command("titles")
def bench_titles(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
    titles: Annotated[int, typer.Option(help="Titles per set.", min=10)] = 3000,
) -> None:
    """Noisy vacancy titles and job-seeker titles built from ESCO labels (seeded, held out)."""
    import json

    from rich.table import Table

    from evaluation.title_bench import run_all
    from matching.normalisation import concept_index
    from matching.reference import read_table
    from matching.settings import Settings

    threshold = Settings().normalise_threshold
    results = run_all(concept_index("occupation"), read_table, n=titles, threshold=threshold)
    if as_json:
        for result in results:
            typer.echo(json.dumps(result.as_dict()))
        return
    table = Table(title=f"Beroepen uit titels (drempel {threshold:.2f})".replace(".", ","))
    columns = ("set", "titels", "acc@1", "juist opgeslagen", "als tekst", "precisie", "zekerheid")
    for column in columns:
        table.add_column(column)
    for r in results:
        shares = (r.acc_at_1, r.right, r.kept_as_text, r.precision, r.mean_confidence_stored)
        table.add_row(r.dataset, str(r.titles), *(dutch.percent(v, 1) for v in shares))
    console.print(table)
