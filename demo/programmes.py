"""Two demo programmes modelled on the plans users work under, with their trajectories.

*Leiden Werkt* follows Noord Werkt (Amsterdam-Noord): residents of Leiden's postcode areas, 18–65,
on social assistance or without benefit, ladder step 2 or 3, 32 h a week (16 h by
exception), Dutch or English; intake → recruitment → a group trajectory *or* a work-experience
place (≤ 12 months) → guidance to work → aftercare; 100 participants, ≥ 70 % positive outflow.
*Extra impuls Noordwijk* follows its namesake: Noordwijk clients on ladder step 4 or 5, 20 % of
acquisition efforts to an appointment, evaluated after 1, 3 and 11 months and a year after
the end. Both run up to today. The files are written as a project leader would and imported
through the one import pipeline; the trajectories are drawn with a fixed seed from the
candidates the programme's own rules admit (a few admitted by exception, with a reason), so
the same store and date give the same demo. A trajectory that reached aftercare has a
placement (``placements.csv`` beside them) from the day aftercare began, so the dashboard's
placement targets have something to count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from matching.errors import InvalidInput
from matching.exchange.importing import import_paths
from matching.exchange.report import ImportReport
from matching.programmes.eligibility import eligible, load_candidates, rule_masks
from matching.programmes.rules import ProgrammeInfo, add_months, programme_info
from matching.store.models import Candidate, Employer, Placement
from matching.store.programmes import Programme

AFTERCARE = "nazorg"  # a trajectory enters aftercare when its participant starts work
CONTRACTS = ("regular", "trial", "subsidised")


@dataclass(frozen=True)
class DemoPlan:
    """One demo programme: its programmes.csv row and how trajectories move through it."""

    row: dict[str, str]
    paths: tuple[tuple[str, ...], ...]  # the phase sequences a trajectory may take
    path_weights: tuple[float, ...]
    participants: int


def plans(today: dt.date, leiden_pc4: Sequence[str]) -> list[DemoPlan]:
    """The two demo programmes as of ``today``."""
    first = today.replace(day=1)
    werkt_start, impuls_start = add_months(first, -9), add_months(first, -8)
    werkt = {
        "programme_id": "leiden-werkt", "name": "Leiden Werkt",
        "start_date": werkt_start.isoformat(),
        "end_date": (add_months(werkt_start, 24) - dt.timedelta(days=1)).isoformat(),
        "municipalities": "GM0546", "postcode4_areas": ";".join(leiden_pc4),
        "age_min": "18", "age_max": "65", "ladder_steps": "2;3",
        "benefits": "bijstand;geen uitkering", "min_hours": "32", "min_hours_exception": "16",
        "languages": "Nederlands;Engels",
        "phases": "intake:1;werving en selectie:2;groepstraject:12;werkervaringsplaats:12;"
        "begeleiding naar werk:6;nazorg:6",
        "capacity": "100", "evaluation_moments": "6;12;eind", "target_participants": "100",
        "target_phase_counts": "groepstraject:55;werkervaringsplaats:45",
        "target_positive_outflow_pct": "70",
    }  # fmt: skip
    impuls = {
        "programme_id": "extra-impuls-noordwijk", "name": "Extra impuls Noordwijk",
        "start_date": impuls_start.isoformat(),
        "end_date": (add_months(impuls_start, 12) - dt.timedelta(days=1)).isoformat(),
        "municipalities": "GM0575", "ladder_steps": "4;5",
        "phases": "intake:1;begeleiding naar werk:6;nazorg:6",
        "evaluation_moments": "1;3;11;eind+12",
        "target_participants": "40", "target_durable_pct": "60", "target_appointment_pct": "20",
        "target_placements_per_municipality": "GM0575:25",
    }  # fmt: skip
    middle = ("intake", "werving en selectie")
    tail = ("begeleiding naar werk", "nazorg")
    group, place = (*middle, "groepstraject", *tail), (*middle, "werkervaringsplaats", *tail)
    return [
        DemoPlan(werkt, (group, place), (0.55, 0.45), 60),
        DemoPlan(impuls, (("intake", "begeleiding naar werk", "nazorg"),), (1.0,), 30),
    ]  # fmt: skip


ENROLMENT_COLUMNS = ["programme_id", "candidate_id", "enrolled_on", "phases", "ended_on",
                     "outcome", "exception_reason"]  # fmt: skip
EXCEPTION_REASON = "16 tot 32 uur beschikbaar: toegelaten door de projectleider (demo)"


def import_demo_programmes(
    sessions: sessionmaker[Session], out: Path, *, organisation_id: str, today: dt.date,
    seed: int,
) -> ImportReport:  # fmt: skip
    """Write the demo's ``programmes.csv`` and ``enrolments.csv`` into ``out`` and import them
    (the programmes first: the trajectories are drawn with their rules)."""
    out.mkdir(parents=True, exist_ok=True)
    c = Candidate
    with sessions() as session:
        areas = session.scalars(
            select(c.postcode4).where(c.municipality_code == "GM0546", c.postcode4.is_not(None))
            .distinct().order_by(c.postcode4)
        ).all()  # fmt: skip
    chosen = plans(today, [str(a) for a in areas])
    rows = [{**p.row, "organisation_id": organisation_id} for p in chosen]
    pd.DataFrame(rows).to_csv(out / "programmes.csv", index=False)
    report = import_paths(sessions, [out / "programmes.csv"])
    if not report.ok:
        raise InvalidInput(f"demo programmes rejected: {report.to_dict()['files']}")
    rng = np.random.default_rng(seed + 23)
    enrolments = []
    with sessions() as session:
        for plan in chosen:
            programme = programme_info(session.get_one(Programme, plan.row["programme_id"]))
            enrolments += _trajectories(session, programme, plan, rng, today)
        placements = _placements(session, enrolments, rng, today)
    pd.DataFrame(enrolments, columns=ENROLMENT_COLUMNS).to_csv(out / "enrolments.csv",
                                                               index=False)  # fmt: skip
    files = [out / "enrolments.csv"]
    if placements:
        pd.DataFrame(placements).to_csv(out / "placements.csv", index=False)
        files.insert(0, out / "placements.csv")
    report = import_paths(sessions, files)
    if not report.ok:
        raise InvalidInput(f"demo trajectories rejected: {report.to_dict()['files']}")
    return report


def _trajectories(
    session: Session, programme: ProgrammeInfo, plan: DemoPlan, rng: np.random.Generator,
    today: dt.date,
) -> list[dict[str, str]]:  # fmt: skip
    """Enrolments of candidates the rules admit (and a few by exception), phases drawn."""
    table = load_candidates(session, within=None)
    masks = rule_masks(table, programme.rules, as_of=programme.start_date)
    ok = eligible(masks)
    near = ~ok & np.logical_and.reduce([m for k, m in masks.items() if k != "hours"])
    near &= table.hours >= (programme.rules.min_hours_exception or 0)
    fits = np.flatnonzero(ok)  # a third is left for the worklist "Wie komt in aanmerking"
    picked = [(i, "") for i in rng.permutation(fits)[: min(plan.participants, 2 * len(fits) // 3)]]
    room = min(plan.participants - len(picked), plan.participants // 2)
    picked += [(i, EXCEPTION_REASON) for i in rng.permutation(np.flatnonzero(near))[:room]]
    span = max((today - programme.start_date).days - 7, 1)
    rows = []
    for row, reason in picked:
        enrolled = programme.start_date + dt.timedelta(days=int(rng.integers(0, span)))
        path = plan.paths[int(rng.choice(len(plan.paths), p=plan.path_weights))]
        phases, ended, outcome = _walk(programme, path, enrolled, rng, today)
        rows.append({
            "programme_id": programme.programme_id, "candidate_id": str(table.ids[row]),
            "enrolled_on": enrolled.isoformat(),
            "phases": ";".join(f"{name}:{day.isoformat()}" for name, day in phases),
            "ended_on": ended.isoformat() if ended else "", "outcome": outcome or "",
            "exception_reason": reason,
        })  # fmt: skip
    return rows


def _walk(
    programme: ProgrammeInfo, path: tuple[str, ...], enrolled: dt.date,
    rng: np.random.Generator, today: dt.date,
) -> tuple[list[tuple[str, dt.date]], dt.date | None, str | None]:  # fmt: skip
    """Phases entered up to today, each lasting 30–115 % of its maximum (some run over), and
    an end once the last phase is done (work: aftercare follows a placement) or when someone
    drops out or is referred elsewhere."""
    phases: list[tuple[str, dt.date]] = []
    day = enrolled
    for name in path:
        phases.append((name, day))
        phase = programme.phase(name)
        months = phase.max_months if phase is not None else 1
        day = day + dt.timedelta(days=int(30.4 * months * rng.uniform(0.3, 1.15)))
        if rng.random() < 0.06:  # dropped out during this phase
            stop = phases[-1][1] + dt.timedelta(days=int(rng.integers(1, 60)))
            why = "referral" if rng.random() < 0.3 else "dropped_out"
            return (phases, stop, why) if stop <= today else (phases, None, None)
        if day > today:
            return phases, None, None
    return phases, day, "work"


def _placements(
    session: Session, enrolments: list[dict[str, str]], rng: np.random.Generator,
    today: dt.date,
) -> list[dict[str, object]]:  # fmt: skip
    """A placement (placements.csv) for each trajectory that reached aftercare, starting the
    day aftercare began, at an employer of the participant's municipality; skipped for anyone
    working elsewhere then (no two placements at once)."""
    c, e, p = Candidate, Employer, Placement
    facts = session.execute(select(c.candidate_id, c.municipality_code, c.hours_available))
    homes, hours = {}, {}
    for cid, code, available in facts:
        homes[cid], hours[cid] = code, available
    employers: dict[str, list[str]] = {}
    for employer_id, code in session.execute(
        select(e.employer_id, e.municipality_code).order_by(e.employer_id)
    ):
        employers.setdefault(code, []).append(employer_id)
    busy: dict[str, list[tuple[dt.date, dt.date | None]]] = {}
    for cid, begin, end in session.execute(select(p.candidate_id, p.start_date, p.end_date)):
        busy.setdefault(cid, []).append((begin, end))
    rows: list[dict[str, object]] = []
    for enrolment in enrolments:
        cid = enrolment["candidate_id"]
        starts = [day for item in enrolment["phases"].split(";")
                  for name, day in [item.rsplit(":", 1)] if name == AFTERCARE]  # fmt: skip
        pool = employers.get(homes[cid]) or [x for found in employers.values() for x in found]
        if not starts or not pool:
            continue
        start = dt.date.fromisoformat(starts[0])
        if any(end is None or end >= start for _begin, end in busy.get(cid, [])):
            continue
        end = start + dt.timedelta(days=int(rng.integers(20, 240)))
        rows.append({
            "placement_id": f"{enrolment['programme_id']}-{cid}", "candidate_id": cid,
            "employer_id": pool[int(rng.integers(len(pool)))], "vacancy_id": "",
            "start_date": start.isoformat(),
            "end_date": end.isoformat() if rng.random() < 0.2 and end <= today else "",
            "hours_per_week": hours[cid], "contract": str(rng.choice(CONTRACTS, p=[.5, .25, .25])),
        })  # fmt: skip
    return rows
