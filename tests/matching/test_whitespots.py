"""White spots: derivation and window, occupation shares, potential counts vs a slow reference,
ranking, filters."""

from __future__ import annotations

import datetime as dt
import doctest
import math

import numpy as np
import pandas as pd
import pytest
from sqlalchemy.orm import Session, sessionmaker

from features.pairwise import FEATURE_NAMES, pairwise_features
from features.pool import CandidateArrays, build_vacancy_arrays
from matching.errors import InvalidInput
from matching.pool_loading import load_pool, load_spaces, locate
from matching.reference import read_table
from matching.scoring import PriorScorer
from matching.scoring.base import Scores
from matching.whitespots import (
    PotentialOptions,
    WhiteSpot,
    WhiteSpotFilter,
    is_white_spot,
    rank_white_spots,
    white_spot_ids,
)
from matching.whitespots import ranking as ranking_module
from matching.whitespots.acquisition import record_contact
from matching.whitespots.frames import vacancy_frame
from matching.whitespots.occupations import esco_occupations, occupation_mix, shrink
from matching.whitespots.potential import (
    LOCATION_COLUMNS,
    occupation_profiles,
    synthetic_vacancies,
)
from matching.whitespots.prior import DEFAULT_PRIOR, SECTION_PRIOR
from tests.matching.whitespots_fixture import AS_OF, KNOWN, WHITE, cleaner_uri, seed


@pytest.fixture
def store(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    seed(sessions)
    return sessions


def test_contact_vacancy_and_placement_each_end_white_spot_status(
    store: sessionmaker[Session],
) -> None:
    with store() as session:
        assert white_spot_ids(session, as_of=AS_OF) == WHITE
        assert not (white_spot_ids(session, as_of=AS_OF) & KNOWN)


def test_lookback_window(store: sessionmaker[Session]) -> None:
    """365 days before 2026-10-01: the 2023 letter and the placement ended 2025-03 fall out."""
    with store() as session:
        ids = white_spot_ids(session, as_of=AS_OF, lookback_days=365)
        assert ids == WHITE | {"OLD", "KNOWN_P"}
        # the vacancy closed 2026-03-01 is inside a 300-day window and outside a 200-day one
        assert "KNOWN_V" not in white_spot_ids(session, as_of=AS_OF, lookback_days=300)
        assert "KNOWN_V" in white_spot_ids(session, as_of=AS_OF, lookback_days=200)
        with pytest.raises(InvalidInput):
            white_spot_ids(session, as_of=AS_OF, lookback_days=0)


def test_events_after_as_of_are_not_known_yet(store: sessionmaker[Session]) -> None:
    with store() as session:
        assert is_white_spot(session, employer_id="FUTURE", as_of=AS_OF)
        assert not is_white_spot(session, employer_id="FUTURE", as_of=dt.date(2027, 1, 1))


def test_first_contact_makes_a_white_spot_known(store: sessionmaker[Session]) -> None:
    with store() as session:
        first = record_contact(session, employer_id="CLEAN", date=AS_OF, kind="brief", by="anna")
        second = record_contact(session, employer_id="CLEAN", date=AS_OF, kind="call")
        assert (first.kind, first.was_white_spot, second.was_white_spot) == ("letter", True, False)
        assert not is_white_spot(session, employer_id="CLEAN", as_of=AS_OF)
        assert "CLEAN" not in white_spot_ids(session, as_of=AS_OF)


def test_shrinkage_arithmetic() -> None:
    """(counts + κ·base) / (N + κ): 3 of X and κ=2 over base {X: .5, Y: .5} → X .8, Y .2."""
    out = shrink(pd.Series({"X": 3.0}), pd.Series({"X": 0.5, "Y": 0.5}), 2.0)
    assert out.to_dict() == pytest.approx({"X": 0.8, "Y": 0.2})


def test_occupation_mix_learns_and_falls_back_to_the_prior() -> None:
    by_code, _ = esco_occupations()
    cook, waiter = by_code["5120.1"], by_code["5131.2"]
    vacancies = pd.DataFrame(
        {"sbi_division": ["56"] * 20, "sbi_section": ["I"] * 20, "occupation_uri": [waiter] * 20}
    )
    learned = occupation_mix(vacancies, ("56", "I"))
    assert (learned.basis, learned.vacancies, learned.occupations[0].uri) == (
        "division",
        20,
        waiter,
    )
    # p_s(waiter) = (20 + 5 · 3/10) / 25 = .86; no division-55 vacancies: p_d = p_s
    assert occupation_mix(vacancies, ("55", "I")).occupations[0].share == pytest.approx(0.86)
    prior = occupation_mix(vacancies.iloc[:0], ("55", "I"))
    assert prior.basis == "prior"
    assert {o.uri for o in prior.occupations} == {cook, waiter, by_code["9412.1"]}
    assert sum(o.share for o in prior.occupations) == pytest.approx(1.0)


def test_prior_table_names_esco_occupations_of_the_declared_isco_groups() -> None:
    table = read_table("occupations").set_index("code")
    for section, entries in {**SECTION_PRIOR, "-": DEFAULT_PRIOR}.items():
        for entry in entries:
            assert table.loc[entry.esco_code, "isco_group"] == entry.isco_group, section
    assert set(SECTION_PRIOR) == set("ABCDEFGHIJKLMNOPQRSTU")


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)  # fmt: skip
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def _slow_count(
    session: Session, pool: CandidateArrays, spot: WhiteSpot, uri: str, options: PotentialOptions
) -> int:
    """One employer, one occupation, one candidate at a time."""
    (lat,), (lon,) = locate(load_spaces(), [_pc4(session, spot.employer_id)],
                            [spot.municipality_code])  # fmt: skip
    demand = pd.DataFrame({"occupation_uri": [uri], "sbi_section": [spot.sbi_section or ""],
                           "lat": [lat], "lon": [lon]})  # fmt: skip
    profiles = occupation_profiles([uri], vacancy_frame(session))
    vacancy = build_vacancy_arrays(synthetic_vacancies(demand, profiles, as_of=AS_OF), pool=pool)
    count = 0
    for i in range(len(pool)):
        distance = _haversine_km(float(pool.lat[i]), float(pool.lon[i]), lat, lon)
        travel = float(pool.max_travel_km[i])
        home = pool.municipality_codes[pool.municipality[i]]
        if not pool.active[i] or distance > options.radius_km:
            continue
        if (not math.isnan(travel) and distance > travel) or (
            home != spot.municipality_code and not pool.consent_regional[i]
        ):
            continue
        features = pairwise_features(vacancy, pool.take(np.array([i])))
        row = dict(zip(FEATURE_NAMES, features[0].tolist(), strict=True))
        if not (row["available_by_start"] == 1 and row["hours_floor"] == 1
                and row["language_met"] != 0 and row["licence_met"] != 0):  # fmt: skip
            continue  # the shortlist's hard filters
        count += int(PriorScorer().score(features).p_durable[0] >= options.fit_threshold)
    return count


def _pc4(session: Session, employer_id: str) -> str | None:
    from matching.store import models

    employer = session.get(models.Employer, employer_id)
    assert employer is not None
    return employer.postcode4


def test_potential_counts_equal_a_slow_reference(store: sessionmaker[Session]) -> None:
    options = PotentialOptions(radius_km=10.0)
    with store() as session:
        pool = load_pool(session)
        result = rank_white_spots(session, scorer=PriorScorer(), as_of=AS_OF, options=options)
        assert {s.employer_id for s in result.data} == WHITE
        for spot in result.data:
            for occupation in spot.occupations:
                expected = _slow_count(session, pool, spot, occupation.uri, options)
                assert occupation.candidates == expected, (spot.employer_id, occupation.label)
        clean = next(s for s in result.data if s.employer_id == "CLEAN")
        assert clean.occupations[0].uri == cleaner_uri()
        assert clean.occupations[0].candidates >= 6  # K1–K6 and K9; not K7, K8, K10, K11


def test_location_features_are_the_only_ones_that_depend_on_the_place(
    store: sessionmaker[Session],
) -> None:
    """The potential computes location columns per place and the rest per occupation."""
    with store() as session:
        pool = load_pool(session)
        profiles = occupation_profiles([cleaner_uri()], vacancy_frame(session))
    demands = pd.DataFrame({"occupation_uri": [cleaner_uri()] * 2, "sbi_section": ["N"] * 2,
                            "lat": [52.22, 52.15], "lon": [4.44, 4.49]})  # fmt: skip
    vacancies = build_vacancy_arrays(synthetic_vacancies(demands, profiles, as_of=AS_OF), pool=pool)
    a, b = (pairwise_features(vacancies.row(i), pool).copy() for i in range(2))
    changed = np.flatnonzero((a != b).any(axis=0))
    assert set(changed) <= set(LOCATION_COLUMNS.tolist())
    assert len(changed) > 0


def test_sector_without_fitting_candidates_ranks_below_one_with_many(
    store: sessionmaker[Session],
) -> None:
    with store() as session:
        result = rank_white_spots(session, scorer=PriorScorer(), as_of=AS_OF)
    by_id = {s.employer_id: s for s in result.data}
    clean, bank = by_id["CLEAN"], by_id["BANK"]
    assert all(o.candidates == 0 for o in bank.occupations)
    assert bank.employees == 1000 and clean.employees == 40
    assert clean.score > bank.score
    assert [s.employer_id for s in result.data].index("CLEAN") < [
        s.employer_id for s in result.data
    ].index("BANK")
    n = clean.occupations[0].candidates
    assert f"{n} werkzoekenden binnen 10 km passen bij schoonmaker gebouwen" in clean.reasons
    assert any(r.startswith("geen passende werkzoekenden binnen 10 km") for r in bank.reasons)


def test_filters_limit_and_own_candidates(store: sessionmaker[Session]) -> None:
    with store() as session:
        scorer = PriorScorer()
        only = rank_white_spots(session, scorer=scorer, as_of=AS_OF,
                                where=WhiteSpotFilter(municipality="GM0575", sbi="n"))  # fmt: skip
        assert [s.employer_id for s in only.data] == ["CLEAN"] and only.count == 1
        region = rank_white_spots(session, scorer=scorer, as_of=AS_OF, limit=2,
                                  where=WhiteSpotFilter(region="Holland Rijnland"))  # fmt: skip
        assert (len(region.data), region.count) == (2, 4)
        leiden = rank_white_spots(session, scorer=scorer, as_of=AS_OF,
                                  candidate_municipalities={"GM0546"})  # fmt: skip
        clean = next(s for s in leiden.data if s.employer_id == "CLEAN")
        assert clean.occupations[0].candidates == 1  # K9 only: Leiden, regional consent


UNKNOWN = [WhiteSpotFilter(municipality="GM9999"), WhiteSpotFilter(sbi="Z"),
           WhiteSpotFilter(sbi="IK"), WhiteSpotFilter(region="Atlantis")]  # fmt: skip


@pytest.mark.parametrize(
    ("engine", "where"),
    [("sqlite", where) for where in UNKNOWN]
    + [pytest.param("postgres", UNKNOWN[0], marks=pytest.mark.postgres)],  # one on PostgreSQL
    indirect=["engine"],
)
def test_unknown_filters_are_refused(store: sessionmaker[Session], where: WhiteSpotFilter) -> None:
    with store() as session, pytest.raises(InvalidInput):
        rank_white_spots(session, scorer=PriorScorer(), where=where, as_of=AS_OF)


def test_doctests_pass() -> None:
    result = doctest.testmod(ranking_module)
    assert result.attempted > 0 and result.failed == 0


def test_window_start_counts_back_and_stops_at_year_one() -> None:
    from matching.whitespots.status import window_start

    as_of = dt.date(2024, 5, 1)
    assert window_start(as_of=as_of, lookback_days=1) == as_of  # the day itself
    assert window_start(as_of=as_of, lookback_days=31) == dt.date(2024, 4, 1)
    assert window_start(as_of=as_of, lookback_days=None) is None
    # schemathesis found lookback_days=1226448 answered 500 (date out of range)
    assert window_start(as_of=as_of, lookback_days=10**12) == dt.date.min


class LowBaseRate:
    """The prior with its chances divided by ten, as a model trained on a low base rate
    produces them (the demo's stay below 0.12): nobody reaches the 0.35 threshold."""

    kind, version = "learned", "low-base-rate"

    def __init__(self) -> None:
        self.prior = PriorScorer()
        self.feature_names = self.prior.feature_names

    def score(self, features: np.ndarray) -> Scores:
        scored = self.prior.score(features)
        return Scores(scored.score, np.asarray(scored.p_durable) / 10)

    def contributions(self, features: np.ndarray) -> np.ndarray:
        return self.prior.contributions(features)


def test_scores_separate_employers_when_no_chance_reaches_the_threshold(
    store: sessionmaker[Session],
) -> None:
    """The demo's 'Score 0 · 0 kandidaten': a threshold count as the fit made every score 0."""
    with store() as session:
        result = rank_white_spots(session, scorer=LowBaseRate(), as_of=AS_OF, limit=None)
    scores = {s.employer_id: s.score for s in result.data}
    assert all(score > 0 for score in scores.values()), scores
    assert len(set(scores.values())) == len(scores)
    assert scores["CLEAN"] == max(scores.values())


def test_suitable_counts_distinct_candidates_by_the_shortlist_threshold(
    store: sessionmaker[Session],
) -> None:
    """Suitable: hard filters and p_durable ≥ the policy's threshold, each person once."""
    with store() as session:
        low = rank_white_spots(session, scorer=LowBaseRate(), as_of=AS_OF, limit=None,
                               options=PotentialOptions(fit_threshold=0.35))  # fmt: skip
        assert all(s.suitable == 0 for s in low.data)
        result = rank_white_spots(session, scorer=PriorScorer(), as_of=AS_OF, limit=None)
    clean = next(s for s in result.data if s.employer_id == "CLEAN")
    per_occupation = [o.candidates for o in clean.occupations]
    assert max(per_occupation) <= clean.suitable <= sum(per_occupation)
    assert clean.suitable >= 6  # K1–K6 (and K9), each counted once
    assert all("K14" not in o.suitable_ids for o in clean.occupations)  # 8 h: hours floor
    assert "K1" in clean.occupations[0].suitable_ids
    assert all(0 < o.fit <= 1 for o in clean.occupations)


def test_a_running_placement_makes_a_candidate_unsuitable(store: sessionmaker[Session]) -> None:
    """The shortlist's 'not placed' filter applies to the count too."""
    with store() as session:
        pool = ranking_module.scoring_pool(session)
        before = rank_white_spots(session, scorer=PriorScorer(), as_of=AS_OF, pool=pool)
        placed = ranking_module.ScoringPool(
            pool.candidates, np.ones(len(pool.candidates), dtype=bool), pool.spaces
        )
        after = rank_white_spots(session, scorer=PriorScorer(), as_of=AS_OF, pool=placed)
    assert max(s.suitable for s in before.data) > 0
    assert all(s.suitable == 0 and s.score == 0 for s in after.data)


def test_reasons_write_large_counts_the_dutch_way() -> None:
    from matching.whitespots.occupations import OccupationMix
    from matching.whitespots.reasons import Facts, reasons

    mix = OccupationMix(occupations=(), basis="division", sbi="88", vacancies=1250)
    facts = Facts(
        fits=[("zorghulp", 1500)], mix=mix, radius_km=10, nearby=1711, recent=2000,
        employees=12000, sector="Zorg", region="Holland Rijnland",
    )  # fmt: skip
    text = " | ".join(reasons(facts))
    assert "1.500 werkzoekenden binnen 10 km" in text and "1.711 actieve werkzoekenden" in text
    assert "2.000 vacatures in de sector" in text and "12.000 medewerkers" in text
    assert "uit 1.250 vacatures in SBI 88" in text
