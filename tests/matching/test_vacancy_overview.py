"""The open-vacancy overview: filters, paging, and qualifying counts equal to the shortlist's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from matching.errors import InvalidInput
from matching.shortlist import FallbackPolicy, MatchingCache
from matching.shortlist.ranking import rank_vacancy
from matching.shortlist.vacancy_overview import (
    open_vacancies,
    open_vacancy_municipalities,
    qualifying_counts,
)
from matching.store import models
from tests.matching.shortlist.store_fixture import LEIDEN, NOORDWIJK, seed, vacancy


@pytest.fixture
def seeded(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """V1 (open, Noordwijk), V2 (open, Leiden, acquired by am-1), V3 (filled)."""
    seed(sessions)
    with sessions.begin() as session:
        session.add(vacancy("V2", LEIDEN, acquired_by="am-1", opened_on=dt.date(2026, 9, 30)))
        session.add(vacancy("V3", status="filled"))
    return sessions


def test_filters_order_and_paging(seeded: sessionmaker[Session]) -> None:
    with seeded() as session:
        everything = open_vacancies(session)
        assert [r.vacancy_id for r in everything.rows] == ["V2", "V1"]  # newest first
        assert everything.count == 2 and everything.rows[0].employer_name == "Schoonmaak Duin"
        assert [r.vacancy_id for r in open_vacancies(session, municipalities=[NOORDWIJK]).rows] == [
            "V1"
        ]
        assert open_vacancies(session, acquired_by="am-1").count == 1
        assert open_vacancies(session, sector="C").count == 0
        page = open_vacancies(session, offset=1, limit=1)
        assert (page.count, [r.vacancy_id for r in page.rows]) == (2, ["V1"])
        with pytest.raises(InvalidInput):
            open_vacancies(session, limit=0)
        assert open_vacancy_municipalities(session) == sorted([LEIDEN, NOORDWIJK])


def test_qualifying_counts_match_the_shortlist(
    seeded: sessionmaker[Session], tmp_path: Path
) -> None:
    cache = MatchingCache(tmp_path / "models")
    policy = FallbackPolicy()
    with seeded() as session:
        context = cache.get(session)
        counts = qualifying_counts(session, context, ["V1", "V3", "NOPE"], policy=policy)
        assert set(counts) == {"V1"}  # only open vacancies are counted
        open_ = context.open_vacancies(session)
        i = [info.vacancy_id for info in open_.info].index("V1")
        full = rank_vacancy(
            context, open_.arrays.row(i), open_.info[i], limit=50, policy=policy,
            proposed={"X_PROPOSED"},
        )  # fmt: skip
        threshold = [e for e in full.candidates if e.p_durable >= policy.threshold]
        own = [e for e in threshold if e.fallback_level == "own"]
        assert counts["V1"].own == len(own) and counts["V1"].total == len(threshold)
        assert counts["V1"].eligible == len(full.candidates)
        assert {"O1", "O2", "O3"} <= {e.candidate_id for e in own}


def test_a_proposal_removes_a_candidate_from_the_count(
    seeded: sessionmaker[Session], tmp_path: Path
) -> None:
    cache = MatchingCache(tmp_path / "models")
    with seeded() as session:
        before = qualifying_counts(session, cache.get(session), ["V1"])["V1"]
        session.add(
            models.Proposal(
                vacancy_id="V1", candidate_id="O1", proposed_on=dt.date(2026, 9, 1),
                outcome="pending",
            )
        )  # fmt: skip
        session.flush()
        after = qualifying_counts(session, cache.get(session), ["V1"])["V1"]
    assert after.own == before.own - 1 and after.eligible == before.eligible - 1
