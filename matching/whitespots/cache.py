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
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy.orm import Session

from matching.shortlist.context import MatchingContext
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
    """Full white-spot rankings of this process, most recently used last (module doc)."""

    def __init__(self, kept: int = KEPT_RANKINGS) -> None:
        self.kept = kept
        self.computed = 0
        self._rankings: OrderedDict[RankingKey, WhiteSpotRanking] = OrderedDict()
        self._lock = threading.Lock()

    def full(self, session: Session, context: MatchingContext, key: RankingKey) -> WhiteSpotRanking:
        """The full ranking for ``key``, computed once (one computation at a time)."""
        with self._lock:
            if (found := self._rankings.get(key)) is not None:
                self._rankings.move_to_end(key)
                return found
            pool = ScoringPool(context.pool, context.placed, context.spaces)
            ranking = rank_white_spots(
                session, scorer=context.scorer, where=WhiteSpotFilter(region=key.region),
                limit=None, as_of=key.as_of, lookback_days=key.lookback_days,
                options=key.options, pool=pool, candidate_municipalities=key.municipalities,
            )  # fmt: skip
            self._rankings[key] = ranking
            self.computed += 1
            while len(self._rankings) > self.kept:
                self._rankings.popitem(last=False)
            return ranking

    def page(
        self,
        session: Session,
        context: MatchingContext,
        query: SpotQuery,
        *,
        municipalities: Collection[str] | None,
    ) -> WhiteSpotRanking:
        """The white spots matching ``query.where`` that are white spots now, one page of them;
        ``count`` is how many matched. ``municipalities``: whose job seekers count (None: all).
        """
        where = check_filter(session, query.where)
        as_of = query.as_of or dt.date.today()
        key = RankingKey(
            context.version, context.model_key, as_of, query.lookback_days, query.options,
            None if municipalities is None else frozenset(municipalities), where.region,
        )  # fmt: skip
        ranking = self.full(session, context, key)
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
