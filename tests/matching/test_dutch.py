"""The one Dutch formatting module: numbers, shares, dates and Amsterdam times."""

from __future__ import annotations

import datetime as dt

from matching import dutch


def test_times_are_shown_in_amsterdam_winter_and_summer() -> None:
    winter = dt.datetime(2026, 12, 3, 23, 30, tzinfo=dt.UTC)
    summer = dt.datetime(2026, 7, 1, 10, 5)  # naive: the store's UTC
    assert dutch.time_nl(winter) == "04-12-2026 00:30"  # the next day in Amsterdam
    assert dutch.date_nl(winter) == "04-12-2026" and dutch.clock(summer) == "12:05"


def test_numbers_shares_and_missing_values() -> None:
    assert dutch.number(1234567.891, 2) == "1.234.567,89"
    assert dutch.percent(0.387, 1) == "38,7\u00a0%" and dutch.percent(float("nan")) == "–"
    assert dutch.number(None) == "–" and dutch.date_nl(None) == "–"
    assert dutch.label(dutch.ORIGINS, "fallback").startswith("terugval")
    assert dutch.label(dutch.ORIGINS, None) == "–"


def test_a_value_that_rounds_to_zero_has_no_minus_sign() -> None:
    """The model page showed the distance weight -0.0004 as '+-0,00'."""
    assert dutch.number(-0.0004, 2) == "0,00" and dutch.percent(-0.00001, 1) == "0,0\u00a0%"
    assert dutch.signed(-0.0004, 2) == "+0,00" and dutch.signed(-0.09, 2) == "-0,09"
    assert dutch.number(-0.6) == "-1" and dutch.number(-0.4) == "0"
