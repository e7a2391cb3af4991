"""The acquisition funnel per job hunter and period: groups, empty inputs, period labels."""

from __future__ import annotations

import doctest

import pandas as pd
import pytest

from evaluation import acquisition as acquisition_module
from evaluation.acquisition import acquisition_funnel, check_groups, period_labels
from matching.errors import InvalidInput
from matching.whitespots.acquisition import FunnelHistory

CONTACTS = pd.DataFrame(
    [("c1", "A", "2024-01-31", "letter", "none", None),
     ("c2", "A", "2024-02-02", "call", "appointment", "anna"),
     ("c3", "B", "2024-02-05", "visit", "interest", "bram")],
    columns=["contact_id", "employer_id", "date", "kind", "outcome", "by"],
)  # fmt: skip
NO_VACANCIES = pd.DataFrame(columns=["vacancy_id", "employer_id", "opened_on"])
NO_PLACEMENTS = pd.DataFrame(columns=["placement_id", "employer_id", "start_date"])


def test_without_vacancies_or_placements() -> None:
    """A: letter then call (appointment); B: a visit. No vacancy anywhere."""
    table = acquisition_funnel(FunnelHistory(CONTACTS, NO_VACANCIES, NO_PLACEMENTS))
    row = table.iloc[0]
    assert [int(row[k]) for k in ("contacted", "written", "appointment", "vacancy")] == [2, 1, 2, 0]
    assert pd.isna(row["placement_share"])


def test_employer_goes_to_the_first_user_and_period() -> None:
    """A's first contact has no user, so A goes to the first named one (anna), in January."""
    table = acquisition_funnel(
        FunnelHistory(CONTACTS, NO_VACANCIES, NO_PLACEMENTS), by=["user", "month"]
    )
    assert table[["user", "month", "contacted"]].to_numpy().tolist() == [
        ["anna", "2024-01", 1], ["bram", "2024-02", 1],
    ]  # fmt: skip


def test_no_contacts() -> None:
    empty = FunnelHistory(CONTACTS.iloc[:0], NO_VACANCIES, NO_PLACEMENTS)
    assert acquisition_funnel(empty)["contacted"].tolist() == [0]
    assert acquisition_funnel(empty, by=["user"]).empty


def test_groups_are_checked() -> None:
    assert check_groups(["user", "week", "user"]) == ["user", "week"]
    with pytest.raises(InvalidInput):
        check_groups(["month", "quarter"])
    with pytest.raises(InvalidInput):
        check_groups(["employer"])


def test_period_labels() -> None:
    dates = pd.Series(["2024-02-29", "2021-01-03"])
    assert period_labels(dates, "month").tolist() == ["2024-02", "2021-01"]
    assert period_labels(dates, "week").tolist() == ["2024-W09", "2020-W53"]
    assert period_labels(dates, "quarter").tolist() == ["2024Q1", "2021Q1"]
    assert doctest.testmod(acquisition_module).failed == 0
