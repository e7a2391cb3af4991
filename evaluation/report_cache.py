"""Finished evaluation reports kept per process and per data version.

A report with the backtest takes tens of seconds on a region (it trains a model per cut-off
and rebuilds every vacancy's shortlist); asked for again on unchanged data it must cost
nothing. A report is a function of the request (organisation, period, as-of date, with or
without the backtest) and of what the store holds, and everything it reads bumps a data version
(``matching.data_versions``): ``candidates`` on imports, erasures and hires, ``history`` on
proposals, decisions, contacts and imports. The key is the request plus both versions, so a
kept report is always the one the data gives now, and any change makes the next request build
anew (never a stale report: evaluators report these figures to the municipality).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from matching.data_versions import CANDIDATES, HISTORY, data_version

KEPT_REPORTS = 8
"""Reports kept per process (periods × organisations in use); the oldest is dropped."""
READS = (CANDIDATES, HISTORY)
"""The data versions a report depends on (module doc)."""
T = TypeVar("T")


@dataclass(frozen=True)
class ReportKey:
    """The request and the versions of the data it was built from."""

    request: Hashable
    versions: tuple[int, ...]


def report_key(session: Session, request: Hashable) -> ReportKey:
    """The key of ``request`` on the data as it is now (two primary-key lookups)."""
    return ReportKey(request, tuple(data_version(session, name) for name in READS))


class ReportCache(Generic[T]):
    """The last ``kept`` finished reports, most recently used last (module doc).

    >>> cache: ReportCache[str] = ReportCache(kept=1)
    >>> cache.put(ReportKey("2026", (1, 1)), "rapport")
    >>> cache.get(ReportKey("2026", (1, 1))), cache.get(ReportKey("2026", (1, 2)))
    ('rapport', None)
    """

    def __init__(self, *, kept: int = KEPT_REPORTS) -> None:
        self.kept = kept
        self._reports: OrderedDict[ReportKey, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: ReportKey) -> T | None:
        """The kept report for ``key`` (marked as used), or None."""
        with self._lock:
            found = self._reports.get(key)
            if found is not None:
                self._reports.move_to_end(key)
            return found

    def put(self, key: ReportKey, report: T) -> None:
        """Keep ``report`` under ``key``, dropping the least recently used beyond ``kept``."""
        with self._lock:
            self._reports[key] = report
            self._reports.move_to_end(key)
            while len(self._reports) > self.kept:
                self._reports.popitem(last=False)
