"""When a placement's aftercare checkpoints fall due: 1, 3 and 6 months after the start, the
last one a day later (6 months + 1 day, when a placement counts as durable).

Calendar months as ``dateutil.relativedelta`` counts them, the way the evaluation counts
durable placements (``pandas.DateOffset``): a day the month lacks becomes its last day.

>>> [d.isoformat() for _k, d in checkpoints(dt.date(2024, 1, 31))]
['2024-02-29', '2024-04-30', '2024-08-01']
>>> [d.isoformat() for _k, d in checkpoints(dt.date(2023, 8, 31))]
['2023-09-30', '2023-11-30', '2024-03-01']
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

CHECKPOINTS = (1, 3, 6)
"""Months after the start at which the account manager checks in."""
GRACE = dt.timedelta(days=60)
"""How long an overdue checkpoint stays on the worklist (and a placement after its last one)."""
CHECKPOINT_LABELS = {1: "na 1 maand", 3: "na 3 maanden", 6: "na 6 maanden en 1 dag"}


def due_date(start: dt.date, months: int) -> dt.date:
    """The day checkpoint ``months`` falls due (module doc)."""
    due: dt.date = start + relativedelta(months=months)
    return due + dt.timedelta(days=1) if months == CHECKPOINTS[-1] else due


def checkpoints(start: dt.date) -> list[tuple[int, dt.date]]:
    """Every checkpoint of a placement that started on ``start``, with its due date."""
    return [(months, due_date(start, months)) for months in CHECKPOINTS]


def week_end(today: dt.date) -> dt.date:
    """The Sunday of ``today``'s week (ISO weeks start on Monday)."""
    return today + dt.timedelta(days=6 - today.weekday())
