"""The placement part of the report: indicators in a period, per group, at checkpoints, a year on.

Pure functions over the frame ``matching.history.placement_history`` returns. A placement
belongs to the period when it *started* in ``[start, end]``; it is classified as of ``as_of``
(``evaluation.placements``: durable, pending — never counted as failed — and failed). A
placement is *fallback* when the candidate's municipality differs from the place of work (the
vacancy's municipality, or the employer's when there is no vacancy).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from evaluation import columns as c
from evaluation.placements import (
    add_origin,
    add_period,
    classify_placements,
    indicators_at,
    placement_indicators,
    retention_at,
)
from matching import dutch
from matching.errors import InvalidInput

CHECKPOINT_MONTHS = (1, 3, 11)
RETENTION_MONTHS = (1, 3, 11, 12)
GROUPS = {
    "origin": c.ORIGIN,
    "target_group": c.TARGET_GROUP,
    "ladder_step": c.LADDER_STEP,
    "municipality": c.MUNICIPALITY_CODE,
    "contract": c.CONTRACT,
    "month": c.PERIOD,
}
"""Section name → the column the indicators are grouped by."""


@dataclass(frozen=True)
class Period:
    """A closed date interval ``[start, end]``."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidInput(f"the period ends ({self.end}) before it starts ({self.start})")

    def __str__(self) -> str:
        return f"{dutch.long_date(self.start)} – {dutch.long_date(self.end)}"


@dataclass(frozen=True)
class PlacementSection:
    """Totals, tables per group, municipality flows, checkpoints and retention."""

    totals: dict[str, float | int | None]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    municipalities: pd.DataFrame = field(default_factory=pd.DataFrame)
    checkpoints: pd.DataFrame = field(default_factory=pd.DataFrame)
    retention: pd.DataFrame = field(default_factory=pd.DataFrame)


def in_period(placements: pd.DataFrame, period: Period, *, as_of: dt.date) -> pd.DataFrame:
    """The placements that started in the period and no later than ``as_of``."""
    start = pd.to_datetime(placements[c.START_DATE])
    last = pd.Timestamp(min(period.end, as_of))
    return placements.loc[(start >= pd.Timestamp(period.start)) & (start <= last)]


def _totals(table: pd.DataFrame, origins: pd.Series) -> dict[str, float | int | None]:
    row = table.iloc[0]
    out: dict[str, float | int | None] = {}
    for name, value in row.items():
        out[str(name)] = (
            None if pd.isna(value) else (float(value) if "rate" in str(name) else int(value))
        )
    out["own"] = int((origins == "own").sum())
    out["fallback"] = int((origins == "fallback").sum())
    out["origin_unknown"] = int((origins == "unknown").sum())
    return out


def municipality_flows(classified: pd.DataFrame) -> pd.DataFrame:
    """Per municipality: its own job seekers placed (anywhere, in it, elsewhere) and arrivals.

    Columns: ``municipality_code``, ``own_seekers_placed``, ``placed_in_own``,
    ``placed_elsewhere`` (through another municipality's vacancies or employers),
    ``own_seekers_durable`` and ``received_from_elsewhere`` (its vacancies filled by job seekers
    of other municipalities).
    """
    home, work = classified[c.MUNICIPALITY_CODE], classified[c.WORK_MUNICIPALITY_CODE]
    frame = pd.DataFrame(
        {
            "home": home,
            "own": (home == work).astype("int64"),
            "elsewhere": ((home != work) & work.notna()).astype("int64"),
            "durable": classified[c.DURABLE].astype("int64"),
        }
    )
    by_home = frame.groupby("home").agg(
        own_seekers_placed=("own", "size"),
        placed_in_own=("own", "sum"),
        placed_elsewhere=("elsewhere", "sum"),
        own_seekers_durable=("durable", "sum"),
    )
    arrivals = (work.notna() & (home != work)).groupby(work).sum().rename("received_from_elsewhere")
    table = by_home.join(arrivals, how="outer").fillna(0).astype("int64")
    return table.rename_axis(c.MUNICIPALITY_CODE).reset_index()


def checkpoint_indicators(
    placements: pd.DataFrame,
    *,
    start: dt.date,
    as_of: dt.date,
    months: Sequence[int] = CHECKPOINT_MONTHS,
) -> pd.DataFrame:
    """:func:`indicators_at` at start + k months; checkpoints after ``as_of`` are not reached.

    One row per k (``reached`` False and counts NA for a checkpoint after ``as_of``).
    """
    points = {k: pd.Timestamp(start) + pd.DateOffset(months=k) for k in months}
    reached = [k for k in months if points[k] <= pd.Timestamp(as_of)]
    rows = []
    if reached and len(placements):
        table = indicators_at(placements, start=start, months=reached)
        rows = table.assign(reached=True).to_dict("records")
    elif reached:
        rows = [
            {"months": k, "as_of": points[k], "placements": 0, "reached": True} for k in reached
        ]
    rows += [
        {"months": k, "as_of": points[k], "reached": False} for k in months if k not in reached
    ]
    return pd.DataFrame(rows).sort_values("months", kind="stable").reset_index(drop=True)


def placement_section(
    placements: pd.DataFrame,
    *,
    period: Period,
    as_of: dt.date,
    start: dt.date | None = None,
) -> PlacementSection:
    """The placement indicators of the report (module doc); ``start`` defaults to period.start."""
    start = start or period.start
    chosen = in_period(placements, period, as_of=as_of)
    classified = add_period(add_origin(classify_placements(chosen, as_of=as_of)))
    tables = {
        name: placement_indicators(classified, by=[column]) for name, column in GROUPS.items()
    }
    until = placements.loc[pd.to_datetime(placements[c.START_DATE]) <= pd.Timestamp(as_of)]
    return PlacementSection(
        totals=_totals(placement_indicators(classified), classified[c.ORIGIN]),
        tables=tables,
        municipalities=municipality_flows(classified),
        checkpoints=checkpoint_indicators(until, start=start, as_of=as_of),
        retention=retention_at(until, start=start, months=RETENTION_MONTHS, as_of=as_of),
    )
