"""The key under which a finished evaluation report is reused: the request and the data.

A report with the backtest takes tens of seconds on a region (it trains a model per cut-off
and rebuilds every vacancy's shortlist); asked for again on unchanged data it must cost
nothing. A report is a function of the request (organisation, period, as-of date, with or
without the backtest) and of what the store holds, and everything it reads bumps a data version
(``matching.data_versions``): ``candidates`` on imports, erasures and hires, ``history`` on
proposals, decisions, contacts and imports. The key is the request plus both versions, so a
reused report (``evaluation.report_job``: kept in its job's row) is always the one the data
gives now, and any change makes the next request build anew (never a stale report:
evaluators report these figures to the municipality).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from matching.data_versions import CANDIDATES, HISTORY, data_version

READS = (CANDIDATES, HISTORY)
"""The data versions a report depends on (module doc)."""


@dataclass(frozen=True)
class ReportKey:
    """The request and the versions of the data it was built from.

    >>> ReportKey("2026", (1, 1)) == ReportKey("2026", (1, 1)) != ReportKey("2026", (1, 2))
    True
    """

    request: Hashable
    versions: tuple[int, ...]


def report_key(session: Session, request: Hashable) -> ReportKey:
    """The key of ``request`` on the data as it is now (two primary-key lookups)."""
    return ReportKey(request, tuple(data_version(session, name) for name in READS))
