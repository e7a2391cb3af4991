"""Trajectories: enrol a candidate, move them between phases, end with an outcome; flags.

A trajectory is an enrolment row: the phases it went through with their start dates
(``intake:2026-01-05;werving:2026-02-01``), an end date and an outcome. It is *over time*
(flagged) while it runs and the reference date lies after its current phase's start plus the
phase's maximum months (calendar months, clipped at month ends: 31 January + 1 month is
28 February, or 29 in a leap year); the last allowed day itself is not over time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from matching.columns import OUTCOME
from matching.programmes.rules import ProgrammeInfo, add_months
from matching.store.models import Candidate
from matching.store.programmes import Enrolment

OUTCOME_NL = {
    "work": "werk",
    "education": "opleiding",
    "referral": "doorverwijzing",
    "dropped_out": "uitval",
}
"""The Dutch word of each outcome (``matching.columns.OUTCOME`` holds the codes)."""
assert set(OUTCOME_NL) == set(OUTCOME.values)


@dataclass(frozen=True)
class Trajectory:
    """One candidate's trajectory in a programme."""

    programme_id: str
    candidate_id: str
    municipality_code: str
    enrolled_on: dt.date
    phases: tuple[tuple[str, dt.date], ...]
    ended_on: dt.date | None
    outcome: str | None
    exception_reason: str | None

    @property
    def phase(self) -> str:
        """The current (or last) phase."""
        return self.phases[-1][0]

    @property
    def phase_since(self) -> dt.date:
        """When the current phase began."""
        return self.phases[-1][1]

    def running(self, as_of: dt.date) -> bool:
        """Enrolled on or before ``as_of`` and not ended by then."""
        return self.enrolled_on <= as_of and (self.ended_on is None or self.ended_on > as_of)

    def phase_due(self, programme: ProgrammeInfo) -> dt.date | None:
        """The last day the current phase may last, or None when the phase has no maximum."""
        phase = programme.phase(self.phase)
        return add_months(self.phase_since, phase.max_months) if phase is not None else None

    def over_time(self, programme: ProgrammeInfo, as_of: dt.date) -> bool:
        """True while running past the current phase's maximum duration (module doc)."""
        due = self.phase_due(programme)
        return self.running(as_of) and due is not None and as_of > due

    def on(self, day: dt.date) -> Trajectory:
        """The trajectory as it stood on ``day``: later phase changes and a later end unknown.

        >>> d = dt.date
        >>> t = Trajectory("p", "a", "GM0575", d(2026, 1, 5), (("intake", d(2026, 1, 5)),
        ...                ("werk", d(2026, 3, 1))), d(2026, 6, 1), "work", None)
        >>> then = t.on(dt.date(2026, 2, 1))
        >>> then.phase, then.ended_on, then.outcome
        ('intake', None, None)
        """
        phases = tuple(p for p in self.phases if p[1] <= day) or self.phases[:1]
        if self.ended_on is not None and self.ended_on <= day:
            return replace(self, phases=phases)
        return replace(self, phases=phases, ended_on=None, outcome=None)

    def reached(self, phase: str) -> bool:
        """Whether the trajectory ever entered ``phase``."""
        return any(name.lower() == phase.lower() for name, _ in self.phases)


def parse_phases(text: str) -> tuple[tuple[str, dt.date], ...]:
    """``intake:2026-01-05;werving:2026-02-01`` as (phase, start) pairs."""
    pairs = (item.rsplit(":", 1) for item in text.split(";") if item)
    return tuple((name, dt.date.fromisoformat(day)) for name, day in pairs)


def format_phases(phases: tuple[tuple[str, dt.date], ...]) -> str:
    """The stored form of a phase history."""
    return ";".join(f"{name}:{day.isoformat()}" for name, day in phases)


def load_trajectories(
    session: Session, programme_id: str, *, candidate_id: str | None = None
) -> list[Trajectory]:
    """The programme's trajectories (one candidate's when given), by enrolment date and id."""
    e, c = Enrolment, Candidate
    statement = (
        select(e, c.municipality_code)
        .join(c, c.candidate_id == e.candidate_id)
        .where(e.programme_id == programme_id)
        .order_by(e.enrolled_on, e.candidate_id)
    )
    if candidate_id is not None:
        statement = statement.where(e.candidate_id == candidate_id)
    return [
        Trajectory(
            programme_id=row.programme_id,
            candidate_id=row.candidate_id,
            municipality_code=municipality,
            enrolled_on=row.enrolled_on,
            phases=parse_phases(row.phases),
            ended_on=row.ended_on,
            outcome=row.outcome,
            exception_reason=row.exception_reason,
        )
        for row, municipality in session.execute(statement)
    ]
