"""Supply-driven contacts ("met het cv onder de arm") counted apart in the report's funnel."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from evaluation.funnel_report import funnel_section
from matching.whitespots.acquisition import FunnelHistory

CONTACTS = pd.DataFrame(
    {
        "contact_id": ["c1", "c2", "c3", "c4"],
        "employer_id": ["A", "A", "B", "C"],
        "date": [dt.date(2026, 3, d) for d in (2, 9, 3, 4)],
        "kind": ["call", "visit", "letter", "call"],
        "outcome": [None, "appointment", None, "vacancy"],
        "by": ["jh"] * 4,
        "supply_driven": [True, True, False, True],
    }
)
VACANCIES = pd.DataFrame({"vacancy_id": ["V"], "employer_id": ["C"],
                          "opened_on": [dt.date(2026, 3, 10)]})  # fmt: skip
PLACEMENTS = pd.DataFrame({"placement_id": ["P"], "employer_id": ["C"],
                           "start_date": [dt.date(2026, 4, 1)]})  # fmt: skip


def test_supply_driven_contacts_have_their_own_funnel() -> None:
    history = FunnelHistory(CONTACTS, VACANCIES, PLACEMENTS)
    section = funnel_section(history, history, ["B"], start=dt.date(2026, 3, 1),
                             as_of=dt.date(2026, 6, 1))  # fmt: skip
    assert section.totals["contacted"] == 3
    assert section.supply_driven_contacts == 3  # c1, c2 (A) and c4 (C); B's letter is not
    totals = section.supply_driven
    assert (totals["contacted"], totals["appointment"], totals["vacancy"]) == (2, 2, 1)
    assert (totals["placement"], totals["placements"]) == (1, 1)


def test_a_history_without_the_flag_counts_none() -> None:
    old = FunnelHistory(CONTACTS.drop(columns="supply_driven"), VACANCIES, PLACEMENTS)
    section = funnel_section(old, old, [], start=dt.date(2026, 3, 1), as_of=dt.date(2026, 6, 1))
    assert section.supply_driven_contacts == 0 and section.supply_driven["contacted"] == 0
