"""White spots per page view in milliseconds: the full ranking is kept per process.

Ranking every white spot of a region scores thousands of synthetic vacancies (about a second on
the demo region); a page shows twenty. ``WhiteSpotCache`` keeps the full ranking, keyed by
everything it depends on: the store's data version and the active model (both from the
``MatchingContext``, which every import, erasure or placement renews), the day, the look-back
window, the radius and threshold, the organisation's municipalities and the region. Filters by
municipality, SBI section and size class and the paging are applied to the kept list.

Contacts do not bump the data version (they change no candidate), but the first contact makes
an employer known: each view therefore keeps only the employers that are white spots now (one
query), so a logged contact takes the employer off the list at once.

When the data or the model changed and an earlier ranking of the same kind is kept, a view
gets that one at once while a background thread ranks again (stale while revalidating): after
an import the list is seconds old for seconds, instead of every job hunter waiting for the
ranking. Only the first view after a process start waits.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from matching.data_versions import data_version
from matching.scoring.model_versions import ActivePointer
from matching.shortlist.context import MatchingCache, MatchingContext
from matching.whitespots.frames import WhiteSpotFilter, check_filter, size_class
from matching.whitespots.potential import PotentialOptions
from matching.whitespots.ranking import (
    ALL_WHITE_SPOTS,
    DEFAULT_OPTIONS,
    ScoringPool,
    WhiteSpotRanking,
    rank_white_spots,
)
from matching.whitespots.status import white_spot_ids

KEPT_RANKINGS = 8
"""Rankings kept per process (organisations × windows in use); the oldest is dropped."""


@dataclass(frozen=True)
class RankingKey:
    """Everything a full ranking depends on (module doc)."""

    version: int
    model_key: str | None
    as_of: dt.date
    lookback_days: int | None
    options: PotentialOptions
    municipalities: frozenset[str] | None
    region: str | None


@dataclass(frozen=True)
class SpotQuery:
    """What a view asks: the filter, the window, the page."""

    where: WhiteSpotFilter = ALL_WHITE_SPOTS
    as_of: dt.date | None = None
    lookback_days: int | None = None
    options: PotentialOptions = DEFAULT_OPTIONS
    offset: int = 0
    limit: int = 20


class WhiteSpotCache:
    """Full white-spot rankings of this process, most recently used last (module doc).

    ``contexts`` gives the candidate pool and model; ``sessions`` (optional) lets a background
    thread rank again while a kept ranking of older data is served.
    """

    def __init__(
        self,
        contexts: MatchingCache,
        sessions: sessionmaker[Session] | None = None,
        *,
        kept: int = KEPT_RANKINGS,
    ) -> None:
        self.contexts, self.sessions, self.kept = contexts, sessions, kept
        self.computed = 0
        self._pointer = ActivePointer(contexts.model_dir)
        self._rankings: OrderedDict[RankingKey, WhiteSpotRanking] = OrderedDict()
        self._lock = threading.Lock()  # one ranking at a time
        self._index = threading.Lock()  # the kept rankings, held briefly
        self._refreshing: dict[RankingKey, threading.Thread] = {}

    def _compute(self, session: Session, key: RankingKey) -> WhiteSpotRanking:
        """Rank with the current context and keep the result (one computation at a time)."""
        with self._lock:
            context = self.contexts.get(session)
            key = dataclasses.replace(key, version=context.version, model_key=context.model_key)
            if (found := self._kept(key)) is not None:
                return found
            ranking = rank(session, context, key)
            with self._index:
                self._rankings[key] = ranking
                self.computed += 1
                while len(self._rankings) > self.kept:
                    self._rankings.popitem(last=False)
            return ranking

    def _kept(self, key: RankingKey) -> WhiteSpotRanking | None:
        """The kept ranking for ``key`` (marked as used), or None."""
        with self._index:
            found = self._rankings.get(key)
            if found is not None:
                self._rankings.move_to_end(key)
            return found

    def _stale(self, key: RankingKey) -> WhiteSpotRanking | None:
        """The newest kept ranking that differs from ``key`` only in data, model or day."""
        with self._index:
            same = [k for k in self._rankings if _family(k) == _family(key)]
            return self._rankings[same[-1]] if same else None

    def _refresh(self, key: RankingKey) -> None:
        """Rank ``key`` again in a background thread (once at a time per key)."""
        sessions = self.sessions
        assert sessions is not None

        def work() -> None:
            try:
                with sessions() as session:
                    self._compute(session, key)
            finally:
                self._refreshing.pop(key, None)

        if key not in self._refreshing:
            thread = threading.Thread(target=work, name="white-spots", daemon=True)
            self._refreshing[key] = thread
            thread.start()

    def wait(self, timeout: float = 30.0) -> None:
        """Wait for the background rankings running now, ``timeout`` seconds at most (a
        shutdown must end; a ranking cut off is only not kept)."""
        deadline = time.monotonic() + timeout
        for thread in list(self._refreshing.values()):
            thread.join(max(deadline - time.monotonic(), 0.0))

    def full(self, session: Session, key: RankingKey) -> WhiteSpotRanking:
        """The full ranking for ``key``: kept, else a kept older one while ranking again in the
        background, else ranked now."""
        if (found := self._kept(key)) is not None:
            return found
        stale = self._stale(key) if self.sessions is not None else None
        if stale is None:
            return self._compute(session, key)
        self._refresh(key)
        return stale

    def page(
        self, session: Session, query: SpotQuery, *, municipalities: Collection[str] | None
    ) -> WhiteSpotRanking:
        """The white spots matching ``query.where`` that are white spots now, one page of them;
        ``count`` is how many matched. ``municipalities``: whose job seekers count (None: all).
        """
        where = check_filter(session, query.where)
        as_of = query.as_of or dt.date.today()
        key = RankingKey(
            data_version(session), self._pointer.version(), as_of, query.lookback_days,
            query.options, None if municipalities is None else frozenset(municipalities),
            where.region,
        )  # fmt: skip
        ranking = self.full(session, key)
        now_white = white_spot_ids(session, as_of=as_of, lookback_days=query.lookback_days)
        kept = [
            spot
            for spot in ranking.data
            if spot.employer_id in now_white
            and where.keeps(municipality=spot.municipality_code, region=spot.region,
                            sbi=spot.sbi_section, size=size_class(spot.employees))
        ]  # fmt: skip
        chosen = kept[query.offset : query.offset + query.limit]
        return WhiteSpotRanking(chosen, len(kept), as_of, ranking.radius_km)


def _family(key: RankingKey) -> RankingKey:
    """``key`` without what changes by itself (data version, model, day)."""
    return dataclasses.replace(key, version=0, model_key=None, as_of=dt.date.min)


def rank(session: Session, context: MatchingContext, key: RankingKey) -> WhiteSpotRanking:
    """Every white spot of ``key.region`` ranked with the context's pool and model."""
    pool = ScoringPool(context.pool, context.placed, context.spaces)
    return rank_white_spots(
        session, scorer=context.scorer, where=WhiteSpotFilter(region=key.region), limit=None,
        as_of=key.as_of, lookback_days=key.lookback_days, options=key.options, pool=pool,
        candidate_municipalities=key.municipalities,
    )  # fmt: skip
