"""The demo's aftercare history: check-ins of past checkpoints, every fourth placement left
open, the same on every run."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from demo.aftercare import add_aftercare_history
from matching.store import models
from matching.store.instruments import AftercareCheck
from tests.matching.shortlist.store_fixture import seed


def _checks(sessions: sessionmaker[Session], today: dt.date) -> list[tuple[str, int, dt.date]]:
    with sessions.begin() as session:
        add_aftercare_history(session, by="am-demo", today=today)
        a = AftercareCheck
        found = [
            tuple(row) for row in session.execute(select(a.placement_id, a.checkpoint, a.done_on))
        ]
        session.rollback()
    return sorted(found)


def test_past_checkpoints_get_check_ins_and_every_fourth_is_left_open(
    sessions: sessionmaker[Session],
) -> None:
    seed(sessions)  # P1: X_RUNNING since 2026-01-01
    with sessions.begin() as session:
        for pid, person, start in (("P2", "X_PLACED", dt.date(2026, 2, 5)),
                                   ("P3", "O2", dt.date(2026, 3, 1)),
                                   ("P4", "O3", dt.date(2026, 3, 20))):  # fmt: skip
            session.add(models.Placement(placement_id=pid, candidate_id=person, employer_id="E1",
                                         start_date=start, hours_per_week=20,
                                         contract="regular"))  # fmt: skip
    today = dt.date(2026, 4, 29)
    found = _checks(sessions, today)
    assert found == [
        ("P1", 1, dt.date(2026, 2, 1)),  # due that day, done the same day
        ("P1", 3, dt.date(2026, 4, 2)),  # due 1 April, done a day later
        ("P2", 1, dt.date(2026, 3, 6)),
        ("P3", 1, dt.date(2026, 4, 3)),
    ]  # P4, the fourth, left open; P3's and P4's later checkpoints are not due yet
    assert found == _checks(sessions, today)  # deterministic
