"""Formula neutralisation: what a spreadsheet would run gets a quote, and the quote comes off."""

from __future__ import annotations

import doctest
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from matching import formulas
from matching.formulas import TRIGGERS, neutralise, restore

WRITERS = ("Workbook(", "csv.writer(", ".to_excel(", "DictWriter(")
RISKY_TEXT = st.builds(
    lambda quotes, first, rest: "'" * quotes + first + rest,
    st.integers(0, 3),
    st.sampled_from([*TRIGGERS, "'", "a", "1", " "]),
    st.text(max_size=20),
)


@given(st.one_of(st.text(), RISKY_TEXT))
def test_restore_undoes_neutralise(text: str) -> None:
    assert restore(neutralise(text)) == text


@given(st.one_of(st.text(), RISKY_TEXT))
def test_neutralised_text_never_starts_like_a_formula(text: str) -> None:
    assert not neutralise(text).startswith(tuple(TRIGGERS))


@given(st.one_of(st.integers(), st.floats(allow_nan=False), st.none(), st.booleans()))
def test_numbers_and_empty_cells_are_left_alone(value: object) -> None:
    assert neutralise(value) == value and type(neutralise(value)) is type(value)


def test_every_trigger_is_quoted() -> None:
    for trigger in TRIGGERS:
        assert neutralise(f"{trigger}cmd") == f"'{trigger}cmd"
    assert neutralise("Bakkerij De Korenschoof") == "Bakkerij De Korenschoof"


def test_doctests_pass() -> None:
    assert doctest.testmod(formulas).failed == 0


def test_every_spreadsheet_writer_neutralises() -> None:
    """A module that writes a workbook or CSV rows passes its cells through ``neutralise``."""
    root = Path(__file__).parents[2]
    writers = [
        path
        for package in ("api", "matching", "evaluation")
        for path in (root / package).rglob("*.py")
        if any(w in path.read_text(encoding="utf-8") for w in WRITERS)
    ]
    assert {p.name for p in writers} >= {"exporting.py", "export.py", "shortlist_workbook.py"}
    assert [p for p in writers if "neutralise(" not in p.read_text(encoding="utf-8")] == []
