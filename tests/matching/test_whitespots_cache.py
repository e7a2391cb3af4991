"""The per-process white-spot cache: one ranking per data version, served stale while the next
one is ranked in the background, filtered and paged in memory."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from matching.data_versions import bump_data_version
from matching.shortlist.context import MatchingCache
from matching.whitespots import WhiteSpotFilter
from matching.whitespots import cache as cache_module
from matching.whitespots.cache import SpotQuery, WhiteSpotCache
from tests.matching.whitespots_fixture import AS_OF, WHITE, seed


@pytest.fixture
def store(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    seed(sessions)
    return sessions


def test_pages_filters_and_one_ranking_per_data_version(
    store: sessionmaker[Session], tmp_path: Path
) -> None:
    cache = WhiteSpotCache(MatchingCache(tmp_path))
    with store() as session:
        everything = cache.page(session, SpotQuery(as_of=AS_OF), municipalities=None)
        first = cache.page(session, SpotQuery(as_of=AS_OF, limit=2), municipalities=None)
        second = cache.page(session, SpotQuery(as_of=AS_OF, offset=2, limit=2),
                            municipalities=None)  # fmt: skip
        large = cache.page(session, SpotQuery(WhiteSpotFilter(size="large"), as_of=AS_OF),
                           municipalities=None)  # fmt: skip
        assert cache.computed == 1
    with store.begin() as session:
        bump_data_version(session)
    with store() as session:
        again = cache.page(session, SpotQuery(as_of=AS_OF), municipalities=None)
        assert cache.computed == 2  # no background sessions: it waits for the new ranking
    assert {s.employer_id for s in everything.data} == WHITE and everything.count == len(WHITE)
    assert first.data + second.data == everything.data and first.count == len(WHITE)
    assert [s.employer_id for s in large.data] == ["BANK"] and large.count == 1
    assert [s.employer_id for s in again.data] == [s.employer_id for s in everything.data]


def test_a_kept_ranking_is_served_while_the_next_is_ranked(
    store: sessionmaker[Session], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = WhiteSpotCache(MatchingCache(tmp_path), store)
    with store() as session:
        before = cache.page(session, SpotQuery(as_of=AS_OF), municipalities=None)
    release, real_rank = threading.Event(), cache_module.rank

    def slow_rank(*args: Any, **kwargs: Any) -> Any:
        assert release.wait(timeout=60)
        return real_rank(*args, **kwargs)

    monkeypatch.setattr(cache_module, "rank", slow_rank)
    with store.begin() as session:
        bump_data_version(session)
    with store() as session:
        served = cache.page(session, SpotQuery(as_of=AS_OF), municipalities=None)
    assert served.data == before.data and cache.computed == 1  # at once, the kept one
    release.set()
    cache.wait()
    assert cache.computed == 2
