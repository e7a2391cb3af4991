"""Shortlists on the hand-made store: filters, fallback order, consent, pseudonymisation,
explanations that agree with the features."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from features.pairwise import COLUMN, pairwise_features
from matching.access.users import Principal
from matching.shortlist import FILTERS, FallbackPolicy, MatchingCache, Shortlist, vacancy_shortlist
from matching.shortlist.vacancies import load_vacancy
from matching.store import models
from tests.matching.shortlist.store_fixture import FILTERED, LEIDEN, NOORDWIJK, ZANDVOORT

CLI = Principal.command_line()


def _shortlist(
    sessions: sessionmaker[Session], matching_cache: MatchingCache, **kw: object
) -> Shortlist:
    with sessions.begin() as session:
        return vacancy_shortlist(session, matching_cache.get(session), "V1", principal=CLI, **kw)  # type: ignore[arg-type]


def _ids(shortlist: Shortlist) -> list[str]:
    return [e.candidate_id for e in shortlist.candidates]


def test_each_filter_removes_its_candidate(
    seeded: sessionmaker[Session], matching_cache: MatchingCache
) -> None:
    shortlist = _shortlist(seeded, matching_cache, limit=20, explain_filters=True)
    assert shortlist.filters is not None
    removed = {r["filter"]: r["removed"] for r in shortlist.filters["removed"]}
    assert list(removed) == [f.name for f in FILTERS]
    # X_PLACED (status) and X_RUNNING (running placement) both fall to not_placed
    assert removed == {name: 2 if name == "not_placed" else 1 for name in removed}
    assert not set(FILTERED.values()) & set(_ids(shortlist))
    assert "X_RUNNING" not in _ids(shortlist)


def test_filters_relax_when_the_vacancy_asks_less(
    seeded: sessionmaker[Session], matching_cache: MatchingCache
) -> None:
    with seeded.begin() as session:
        session.execute(
            update(models.Vacancy).values(
                hours_per_week=8, languages_required=None, driving_licence_required=False
            )
        )
    ids = _ids(_shortlist(seeded, matching_cache, limit=20))
    assert {"X_HOURS", "X_LANG", "X_LICENCE"} <= set(ids)


def test_fallback_order_and_consent(
    seeded: sessionmaker[Session], matching_cache: MatchingCache
) -> None:
    shortlist = _shortlist(seeded, matching_cache, limit=10)
    levels = [e.fallback_level for e in shortlist.candidates]
    ids = _ids(shortlist)
    # three own cleaners reach the threshold, then region (R1), nearby (N1), then O4 below it
    assert ids[:3] == sorted(ids[:3], key=lambda c: -shortlist.candidates[ids.index(c)].score)
    assert set(ids[:3]) == {"O1", "O2", "O3"}
    assert ids[3:] == ["R1", "N1", "O4"] and levels == ["own"] * 3 + ["region", "nearby", "own"]
    assert shortlist.fallback_used
    assert "R2" not in ids and "F1" not in ids  # no consent; consent but beyond the radius
    assert "Holland Rijnland" in (shortlist.candidates[3].explanation["fallback"] or "")


def test_fallback_never_displaces_a_qualifying_own_candidate(
    seeded: sessionmaker[Session], matching_cache: MatchingCache
) -> None:
    # R1 (Leiden) becomes a better fit than every own candidate, who still reach the threshold
    with seeded.begin() as session:
        session.execute(
            update(models.Candidate)
            .where(models.Candidate.candidate_id.in_(["O1", "O2", "O3"]))
            .values(ladder_step=4, sector_preferences="K")
        )
        session.execute(
            update(models.Candidate)
            .where(models.Candidate.candidate_id == "R1")
            .values(ladder_step=6, municipality_code=LEIDEN)
        )
    three = _shortlist(seeded, matching_cache, limit=3, explain_filters=True)
    assert three.filters is not None and three.filters["levels"]["own"]["qualifying"] == 3
    assert set(_ids(three)) == {"O1", "O2", "O3"} and not three.fallback_used
    four = _shortlist(seeded, matching_cache, limit=4)
    assert _ids(four)[3] == "R1" and four.candidates[3].fallback_level == "region"
    assert four.candidates[3].score > max(e.score for e in three.candidates)  # better, yet 4th


def test_policy_threshold_levels_and_order(
    seeded: sessionmaker[Session], matching_cache: MatchingCache
) -> None:
    own_only = _shortlist(seeded, matching_cache, limit=10, policy=FallbackPolicy(levels=("own",)))
    assert {e.fallback_level for e in own_only.candidates} == {"own"}
    strict = _shortlist(seeded, matching_cache, limit=3, policy=FallbackPolicy(threshold=0.99))
    assert [e.fallback_level for e in strict.candidates] == [
        "own",
        "own",
        "own",
    ]  # below, own first
    nearest = _shortlist(
        seeded, matching_cache, limit=10, policy=FallbackPolicy(order="nearest", radius_km=50)
    )
    fallback = [e for e in nearest.candidates if e.fallback_level != "own"]
    assert [e.candidate_id for e in fallback] == ["R1", "N1", "F1"]
    with pytest.raises(Exception, match="beginnen met 'own'"):
        FallbackPolicy(levels=("region", "own"))


def test_other_municipalities_are_pseudonymised(
    seeded: sessionmaker[Session], matching_cache: MatchingCache
) -> None:
    shortlist = _shortlist(seeded, matching_cache, limit=10, viewer=frozenset({NOORDWIJK}))
    by_id = {e.candidate_id: e for e in shortlist.candidates}
    own, other = by_id["O1"].explanation["candidate"], by_id["N1"].explanation["candidate"]
    assert own["pseudonymised"] is False and own["postcode4"] == "2201"
    assert other["pseudonymised"] is True and "postcode4" not in other
    assert "education_level" not in other and by_id["N1"].municipality_code == ZANDVOORT
    assert by_id["N1"].distance_km == round(by_id["N1"].distance_km or 0)  # whole km only


def test_explanation_matches_the_features(
    seeded: sessionmaker[Session], matching_cache: MatchingCache
) -> None:
    shortlist = _shortlist(seeded, matching_cache, limit=10)
    with seeded() as session:
        context = matching_cache.get(session)
        vacancy, _ = load_vacancy(session, "V1", context.pool, context.spaces)
    for entry in shortlist.candidates:
        row = context.row_of[entry.candidate_id]
        f = pairwise_features(vacancy, context.pool, rows=np.array([row]))[0]
        c = entry.explanation["competences"]
        close = sum(m["closest"] is not None for m in c["missing"])
        total = len(c["matched"]) + len(c["missing"])
        assert (len(c["matched"]) + 0.5 * close) / total == pytest.approx(
            f[COLUMN["required_coverage"]]
        )
        same = entry.explanation["experience"]["level"] == "same_occupation"
        assert same == (f[COLUMN["same_occupation"]] == 1)
        assert entry.explanation["travel"]["distance_km"] == pytest.approx(
            f[COLUMN["distance_km"]], abs=0.6
        )
        assert entry.explanation["readiness"]["ladder_step"] == round(
            f[COLUMN["readiness"]] * 5 + 1
        )
        assert all(
            isinstance(p["text"], str) and p["text"] for p in entry.explanation["contributions"]
        )
    weak = next(e for e in shortlist.candidates if e.candidate_id == "O4")
    assert weak.explanation["competences"]["matched"] == []
    assert weak.explanation["experience"]["level"] == "none"


REASONS = [
    (3, FallbackPolicy(), False, "Genoeg kandidaten uit Noordwijk"),  # own ones suffice
    (3, FallbackPolicy(threshold=0.99), False, "alleen kandidaten uit Noordwijk"),
    (10, FallbackPolicy(), True, "aangevuld met kandidaten uit de andere gemeenten"),
    (10, FallbackPolicy(levels=("own", "nearby")), True, "van buiten de regio binnen 25 km"),
]


# The sentence is built from the in-memory ranking: every case on SQLite, one on PostgreSQL
# (the store is only read into the context, as in the other tests of this module).
@pytest.mark.parametrize(
    ("engine", "limit", "policy", "widened", "words"),
    [("sqlite", *case) for case in REASONS]
    + [pytest.param("postgres", *REASONS[2], marks=pytest.mark.postgres)],
    indirect=["engine"],
)
def test_the_reason_sentence_agrees_with_the_flag(
    seeded: sessionmaker[Session],
    matching_cache: MatchingCache,
    limit: int,
    policy: FallbackPolicy,
    widened: bool,
    words: str,
) -> None:
    shortlist = _shortlist(seeded, matching_cache, limit=limit, policy=policy, explain_filters=True)
    assert shortlist.fallback_used is widened
    assert words in shortlist.reason and ("aangevuld" in shortlist.reason) is widened
    assert (
        shortlist.filters is not None and shortlist.filters["fallback_reason"] == shortlist.reason
    )
    if widened and "nearby" not in policy.levels[1:2]:
        assert "arbeidsmarktregio" in shortlist.reason
