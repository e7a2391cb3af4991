"""Plausibility checks: the date window's edges and invisible characters."""

from __future__ import annotations

import datetime as dt
import doctest

import pytest

from matching import plausibility
from matching.errors import InvalidInput
from matching.plausibility import DateWindow, check_visible, invisible_reason

WINDOW = DateWindow(50, 10, dt.date(2026, 12, 3))


def test_window_edges() -> None:
    assert (
        WINDOW.reason(dt.date(1976, 1, 1)) is None and WINDOW.reason(dt.date(2036, 12, 31)) is None
    )
    assert WINDOW.reason(dt.date(1975, 12, 31)) and WINDOW.reason(dt.date(2037, 1, 1))
    wide = DateWindow(200, 200, dt.date(2026, 1, 1))  # never beyond the calendar's ends
    assert wide.reason(dt.date(1, 1, 1)) and wide.last.year == 2226
    with pytest.raises(InvalidInput, match=r"^De startdatum: 31 december 9999"):
        WINDOW.check(dt.date(9999, 12, 31), field="De startdatum")


@pytest.mark.parametrize(
    "char", ["\u200b", "\u200d", "\u200e", "\u202e", "\u2066", "\ufeff", "\u00ad"]
)
def test_invisible_and_direction_characters(char: str) -> None:
    assert invisible_reason(f"K{char}1") is not None
    with pytest.raises(InvalidInput, match="onzichtbaar"):
        check_visible(f"K{char}1", field="Het id")


def test_visible_text_passes() -> None:
    assert invisible_reason("Café 't Hoekje – ’s-Gravenhage") is None
    check_visible(None, field="Het id")


def test_doctests_pass() -> None:
    assert doctest.testmod(plausibility).failed == 0
