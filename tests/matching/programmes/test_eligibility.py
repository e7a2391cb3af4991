"""Eligibility per rule on hand-made candidates: each rule can exclude, with a Dutch reason."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from matching.programmes.eligibility import candidate_table, eligible, rule_masks
from matching.programmes.reasons import misses
from matching.programmes.rules import Rules

AS_OF = dt.date(2026, 6, 1)
FITS = {
    "candidate_id": "fits", "municipality_code": "GM0363", "postcode4": "1021",
    "birth_year": 1990, "ladder_step": 3, "benefit": "participatiewet", "target_group": "regulier",
    "hours_available": 32, "languages": "nl", "status": "active",
}  # fmt: skip
NOORD_WERKT = Rules(
    municipalities=frozenset({"GM0363"}), postcode4=frozenset({"1021", "1022"}), age_min=18,
    age_max=65, ladder_steps=frozenset({3}), benefits=frozenset({"participatiewet", "none"}),
    target_groups=frozenset({"regulier", "nug"}), min_hours=32, min_hours_exception=16,
    languages=frozenset({"nl", "en"}),
)  # fmt: skip
ONE_RULE_MISSED = [
    ("active", {"status": "inactive"}, "actieve werkzoekende"),
    ("municipality", {"municipality_code": "GM0575"}, "woont in Noordwijk"),
    ("postcode4", {"postcode4": "1099"}, "postcode 1099"),
    ("age", {"birth_year": 2010}, "is 16 jaar"),
    ("age", {"birth_year": None}, "geboortejaar onbekend"),
    ("ladder_step", {"ladder_step": 2}, "trede 2"),
    ("benefit", {"benefit": "ww"}, "uitkering: WW"),
    ("target_group", {"target_group": "statushouder"},
     "doelgroep statushouder; het programma vraagt niet-uitkeringsgerechtigd (NUG) of regulier"),
    ("hours", {"hours_available": 20}, "16 uur met uitzondering"),
    ("language", {"languages": "ar;ti"},
     "talen: Arabisch, Tigrinya; het programma vraagt Engels of Nederlands"),
    ("language", {"languages": None}, "talen: onbekend"),
]  # fmt: skip


def _table(*changes: dict[str, object]) -> pd.DataFrame:
    rows = [FITS] + [{**FITS, "candidate_id": f"c{i:02d}", **c} for i, c in enumerate(changes)]
    return pd.DataFrame(rows)


@pytest.mark.parametrize(("rule", "change", "reason"), ONE_RULE_MISSED)
def test_each_rule_can_exclude_with_its_reason(
    rule: str, change: dict[str, object], reason: str
) -> None:
    table = candidate_table(_table(change))
    masks = rule_masks(table, NOORD_WERKT, as_of=AS_OF)
    assert eligible(masks).tolist() == [False, True]  # c00 sorts before "fits"
    found = misses(table, 0, NOORD_WERKT, as_of=AS_OF, names={"GM0575": "Noordwijk"})
    assert [m.rule for m in found] == [rule]
    assert reason in found[0].reason and found[0].exceptable
    assert misses(table, 1, NOORD_WERKT, as_of=AS_OF) == []


def test_below_the_exception_floor_no_exception_is_possible() -> None:
    table = candidate_table(_table({"hours_available": 12}))
    (miss,) = misses(table, 0, NOORD_WERKT, as_of=AS_OF)
    assert miss.rule == "hours" and not miss.exceptable and "minstens 16 uur" in miss.reason


def test_a_rule_the_programme_leaves_empty_admits_everyone() -> None:
    table = candidate_table(_table({"municipality_code": "GM0575", "birth_year": None,
                                    "ladder_step": 6, "languages": None}))  # fmt: skip
    assert eligible(rule_masks(table, Rules(), as_of=AS_OF)).tolist() == [True, True]


def test_age_counts_whole_years_on_the_reference_year() -> None:
    table = candidate_table(
        _table({"birth_year": 2008}, {"birth_year": 1961}, {"birth_year": 1960})
    )
    ages = rule_masks(table, NOORD_WERKT, as_of=AS_OF)["age"].tolist()
    assert ages == [True, True, False, True]  # 18, 65, 66 in 2026; "fits" last
