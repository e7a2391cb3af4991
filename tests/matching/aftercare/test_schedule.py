"""Aftercare checkpoints around month ends and leap years, and the same 6 months + 1 day as
the evaluation's durable placement."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from evaluation.placements import MONTHS
from matching.aftercare.schedule import checkpoints, week_end

D = dt.date


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (D(2024, 1, 31), [D(2024, 2, 29), D(2024, 4, 30), D(2024, 8, 1)]),  # leap February
        (D(2023, 1, 31), [D(2023, 2, 28), D(2023, 4, 30), D(2023, 8, 1)]),
        (D(2024, 2, 29), [D(2024, 3, 29), D(2024, 5, 29), D(2024, 8, 30)]),
        (D(2023, 8, 31), [D(2023, 9, 30), D(2023, 11, 30), D(2024, 3, 1)]),  # 29 Feb + 1 day
        (D(2022, 8, 31), [D(2022, 9, 30), D(2022, 11, 30), D(2023, 3, 1)]),  # 28 Feb + 1 day
        (D(2024, 12, 31), [D(2025, 1, 31), D(2025, 3, 31), D(2025, 7, 1)]),  # over the year
        (D(2024, 3, 15), [D(2024, 4, 15), D(2024, 6, 15), D(2024, 9, 16)]),
    ],
)
def test_due_dates(start: dt.date, due: list[dt.date]) -> None:
    assert checkpoints(start) == list(zip((1, 3, 6), due, strict=True))


def test_the_last_checkpoint_is_the_day_a_placement_becomes_durable() -> None:
    days = pd.date_range("2023-01-01", "2024-12-31", freq="D")
    durable_from = [(day + MONTHS).date() + dt.timedelta(days=1) for day in days]
    assert [checkpoints(day.date())[-1][1] for day in days] == durable_from


def test_the_week_ends_on_sunday() -> None:
    assert week_end(D(2026, 4, 29)) == D(2026, 5, 3)  # a Wednesday
    assert week_end(D(2026, 5, 3)) == D(2026, 5, 3)
