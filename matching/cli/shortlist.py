"""``werkmatch shortlist|matches|allocate|shortlist-policy``: a thin layer over
``matching.shortlist`` and ``matching.shortlist.allocation``; every list generated is audited as
``cli:<os user>``. ``--json`` prints the same JSON the API returns."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from sqlalchemy.orm import Session

from matching.access.users import Principal
from matching.cli.common import console, store_transaction
from matching.dutch import number, percent
from matching.settings import Settings


def _viewer(session: Session, organisation: str | None) -> tuple[str | None, frozenset[str] | None]:
    """The organisation whose view to take: its id and municipalities (None: see all)."""
    if organisation is None:
        return None, None
    from sqlalchemy import select

    from matching.errors import NotFound
    from matching.store.access import OrganisationMunicipality

    codes = frozenset(
        session.scalars(
            select(OrganisationMunicipality.municipality_code).where(
                OrganisationMunicipality.organisation_id == organisation
            )
        )
    )
    if not codes:
        raise NotFound(f"Organisatie {organisation!r} niet gevonden.")
    return organisation, codes


def _level(level: str) -> str:
    """A fallback level in words."""
    from matching.shortlist.ranking import LEVEL_LABELS

    return LEVEL_LABELS.get(level, level)


def _town(code: str) -> str:
    """A municipality by name."""
    from matching.shortlist.labels import load_labels

    return load_labels().municipality(code)


def _print_shortlist(data: dict[str, Any]) -> None:
    console.print(f"[bold]Vacature {data['vacancy_id']}[/bold]")
    for c in data["candidates"]:
        e = c["explanation"]
        console.print(
            f"{c['rank']:>3}. {c['candidate_id']} ({_level(c['fallback_level'])}, "
            f"{_town(c['municipality_code'])}) kans duurzaam {percent(c['p_durable'])}"
        )
        console.print(f"     {e['summary']}")
        if e.get("fallback"):
            console.print(f"     [dim]{e['fallback']}[/dim]")


def shortlist(
    vacancy_id: Annotated[str | None, typer.Argument(help="The vacancy.")] = None,
    all_open: Annotated[bool, typer.Option("--all-open", help="Every open vacancy.")] = False,
    limit: Annotated[int, typer.Option(help="Candidates per list.")] = 10,
    explain_filters: Annotated[bool, typer.Option(help="Count what each filter removed.")] = False,
    organisation: Annotated[str | None, typer.Option(help="View as this organisation.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON (one line per vacancy).")] = False,
    programme: Annotated[
        str | None, typer.Option(help="Only the running participants of this programme.")
    ] = None,
) -> None:
    """Ranked, explained candidates for a vacancy (or every open vacancy, JSON lines)."""
    from matching.shortlist import MatchingCache, all_open_shortlists, policy_for, vacancy_shortlist

    if (vacancy_id is None) == (not all_open):
        raise typer.BadParameter("give a VACANCY_ID or --all-open (not both)")
    settings = Settings()
    with store_transaction(settings) as session:
        org, viewer = _viewer(session, organisation)
        context = MatchingCache(settings.resolved_model_dir()).get(session)
        options: dict[str, Any] = dict(
            principal=Principal.command_line(),
            limit=limit,
            viewer=viewer,
            policy=policy_for(session, org, settings),
            explain_filters=explain_filters,
        )
        if programme is not None:
            from matching.programmes import participant_ids

            options["only"] = participant_ids(session, programme, principal=options["principal"])
        lists = (
            all_open_shortlists(session, context, **options)
            if all_open
            else iter([vacancy_shortlist(session, context, str(vacancy_id), **options)])
        )
        for item in lists:
            if as_json:
                typer.echo(json.dumps(item.to_dict(), ensure_ascii=False))
            else:
                _print_shortlist(item.to_dict())


def matches(
    candidate_id: Annotated[str, typer.Argument(help="The candidate.")],
    limit: Annotated[int, typer.Option(help="How many vacancies.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The best open vacancies for a candidate (reverse matching)."""
    from matching.shortlist import MatchingCache, policy_for
    from matching.shortlist.reverse import candidate_matches

    settings = Settings()
    with store_transaction(settings) as session:
        context = MatchingCache(settings.resolved_model_dir()).get(session)
        result = candidate_matches(
            session,
            context,
            candidate_id,
            principal=Principal.command_line(),
            limit=limit,
            policy=policy_for(session, None, settings),
        ).to_dict()
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    for v in result["vacancies"]:
        console.print(
            f"{v['rank']:>3}. {v['vacancy_id']} {v['title']} ({_level(v['fallback_level'])}, "
            f"{_town(v['municipality_code'])}) kans duurzaam {percent(v['p_durable'])}"
        )
        console.print(f"     {v['explanation']['summary']}")


def allocate(
    k: Annotated[int, typer.Option(help="Proposals per open position.")] = 3,
    max_per_candidate: Annotated[
        int | None, typer.Option(help="Concurrent proposals per candidate.")
    ] = None,
    top_n: Annotated[int, typer.Option(help="Candidates per vacancy considered.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    region: Annotated[
        str | None,
        typer.Option(
            help="Alleen de open vacatures van deze arbeidsmarktregio (naam, bijvoorbeeld "
            "'Holland Rijnland'); kandidaten van buiten de regio alleen via 'nearby'."
        ),
    ] = None,
) -> None:
    """Proposal lists over all open vacancies under a per-candidate limit, with the baseline."""
    from matching.jobs.builtin import allocate_and_record
    from matching.regions import find_region

    settings = Settings()
    with store_transaction(settings) as session:
        result = allocate_and_record(
            session, settings, Principal.command_line(), k=k, top_n=top_n,
            max_per_candidate=max_per_candidate,
            region=region,
        )  # fmt: skip
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    for name, t in (("verdeeld", result.allocated), ("los per vacature", result.independent)):
        console.print(
            f"{name:>16}: verwacht duurzaam {number(t.expected_durable, 2)}, {t.proposals} "
            f"voorstellen, {t.distinct_candidates} kandidaten, Gini {number(t.exposure_gini, 3)}"
        )
    where = "" if region is None else f" in de regio {find_region(region)}"
    console.print(f"{len(result.lists)} open vacatures{where} in {number(result.seconds, 1)} s.")


def shortlist_policy(
    organisation: Annotated[str, typer.Argument(help="Organisation id.")],
    threshold: Annotated[
        float | None, typer.Option(help="Least p_durable of own candidates.")
    ] = None,
    radius_km: Annotated[float | None, typer.Option(help="Reach of the 'nearby' level.")] = None,
    levels: Annotated[str | None, typer.Option(help="Comma-separated: own,region,nearby.")] = None,
    order: Annotated[str | None, typer.Option(help="best or nearest.")] = None,
) -> None:
    """Set an organisation's fallback policy (fields not given keep the defaults)."""
    from matching.access.audit import record
    from matching.shortlist import set_policy

    values: dict[str, Any] = {
        k: v
        for k, v in (("threshold", threshold), ("radius_km", radius_km), ("order", order))
        if v is not None
    }
    if levels is not None:
        values["levels"] = [x.strip() for x in levels.split(",") if x.strip()]
    settings = Settings()
    with store_transaction(settings) as session:
        policy = set_policy(session, organisation, values, settings)
        record(
            session,
            Principal.command_line(),
            "policy.set",
            object_type="organisation",
            object_id=organisation,
            detail=policy.as_dict(),
        )
    console.print(json.dumps(policy.as_dict()))


def register(app: typer.Typer) -> None:
    """Add the shortlist commands to the ``werkmatch`` app."""
    app.command("shortlist")(shortlist)
    app.command("matches")(matches)
    app.command("allocate")(allocate)
    app.command("shortlist-policy")(shortlist_policy)
