"""The programme section of the evaluation report and the store side of programme progress."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evaluation.layout import Section, Table
from evaluation.programmes import ProgrammeProgress, Sources, TargetProgress, programme_progress
from matching import dutch
from matching.access.users import Principal
from matching.history import placement_history
from matching.programmes import get_programme, load_trajectories
from matching.programmes.catalogue import organisation_municipalities
from matching.store.models import Employer
from matching.whitespots.acquisition import funnel_history

FORECAST_NOTE = (
    "Prognose: een aantal groeit lineair door in het tempo tot nu toe (aantal × looptijd ÷ "
    "verstreken dagen); een percentage blijft op zijn huidige waarde. Een aantal deelnemers "
    "groeit niet verder dan de capaciteit toelaat (de deelnemers tot nu toe plus de vrije "
    "plaatsen); ligt het doel daarboven, dan is het oordeel 'boven capaciteit'. Positieve "
    "uitstroom en "
    "duurzaam volgen de definities van het plaatsingsdeel (duurzaam: ≥ 6 maanden + 1 dag)."
)


def load_progress(
    session: Session, programme_id: str, *, as_of: dt.date, principal: Principal
) -> ProgrammeProgress:
    """The dashboard of a programme of the principal's organisation as of ``as_of``: its
    trajectories, its participants' placements, and the contacts with employers of the
    organisation's municipalities (for the acquisition target)."""
    programme = get_programme(session, programme_id, principal=principal)
    trajectories = load_trajectories(session, programme_id)
    ids = {t.candidate_id for t in trajectories}
    placements = placement_history(session, until=as_of)
    placements = placements.loc[placements["candidate_id"].isin(ids)]
    start = min(programme.start_date, as_of)
    funnel = funnel_history(session, start=start, end=as_of)
    area = organisation_municipalities(session, programme.organisation_id)
    own = set(session.scalars(select(Employer.employer_id).where(
        Employer.municipality_code.in_(sorted(area)))))  # fmt: skip
    contacts = funnel.contacts.loc[funnel.contacts["employer_id"].isin(own)]
    sources = Sources(trajectories, placements, contacts, funnel.vacancies)
    return programme_progress(programme, sources, as_of=as_of)


def shown(value: float | None, *, share: bool) -> str:
    """A value as the report shows it: ``38,5 %`` or ``12``; ``–`` when unknown.

    >>> shown(0.385, share=True), shown(12.0, share=False), shown(None, share=False)
    ('38,5\xa0%', '12', '–')
    """
    if value is None:
        return "–"
    if share:
        return dutch.percent(value, 1)
    return dutch.number(value, 0 if abs(value - round(value)) < 0.05 else 1)


def programme_sections(progress: ProgrammeProgress, names: dict[str, str]) -> list[Section]:
    """The report's sections of one programme: targets, phases, municipalities."""
    p = progress.programme
    moments = [f"{label} ({dutch.date_nl(day)})" for label, day in progress.moments]
    rows = []
    for t in progress.targets:
        target = shown(t.target, share=t.share) if t.target is not None else "–"
        track = t.verdict or "–"
        values = [shown(v, share=t.share) for v in t.at] or ["–"] * len(moments)
        rows.append([t.label, target, *values, shown(t.now, share=t.share),
                     shown(t.forecast, share=t.share), track])  # fmt: skip
    headers = ["Doel", "Streefwaarde", *moments, f"Nu ({dutch.date_nl(progress.as_of)})",
               "Prognose einde", "Oordeel"]  # fmt: skip
    phases = Table(
        ["Fase", "Max. maanden", "Nu in fase", "Bereikt", "Over de maximale duur", "Doel"],
        [[str(r["phase"]), str(r["max_months"]), str(r["now"]), str(r["reached"]),
          str(r["over_time"]), str(r["target"] or "–")] for r in progress.phases],
    )  # fmt: skip
    places = Table(
        ["Gemeente", "Deelnemers", "Geplaatst", "Positieve uitstroom", "Doel plaatsingen"],
        [[f"{names.get(str(r['municipality_code']), r['municipality_code'])}",
          str(r["participants"]), str(r["placed"]), str(r["positive_outflow"]),
          str(r["target"] or "–")] for r in progress.municipalities],
    )  # fmt: skip
    intro = (
        f"{p.name}: looptijd {dutch.date_nl(p.start_date)} tot en met {dutch.date_nl(p.end_date)}; "
        f"{len(progress.over_time)} lopende trajecten over de maximale duur van hun fase."
    )
    return [
        Section(f"Programma {p.name}", [intro, Table(headers, rows), FORECAST_NOTE]),
        Section("Per fase", [phases], level=3),
        Section("Per gemeente", [places], level=3),
    ]


def programme_dict(progress: ProgrammeProgress) -> dict[str, Any]:
    """The programme's figures for ``metrics.json``."""
    return {
        "programme_id": progress.programme.programme_id,
        "as_of": progress.as_of.isoformat(),
        "moments": [{"label": label, "date": day.isoformat()} for label, day in progress.moments],
        "targets": [_target(t) for t in progress.targets],
        "phases": progress.phases,
        "municipalities": progress.municipalities,
        "over_time": progress.over_time,
        "outcomes": progress.outcomes,
    }


def _target(t: TargetProgress) -> dict[str, Any]:
    keys = ("key", "label", "share", "target", "at", "now", "forecast", "limit", "on_track",
            "verdict")  # fmt: skip
    return {key: getattr(t, key) for key in keys}
