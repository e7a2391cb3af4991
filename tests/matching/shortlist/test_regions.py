"""One matching context per labour-market region: same lists as the whole pool, a change in one
region reloads that region only, and ``nearby`` crosses the region's border.

The store of ``store_fixture``: Noordwijk and Leiden lie in Holland Rijnland, Zandvoort (N1) in
Zuid-Kennemerland en IJmond, Amsterdam (F1) in Groot Amsterdam.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from matching.access.erasure import erase_candidate
from matching.access.users import Principal
from matching.data_versions import data_version
from matching.exchange import import_paths
from matching.regions import find_region, region_versions, version_name
from matching.shortlist import FallbackPolicy, MatchingCache, Shortlist, vacancy_shortlist
from matching.shortlist.regional import RegionalView
from matching.store import models
from tests.matching.shortlist.store_fixture import cleaner_skills, cleaner_uri

CLI = Principal.command_line()
RIJNLAND, KENNEMERLAND, AMSTERDAM = (
    "Holland Rijnland",
    "Zuid-Kennemerland en IJmond",
    "Groot Amsterdam",
)
HEADER = (
    "candidate_id,municipality_code,postcode4,ladder_step,target_group,hours_available,"
    "driving_licence,languages,competences,occupations,sector_preferences,status,consent_regional"
)


def _both(
    sessions: sessionmaker[Session], cache: MatchingCache, **kw: Any
) -> tuple[Shortlist, Shortlist]:
    with sessions.begin() as session:
        whole = vacancy_shortlist(session, cache.get(session), "V1", principal=CLI, **kw)
        regional = vacancy_shortlist(
            session, RegionalView(cache, session), "V1", principal=CLI, **kw
        )
    return whole, regional


def _entries(shortlist: Shortlist) -> list[dict[str, Any]]:
    return [e.__dict__ for e in shortlist.candidates]


POLICIES = [
    FallbackPolicy(),
    FallbackPolicy(threshold=0.99),
    FallbackPolicy(threshold=0.99, radius_km=40.0),
    FallbackPolicy(threshold=0.99, radius_km=40.0, order="nearest"),
    FallbackPolicy(threshold=0.0, levels=("own", "nearby")),
    FallbackPolicy(threshold=1.0, radius_km=0.0),
]


def test_region_contexts_give_the_lists_of_the_whole_pool(
    seeded: sessionmaker[Session], matching_cache: MatchingCache
) -> None:
    for policy in POLICIES:
        for limit in (3, 20):
            whole, regional = _both(
                seeded, matching_cache, policy=policy, limit=limit, explain_filters=True
            )
            assert _entries(regional) == _entries(whole), (policy, limit)
            assert (regional.reason, regional.fallback_used) == (whole.reason, whole.fallback_used)
            assert whole.filters is not None and regional.filters is not None
            for key in ("removed", "remaining", "levels", "levels_reached", "fallback_reason"):
                assert regional.filters[key] == whole.filters[key], (policy, limit, key)
    assert matching_cache.loads == 1 + len(matching_cache.region_loads)  # each loaded once


def test_nearby_crosses_the_border_to_the_consenting_candidate(
    seeded: sessionmaker[Session], matching_cache: MatchingCache
) -> None:
    _, regional = _both(seeded, matching_cache, policy=FallbackPolicy(threshold=0.99), limit=20)
    levels = {e.candidate_id: e.fallback_level for e in regional.candidates}
    assert levels["N1"] == "nearby" and "F1" not in levels  # Zandvoort ≈ 10 km, Amsterdam 35
    assert set(matching_cache.region_loads) >= {RIJNLAND, KENNEMERLAND}


def test_a_list_that_stays_in_its_region_reads_no_other_region(
    seeded: sessionmaker[Session], matching_cache: MatchingCache
) -> None:
    _both(seeded, matching_cache, limit=3)  # three qualifying own candidates: list full
    assert dict(matching_cache.region_loads) == {RIJNLAND: 1}


def _region(sessions: sessionmaker[Session], cache: MatchingCache, region: str) -> Any:
    with sessions() as session:
        return cache.region(session, region)


def test_a_change_in_one_region_leaves_the_other_regions_untouched(
    seeded: sessionmaker[Session], matching_cache: MatchingCache, tmp_path: Path
) -> None:
    rijnland = _region(seeded, matching_cache, RIJNLAND)
    kennemerland = _region(seeded, matching_cache, KENNEMERLAND)
    skills = ";".join(cleaner_skills())
    (tmp_path / "candidates.csv").write_text(
        f"{HEADER}\nO9,GM0575,2201,5,regulier,32,true,nl,{skills},{cleaner_uri()},N,active,false\n"
    )
    assert import_paths(seeded, [tmp_path / "candidates.csv"]).ok
    with seeded() as session:
        assert set(region_versions(session)) == {RIJNLAND}  # the import named its region only
    assert _region(seeded, matching_cache, KENNEMERLAND) is kennemerland
    fresh = _region(seeded, matching_cache, RIJNLAND)
    assert fresh is not rijnland and "O9" in fresh.row_of  # seen on the next request
    assert matching_cache.region_loads == {RIJNLAND: 1, KENNEMERLAND: 1}
    assert matching_cache.region_patches == {RIJNLAND: 1}  # only the new candidate read
    _, regional = _both(seeded, matching_cache, limit=20)
    assert "O9" in [e.candidate_id for e in regional.candidates]


def test_a_move_and_an_erasure_bump_the_regions_they_touch(
    seeded: sessionmaker[Session], tmp_path: Path
) -> None:
    def versions() -> dict[str, int]:
        with seeded() as session:
            return region_versions(session)

    (tmp_path / "candidates.csv").write_text(  # N1 moves from Zandvoort to Amsterdam
        f"{HEADER}\nN1,GM0363,,5,regulier,32,true,nl,,,N,active,true\n"
    )
    assert import_paths(seeded, [tmp_path / "candidates.csv"]).ok
    assert versions() == {KENNEMERLAND: 1, AMSTERDAM: 1}
    with seeded.begin() as session:
        erase_candidate(session, "R1", by=CLI, key=b"k" * 32)
    assert versions() == {KENNEMERLAND: 1, AMSTERDAM: 1, RIJNLAND: 1}
    with seeded() as session:
        assert data_version(session, version_name(RIJNLAND)) == 1


def test_regions_are_found_by_name_in_any_case_and_an_unknown_one_is_refused() -> None:
    assert find_region("holland rijnland") == RIJNLAND
    with pytest.raises(Exception, match="Onbekende arbeidsmarktregio"):
        find_region("Atlantis")


@pytest.mark.parametrize("town", ["GM0479", "GM0392", "GM0153"])  # Zaanstad, Haarlem, Enschede
def test_a_vacancy_elsewhere_gets_the_same_list_from_the_regions(
    seeded: sessionmaker[Session], matching_cache: MatchingCache, town: str
) -> None:
    with seeded.begin() as session:  # Zaanstreek and Twente hold no candidates at all
        session.execute(update(models.Vacancy).values(municipality_code=town, postcode4=None))
    policy = FallbackPolicy(threshold=0.99)
    whole, regional = _both(seeded, matching_cache, policy=policy, limit=20)
    assert _entries(regional) == _entries(whole) and regional.reason == whole.reason
    nearby = {e.candidate_id for e in regional.candidates if e.fallback_level == "nearby"}
    assert nearby == {"GM0479": {"F1", "N1"}, "GM0392": {"F1"}, "GM0153": set()}[town]


def test_regions_are_loaded_outside_the_ranking_lock(
    seeded: sessionmaker[Session], matching_cache: MatchingCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matching.shortlist import context as module

    held: list[bool] = []
    load = module.load_context

    def watched(*args: Any, **kw: Any) -> module.MatchingContext:
        held.append(module._RANKING._is_owned())  # type: ignore[attr-defined]
        return load(*args, **kw)

    monkeypatch.setattr(module, "load_context", watched)
    _, regional = _both(seeded, matching_cache, policy=FallbackPolicy(threshold=0.99), limit=20)
    assert "N1" in {e.candidate_id for e in regional.candidates}
    assert len(held) > 2 and not any(held)  # every region loaded, none under the lock
