"""The acquisition funnel per job hunter and per period, on ``evaluation.funnel``.

An employer is counted once, in the group of its *first contact* in the chosen window: the job
hunter who made it (``user``, the contact's ``by``) and its month (``2024-03``), ISO week
(``2024-W05``) or quarter (``2024Q1``). Steps and conversion shares follow
``evaluation.funnel`` (vacancies and placements count when they came on or after that first
contact, at any later date).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from evaluation import columns as c
from evaluation.funnel import COUNTS, SHARES, funnel
from matching.errors import InvalidInput
from matching.whitespots.acquisition import FunnelHistory

PERIODS = ("month", "week", "quarter")
GROUPS = ("user", *PERIODS)


def period_labels(dates: pd.Series, period: str) -> pd.Series:
    """Month ``2024-03``, ISO week ``2024-W05`` or quarter ``2024Q1`` of each date.

    >>> period_labels(pd.Series(["2024-01-01", "2024-12-30"]), "week").tolist()
    ['2024-W01', '2025-W01']
    """
    days = pd.to_datetime(dates)
    if period == "month":
        return days.dt.to_period("M").astype(str)
    if period == "quarter":
        return days.dt.to_period("Q").astype(str)
    iso = days.dt.isocalendar()
    return iso["year"].astype(str) + "-W" + iso["week"].astype(str).str.zfill(2)


def check_groups(by: Sequence[str]) -> list[str]:
    """The grouping names in order, or InvalidInput (unknown name, or two periods)."""
    keys = list(dict.fromkeys(by))
    unknown = [k for k in keys if k not in GROUPS]
    if unknown:
        raise InvalidInput(f"cannot group the funnel by {unknown}; use {', '.join(GROUPS)}")
    if sum(k in PERIODS for k in keys) > 1:
        raise InvalidInput("group the funnel by one period at most (month, week or quarter)")
    return keys


def acquisition_funnel(history: FunnelHistory, *, by: Sequence[str] = ()) -> pd.DataFrame:
    """Funnel counts and conversions, in total or per ``user`` and/or period (module doc).

    Columns: the group columns, the five counts, ``placements`` and the four shares (NaN where
    the base is 0). No contacts: one row of zeros in total, no rows when grouped.
    """
    keys = check_groups(by)
    contacts = history.contacts
    if contacts.empty:
        zero = {**dict.fromkeys(COUNTS, 0), "placements": 0, **dict.fromkeys(SHARES, None)}
        return pd.DataFrame(columns=[*keys, *zero]) if keys else pd.DataFrame([zero])
    extra = {"user": contacts["by"]}
    extra.update({p: period_labels(contacts[c.DATE], p) for p in keys if p in PERIODS})
    return funnel(
        contacts.assign(**{k: extra[k] for k in keys}),
        history.vacancies,
        history.placements,
        by=keys,
    )
