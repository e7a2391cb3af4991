"""Programme progress: every target at the programme's evaluation moments and at the end, per
phase and per municipality, with a linear forecast to the end date.

Measured at a moment ``d`` (only moments on or before ``as_of``; later ones are not known yet):

* *participants*: trajectories enrolled on or before ``d``; *per phase*: those whose phase
  history entered the phase on or before ``d``;
* a participant's *placements* are those that started on or after their enrolment and on or
  before ``d``, classified as of ``d`` by ``evaluation.placements.classify_placements`` (one
  definition of durable, ≥ 6 months + 1 day, and of positive outflow);
* *positive outflow %* and *durable %*: participants with at least one such placement, of the
  participants;
* *continuation %* (doorstroom): trajectories ended on or before ``d`` with outcome werk or
  opleiding, of the trajectories ended by then;
* *acquisition → appointment %*: ``appointment_share`` of ``evaluation.funnel`` over the
  contacts from the programme's start to ``d``;
* *placements per municipality*: participants of the municipality with a placement.

Forecast (a simple linear rate): a count grows at the rate it grew so far, ``count × (end −
start) / (as_of − start)`` in days; a share keeps its current value. Once the end date has
passed, the forecast is the count itself.

Capacity: a programme with a capacity (running trajectories at a time) can take in no more than
its free places, so a count of people (participants, per phase) reaches at most the
participants so far plus the free places now (``capacity − running``; places freed later are
not counted). The forecast is capped there, and the verdict (``VERDICTS``) is *boven
capaciteit* when the target lies above that limit, else *op koers* when the forecast reaches
the target and *achter op schema* when it does not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd

from evaluation import columns as c
from evaluation.funnel import funnel
from evaluation.placements import classify_placements
from matching.programmes import OUTCOME_NL, ProgrammeInfo, Trajectory

CONTINUING = ("work", "education")
ON_TRACK, BEHIND, OVER_CAPACITY = "op koers", "achter op schema", "boven capaciteit"
VERDICTS = (ON_TRACK, BEHIND, OVER_CAPACITY)
TOLERANCE = 1e-9


@dataclass(frozen=True)
class TargetProgress:
    """One target: its Dutch label, the target, the value at each moment, now and forecast."""

    key: str
    label: str
    share: bool  # a percentage (0–1) rather than a count
    target: float | None
    at: list[float | None]  # per moment of ``ProgrammeProgress.moments``
    now: float | None
    forecast: float | None  # capped at ``limit``
    limit: float | None = None  # the most the count can reach with the capacity (module doc)

    @property
    def verdict(self) -> str | None:
        """One of ``VERDICTS`` (module doc); None without a target, or without a forecast."""
        if self.target is None:
            return None
        if self.limit is not None and self.target > self.limit + TOLERANCE:
            return OVER_CAPACITY
        if self.forecast is None:
            return None
        return ON_TRACK if self.forecast >= self.target - TOLERANCE else BEHIND

    @property
    def on_track(self) -> bool | None:
        """Whether the verdict is *op koers* (None without a verdict)."""
        return None if self.verdict is None else self.verdict == ON_TRACK


@dataclass(frozen=True)
class ProgrammeProgress:
    """A programme's dashboard as of a date."""

    programme: ProgrammeInfo
    as_of: dt.date
    moments: list[tuple[str, dt.date]]
    targets: list[TargetProgress]
    phases: list[dict[str, object]]
    municipalities: list[dict[str, object]]
    over_time: list[str] = field(default_factory=list)  # candidate ids
    outcomes: dict[str, int] = field(default_factory=dict)  # Dutch outcome → trajectories


@dataclass(frozen=True)
class Sources:
    """What progress is measured on: trajectories, placements and acquisition history."""

    trajectories: Sequence[Trajectory]
    placements: pd.DataFrame  # placements.csv columns (``matching.history.placement_history``)
    contacts: pd.DataFrame = field(default_factory=pd.DataFrame)
    vacancies: pd.DataFrame = field(default_factory=pd.DataFrame)


def participant_placements(sources: Sources, day: dt.date) -> pd.DataFrame:
    """Placements of participants started between their enrolment and ``day``, classified as
    of ``day``, with the participant's home ``municipality_code``."""
    enrolled = pd.DataFrame(
        [(t.candidate_id, pd.Timestamp(t.enrolled_on), t.municipality_code)
         for t in sources.trajectories if t.enrolled_on <= day],
        columns=[c.CANDIDATE_ID, "enrolled_on", "home"],
    )  # fmt: skip
    placements = sources.placements
    if placements.empty or enrolled.empty:
        return pd.DataFrame(columns=[c.CANDIDATE_ID, "home", c.DURABLE, c.POSITIVE_OUTFLOW])
    dated = placements.assign(**{c.START_DATE: pd.to_datetime(placements[c.START_DATE])})
    joined = dated.merge(enrolled, on=c.CANDIDATE_ID, how="inner")
    kept = joined.loc[
        (joined[c.START_DATE] >= joined["enrolled_on"])
        & (joined[c.START_DATE] <= pd.Timestamp(day))
    ]
    if kept.empty:
        return pd.DataFrame(columns=[c.CANDIDATE_ID, "home", c.DURABLE, c.POSITIVE_OUTFLOW])
    return classify_placements(kept, as_of=day)


def _people(frame: pd.DataFrame, flag: str | None = None) -> set[str]:
    rows = frame if flag is None else frame.loc[frame[flag].astype(bool)]
    return set(rows[c.CANDIDATE_ID])


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _measures(
    programme: ProgrammeInfo, sources: Sources
) -> dict[str, Callable[[dt.date], float | None]]:
    """Per target key, the value at a date."""
    trajectories = sources.trajectories

    def participants(day: dt.date) -> float:
        return sum(1 for t in trajectories if t.enrolled_on <= day)

    def outflow(flag: str) -> Callable[[dt.date], float | None]:
        def at(day: dt.date) -> float | None:
            return _share(len(_people(participant_placements(sources, day), flag)),
                          int(participants(day)))  # fmt: skip

        return at

    def continuation(day: dt.date) -> float | None:
        ended = [t for t in trajectories if t.ended_on is not None and t.ended_on <= day]
        return _share(sum(1 for t in ended if t.outcome in CONTINUING), len(ended))

    def appointment(day: dt.date) -> float | None:
        contacts = sources.contacts
        if contacts.empty:
            return None
        dates = pd.to_datetime(contacts[c.DATE])
        window = contacts.loc[
            (dates >= pd.Timestamp(programme.start_date)) & (dates <= pd.Timestamp(day))
        ]
        if window.empty:
            return None
        table = funnel(window, sources.vacancies, sources.placements)
        return float(table["appointment_share"].iloc[0])

    measures: dict[str, Callable[[dt.date], float | None]] = {
        "participants": participants,
        "positive_outflow_pct": outflow(c.POSITIVE_OUTFLOW),
        "durable_pct": outflow(c.DURABLE),
        "continuation_pct": continuation,
        "appointment_pct": appointment,
    }
    for phase in programme.phases:
        measures[f"phase:{phase.name.lower()}"] = _reached_by(trajectories, phase.name)
    return measures


def _reached_by(trajectories: Sequence[Trajectory], phase: str) -> Callable[[dt.date], float]:
    """How many trajectories entered ``phase`` on or before a date."""

    def at(day: dt.date) -> float:
        wanted = phase.lower()
        return float(
            sum(any(n.lower() == wanted and d <= day for n, d in t.phases) for t in trajectories)
        )

    return at


LABELS = {
    "participants": "Deelnemers",
    "positive_outflow_pct": "Positieve uitstroom",
    "durable_pct": "Duurzaam geplaatst",
    "continuation_pct": "Doorstroom naar werk of opleiding",
    "appointment_pct": "Acquisitie → afspraak",
}
SHARES = frozenset(k for k in LABELS if k.endswith("_pct"))


def forecast(value: float | None, *, share: bool, start: dt.date, end: dt.date,
             as_of: dt.date) -> float | None:  # fmt: skip
    """The value at ``end`` by the linear rate so far (module doc).

    >>> forecast(30, share=False, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31),
    ...          as_of=dt.date(2026, 4, 1))  # 30 in 90 of 364 days
    121.33333333333333
    """
    if value is None or share or as_of >= end:
        return value
    elapsed = (as_of - start).days
    if elapsed <= 0:
        return None
    return value * (end - start).days / elapsed


def places_limit(programme: ProgrammeInfo, trajectories: Sequence[Trajectory],
                 day: dt.date) -> float | None:  # fmt: skip
    """Participants by ``day`` plus the free places then; None without a capacity."""
    if programme.capacity is None:
        return None
    enrolled = sum(1 for t in trajectories if t.enrolled_on <= day)
    running = sum(1 for t in trajectories if t.running(day))
    return float(enrolled + max(0, programme.capacity - running))


def _target_rows(
    programme: ProgrammeInfo,
    sources: Sources,
    moments: list[tuple[str, dt.date]],
    as_of: dt.date,
) -> list[TargetProgress]:
    """The rows of every target the programme sets, participants always."""
    measures, targets = _measures(programme, sources), programme.targets
    wanted: dict[str, float | None] = {
        "participants": targets.participants,
        "positive_outflow_pct": targets.positive_outflow_pct,
        "durable_pct": targets.durable_pct,
        "continuation_pct": targets.continuation_pct,
        "appointment_pct": targets.appointment_pct,
    }
    keys = ["participants"] + [k for k in wanted if k != "participants" and wanted[k] is not None]
    limit = places_limit(programme, sources.trajectories, min(as_of, programme.end_date))
    rows = [_row(k, LABELS[k], k in SHARES, wanted[k], measures[k], programme, moments, as_of,
                 limit=None if k in SHARES else limit) for k in keys]  # fmt: skip
    for phase in programme.phases:
        key = f"phase:{phase.name.lower()}"
        goal = targets.phase_counts.get(phase.name.lower())
        rows.append(_row(key, f"Fase {phase.name}", False, goal, measures[key], programme,
                         moments, as_of, limit=limit))  # fmt: skip
    return rows


def _capped(value: float | None, limit: float | None) -> float | None:
    return value if value is None or limit is None else min(value, limit)


def _row(
    key: str,
    label: str,
    share: bool,
    target: float | None,
    measure: Callable[[dt.date], float | None],
    programme: ProgrammeInfo,
    moments: list[tuple[str, dt.date]],
    as_of: dt.date,
    *,
    limit: float | None,
) -> TargetProgress:
    goal = target / 100 if share and target is not None else target
    now = measure(min(as_of, programme.end_date))
    expected = forecast(now, share=share, start=programme.start_date, end=programme.end_date,
                        as_of=min(as_of, programme.end_date))  # fmt: skip
    at = [measure(day) if day <= as_of else None for _label, day in moments]
    return TargetProgress(key, label, share, goal, at, now, _capped(expected, limit), limit)


def _participants_by(programme: ProgrammeInfo, trajectories: Sequence[Trajectory],
                     as_of: dt.date) -> list[TargetProgress]:  # fmt: skip
    """Rows of the staged participant targets (``12:20`` = 20 participants after 12 months)."""
    from matching.programmes import add_months

    rows = []
    for months, goal in programme.targets.participants_by:
        day = add_months(programme.start_date, months)
        count = float(sum(1 for t in trajectories if t.enrolled_on <= min(day, as_of)))
        expected = forecast(count, share=False, start=programme.start_date, end=day,
                            as_of=min(as_of, day))  # fmt: skip
        limit = places_limit(programme, trajectories, min(day, as_of))
        label = f"Deelnemers na {months} maanden"
        rows.append(TargetProgress(f"participants_by:{months}", label, False, float(goal),
                                   [], count, _capped(expected, limit), limit))  # fmt: skip
    return rows


def _phase_table(programme: ProgrammeInfo, trajectories: Sequence[Trajectory],
                 as_of: dt.date) -> list[dict[str, object]]:  # fmt: skip
    out = []
    for phase in programme.phases:
        here = [
            t for t in trajectories if t.running(as_of) and t.phase.lower() == phase.name.lower()
        ]
        out.append({
            "phase": phase.name, "max_months": phase.max_months, "now": len(here),
            "reached": sum(1 for t in trajectories if t.reached(phase.name)),
            "over_time": sum(1 for t in here if t.over_time(programme, as_of)),
            "target": programme.targets.phase_counts.get(phase.name.lower()),
        })  # fmt: skip
    return out


def _municipality_table(programme: ProgrammeInfo, sources: Sources,
                        as_of: dt.date) -> list[dict[str, object]]:  # fmt: skip
    placed = participant_placements(sources, as_of)
    homes = {t.municipality_code for t in sources.trajectories}
    homes |= set(programme.targets.placements_per_municipality)
    out = []
    for code in sorted(homes):
        people = [t for t in sources.trajectories if t.municipality_code == code
                  and t.enrolled_on <= as_of]  # fmt: skip
        ids = {t.candidate_id for t in people}
        out.append({
            "municipality_code": code, "participants": len(people),
            "placed": len(ids & _people(placed)),
            "positive_outflow": len(ids & _people(placed, c.POSITIVE_OUTFLOW)),
            "target": programme.targets.placements_per_municipality.get(code),
        })  # fmt: skip
    return out


def programme_progress(programme: ProgrammeInfo, sources: Sources, *,
                       as_of: dt.date) -> ProgrammeProgress:  # fmt: skip
    """The dashboard of ``programme`` as of ``as_of`` (module doc): the trajectories enrolled
    by then, as they stood then (``Trajectory.on``), so a past date shows that day's figures."""
    moments = programme.moment_dates()
    trajectories = [t.on(as_of) for t in sources.trajectories if t.enrolled_on <= as_of]
    sources = replace(sources, trajectories=trajectories)
    outcomes: dict[str, int] = {}
    for t in trajectories:
        if t.outcome is not None and t.ended_on is not None and t.ended_on <= as_of:
            word = OUTCOME_NL.get(t.outcome, t.outcome)
            outcomes[word] = outcomes.get(word, 0) + 1
    return ProgrammeProgress(
        programme=programme,
        as_of=as_of,
        moments=moments,
        targets=_target_rows(programme, sources, moments, as_of)
        + _participants_by(programme, trajectories, as_of),
        phases=_phase_table(programme, trajectories, as_of),
        municipalities=_municipality_table(programme, sources, as_of),
        over_time=[t.candidate_id for t in trajectories if t.over_time(programme, as_of)],
        outcomes=outcomes,
    )
