"""Placement indicators on a hand-made history with known answers."""

from __future__ import annotations

import datetime as dt
import doctest

import pandas as pd
import pytest

from evaluation import placements as placements_module
from evaluation.placements import (
    add_origin,
    add_period,
    classify_placements,
    indicators_at,
    placement_indicators,
    retention_at,
)
from matching.errors import InvalidInput

AS_OF = dt.date(2025, 3, 15)
FLAGS = ["durable", "pending", "failed", "positive_outflow", "outflow_pending"]

# id, start, end, hours, contract, target group, home, place of work; expected flags
HISTORY = [
    # exactly 6 months: not durable, but positive outflow (that needs 6 months, not + 1 day)
    ("p01", "2024-01-15", "2024-07-15", 32, "regular", "regulier", "GM1", "GM1"),
    # 6 months + 1 day: durable
    ("p02", "2024-01-15", "2024-07-16", 32, "regular", "regulier", "GM1", "GM2"),
    # month end: 2024-08-31 + 6 months = 2025-02-28 (clipped); + 1 day = 2025-03-01
    ("p03", "2024-08-31", "2025-02-28", 24, "subsidised", "statushouder", "GM2", "GM2"),
    ("p04", "2024-08-31", "2025-03-01", 24, "subsidised", "statushouder", "GM2", "GM1"),
    # running, threshold 2025-05-02 after as_of: pending (censored), outflow pending
    ("p05", "2024-11-01", None, 32, "regular", "nug", "GM1", "GM1"),
    # running past its threshold: durable; trial is never positive outflow
    ("p06", "2024-06-01", None, 20, "trial", "doelgroepregister", "GM1", None),
    # durable, but 12 h/week: no positive outflow
    ("p07", "2024-03-01", "2024-12-31", 12, "regular", "doelgroepregister", "GM2", "GM2"),
    # two months of work experience: failed, no outflow
    ("p08", "2024-02-01", "2024-04-01", 36, "work_experience", "nug", "GM1", "GM1"),
    # ends after as_of: still running at as_of, so pending (the future end is not seen)
    ("p09", "2024-10-01", "2025-06-30", 32, "regular", "regulier", "GM1", "GM1"),
    # leap day: 2024-02-29 + 6 months = 2024-08-29, exactly 6 months; 16 h counts
    ("p10", "2024-02-29", "2024-08-29", 16, "regular", "regulier", "GM2", "GM1"),
]
EXPECTED = {  # durable, pending, failed, positive_outflow, outflow_pending
    "p01": [False, False, True, True, False],
    "p02": [True, False, False, True, False],
    "p03": [False, False, True, True, False],
    "p04": [True, False, False, True, False],
    "p05": [False, True, False, False, True],
    "p06": [True, False, False, False, False],
    "p07": [True, False, False, False, False],
    "p08": [False, False, True, False, False],
    "p09": [False, True, False, False, True],
    "p10": [False, False, True, True, False],
}


@pytest.fixture
def history() -> pd.DataFrame:
    """The hand-made placements with candidate attributes joined in."""
    names = [
        "placement_id",
        "start_date",
        "end_date",
        "hours_per_week",
        "contract",
        "target_group",
        "municipality_code",
        "work_municipality_code",
    ]
    return pd.DataFrame(HISTORY, columns=names)


def test_doctests_pass() -> None:
    """Every docstring example in the module holds."""
    result = doctest.testmod(placements_module)
    assert result.attempted > 0
    assert result.failed == 0


def test_each_placement_is_classified_as_expected(history: pd.DataFrame) -> None:
    """Flags per placement as annotated in HISTORY; durable/pending/failed partition the rows."""
    out = classify_placements(history, as_of=AS_OF).set_index("placement_id")
    assert {pid: out.loc[pid, FLAGS].tolist() for pid in EXPECTED} == EXPECTED
    assert (out[["durable", "pending", "failed"]].sum(axis=1) == 1).all()


@pytest.mark.parametrize(
    ("as_of", "durable", "outflow", "outflow_pending"),
    [
        ("2025-02-27", False, False, True),  # before 6 months
        ("2025-02-28", False, True, False),  # exactly 6 months (clipped month end): outflow only
        ("2025-03-01", True, True, False),  # 6 months + 1 day
    ],
)
def test_running_placement_from_month_end_crosses_thresholds(
    as_of: str, durable: bool, outflow: bool, outflow_pending: bool
) -> None:
    """A placement from 2024-08-31 still running: durable from 2025-03-01, pending before."""
    frame = pd.DataFrame(
        {
            "placement_id": ["x"],
            "start_date": ["2024-08-31"],
            "end_date": [None],
            "hours_per_week": [32],
            "contract": ["regular"],
        }
    )
    row = classify_placements(frame, as_of=dt.date.fromisoformat(as_of)).iloc[0]
    assert (row["durable"], row["pending"]) == (durable, not durable)
    assert (row["positive_outflow"], row["outflow_pending"]) == (outflow, outflow_pending)


def test_invalid_histories_are_refused(history: pd.DataFrame) -> None:
    """A start after as_of, an end before the start, or a missing column is refused."""
    with pytest.raises(InvalidInput, match="after as_of"):
        classify_placements(history, as_of=dt.date(2024, 6, 1))
    backwards = history.assign(end_date="2023-01-01")
    with pytest.raises(InvalidInput, match="ends before"):
        classify_placements(backwards, as_of=AS_OF)
    with pytest.raises(InvalidInput, match="contract"):
        classify_placements(history.drop(columns=["contract"]), as_of=AS_OF)


def test_totals(history: pd.DataFrame) -> None:
    """4 durable (p02 p04 p06 p07), 2 pending, 4 failed: rate 4/8; outflow 5 of 10 − 2 pending."""
    table = placement_indicators(classify_placements(history, as_of=AS_OF))
    row = table.iloc[0]
    assert len(table) == 1
    counts = ["placements", "durable", "pending", "failed", "decided"]
    assert row[counts].tolist() == [10, 4, 2, 4, 8]
    assert row["durable_rate"] == 0.5
    assert (row["positive_outflow"], row["outflow_pending"]) == (5, 2)
    assert row["outflow_rate"] == pytest.approx(5 / 8)


def test_per_target_group(history: pd.DataFrame) -> None:
    """Per target group, by hand; pending placements are never counted as failures."""
    table = placement_indicators(classify_placements(history, as_of=AS_OF), by=["target_group"])
    table = table.set_index("target_group")
    cols = ["placements", "durable", "pending", "failed", "positive_outflow", "outflow_pending"]
    assert table.loc[:, cols].to_dict(orient="index") == {
        "doelgroepregister": dict(zip(cols, [2, 2, 0, 0, 0, 0], strict=True)),
        "nug": dict(zip(cols, [2, 0, 1, 1, 0, 1], strict=True)),
        "regulier": dict(zip(cols, [4, 1, 1, 2, 3, 1], strict=True)),
        "statushouder": dict(zip(cols, [2, 1, 0, 1, 2, 0], strict=True)),
    }
    assert table["durable_rate"].tolist() == pytest.approx([1.0, 0.0, 1 / 3, 0.5])
    assert table["outflow_rate"].tolist() == pytest.approx([0.0, 0.0, 1.0, 1.0])


def test_per_quarter_and_contract(history: pd.DataFrame) -> None:
    """Start quarters: Q1 p01 p02 p07 p08 p10, Q2 p06, Q3 p03 p04, Q4 p05 p09."""
    classified = add_period(classify_placements(history, as_of=AS_OF), freq="Q")
    table = placement_indicators(classified, by=["period", "contract"])
    per_quarter = table.groupby("period")["placements"].sum()
    assert per_quarter.to_dict() == {"2024Q1": 5, "2024Q2": 1, "2024Q3": 2, "2024Q4": 2}
    q1_regular = table.loc[(table["period"] == "2024Q1") & (table["contract"] == "regular")]
    assert q1_regular[["placements", "durable", "failed"]].to_numpy().tolist() == [[4, 2, 2]]


def test_own_versus_fallback(history: pd.DataFrame) -> None:
    """Fallback p02 p04 p10; unknown place of work p06; own the other 6."""
    classified = add_origin(classify_placements(history, as_of=AS_OF))
    table = placement_indicators(classified, by=["municipality_code", "origin"])
    counts = table.set_index(["municipality_code", "origin"])["placements"].to_dict()
    assert counts == {
        ("GM1", "own"): 4,
        ("GM1", "fallback"): 1,
        ("GM1", "unknown"): 1,
        ("GM2", "own"): 2,
        ("GM2", "fallback"): 2,
    }


def test_no_decided_placement_gives_nan_rate(history: pd.DataFrame) -> None:
    """Only pending placements: durable rate is undefined (NaN), not 0."""
    pending = history.loc[history["placement_id"].isin(["p05", "p09"])]
    row = placement_indicators(classify_placements(pending, as_of=AS_OF)).iloc[0]
    assert row["pending"] == 2
    assert pd.isna(row["durable_rate"])


def test_retention_at_checkpoints(history: pd.DataFrame) -> None:
    """Since 2024-08-01: p03 p04 (08-31), p09 (10-01), p05 (11-01).

    +1 month (09-01): 2 started, 2 running; +3 (11-01): 4 and 4; +11 (2025-07-01): p03 p04
    ended, p09 ended 06-30 → 1 running (p05); +12: 1 running.
    """
    table = retention_at(history, start=dt.date(2024, 8, 1))
    assert table["months"].tolist() == [1, 3, 11, 12]
    assert table["checkpoint"].dt.date.tolist() == [
        dt.date(2024, 9, 1),
        dt.date(2024, 11, 1),
        dt.date(2025, 7, 1),
        dt.date(2025, 8, 1),
    ]
    assert table["started"].tolist() == [2, 4, 4, 4]
    assert table["running"].tolist() == [2, 4, 1, 1]
    assert table["rate"].tolist() == pytest.approx([1.0, 1.0, 0.25, 0.25])


def test_retention_after_as_of_is_not_observable(history: pd.DataFrame) -> None:
    """Checkpoints after the data's date come back as NA, not as counts."""
    table = retention_at(history, start=dt.date(2024, 8, 1), as_of=AS_OF)
    assert table["running"].iloc[:2].tolist() == [2, 4]
    assert table["running"].iloc[2:].isna().all()


def test_indicators_at_seven_months(history: pd.DataFrame) -> None:
    """As of 2024-08-01 + 7 months = 2025-03-01: p03 failed, p04 durable, p05 p09 pending."""
    table = indicators_at(history, start=dt.date(2024, 8, 1), months=(1, 7))
    assert table["as_of"].dt.date.tolist() == [dt.date(2024, 9, 1), dt.date(2025, 3, 1)]
    counts = table[["months", "placements", "durable", "pending", "failed"]].to_numpy().tolist()
    assert counts == [[1, 2, 0, 2, 0], [7, 4, 1, 2, 1]]
