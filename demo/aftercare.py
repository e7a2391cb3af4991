"""Aftercare history of the demo: check-ins with the running placements, deterministic.

Every checkpoint that fell due before today got its check-in a day or two after (by the demo
account manager, with a short note), except at every fourth running placement (by id), whose
check-ins are left open: the page *Nazorg* then shows overdue ones too.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from matching.access.users import now
from matching.aftercare.schedule import checkpoints
from matching.store import models
from matching.store.instruments import AftercareCheck

NOTES = (
    "Gebeld met werkgever en werknemer: gaat goed.",
    "Op bezoek geweest; rooster aangepast aan de kinderopvang.",
    "Werknemer tevreden, werkgever wil de uren uitbreiden.",
    None,
)
LEFT_OPEN_EVERY = 4


def add_aftercare_history(session: Session, *, by: str, today: dt.date) -> int:
    """Add the check-ins of the module doc; how many were added."""
    p = models.Placement
    running = session.execute(
        select(p.placement_id, p.start_date)
        .where(p.start_date <= today, or_(p.end_date.is_(None), p.end_date >= today))
        .order_by(p.placement_id)
    ).all()
    rows = []
    for i, (placement_id, start) in enumerate(running):
        if i % LEFT_OPEN_EVERY == LEFT_OPEN_EVERY - 1:
            continue
        for k, (months, due) in enumerate(checkpoints(start)):
            done_on = due + dt.timedelta(days=(i + k) % 3)
            if done_on >= today:
                break
            rows.append(
                AftercareCheck(
                    placement_id=placement_id,
                    checkpoint=months,
                    done_on=done_on,
                    by=by,
                    note=NOTES[(i + k) % len(NOTES)],
                    recorded_at=now(),
                )
            )
    session.add_all(rows)
    session.flush()
    return len(rows)
