"""The acquisition funnel on a hand-made history with known answers."""

from __future__ import annotations

import doctest

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation import funnel as funnel_module
from evaluation.funnel import COUNTS, STAGES, employer_steps, funnel

# E1: letter → call (appointment) → visit (vacancy) → 2 placements
# E2: letter → call, no interest; its only vacancy predates the first contact
# E3: call only (white spot); a vacancy opened after the call (so it passed the appointment
#     stage too); a placement from before the call
# E4: letter only (white spot); its vacancy predates the letter, so its placement is not counted
# E5: meeting only (an appointment); a placement, but no vacancy step → not counted
CONTACTS = pd.DataFrame(
    [
        ("c1", "E1", "2024-01-10", "letter", "none", False),
        ("c2", "E1", "2024-01-25", "call", "appointment", False),
        ("c3", "E1", "2024-02-05", "visit", "vacancy", False),
        ("c4", "E2", "2024-01-12", "letter", "none", False),
        ("c5", "E2", "2024-02-01", "call", "no_interest", False),
        ("c6", "E3", "2024-02-03", "call", "interest", True),
        ("c7", "E4", "2024-03-01", "letter", None, True),
        ("c8", "E5", "2024-02-10", "meeting", "none", False),
    ],
    columns=["contact_id", "employer_id", "date", "kind", "outcome", "white_spot"],
)
VACANCIES = pd.DataFrame(
    [
        ("v1", "E1", "2024-02-05"),
        ("v2", "E3", "2024-03-01"),
        ("v3", "E4", "2024-02-01"),
        ("v4", "E2", "2023-12-01"),
    ],
    columns=["vacancy_id", "employer_id", "opened_on"],
)
PLACEMENTS = pd.DataFrame(
    [
        ("pl1", "E1", "2024-03-01"),
        ("pl2", "E1", "2024-04-01"),
        ("pl3", "E3", "2024-01-01"),
        ("pl4", "E5", "2024-03-01"),
        ("pl5", "E4", "2024-04-01"),
    ],
    columns=["placement_id", "employer_id", "start_date"],
)


def test_doctests_pass() -> None:
    """Every docstring example in the module holds."""
    result = doctest.testmod(funnel_module)
    assert result.attempted > 0
    assert result.failed == 0


def test_employer_steps() -> None:
    """Per employer, which steps it reached (see the comments on the history)."""
    steps = employer_steps(CONTACTS, VACANCIES, PLACEMENTS)
    # columns: contacted, written, appointment, vacancy, placement
    assert steps.loc[:, list(COUNTS)].astype(int).to_dict(orient="index") == {
        "E1": dict(zip(COUNTS, [1, 1, 1, 1, 1], strict=True)),
        "E2": dict(zip(COUNTS, [1, 1, 0, 0, 0], strict=True)),
        "E3": dict(zip(COUNTS, [1, 0, 1, 1, 0], strict=True)),
        "E4": dict(zip(COUNTS, [1, 1, 0, 0, 0], strict=True)),
        "E5": dict(zip(COUNTS, [1, 0, 1, 0, 0], strict=True)),
    }
    assert steps["placements"].to_dict() == {"E1": 2, "E2": 0, "E3": 0, "E4": 0, "E5": 0}
    assert str(steps.loc["E1", "first_contact"].date()) == "2024-01-10"


def test_funnel_totals_and_shares() -> None:
    """Contacted 5, written 3 (E1 E2 E4), appointment 3 (E1 E3 E5), vacancy 2 (E1 E3), placement 1.

    Shares: 3/5, 3/5, 2/5 of contacted; placement 1/2 of vacancy employers; 2 placements.
    """
    row = funnel(CONTACTS, VACANCIES, PLACEMENTS).iloc[0]
    assert row[[*COUNTS, "placements"]].tolist() == [5, 3, 3, 2, 1, 2]
    shares = ["written_share", "appointment_share", "vacancy_share", "placement_share"]
    assert row[shares].tolist() == pytest.approx([0.6, 0.6, 0.4, 0.5])


def test_funnel_per_month_of_first_contact() -> None:
    """2024-01: E1 E2; 2024-02: E3 E5; 2024-03: E4."""
    table = funnel(CONTACTS, VACANCIES, PLACEMENTS, period="M").set_index("period")
    assert table.loc[:, [*COUNTS, "placements"]].to_numpy().tolist() == [
        [2, 2, 1, 1, 1, 2],
        [2, 0, 2, 1, 0, 0],
        [1, 1, 0, 0, 0, 0],
    ]
    assert table.index.tolist() == ["2024-01", "2024-02", "2024-03"]


def test_funnel_for_white_spots() -> None:
    """White spots E3 E4: contacted 2, written 1, a vacancy at E3, no placement: share 0 of 1."""
    table = funnel(CONTACTS, VACANCIES, PLACEMENTS, by=["white_spot"]).set_index("white_spot")
    assert table.loc[True, list(COUNTS)].tolist() == [2, 1, 1, 1, 0]
    assert table.loc[True, "placement_share"] == 0.0
    assert table.loc[False, list(COUNTS)].tolist() == [3, 2, 2, 1, 1]


def test_no_vacancy_employers_give_nan_placement_share() -> None:
    """Only E2 (no vacancy): placement share is undefined, not 0."""
    contacts = CONTACTS.loc[CONTACTS["employer_id"] == "E2"]
    row = funnel(contacts, VACANCIES, PLACEMENTS).iloc[0]
    assert row["vacancy"] == 0
    assert pd.isna(row["placement_share"])


DAYS = st.sampled_from(["2024-01-10", "2024-02-01", "2024-03-01"])
CONTACT = st.tuples(
    st.sampled_from(["E1", "E2", "E3"]),
    DAYS,
    st.sampled_from(["letter", "call", "visit", "meeting"]),
    st.sampled_from(["none", "interest", "appointment", "vacancy", "no_interest"]),
)
EVENT = st.tuples(st.sampled_from(["E1", "E2", "E3", "E4"]), DAYS)


@settings(max_examples=15, deadline=None)
@given(
    contacts=st.lists(CONTACT, min_size=1, max_size=6),
    vacancies=st.lists(EVENT, max_size=3),
    placements=st.lists(EVENT, max_size=3),
)
def test_stages_narrow_in_funnel_order(
    contacts: list[tuple[str, str, str, str]],
    vacancies: list[tuple[str, str]],
    placements: list[tuple[str, str]],
) -> None:
    """Whatever happened, no stage counts more employers than the stage before it, and the
    written part never exceeds the contacted employers (the order every page shows)."""
    frame = pd.DataFrame(
        [(f"c{i}", *row) for i, row in enumerate(contacts)],
        columns=["contact_id", "employer_id", "date", "kind", "outcome"],
    )
    opened = pd.DataFrame(vacancies, columns=["employer_id", "opened_on"])
    started = pd.DataFrame(placements, columns=["employer_id", "start_date"])
    row = funnel(frame, opened, started).iloc[0]
    stages = [int(row[s]) for s in STAGES]
    assert stages == sorted(stages, reverse=True)
    assert 0 <= row["written"] <= row["contacted"]
