"""The fairness audit of the report: selection rates, four-fifths ratios, calibration, scores.

Units are the (vacancy, eligible candidate) pairs of the rebuilt shortlists
(``evaluation.backtest``): *selected in shortlists* = on werkmatch's top ``k``; *selected in
proposals* = actually proposed to that vacancy (the history, i.e. the people's choice).
Gender and age band are read here only (``matching.history.audit_attributes``); they never
enter a score. Groups smaller than ``min_count`` are shown but left out of the four-fifths ratio.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from evaluation import columns as c
from evaluation.backtest import BacktestRuns
from evaluation.fairness import (
    ATTRIBUTES,
    SELECTED,
    audit_groups,
    calibration_by_group,
    four_fifths_summary,
    score_quantiles,
    selection_audit,
)
from matching.errors import InvalidInput

MIN_COUNT = 30


@dataclass(frozen=True)
class FairnessSection:
    """Selection tables and four-fifths summaries (shortlists, proposals), calibration, scores."""

    selection: dict[str, pd.DataFrame] = field(default_factory=dict)
    four_fifths: dict[str, pd.DataFrame] = field(default_factory=dict)
    calibration: dict[str, pd.DataFrame] = field(default_factory=dict)
    scores: dict[str, pd.DataFrame] = field(default_factory=dict)
    min_count: int = MIN_COUNT


def pool_groups(
    backtest: BacktestRuns, attributes: pd.DataFrame, *, as_of: dt.date
) -> pd.DataFrame:
    """Audit groups (gender, age band, target group) per pool row, in pool order."""
    groups = audit_groups(attributes, as_of=as_of).set_index(c.CANDIDATE_ID)
    return groups.reindex(backtest.pool_ids).fillna("unknown").reset_index(drop=True)


def selection_units(
    backtest: BacktestRuns, groups: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pairs with ``selected`` for shortlists and for proposals, each with the group columns."""
    k = backtest.options.k
    rows = [r.eligible for r in backtest.runs]
    on_list = [r.position["werkmatch"] < k for r in backtest.runs]
    proposed = [np.isin(backtest.pool_ids[r.eligible], list(r.proposed)) for r in backtest.runs]
    if not rows:
        empty = pd.DataFrame(columns=[*ATTRIBUTES, SELECTED])
        return empty, empty
    pool_rows = np.concatenate(rows)
    base = groups.iloc[pool_rows].reset_index(drop=True)
    return (
        base.assign(**{SELECTED: np.concatenate(on_list)}),
        base.assign(**{SELECTED: np.concatenate(proposed)}),
    )


def _per_attribute(frame: pd.DataFrame, build: object) -> dict[str, pd.DataFrame]:
    out = {}
    for attribute in ATTRIBUTES:
        out[attribute] = build(frame, attribute)  # type: ignore[operator]
    return out


def _calibration_table(calibration: pd.DataFrame, group: pd.Series) -> pd.DataFrame:
    """Per group: werkmatch at the level of the placements against their outcomes (the
    like-for-like check, ``ranking_quality.calibration_summary``), and the mean shown p."""
    table = calibration_by_group(
        calibration["p_placed"].clip(0, 1), calibration["label"], group
    ).reset_index()
    shown = calibration["p_werkmatch"].groupby(group.to_numpy()).mean()
    return table.assign(mean_shown=table["group"].map(shown))


def fairness_section(
    backtest: BacktestRuns,
    attributes: pd.DataFrame,
    calibration: pd.DataFrame,
    *,
    as_of: dt.date,
    min_count: int = MIN_COUNT,
) -> FairnessSection:
    """The audit over the backtest's pairs and the labelled proposals (``calibration`` rows)."""
    groups = pool_groups(backtest, attributes, as_of=as_of)
    shortlists, proposals = selection_units(backtest, groups)
    selection, ratios = {}, {}
    for name, units in (("shortlists", shortlists), ("proposals", proposals)):
        if units.empty:
            continue
        selection[name] = selection_audit(units, min_count=min_count)
        try:
            ratios[name] = four_fifths_summary(units, min_count=min_count)
        except InvalidInput:  # no group is large enough to compare
            ratios[name] = pd.DataFrame(
                columns=["attribute", "ratio", "lowest", "highest", "flagged"]
            )
    calib: dict[str, pd.DataFrame] = {}
    if len(calibration):
        row_of = {cid: i for i, cid in enumerate(backtest.pool_ids.tolist())}
        g = groups.iloc[[row_of[x] for x in calibration[c.CANDIDATE_ID]]].reset_index(drop=True)
        calib = _per_attribute(g, lambda f, a: _calibration_table(calibration, f[a]))
    scores: dict[str, pd.DataFrame] = {}
    if backtest.runs and len(shortlists):
        p = np.concatenate([r.p_durable for r in backtest.runs])
        scores = _per_attribute(shortlists, lambda f, a: score_quantiles(p, f[a]).reset_index())
    return FairnessSection(selection, ratios, calib, scores, min_count)
