"""Placement indicators: durable, pending, failed, positive outflow, per group and over time.

The rules (exchange format, "Derived"), with calendar months as ``pandas.DateOffset(months=6)``,
which clips to the last day of a shorter month (2024-08-31 + 6 months = 2025-02-28):

* observed end = ``end_date`` if the placement had ended by ``as_of`` (``end_date <= as_of``),
  else ``as_of``; such a placement is *running* (an ``end_date`` after ``as_of`` is not yet
  known at ``as_of`` and is ignored, so an evaluation as of a past date cannot see the future);
* *durable*: observed end >= start + 6 months + 1 day. Started 2024-01-15: ended 2024-07-15 is
  exactly 6 months, not durable; ended 2024-07-16 is durable. Started 2024-08-31: the threshold
  is 2025-02-28 + 1 day = 2025-03-01;
* *pending*: running and not (yet) durable, i.e. ``as_of`` < start + 6 months + 1 day;
* *failed*: ended before start + 6 months + 1 day. Durable, pending and failed partition the rows;
* *positive outflow*: contract ``regular`` or ``subsidised``, ``hours_per_week`` >= 16 and
  observed end >= start + 6 months (6 months, *without* the extra day); *outflow pending*: such
  a contract, still running and ``as_of`` < start + 6 months.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from evaluation import columns as c
from matching.errors import InvalidInput

MONTHS = pd.DateOffset(months=6)
ONE_DAY = pd.Timedelta(days=1)
OUTFLOW_CONTRACTS = ("regular", "subsidised")
OUTFLOW_MIN_HOURS = 16
REQUIRED = (c.PLACEMENT_ID, c.START_DATE, c.END_DATE, c.HOURS_PER_WEEK, c.CONTRACT)


def _with_dates(placements: pd.DataFrame) -> pd.DataFrame:
    """Copy with ``start_date`` and ``end_date`` as datetimes; checks the required columns."""
    missing = [col for col in REQUIRED if col not in placements.columns]
    if missing:
        raise InvalidInput(f"placements lack the columns {missing}")
    try:
        start = pd.to_datetime(placements[c.START_DATE])
        end = pd.to_datetime(placements[c.END_DATE])
    except (ValueError, TypeError) as exc:
        raise InvalidInput(f"placement dates cannot be read: {exc}") from exc
    if start.isna().any():
        raise InvalidInput("every placement needs a start_date")
    if (end < start).any():
        raise InvalidInput("a placement ends before it starts")
    return placements.assign(**{c.START_DATE: start, c.END_DATE: end})


def classify_placements(placements: pd.DataFrame, *, as_of: dt.date) -> pd.DataFrame:
    """Add the flags ``running``, ``durable``, ``pending``, ``failed``, ``positive_outflow`` and
    ``outflow_pending`` (rules in the module docstring).

    ``placements`` has the placements.csv columns (plus whatever the caller joined in); every
    placement must have started on or before ``as_of``. Dates come back as datetimes.

    >>> frame = pd.DataFrame({"placement_id": ["a", "b"], "start_date": ["2024-01-15"] * 2,
    ...     "end_date": ["2024-07-15", None], "hours_per_week": [32, 12],
    ...     "contract": ["regular", "regular"]})
    >>> out = classify_placements(frame, as_of=dt.date(2024, 8, 1))
    >>> flags = ["durable", "pending", "failed", "positive_outflow", "outflow_pending"]
    >>> out[flags].to_numpy().tolist()  # a: exactly 6 months; b: running, but 12 h
    [[False, False, True, True, False], [True, False, False, False, False]]
    """
    frame = _with_dates(placements)
    cut = pd.Timestamp(as_of)
    start, end = frame[c.START_DATE], frame[c.END_DATE]
    if (start > cut).any():
        raise InvalidInput(f"placements start after as_of {as_of}; filter them out first")
    running = end.isna() | (end > cut)
    observed_end = end.where(~running, cut)
    six_months = start + MONTHS
    durable = observed_end >= six_months + ONE_DAY
    eligible = frame[c.CONTRACT].isin(OUTFLOW_CONTRACTS) & (
        frame[c.HOURS_PER_WEEK] >= OUTFLOW_MIN_HOURS
    )
    lasted_six = observed_end >= six_months
    return frame.assign(
        **{
            c.RUNNING: running,
            c.DURABLE: durable,
            c.PENDING: running & ~durable,
            c.FAILED: ~running & ~durable,
            c.POSITIVE_OUTFLOW: eligible & lasted_six,
            c.OUTFLOW_PENDING: eligible & running & ~lasted_six,
        }
    )


def add_period(frame: pd.DataFrame, *, freq: str = "M", column: str = c.START_DATE) -> pd.DataFrame:
    """Add ``period``: the month (``"2024-03"``, freq ``"M"``) or quarter (``"2024Q1"``, ``"Q"``).

    >>> add_period(pd.DataFrame({"start_date": ["2024-03-31"]}), freq="Q")["period"].tolist()
    ['2024Q1']
    """
    if freq not in ("M", "Q"):
        raise InvalidInput(f"period freq must be 'M' or 'Q', not {freq!r}")
    periods = pd.to_datetime(frame[column]).dt.to_period(freq).astype(str)
    return frame.assign(**{c.PERIOD: periods})


def add_origin(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``origin``: ``own`` (placed in the own municipality), ``fallback`` or ``unknown``.

    Compares the candidate's ``municipality_code`` with ``work_municipality_code`` (the
    vacancy's, or the employer's when there is no vacancy); ``unknown`` when either is missing.

    >>> add_origin(pd.DataFrame({"municipality_code": ["GM1", "GM1", "GM1"],
    ...     "work_municipality_code": ["GM1", "GM2", None]}))["origin"].tolist()
    ['own', 'fallback', 'unknown']
    """
    home, work = frame[c.MUNICIPALITY_CODE], frame[c.WORK_MUNICIPALITY_CODE]
    known = home.notna() & work.notna()
    origin = pd.Series("unknown", index=frame.index, dtype=object)
    origin.loc[known & (home == work)] = "own"
    origin.loc[known & (home != work)] = "fallback"
    return frame.assign(**{c.ORIGIN: origin})


COUNTS = (c.DURABLE, c.PENDING, c.FAILED, c.POSITIVE_OUTFLOW, c.OUTFLOW_PENDING)


def placement_indicators(classified: pd.DataFrame, *, by: Sequence[str] = ()) -> pd.DataFrame:
    """Counts and rates per group of a :func:`classify_placements` result (one row if ``by`` empty).

    Columns: ``by`` columns, ``placements``, ``durable``, ``pending``, ``failed``, ``decided``
    (durable + failed), ``durable_rate`` (durable / decided, NaN when nothing is decided —
    pending placements are never counted as failures), ``positive_outflow``, ``outflow_pending``,
    ``outflow_rate`` (positive outflow / (placements − outflow pending)). Rates in [0, 1].
    Typical ``by``: ``target_group``, ``ladder_step``, ``municipality_code``, ``contract``,
    ``period`` (:func:`add_period`), ``origin`` (:func:`add_origin`).

    >>> frame = pd.DataFrame({"placement_id": ["a", "b", "c"],
    ...     "start_date": ["2024-01-15"] * 3, "end_date": ["2024-07-16", "2024-03-01", None],
    ...     "hours_per_week": [32] * 3, "contract": ["regular"] * 3})
    >>> table = placement_indicators(classify_placements(frame, as_of=dt.date(2024, 8, 1)))
    >>> table[["placements", "durable", "pending", "failed", "decided"]].to_numpy().tolist()
    [[3, 2, 0, 1, 3]]
    >>> round(float(table["durable_rate"].iloc[0]), 4)  # 2 durable / 3 decided
    0.6667
    """
    keys = list(by)
    frame = classified.loc[:, [*keys, *COUNTS]].astype({name: "int64" for name in COUNTS})
    if keys:
        grouped = frame.groupby(keys, dropna=False, sort=True)
        table = grouped[list(COUNTS)].sum().assign(placements=grouped.size()).reset_index()
    else:
        table = pd.DataFrame([{**frame.sum().to_dict(), "placements": len(frame)}])
    decided = table[c.DURABLE] + table[c.FAILED]
    outflow_decided = table["placements"] - table[c.OUTFLOW_PENDING]
    table = table.assign(
        decided=decided,
        durable_rate=table[c.DURABLE] / decided.where(decided > 0),
        outflow_rate=table[c.POSITIVE_OUTFLOW] / outflow_decided.where(outflow_decided > 0),
    )
    order = [*keys, "placements", c.DURABLE, c.PENDING, c.FAILED, "decided", "durable_rate"]
    return table.loc[:, [*order, c.POSITIVE_OUTFLOW, c.OUTFLOW_PENDING, "outflow_rate"]]


def _checkpoints(start: dt.date, months: Sequence[int]) -> list[pd.Timestamp]:
    """``start`` + k calendar months for each k."""
    return [pd.Timestamp(start) + pd.DateOffset(months=k) for k in months]


def retention_at(
    placements: pd.DataFrame,
    *,
    start: dt.date,
    months: Sequence[int] = (1, 3, 11, 12),
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """How many placements started since ``start`` are still running at ``start`` + k months.

    For each k: ``checkpoint`` = start + k calendar months; ``started`` = placements with
    start <= start_date <= checkpoint; ``running`` = those of them with no end_date or
    end_date > checkpoint (still at the employer after the checkpoint day); ``rate`` = running /
    started. Checkpoints after ``as_of`` (the data's date) cannot be observed yet: NA.

    >>> frame = pd.DataFrame({"placement_id": ["a", "b"], "start_date": ["2024-01-10"] * 2,
    ...     "end_date": ["2024-03-01", None], "hours_per_week": [32] * 2,
    ...     "contract": ["regular"] * 2})
    >>> retention_at(frame, start=dt.date(2024, 1, 1), months=(1, 3))["running"].tolist()
    [2, 1]
    """
    frame = _with_dates(placements)
    begin, end = frame[c.START_DATE], frame[c.END_DATE]
    rows = []
    for k, checkpoint in zip(months, _checkpoints(start, months), strict=True):
        started = (begin >= pd.Timestamp(start)) & (begin <= checkpoint)
        running = started & (end.isna() | (end > checkpoint))
        observable = as_of is None or checkpoint <= pd.Timestamp(as_of)
        n, r = (int(started.sum()), int(running.sum())) if observable else (pd.NA, pd.NA)
        rows.append({"months": k, "checkpoint": checkpoint, "started": n, "running": r})
    table = pd.DataFrame(rows).astype({"started": "Int64", "running": "Int64"})
    rate = table["running"].astype("Float64") / table["started"].where(table["started"] > 0)
    return table.assign(rate=rate)


def indicators_at(
    placements: pd.DataFrame,
    *,
    start: dt.date,
    months: Sequence[int] = (1, 3, 11),
    by: Sequence[str] = (),
) -> pd.DataFrame:
    """:func:`placement_indicators` as of start + k months, over placements started since start.

    One block of rows per k (columns ``months`` and ``as_of`` first): the placements with
    start <= start_date <= start + k months, classified as of that date.
    """
    frame = _with_dates(placements)
    blocks = []
    for k, checkpoint in zip(months, _checkpoints(start, months), strict=True):
        began = frame[c.START_DATE]
        window = frame.loc[(began >= pd.Timestamp(start)) & (began <= checkpoint)]
        table = placement_indicators(classify_placements(window, as_of=checkpoint), by=by)
        blocks.append(table.assign(months=k, as_of=checkpoint))
    result = pd.concat(blocks, ignore_index=True)
    return result.loc[
        :, ["months", "as_of", *[col for col in result if col not in ("months", "as_of")]]
    ]
