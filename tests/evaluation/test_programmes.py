"""The programme dashboard equals a hand count on a small fixture."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
import pytest

from evaluation.programmes import Sources, TargetProgress, programme_progress
from matching.programmes import Phase, ProgrammeInfo, Rules, Targets, Trajectory

D = dt.date
PROGRAMME = ProgrammeInfo(
    "p", "o", "Proef", D(2026, 1, 1), D(2026, 12, 31), Rules(),
    (Phase("intake", 1), Phase("werk", 6)), None,
    Targets(participants=8, phase_counts={"werk": 4}, positive_outflow_pct=50, durable_pct=25,
            continuation_pct=80, placements_per_municipality={"GM0575": 2}),
    ("3", "eind"),
)  # fmt: skip


def _t(cid: str, home: str, enrolled: D, werk: D | None = None, ended: D | None = None,
       outcome: str | None = None) -> Trajectory:  # fmt: skip
    phases = (("intake", enrolled),) + ((("werk", werk),) if werk else ())
    return Trajectory("p", cid, home, enrolled, phases, ended, outcome, None)


TRAJECTORIES = [
    _t("a", "GM0575", D(2026, 1, 10), D(2026, 2, 1), D(2026, 3, 20), "work"),
    _t("b", "GM0575", D(2026, 2, 1), D(2026, 3, 1)),
    _t("c", "GM0546", D(2026, 3, 15), None, D(2026, 5, 1), "dropped_out"),
    _t("d", "GM0546", D(2026, 5, 1)),  # intake since 1 May, 1 month at most: over time in July
]
PLACEMENTS = pd.DataFrame(
    {
        "placement_id": ["pa", "pb", "pz"],
        "candidate_id": ["a", "b", "a"],
        "employer_id": ["E1", "E2", "E3"],
        "start_date": [D(2026, 3, 1), D(2026, 6, 1), D(2025, 6, 1)],  # pz: before enrolment
        "end_date": [None, D(2026, 6, 20), None],
        "hours_per_week": [32, 20, 32],
        "contract": ["regular", "regular", "regular"],
    }
)
AS_OF = D(2026, 9, 30)


@pytest.fixture(scope="module")
def rows() -> dict[str, list[object]]:
    progress = programme_progress(PROGRAMME, Sources(TRAJECTORIES, PLACEMENTS), as_of=AS_OF)
    return {t.key: [t.target, *t.at, t.now, t.forecast] for t in progress.targets}


def test_moments_and_counts_by_hand(rows: dict[str, list[object]]) -> None:
    # moments: 1 April (3 months), 31 December (end, after as_of: not measured yet)
    assert rows["participants"][:4] == [8, 3, None, 4]  # a, b, c by 1 April; d later
    assert rows["phase:werk"][:4] == [4, 2, None, 2]
    # as of 30 Sept: pa lasted 7 months (durable, outflow); pb ended after 19 days
    assert rows["positive_outflow_pct"][:4] == [0.5, 0.0, None, 0.25]  # 1 of 4
    assert rows["durable_pct"][3] == 0.25
    assert rows["continuation_pct"][3] == 0.5  # a (werk) of a and c ended


def test_linear_forecast_of_counts_and_shares(rows: dict[str, list[object]]) -> None:
    elapsed, whole = (AS_OF - D(2026, 1, 1)).days, (D(2026, 12, 31) - D(2026, 1, 1)).days
    assert rows["participants"][4] == pytest.approx(4 * whole / elapsed)  # 5.3: off track
    assert rows["positive_outflow_pct"][4] == 0.25


def test_phases_municipalities_and_flags() -> None:
    progress = programme_progress(PROGRAMME, Sources(TRAJECTORIES, PLACEMENTS), as_of=AS_OF)
    assert [(p["phase"], p["now"], p["reached"], p["over_time"]) for p in progress.phases] == [
        ("intake", 1, 4, 1), ("werk", 1, 2, 1)  # b in werk since 1 March: 6 months passed
    ]  # fmt: skip
    by_home = {m["municipality_code"]: (m["participants"], m["placed"], m["target"])
               for m in progress.municipalities}  # fmt: skip
    assert by_home == {"GM0546": (2, 0, None), "GM0575": (2, 2, 2)}
    assert progress.over_time == ["b", "d"]
    assert progress.outcomes == {"werk": 1, "uitval": 1}
    off = {t.key: t.on_track for t in progress.targets}
    assert off["participants"] is False and off["positive_outflow_pct"] is False


def _with_capacity(capacity: int, target: int) -> ProgrammeInfo:
    return replace(PROGRAMME, capacity=capacity,
                   targets=Targets(participants=target))  # fmt: skip


def _participants(programme: ProgrammeInfo, as_of: D = AS_OF) -> TargetProgress:
    progress = programme_progress(programme, Sources(TRAJECTORIES, PLACEMENTS), as_of=as_of)
    return next(t for t in progress.targets if t.key == "participants")


def test_verdict_on_track_when_the_forecast_reaches_the_target_within_capacity() -> None:
    row = _participants(_with_capacity(capacity=10, target=5))
    # 4 participants by 30 Sept, 2 running (b, d): 4 + 8 free places = 12 at most
    assert row.limit == 12 and row.forecast == pytest.approx(4 * 364 / 272)
    assert row.verdict == "op koers" and row.on_track is True


def test_verdict_behind_schedule_when_the_pace_falls_short() -> None:
    row = _participants(_with_capacity(capacity=10, target=8))  # forecast 5.4 of 8
    assert row.verdict == "achter op schema" and row.on_track is False


def test_verdict_over_capacity_caps_the_forecast() -> None:
    # 16 March: a, b, c enrolled, all three running; capacity 3 leaves no free place
    row = _participants(_with_capacity(capacity=3, target=8), as_of=D(2026, 3, 16))
    assert row.limit == 3 and row.now == 3
    assert row.forecast == 3  # 3 in 74 days would be 14,8 by the end: capped at 3
    assert row.verdict == "boven capaciteit" and row.on_track is False


def test_a_fast_pace_above_capacity_is_on_track_when_the_target_fits() -> None:
    row = _participants(_with_capacity(capacity=3, target=3), as_of=D(2026, 3, 16))
    assert row.forecast == 3 and row.verdict == "op koers"


def test_shares_have_no_capacity_limit() -> None:
    progress = programme_progress(replace(PROGRAMME, capacity=1),
                                  Sources(TRAJECTORIES, PLACEMENTS), as_of=AS_OF)  # fmt: skip
    share = next(t for t in progress.targets if t.key == "positive_outflow_pct")
    assert share.limit is None and share.verdict == "achter op schema"  # 25 % of 50 %


def test_the_dashboard_at_an_evaluation_moment_equals_a_hand_count() -> None:
    """As of the 3-month moment (1 April), everything as it stood that day."""
    label, day = PROGRAMME.moment_dates()[0]
    assert (label, day) == ("3 maanden", D(2026, 4, 1))
    progress = programme_progress(PROGRAMME, Sources(TRAJECTORIES, PLACEMENTS), as_of=day)
    now = {t.key: t.now for t in progress.targets}
    column = {t.key: t.at[0] for t in progress.targets}  # noqa: PD008  (a list, not pandas)
    assert now == column  # the moment's column is the figure of the day
    assert now["participants"] == 3  # a, b, c; d enrolled on 1 May
    assert now["phase:werk"] == 2  # a (1 Feb), b (1 March)
    assert now["positive_outflow_pct"] == 0  # pa started 1 March: pending on 1 April
    assert now["continuation_pct"] == 1.0  # a ended with werk on 20 March, c not yet ended
    # running on 1 April: b in werk since 1 March; c in intake since 15 March (ended 1 May)
    assert [(p["phase"], p["now"], p["reached"], p["over_time"]) for p in progress.phases] == [
        ("intake", 1, 3, 0), ("werk", 1, 2, 0)]  # fmt: skip
    assert progress.outcomes == {"werk": 1}  # c's uitval came later
    assert {m["municipality_code"]: (m["participants"], m["placed"])
            for m in progress.municipalities} == {"GM0546": (1, 0), "GM0575": (2, 1)}  # fmt: skip
