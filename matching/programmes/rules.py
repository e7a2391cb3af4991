"""A programme as data: eligibility rules, phases with maximum durations, targets, moments.

Read from the store row (``matching.store.programmes.Programme``), whose cells hold what
``programmes.csv`` holds (``docs/exchange-format.md``, "programmes.csv").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta

from matching.exchange.values import parse_municipality
from matching.store.programmes import Programme


@dataclass(frozen=True)
class Phase:
    """One phase of a programme and how many months a trajectory may stay in it."""

    name: str
    max_months: int


@dataclass(frozen=True)
class Rules:
    """Who may enter: every rule that is set must hold (empty sets and None: no rule)."""

    municipalities: frozenset[str] = frozenset()
    postcode4: frozenset[str] = frozenset()
    age_min: int | None = None
    age_max: int | None = None
    ladder_steps: frozenset[int] = frozenset()
    benefits: frozenset[str] = frozenset()
    target_groups: frozenset[str] = frozenset()
    min_hours: int | None = None
    min_hours_exception: int | None = None
    languages: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Targets:
    """What the programme promises; None or empty where it promises nothing."""

    participants: int | None = None
    participants_by: tuple[tuple[int, int], ...] = ()  # (months after start, participants)
    phase_counts: dict[str, int] = field(default_factory=dict)
    positive_outflow_pct: int | None = None
    durable_pct: int | None = None
    continuation_pct: int | None = None
    appointment_pct: int | None = None
    placements_per_municipality: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ProgrammeInfo:
    """A programme of an organisation, its rules, phases, capacity, targets and moments."""

    programme_id: str
    organisation_id: str
    name: str
    start_date: dt.date
    end_date: dt.date
    rules: Rules
    phases: tuple[Phase, ...]
    capacity: int | None
    targets: Targets
    moments: tuple[str, ...]

    def phase(self, name: str) -> Phase | None:
        """The phase called ``name`` (case-insensitive), or None."""
        return next((p for p in self.phases if p.name.lower() == name.lower()), None)

    def moment_dates(self) -> list[tuple[str, dt.date]]:
        """(Dutch label, date) of each evaluation moment, and the end date, in date order."""
        found: dict[dt.date, str] = {}
        for moment in self.moments:
            if moment.startswith("eind"):
                months = int(moment[5:] or 0)
                label = "einde" if not months else f"{_months(months)} na het einde"
                found.setdefault(add_months(self.end_date, months), label)
            else:
                months = int(moment)
                found.setdefault(add_months(self.start_date, months), _months(months))
        found.setdefault(self.end_date, "einde")
        return [(label, day) for day, label in sorted(found.items())]


def _months(months: int) -> str:
    return "1 maand" if months == 1 else f"{months} maanden"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus calendar months, clipped to a shorter month's last day.

    >>> add_months(dt.date(2024, 1, 31), 1), add_months(dt.date(2023, 1, 31), 1)
    (datetime.date(2024, 2, 29), datetime.date(2023, 2, 28))
    """
    result: dt.date = day + relativedelta(months=months)
    return result


def _items(text: str | None) -> list[str]:
    return [item for item in (text or "").split(";") if item]


def _pairs(text: str | None) -> list[tuple[str, int]]:
    return [(name, int(number)) for name, number in (i.rsplit(":", 1) for i in _items(text))]


def programme_info(row: Programme) -> ProgrammeInfo:
    """The programme of a store row."""
    rules = Rules(
        municipalities=frozenset(_items(row.municipalities)),
        postcode4=frozenset(_items(row.postcode4_areas)),
        age_min=row.age_min,
        age_max=row.age_max,
        ladder_steps=frozenset(int(step) for step in _items(row.ladder_steps)),
        benefits=frozenset(_items(row.benefits)),
        target_groups=frozenset(_items(row.target_groups)),
        min_hours=row.min_hours,
        min_hours_exception=row.min_hours_exception,
        languages=frozenset(_items(row.languages)),
    )
    targets = Targets(
        participants=row.target_participants,
        participants_by=tuple((int(m), n) for m, n in _pairs(row.target_participants_by)),
        phase_counts={name.lower(): n for name, n in _pairs(row.target_phase_counts)},
        positive_outflow_pct=row.target_positive_outflow_pct,
        durable_pct=row.target_durable_pct,
        continuation_pct=row.target_continuation_pct,
        appointment_pct=row.target_appointment_pct,
        placements_per_municipality=_municipality_targets(row.target_placements_per_municipality),
    )
    return ProgrammeInfo(
        programme_id=row.programme_id,
        organisation_id=row.organisation_id,
        name=row.name,
        start_date=row.start_date,
        end_date=row.end_date,
        rules=rules,
        phases=tuple(Phase(name, months) for name, months in _pairs(row.phases)),
        capacity=row.capacity,
        targets=targets,
        moments=tuple(_items(row.evaluation_moments)),
    )


def _municipality_targets(text: str | None) -> dict[str, int]:
    """Placements per municipality with keys as CBS codes (``575`` → ``GM0575``)."""
    return {parse_municipality(name): number for name, number in _pairs(text)}
