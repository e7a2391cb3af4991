"""``werkmatch whitespots``: the week list of employers to approach."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from matching.cli.common import console, err_console
from matching.dutch import number
from matching.settings import Settings


def register(app: typer.Typer) -> None:
    """Add ``whitespots`` to the ``werkmatch`` app."""
    app.command("whitespots")(whitespots)


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
        err_console.print(f"{len(result.data)} witte vlekken geschreven naar {xlsx}")
    if as_json:
        typer.echo(json.dumps(dataclasses.asdict(result), default=str, ensure_ascii=False))
    elif xlsx is None:
        for rank, spot in enumerate(result.data, 1):
            console.print(f"[bold]{rank}. {spot.name}[/bold] ({spot.municipality}, "
                          f"SBI {spot.sbi_code or '?'}) score {number(spot.score, 1)}")  # fmt: skip
            for reason in spot.reasons:
                console.print(f"   · {reason}")
        console.print(f"{len(result.data)} van {result.count} witte vlekken.")
