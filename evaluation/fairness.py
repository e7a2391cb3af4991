"""Fairness audit: selection rates, four-fifths ratios, calibration and scores per group.

This is the only place in werkmatch that reads ``gender`` and ``birth_year``; they never enter a
score. A *unit* is one row of a pool with a boolean ``selected`` column, e.g. every
(vacancy, eligible candidate) pair with ``selected`` = on the shortlist, or every shortlist entry
with ``selected`` = proposed to the employer (:func:`mark_selected` builds either).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd

from evaluation import columns as c
from matching.errors import InvalidInput
from matching.metrics import (
    ArrayLike,
    FloatArray,
    Labels,
    brier,
    calibration_noise,
    expected_calibration_error,
    four_fifths_ratio,
    selection_rates,
)

AGE_EDGES = (27, 45, 55)
ATTRIBUTES = (c.GENDER, c.AGE_BAND, c.TARGET_GROUP)
UNKNOWN = "unknown"
SELECTED = "selected"


def _band_labels(edges: Sequence[int]) -> list[str]:
    """``<27``, ``27-44``, ``45-54``, ``55+`` for edges (27, 45, 55)."""
    middle = [f"{lo}-{hi - 1}" for lo, hi in itertools.pairwise(edges)]
    return [f"<{edges[0]}", *middle, f"{edges[-1]}+"]


def age_band(
    birth_year: pd.Series, *, as_of: dt.date, edges: Sequence[int] = AGE_EDGES
) -> pd.Series:
    """Age band from the birth year: age = ``as_of.year`` − birth_year (the age reached that year).

    Only the birth year is known, so someone turning 27 later in ``as_of``'s year is already 27.
    Missing years give ``unknown``.

    >>> years = pd.Series([1999, 1998, 1981, 1980, 1971, 1970, None])  # ages 26, 27, 44, 45, …
    >>> age_band(years, as_of=dt.date(2025, 6, 1)).tolist()
    ['<27', '27-44', '27-44', '45-54', '45-54', '55+', 'unknown']
    """
    age = as_of.year - pd.to_numeric(birth_year, errors="coerce")
    bins = [-np.inf, *edges, np.inf]
    bands = pd.cut(age, bins=bins, right=False, labels=_band_labels(edges))
    return bands.astype(object).where(bands.notna(), UNKNOWN).rename(c.AGE_BAND)


def audit_groups(candidates: pd.DataFrame, *, as_of: dt.date) -> pd.DataFrame:
    """Per candidate: ``candidate_id``, ``gender``, ``age_band``, ``target_group`` (or unknown)."""
    gender = candidates[c.GENDER].astype(object).where(candidates[c.GENDER].notna(), UNKNOWN)
    target = candidates[c.TARGET_GROUP].astype(object)
    return pd.DataFrame(
        {
            c.CANDIDATE_ID: candidates[c.CANDIDATE_ID],
            c.GENDER: gender,
            c.AGE_BAND: age_band(candidates[c.BIRTH_YEAR], as_of=as_of),
            c.TARGET_GROUP: target.where(target.notna(), UNKNOWN),
        }
    )


def mark_selected(
    pool: pd.DataFrame,
    chosen: pd.DataFrame,
    *,
    on: Sequence[str] = (c.VACANCY_ID, c.CANDIDATE_ID),
) -> pd.DataFrame:
    """``pool`` with ``selected`` = whether its ``on`` key occurs in ``chosen``."""
    keys = list(on)
    chosen_keys = pd.MultiIndex.from_frame(chosen.loc[:, keys].drop_duplicates())
    selected = pd.MultiIndex.from_frame(pool.loc[:, keys]).isin(chosen_keys)
    return pool.assign(**{SELECTED: selected})


def selection_audit(
    units: pd.DataFrame,
    *,
    attributes: Sequence[str] = ATTRIBUTES,
    min_count: int = 1,
    threshold: float = 0.8,
) -> pd.DataFrame:
    """Selection rate per group of each attribute, with the four-fifths comparison.

    Columns: ``attribute``, ``group``, ``n``, ``selected``, ``rate``, ``impact_ratio`` (rate over
    the attribute's highest rate among groups with >= ``min_count`` units; NaN for smaller
    groups; 1 when nobody is selected), ``flagged`` (impact ratio < ``threshold``). Rates and
    ratios in [0, 1].

    >>> units = pd.DataFrame({"selected": [True, False, True, True],
    ...     "gender": ["v", "v", "m", "m"]})
    >>> table = selection_audit(units, attributes=["gender"])
    >>> table[["group", "rate", "flagged"]].to_numpy().tolist()
    [['m', 1.0, False], ['v', 0.5, True]]
    """
    blocks = []
    for attribute in attributes:
        rates = selection_rates(units[SELECTED], units[attribute])
        counted = rates["rate"].where(rates["n"] >= min_count)
        top = float(counted.max())
        ratio = (
            counted / top if top > 0 else pd.Series(1.0, index=counted.index).where(counted > -1)
        )
        block = rates.assign(impact_ratio=ratio, flagged=ratio < threshold)
        blocks.append(block.rename_axis("group").reset_index().assign(attribute=attribute))
    table = pd.concat(blocks, ignore_index=True)
    order = ["attribute", "group", "n", SELECTED, "rate", "impact_ratio", "flagged"]
    return table.loc[:, order]


def four_fifths_summary(
    units: pd.DataFrame,
    *,
    attributes: Sequence[str] = ATTRIBUTES,
    min_count: int = 1,
    threshold: float = 0.8,
) -> pd.DataFrame:
    """Per attribute: ``ratio`` (lowest / highest rate), ``lowest``, ``highest``, ``flagged``."""
    rows = []
    for attribute in attributes:
        result = four_fifths_ratio(
            units[SELECTED], units[attribute], min_count=min_count, threshold=threshold
        )
        rows.append(
            {
                "attribute": attribute,
                "ratio": result.ratio,
                "lowest": result.lowest,
                "highest": result.highest,
                "flagged": result.flagged,
            }
        )
    return pd.DataFrame(rows)


def _groups(values: ArrayLike, group: Labels) -> tuple[FloatArray, pd.Series]:
    """Values as a float array and group labels (missing → unknown) of equal length."""
    v = np.asarray(values, dtype=np.float64).ravel()
    g = pd.Series(np.asarray(group, dtype=object).ravel())
    if len(v) != len(g) or len(v) == 0:
        raise InvalidInput("values and groups must be non-empty and of equal length")
    return v, g.where(g.notna(), UNKNOWN)


def calibration_by_group(
    p: ArrayLike, y: ArrayLike, group: Labels, *, bins: int = 10
) -> pd.DataFrame:
    """Per group (sorted): ``n``, ``mean_p``, ``observed_rate``, ``brier``, ``ece`` and ``noise``
    (the ECE a calibrated p shows on the group's n outcomes, ``calibration_noise``); all in
    [0, 1] but n.

    >>> table = calibration_by_group([0.8, 0.3, 0.5], [1, 0, 1], ["a", "a", "b"], bins=2)
    >>> table.loc["a", ["n", "brier"]].round(4).tolist()  # ((0.2)² + (0.3)²) / 2
    [2.0, 0.065]
    """
    pa, g = _groups(p, group)
    ya = np.asarray(y, dtype=np.float64).ravel()
    rows = {}
    for label in sorted(g.unique(), key=str):
        mask = (g == label).to_numpy()
        rows[label] = {
            "n": int(mask.sum()),
            "mean_p": float(pa[mask].mean()),
            "observed_rate": float(ya[mask].mean()),
            "brier": brier(pa[mask], ya[mask]),
            "ece": expected_calibration_error(pa[mask], ya[mask], bins=bins),
            "noise": calibration_noise(pa[mask], bins=bins),
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("group")


def score_quantiles(
    scores: ArrayLike,
    group: Labels,
    *,
    quantiles: Sequence[float] = (0.1, 0.25, 0.5, 0.75, 0.9),
) -> pd.DataFrame:
    """Per group (sorted): ``n``, ``mean`` and the score quantiles as ``q10``, ``q25``, ….

    Quantiles interpolate linearly (numpy's default).

    >>> table = score_quantiles([0.1, 0.3, 0.5, 0.9], ["a", "a", "a", "b"], quantiles=[0.5])
    >>> table.to_numpy().tolist()
    [[3.0, 0.3, 0.3], [1.0, 0.9, 0.9]]
    """
    s, g = _groups(scores, group)
    if np.isnan(s).any():
        raise InvalidInput("scores must not be NaN")
    grouped = pd.Series(s).groupby(g.to_numpy(), sort=True)
    table = grouped.agg(["size", "mean"]).rename(columns={"size": "n"})
    for q in quantiles:
        table[f"q{round(q * 100):02d}"] = grouped.quantile(q)
    return table.rename_axis("group")
