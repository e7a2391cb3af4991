"""``werkmatch programmes list|show|eligible|enrol|phase|end``: a thin layer over
``matching.programmes``; every change is audited as ``cli:<os user>``. Output in Dutch."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from matching.access.users import Principal
from matching.cli.common import console, store_transaction

programmes_app = typer.Typer(help="Programma's: regels, wie in aanmerking komt, trajecten.",
                             no_args_is_help=True)  # fmt: skip
ProgrammeArg = Annotated[str, typer.Argument(help="Programma-id.")]
CandidateArg = Annotated[str, typer.Argument(help="Kandidaat-id.")]
OnOption = Annotated[str | None, typer.Option("--on", help="Datum JJJJ-MM-DD; standaard vandaag.")]


def _day(text: str | None) -> dt.date:
    from matching.errors import InvalidInput

    try:
        return dt.date.fromisoformat(text) if text else dt.date.today()
    except ValueError as error:
        raise InvalidInput(f"'{text}' is geen datum (JJJJ-MM-DD)") from error


def _nl(day: dt.date | None) -> str:
    return day.strftime("%d-%m-%Y") if day else "–"


@programmes_app.command("list")
def list_command() -> None:
    """Alle programma's met looptijd en fasen."""
    from matching.programmes import list_programmes

    with store_transaction() as session:
        for p in list_programmes(session, principal=Principal.command_line()):
            phases = " → ".join(f"{ph.name} ({ph.max_months} mnd)" for ph in p.phases)
            console.print(f"[bold]{p.programme_id}[/bold] {p.name}: {_nl(p.start_date)} t/m "
                          f"{_nl(p.end_date)}; {phases}")  # fmt: skip


@programmes_app.command("show")
def show(programme: ProgrammeArg, as_of: OnOption = None) -> None:
    """De trajecten van een programma, met wie langer in een fase zit dan mag."""
    from matching.programmes import OUTCOME_NL, get_programme, load_trajectories

    day = _day(as_of)
    with store_transaction() as session:
        info = get_programme(session, programme, principal=Principal.command_line())
        found = load_trajectories(session, programme)
    console.print(f"[bold]{info.name}[/bold] · {len(found)} trajecten · peildatum {_nl(day)}")
    for t in found:
        state = (f"beëindigd {_nl(t.ended_on)}: {OUTCOME_NL.get(t.outcome or '', t.outcome)}"
                 if t.ended_on else "lopend")  # fmt: skip
        flag = " [red]langer dan de fase mag duren[/red]" if t.over_time(info, day) else ""
        console.print(f"  {t.candidate_id}: fase {t.phase} sinds {_nl(t.phase_since)}, "
                      f"uiterlijk {_nl(t.phase_due(info))}; {state}{flag}")  # fmt: skip


@programmes_app.command("eligible")
def eligible_command(
    programme: ProgrammeArg,
    candidate: Annotated[str | None, typer.Option(help="Eén kandidaat toetsen.")] = None,
    as_of: OnOption = None,
    limit: Annotated[int, typer.Option(help="Hoeveel per lijst.")] = 20,
) -> None:
    """Wie komt in aanmerking (of: welke regels één kandidaat mist, en waarom)."""
    from matching.history import municipality_names
    from matching.programmes import check_candidate, get_programme, worklist

    day = _day(as_of)
    with store_transaction() as session:
        info = get_programme(session, programme, principal=Principal.command_line())
        names = municipality_names(session)
        if candidate is not None:
            misses = check_candidate(session, info, candidate, as_of=day, names=names)
            console.print(f"{candidate}: " + ("voldoet aan alle regels" if not misses else
                          "voldoet niet"))  # fmt: skip
            for m in misses:
                extra = "" if m.exceptable else " (geen uitzondering mogelijk)"
                console.print(f"  · {m.label}: {m.reason}{extra}")
            return
        found = worklist(session, info, as_of=day, limit=limit, names=names)
    console.print(f"{found.eligible_count} voldoen aan alle regels en zijn nog niet ingeschreven:")
    for e in found.eligible:
        console.print(f"  {e.candidate_id} ({names.get(e.municipality_code, e.municipality_code)})")
    console.print(f"{found.by_exception_count} missen één regel (toelaten als uitzondering):")
    for e in found.by_exception:
        console.print(f"  {e.candidate_id}: {e.misses[0].label}: {e.misses[0].reason}")


@programmes_app.command("enrol")
def enrol_command(
    programme: ProgrammeArg,
    candidate: CandidateArg,
    on: OnOption = None,
    reason: Annotated[str | None, typer.Option(help="Reden van een uitzondering.")] = None,
) -> None:
    """Inschrijven in de eerste fase; wie een regel mist alleen met een reden."""
    from matching.history import municipality_names
    from matching.programmes import enrol

    with store_transaction() as session:
        enrol(session, programme, candidate, on=_day(on), principal=Principal.command_line(),
              exception_reason=reason, names=municipality_names(session))  # fmt: skip
    console.print(
        f"{candidate} ingeschreven in {programme}" + (" (uitzondering)" if reason else "")
    )


@programmes_app.command("phase")
def phase_command(
    programme: ProgrammeArg,
    candidate: CandidateArg,
    phase: Annotated[str, typer.Argument(help="De nieuwe fase.")],
    on: OnOption = None,
) -> None:
    """Een traject naar een andere fase zetten."""
    from matching.programmes import change_phase

    with store_transaction() as session:
        change_phase(session, programme, candidate, phase=phase, on=_day(on),
                     principal=Principal.command_line())  # fmt: skip
    console.print(f"{candidate} is in fase {phase}")


@programmes_app.command("end")
def end_command(
    programme: ProgrammeArg,
    candidate: CandidateArg,
    outcome: Annotated[str, typer.Argument(help="werk, opleiding, doorverwijzing of uitval.")],
    on: OnOption = None,
) -> None:
    """Een traject beëindigen met een uitkomst."""
    from matching.programmes import end_trajectory

    with store_transaction() as session:
        end_trajectory(session, programme, candidate, outcome=outcome, on=_day(on),
                       principal=Principal.command_line())  # fmt: skip
    console.print(f"Traject van {candidate} beëindigd: {outcome}")


def register(app: typer.Typer) -> None:
    """Add ``werkmatch programmes`` to ``app``."""
    app.add_typer(programmes_app, name="programmes")
