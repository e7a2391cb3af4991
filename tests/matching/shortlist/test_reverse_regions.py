"""Reverse matches, pair scores (instruments) and employer leads on the region contexts equal
those on the whole pool.

The store of ``store_fixture`` plus vacancies in Leiden (same region as Noordwijk, English
required), Zandvoort and Amsterdam (other regions) and Enschede (far away): every candidate,
under policies with and without ``nearby``, gets the same list and filter counts from the
region contexts as from the whole pool's context.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from matching.access.users import Principal
from matching.errors import NotFound
from matching.instruments.suggestions import match_suggestions
from matching.shortlist import FallbackPolicy, MatchingCache
from matching.shortlist.regional import RegionalView
from matching.shortlist.reverse import candidate_matches
from matching.store import models
from matching.whitespots.supply import employers_for
from tests.matching.shortlist.store_fixture import AMSTERDAM, LEIDEN, ZANDVOORT, vacancy

CLI = Principal.command_line()
POLICIES = [
    FallbackPolicy(),
    FallbackPolicy(threshold=0.99, radius_km=40.0),
    FallbackPolicy(threshold=0.0, levels=("own", "nearby"), radius_km=60.0),
    FallbackPolicy(levels=("own",)),
]


@pytest.fixture
def spread(seeded: sessionmaker[Session]) -> sessionmaker[Session]:
    with seeded.begin() as session:
        session.add_all(
            [
                vacancy("V2", LEIDEN, languages_required="en;nl"),
                vacancy("V3", ZANDVOORT),
                vacancy("V4", AMSTERDAM, driving_licence_required=False),
                vacancy("V5", "GM0153"),  # Enschede
            ]
        )
    return seeded


def _without_time(matches: Any) -> dict[str, Any]:
    out = matches.to_dict()
    out.pop("generated_at")
    return out


@pytest.mark.parametrize("policy", POLICIES)
def test_every_candidate_gets_the_matches_of_the_whole_pool(
    spread: sessionmaker[Session], matching_cache: MatchingCache, policy: FallbackPolicy
) -> None:
    with spread() as session:
        ids = [str(i) for i in matching_cache.get(session).pool.ids]
        reached = 0
        for cid in ids:
            kw: dict[str, Any] = {"principal": CLI, "policy": policy, "limit": 10}
            whole = candidate_matches(session, matching_cache.get(session), cid, **kw)
            regional = candidate_matches(session, RegionalView(matching_cache, session), cid, **kw)
            assert _without_time(regional) == _without_time(whole), cid
            reached += len(whole.vacancies)
        session.rollback()
    assert reached > 0  # the lists are not all empty


def test_a_candidate_without_consent_reads_their_region_only(
    spread: sessionmaker[Session], matching_cache: MatchingCache
) -> None:
    with spread() as session:
        matches = candidate_matches(
            session, RegionalView(matching_cache, session), "R2", principal=CLI
        )
        session.rollback()
    assert set(matching_cache.region_loads) == {"Holland Rijnland"}
    assert matches.filters["open_vacancies"] == 5 and matches.filters["out_of_reach"] == 4


def test_an_unknown_candidate_is_not_found(
    spread: sessionmaker[Session], matching_cache: MatchingCache
) -> None:
    with spread() as session, pytest.raises(NotFound):
        candidate_matches(session, RegionalView(matching_cache, session), "NOBODY", principal=CLI)
    with spread() as session:
        assert session.get(models.Candidate, "NOBODY") is None


def test_pair_scores_and_employer_leads_on_the_candidates_region_equal_the_whole_pool(
    spread: sessionmaker[Session], matching_cache: MatchingCache
) -> None:
    with spread() as session:
        whole, view = matching_cache.get(session), RegionalView(matching_cache, session)
        for cid in ["O1", "O4", "R1", "N1", "F1", "X_LANG"]:
            home = view.holding(cid)
            assert home.region != whole.region and cid in home.row_of
            for vid in ["V1", "V2", "V3", "V5"]:  # in and outside the candidate's region
                a = match_suggestions(session, whole, vid, cid, principal=CLI)
                b = match_suggestions(session, home, vid, cid, principal=CLI)
                assert dataclasses.asdict(a) == dataclasses.asdict(b), (cid, vid)
            leads = [employers_for(session, c, cid, principal=CLI) for c in (whole, home)]
            assert leads[0] == leads[1], cid
        session.rollback()
