"""Fairness audit: age bands, selection rates, four-fifths, calibration and scores per group."""

from __future__ import annotations

import datetime as dt
import doctest
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation import fairness
from evaluation.fairness import (
    age_band,
    audit_groups,
    calibration_by_group,
    four_fifths_summary,
    mark_selected,
    score_quantiles,
    selection_audit,
)
from matching.errors import InvalidInput


def test_doctests_pass() -> None:
    """Every docstring example in the module holds."""
    result = doctest.testmod(fairness)
    assert result.attempted > 0
    assert result.failed == 0


def test_age_band_edges() -> None:
    """As of 2025: 1999 → 26, 1998 → 27, 1981 → 44, 1980 → 45, 1971 → 54, 1970 → 55."""
    years = pd.Series([1999, 1998, 1981, 1980, 1971, 1970, None])
    bands = age_band(years, as_of=dt.date(2025, 1, 1))
    assert bands.tolist() == ["<27", "27-44", "27-44", "45-54", "45-54", "55+", "unknown"]
    custom = age_band(pd.Series([2000, 1990]), as_of=dt.date(2025, 1, 1), edges=(30,))
    assert custom.tolist() == ["<30", "30+"]


def test_audit_groups_fill_unknowns() -> None:
    """Missing gender and birth year become ``unknown``; other columns are not carried along."""
    candidates = pd.DataFrame(
        {
            "candidate_id": ["k1", "k2"],
            "gender": ["v", None],
            "birth_year": [1960, None],
            "target_group": ["nug", "regulier"],
            "competences": ["x", "y"],
        }
    )
    groups = audit_groups(candidates, as_of=dt.date(2025, 1, 1))
    assert groups.columns.tolist() == ["candidate_id", "gender", "age_band", "target_group"]
    assert groups.to_numpy().tolist() == [
        ["k1", "v", "55+", "nug"],
        ["k2", "unknown", "unknown", "regulier"],
    ]


def test_mark_selected_marks_shortlisted_pairs() -> None:
    """Pairs (V1, a) and (V2, b) were shortlisted; (V1, b) was not, though b was elsewhere."""
    pool = pd.DataFrame({"vacancy_id": ["V1", "V1", "V2"], "candidate_id": ["a", "b", "b"]})
    chosen = pd.DataFrame({"vacancy_id": ["V1", "V2", "V2"], "candidate_id": ["a", "b", "b"]})
    assert mark_selected(pool, chosen)["selected"].tolist() == [True, False, True]


@pytest.fixture
def units() -> pd.DataFrame:
    """Gender v: 2 of 4 selected; m: 3 of 3; x: 0 of 1. Target groups: nug 1 of 4, regulier 4/4."""
    return pd.DataFrame(
        {
            "selected": [True, True, False, False, True, True, True, False],
            "gender": ["v", "v", "v", "v", "m", "m", "m", "x"],
            "target_group": ["regulier"] * 2 + ["nug"] * 2 + ["regulier"] * 2 + ["nug"] * 2,
        }
    )


def test_selection_audit_by_hand(units: pd.DataFrame) -> None:
    """Rates m 1, v .5, x 0; with min_count 2, x has no impact ratio and is not flagged."""
    table = selection_audit(units, attributes=["gender", "target_group"], min_count=2)
    gender = table.loc[table["attribute"] == "gender"].set_index("group")
    assert gender["rate"].tolist() == [1.0, 0.5, 0.0]
    assert gender.loc["v", "impact_ratio"] == 0.5
    assert gender["flagged"].tolist() == [False, True, False]
    assert math.isnan(gender.loc["x", "impact_ratio"])
    target = table.loc[table["attribute"] == "target_group"].set_index("group")
    assert target["impact_ratio"].to_dict() == {"nug": 0.25, "regulier": 1.0}


def test_four_fifths_summary_by_hand(units: pd.DataFrame) -> None:
    """Gender: lowest x (0), ratio 0; target group nug .25 / regulier 1."""
    summary = four_fifths_summary(units, attributes=["gender", "target_group"])
    assert summary.to_numpy().tolist() == [
        ["gender", 0.0, "x", "m", True],
        ["target_group", 0.25, "nug", "regulier", True],
    ]


def test_nobody_selected_is_not_a_disparity() -> None:
    """All rates 0: impact ratios 1, nothing flagged."""
    units = pd.DataFrame({"selected": [False] * 3, "gender": ["m", "v", "v"]})
    table = selection_audit(units, attributes=["gender"])
    assert table["impact_ratio"].tolist() == [1.0, 1.0]
    assert not table["flagged"].any()


def test_calibration_by_group_by_hand() -> None:
    """Group a: p .8 .3, y 1 0 → Brier (.04 + .09)/2 = .065; 2 bins: |0 − .3| + |1 − .8| = .5 → .25.

    Group b: p .5, y 1 → Brier .25, ECE .5; the missing label forms ``unknown``.
    """
    table = calibration_by_group([0.8, 0.3, 0.5, 0.1], [1, 0, 1, 0], ["a", "a", "b", None], bins=2)
    assert table.index.tolist() == ["a", "b", "unknown"]
    assert table.loc["a", "brier"] == pytest.approx(0.065)
    assert table.loc["a", "ece"] == pytest.approx(0.25)
    assert table.loc["b", ["brier", "ece"]].tolist() == pytest.approx([0.25, 0.5])
    assert table.loc["a", ["mean_p", "observed_rate"]].tolist() == pytest.approx([0.55, 0.5])
    # b: one outcome at p .5 in its bin: sqrt(2/pi) * sqrt(.25) / 1
    assert table.loc["b", "noise"] == pytest.approx(0.3989, abs=1e-4)


def test_score_quantiles_by_hand() -> None:
    """Group a: 0, .2, .4, .6, .8 → q25 .2, median .4, q90 .72; group b one score."""
    table = score_quantiles(
        [0, 0.2, 0.4, 0.6, 0.8, 0.5], list("aaaaab"), quantiles=[0.25, 0.5, 0.9]
    )
    assert table.columns.tolist() == ["n", "mean", "q25", "q50", "q90"]
    assert table.loc["a"].tolist() == pytest.approx([5, 0.4, 0.2, 0.4, 0.72])
    assert table.loc["b"].tolist() == pytest.approx([1, 0.5, 0.5, 0.5, 0.5])
    with pytest.raises(InvalidInput):
        score_quantiles([math.nan], ["a"])


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.tuples(st.booleans(), st.sampled_from(["m", "v", "x"])), min_size=1, max_size=30)
)
def test_impact_ratios_in_unit_interval(rows: list[tuple[bool, str]]) -> None:
    """Impact ratios lie in [0, 1], the top group has 1, flags mean ratio < 0.8."""
    units = pd.DataFrame(rows, columns=["selected", "gender"])
    table = selection_audit(units, attributes=["gender"])
    assert table["impact_ratio"].between(0, 1).all()
    assert table["impact_ratio"].max() == 1.0
    assert (table["flagged"] == (table["impact_ratio"] < 0.8)).all()
