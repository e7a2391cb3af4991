"""Pages for project leaders: "Programma's" — targets against progress, trajectories with their
flags, the worklist "Wie komt in aanmerking" with reasons, and the forms to enrol (or admit by
exception), change phase and end a trajectory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.pages.rendering import Page, PageDep
from evaluation.programme_report import load_progress, shown
from matching.access.audit import record
from matching.errors import InvalidInput, NotFound
from matching.history import municipality_names
from matching.programmes import (
    OUTCOME_NL,
    ProgrammeInfo,
    change_phase,
    end_trajectory,
    enrol,
    get_programme,
    list_programmes,
    load_trajectories,
    worklist,
)

router = APIRouter(tags=["pages-programmes"], include_in_schema=False)
ACTIVE = "programmas"
DateForm = Annotated[str, Form(max_length=10)]


@router.get("/programmas", response_class=HTMLResponse)
def programmes_page(page: PageDep) -> HTMLResponse:
    """The programmes of the organisation."""
    found = list_programmes(page.session, principal=page.principal)
    return page.render("programmes.html", active=ACTIVE, programmes=found)


@router.get("/programmas/{programme_id}", response_class=HTMLResponse)
def programme_page(
    page: PageDep,
    programme_id: str,
    peildatum: Annotated[str, Query(max_length=10)] = "",
    moment: Annotated[int, Query(ge=0, le=100)] = 0,
) -> HTMLResponse:
    """One programme: dashboard (as of a peildatum, or of an evaluation moment: ``moment``
    counts the programme's moments from 1), trajectories, worklist and forms."""
    try:
        programme = get_programme(page.session, programme_id, principal=page.principal)
    except NotFound:
        return page.error(404, "Dit programma bestaat niet.", active=ACTIVE)
    try:
        as_of, picked = _as_of(programme, peildatum, moment)
    except ValueError:
        return page.error(422, "Dat is geen peildatum (jjjj-mm-dd).", active=ACTIVE)
    except InvalidInput as error:
        return page.error(422, str(error), active=ACTIVE)
    names = municipality_names(page.session)
    progress = load_progress(page.session, programme_id, as_of=as_of, principal=page.principal)
    trajectories = load_trajectories(page.session, programme_id)
    found = worklist(page.session, programme, as_of=as_of, names=names)
    listed = [e.candidate_id for e in found.eligible + found.by_exception]
    record(page.session, page.principal, "programme.page", object_type="programme",
           object_id=programme_id,
           detail={"ids": [t.candidate_id for t in trajectories] + listed})  # fmt: skip
    return page.render(
        "programme.html", active=ACTIVE, programme=programme, progress=progress, as_of=as_of,
        trajectories=trajectories, worklist=found, names=names, shown=shown,
        outcomes=OUTCOME_NL, today=dt.date.today(), moment=moment, picked=picked,
    )  # fmt: skip


def _as_of(
    programme: ProgrammeInfo, peildatum: str, moment: int
) -> tuple[dt.date, tuple[str, dt.date] | None]:
    """The dashboard's date and the evaluation moment picked (its label and date): a moment
    after today shows today's figures (later ones are not known yet). ValueError: no date."""
    today = dt.date.today()
    moments = programme.moment_dates()
    if moment > len(moments):
        raise InvalidInput(f"Dit programma heeft {len(moments)} evaluatiemomenten, geen {moment}.")
    if moment:
        picked = moments[moment - 1]
        return min(picked[1], today), picked
    return (dt.date.fromisoformat(peildatum) if peildatum else today), None


def _act(
    page: Page, programme_id: str, action: str, datum: str, run: Callable[[dt.date], object]
) -> Response:
    """Run a change (``run`` takes the date) and go back to the programme, or say why not."""
    try:
        day = dt.date.fromisoformat(datum)
    except ValueError:
        return page.error(422, "Niet vastgelegd: dat is geen datum.", active=ACTIVE)
    try:
        run(day)
    except NotFound:
        return page.error(404, "Dit programma of traject bestaat niet.", active=ACTIVE)
    except InvalidInput as error:
        return page.error(422, f"Niet vastgelegd: {error}", active=ACTIVE)
    return RedirectResponse(f"/programmas/{programme_id}#{action}", status_code=303)


@router.post("/programmas/{programme_id}/inschrijven", response_class=HTMLResponse)
def enrol_form(
    page: PageDep,
    programme_id: str,
    candidate_id: Annotated[str, Form(max_length=64)],
    datum: DateForm,
    reden: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Enrol a candidate; with a reason, by exception (the project leader's decision)."""
    names = municipality_names(page.session)
    return _act(page, programme_id, "trajecten", datum, lambda day: enrol(
        page.session, programme_id, candidate_id, on=day, principal=page.principal,
        exception_reason=reden or None, names=names))  # fmt: skip


@router.post("/programmas/{programme_id}/trajecten/{candidate_id}/fase",
             response_class=HTMLResponse)  # fmt: skip
def phase_form(
    page: PageDep,
    programme_id: str,
    candidate_id: str,
    fase: Annotated[str, Form(max_length=100)],
    datum: DateForm,
) -> Response:
    """Move a trajectory into another phase."""
    return _act(page, programme_id, "trajecten", datum, lambda day: change_phase(
        page.session, programme_id, candidate_id, phase=fase, on=day,
        principal=page.principal))  # fmt: skip


@router.post("/programmas/{programme_id}/trajecten/{candidate_id}/einde",
             response_class=HTMLResponse)  # fmt: skip
def end_form(
    page: PageDep,
    programme_id: str,
    candidate_id: str,
    uitkomst: Annotated[str, Form(max_length=20)],
    datum: DateForm,
) -> Response:
    """End a trajectory with an outcome."""
    return _act(page, programme_id, "trajecten", datum, lambda day: end_trajectory(
        page.session, programme_id, candidate_id, outcome=uitkomst, on=day,
        principal=page.principal))  # fmt: skip
