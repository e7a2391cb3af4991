"""The acquisition part of the report: the funnel in a period, for white spots, at checkpoints.

Pure functions over ``matching.whitespots.acquisition.FunnelHistory`` frames (steps and shares as in
``evaluation.funnel``). Events after ``as_of`` are dropped first, so a report as of a past date
cannot see later vacancies or placements. An employer counts as a *white spot* when it was one
the day before the period began (``matching.whitespots.white_spot_ids``). Supply-driven
contacts (made with a job seeker in mind, ``matching.whitespots.supply``) are counted apart as
well: the funnel over those contacts only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import pandas as pd

from evaluation import columns as c
from evaluation.funnel import COUNTS, SHARES, employer_steps, funnel
from matching.whitespots.acquisition import FunnelHistory

WHITE_SPOT = "white_spot"
SUPPLY_DRIVEN = "supply_driven"


@dataclass(frozen=True)
class FunnelSection:
    """Funnel totals, the funnel split by white spot, white spots placed, and checkpoints."""

    totals: dict[str, float | int | None]
    by_white_spot: pd.DataFrame = field(default_factory=pd.DataFrame)
    white_spots_placed: int = 0
    white_spots_contacted: int = 0
    checkpoints: pd.DataFrame = field(default_factory=pd.DataFrame)
    supply_driven_contacts: int = 0
    supply_driven: dict[str, float | int | None] = field(default_factory=dict)


def until(history: FunnelHistory, as_of: dt.date) -> FunnelHistory:
    """The history as known at ``as_of``: later contacts, vacancies and placements dropped."""
    cut = pd.Timestamp(as_of)

    def known(frame: pd.DataFrame, column: str) -> pd.DataFrame:
        return frame.loc[pd.to_datetime(frame[column]) <= cut] if len(frame) else frame

    return FunnelHistory(
        known(history.contacts, c.DATE),
        known(history.vacancies, c.OPENED_ON),
        known(history.placements, c.START_DATE),
    )


def _row(table: pd.DataFrame) -> dict[str, float | int | None]:
    record = table.iloc[0].to_dict() if len(table) else {}
    out: dict[str, float | int | None] = {}
    for name in (*COUNTS, "placements", *SHARES):
        value = record.get(name)
        if value is None or pd.isna(value):
            out[name] = 0 if name not in SHARES else None
        else:
            out[name] = float(value) if name in SHARES else int(value)
    return out


def funnel_totals(history: FunnelHistory) -> dict[str, float | int | None]:
    """The five counts, placements and the four shares in total (zeros without contacts)."""
    if history.contacts.empty:
        return _row(pd.DataFrame())
    return _row(funnel(history.contacts, history.vacancies, history.placements))


def white_spot_funnel(history: FunnelHistory, white_spots: Collection[str]) -> pd.DataFrame:
    """The funnel per ``white_spot`` (True: the employer was a white spot before the period)."""
    if history.contacts.empty:
        return pd.DataFrame(columns=[WHITE_SPOT, *COUNTS, "placements", *SHARES])
    spots = set(white_spots)
    contacts = history.contacts.assign(**{WHITE_SPOT: history.contacts[c.EMPLOYER_ID].isin(spots)})
    return funnel(contacts, history.vacancies, history.placements, by=[WHITE_SPOT])


def supply_driven_funnel(history: FunnelHistory) -> tuple[int, dict[str, float | int | None]]:
    """(supply-driven contacts, the funnel totals over those contacts only)."""
    contacts = history.contacts
    if SUPPLY_DRIVEN not in contacts.columns:
        return 0, funnel_totals(FunnelHistory(contacts.iloc[0:0], history.vacancies,
                                              history.placements))  # fmt: skip
    chosen = contacts.loc[contacts[SUPPLY_DRIVEN].fillna(False).astype(bool)]
    return len(chosen), funnel_totals(FunnelHistory(chosen, history.vacancies, history.placements))


def white_spot_counts(history: FunnelHistory, white_spots: Collection[str]) -> tuple[int, int]:
    """(white spots contacted, white spots where someone was placed) in the history."""
    if history.contacts.empty:
        return 0, 0
    steps = employer_steps(history.contacts, history.vacancies, history.placements)
    spots = steps.loc[steps.index.isin(set(white_spots))]
    return len(spots), int(spots["placement"].sum())


def funnel_checkpoints(
    history: FunnelHistory,
    *,
    start: dt.date,
    as_of: dt.date,
    months: Sequence[int] = (1, 3, 11),
) -> pd.DataFrame:
    """Funnel totals over contacts since ``start`` as known at start + k months (if reached)."""
    rows = []
    for k in months:
        point = (pd.Timestamp(start) + pd.DateOffset(months=k)).date()
        if point > as_of:
            rows.append({"months": k, "as_of": point, "reached": False})
            continue
        rows.append(
            {"months": k, "as_of": point, "reached": True, **funnel_totals(until(history, point))}
        )
    return pd.DataFrame(rows)


def funnel_section(
    history: FunnelHistory,
    since_start: FunnelHistory,
    white_spots: Collection[str],
    *,
    start: dt.date,
    as_of: dt.date,
) -> FunnelSection:
    """The acquisition section: ``history`` holds the period's contacts, ``since_start`` those
    from ``start`` onwards (for the checkpoints); both are cut at ``as_of`` here."""
    known = until(history, as_of)
    contacted, placed = white_spot_counts(known, white_spots)
    supplied, supply_totals = supply_driven_funnel(known)
    return FunnelSection(
        totals=funnel_totals(known),
        by_white_spot=white_spot_funnel(known, white_spots),
        white_spots_placed=placed,
        white_spots_contacted=contacted,
        checkpoints=funnel_checkpoints(until(since_start, as_of), start=start, as_of=as_of),
        supply_driven_contacts=supplied,
        supply_driven=supply_totals,
    )
