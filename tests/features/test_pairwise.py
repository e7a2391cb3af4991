"""Vectorised pairwise features equal a slow per-row reference kept here (hypothesis)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from features.occupations import ISCO_PREFIX
from features.pairwise import (
    FEATURE_DEFINITIONS,
    FEATURE_NAMES,
    pairwise_features,
    pairwise_features_batch,
)
from features.pool import (
    SBI_SECTIONS,
    CandidateArrays,
    build_candidate_arrays,
    build_vacancy_arrays,
)
from tests.features.taxonomy_fixture import OCC, SKILL, spaces

SKILLS, OCCUPATIONS = spaces()
CREDIT = SKILLS.partial_credit_matrix().toarray()
ESSENTIAL = {u: {SKILLS.uris[s] for s in OCCUPATIONS.essential[i].indices}
             for u, i in OCCUPATIONS.index.items()}  # fmt: skip
OPTIONAL = {u: {SKILLS.uris[s] for s in OCCUPATIONS.optional[i].indices}
            for u, i in OCCUPATIONS.index.items()}  # fmt: skip
ISCO = dict(zip(OCC, ["9112", "9112", "9113", "5120", None], strict=True))
FAMILY = dict(zip(OCC, ["o0", "o0", "o2", "o3", "o0"], strict=True))
DAY = dt.date(2025, 1, 1)
GROUP_CODE = {f"{ISCO_PREFIX}{code}": code for code in ("9112", "911", "91", "5120", "7121")}
"""ISCO-group URIs a broad title is normalised to: unit, minor, sub-major, and a unit group
no occupation of the tiny taxonomy is in (no columns: no credit)."""
KNOWN4, KNOWN3 = {"9112", "9113", "5120"}, {"911", "512"}

# --- the slow per-row reference ------------------------------------------------------------


def ref_coverage(held: set[str], wanted: set[str]) -> float:
    """Mean over wanted skills of the best credit any held skill gives; 1 when none wanted."""
    wanted = {w for w in wanted if w in SKILLS.index}
    if not wanted:
        return 1.0
    best = [max((CREDIT[SKILLS.index[h], SKILLS.index[w]] for h in held), default=0.0)
            for w in wanted]  # fmt: skip
    return sum(best) / len(wanted)


def ref_haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Textbook haversine in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def ref_occupation(c: dict[str, Any], v: dict[str, Any]) -> list[float]:
    """same_occupation, same_isco4, same_isco3, essential_share; a group URI (broad title)
    names its group directly, and a group-level vacancy gives half occupation credit within."""
    occ = v["occupation_uri"]
    named = {GROUP_CODE[o] for o in c["occupations"] if o in GROUP_CODE}
    mine = set(c["occupations"]) - set(GROUP_CODE)
    codes = {ISCO[o] for o in mine if ISCO[o] is not None} | (named & KNOWN4)
    minors = {x[:3] for x in codes} | {x[:3] for x in named if x[:3] in KNOWN3}
    if occ in GROUP_CODE:
        code = GROUP_CODE[occ]
        four = code in KNOWN4
        s4, s3 = float(four and code in codes), float(code[:3] in KNOWN3 and code[:3] in minors)
        credit = 0.5 * (s4 if four else s3) if len(code) >= 3 else 0.0
        return [credit, s4, s3 if len(code) >= 3 else 0.0, 0.0]
    if occ is None:
        return [0.0, 0.0, 0.0, 0.0]
    isco = ISCO[occ]
    held = set().union(*(ESSENTIAL[o] for o in mine)) if mine else set()
    share = len(ESSENTIAL[occ] & held) / len(ESSENTIAL[occ]) if ESSENTIAL[occ] else 0.0
    return [
        float(occ in mine),
        float(isco is not None and isco in codes),
        float(isco is not None and isco[:3] in minors),
        share,
    ]


def ref_travel(c: dict[str, Any], v: dict[str, Any]) -> list[float]:
    """sector_match, distance_km, within_travel, mobility."""
    prefs, section = set(c["sector_preferences"]), v["sbi_section"]
    sector = 0.5 if section is None or not prefs else float(section in prefs)
    d = ref_haversine(c["lat"], c["lon"], v["lat"], v["lon"])
    travel = c["max_travel_km"]
    within = 0.5 if travel is None else float(d <= travel)
    reach = {True: 25.0, False: 10.0, None: 15.0}[c["driving_licence"]]
    return [sector, d, within, math.exp(-d / reach)]


def ref_rest(c: dict[str, Any], v: dict[str, Any]) -> list[float]:
    """hours_fit … available_by_start."""
    worked = min(c["hours_available"], v["hours_per_week"])
    floor = float(worked >= min(16, v["hours_per_week"]))
    edu_min, edu = v["education_min_rank"], c["education_rank"]
    education = 1.0 if edu_min < 0 else 0.5 if edu < 0 else float(edu >= edu_min)
    need, have = set(v["languages_required"]), set(c["languages"])
    language = 1.0 if not need else 0.5 if not have else float(need <= have)
    lic = c["driving_licence"]
    licence = 1.0 if not v["driving_licence_required"] else 0.5 if lic is None else float(lic)
    ready = c["available_from"] is None or c["available_from"] <= v["start"]
    return [worked / v["hours_per_week"], floor, (c["ladder_step"] - 1) / 5,
            education, language, licence, float(ready)]  # fmt: skip


def ref_evidence(c: dict[str, Any], v: dict[str, Any]) -> list[float]:
    """required_experience, required_related, same_family."""
    wanted = {w for w in v["required"] if w in SKILLS.index}
    held, mine = set(c["skills"]), set(c["occupations"]) - set(GROUP_CODE)
    essential = set().union(*(ESSENTIAL[o] for o in mine)) if mine else set()
    optional = set().union(*(OPTIONAL[o] for o in mine)) if mine else set()
    experience = (wanted - held) & essential
    related = (wanted - held - essential) & optional
    occ = v["occupation_uri"]
    family = occ in FAMILY and FAMILY[occ] in {FAMILY[o] for o in mine}
    k = max(len(wanted), 1)
    return [len(experience) / k, len(related) / k, float(family)]


def ref_shape(c: dict[str, Any], v: dict[str, Any]) -> list[float]:
    """beyond_travel_km … hours_excess."""
    d = ref_haversine(c["lat"], c["lon"], v["lat"], v["lon"])
    travel, lic = c["max_travel_km"], c["driving_licence"]
    beyond = 0.0 if travel is None else max(d - travel, 0.0)
    no_licence = d * {True: 0.0, False: 1.0, None: 0.5}[lic]
    have, asked = c["hours_available"], v["hours_per_week"]
    return [beyond, max(d - 5, 0.0), max(d - 15, 0.0), no_licence,
            max(asked - have, 0), max(have - asked, 0)]  # fmt: skip


def ref_added(c: dict[str, Any], v: dict[str, Any]) -> list[float]:
    """distance_over_10km, required_recorded."""
    wanted = {w for w in v["required"] if w in SKILLS.index}
    d = ref_haversine(c["lat"], c["lon"], v["lat"], v["lon"])
    recorded = len(wanted & set(c["skills"])) / len(wanted) if wanted else 0.0
    return [max(d - 10, 0.0), recorded]


def reference_row(c: dict[str, Any], v: dict[str, Any]) -> list[float]:
    """Every feature of one (candidate, vacancy) pair, in FEATURE_NAMES order."""
    held = set(c["skills"])
    return [
        ref_coverage(held, set(v["required"])),
        ref_coverage(held, set(v["optional"])),
        *ref_occupation(c, v),
        *ref_travel(c, v),
        *ref_rest(c, v),
        *ref_evidence(c, v),
        *ref_shape(c, v),
        *ref_added(c, v),
    ]


# --- strategies ------------------------------------------------------------------------------

subset = st.lists(st.sampled_from(SKILL), max_size=4, unique=True).map(tuple)
maybe_bool = st.sampled_from([None, True, False])
candidate = st.fixed_dictionaries({
    "skills": subset,
    "occupations": st.lists(st.sampled_from(OCC + list(GROUP_CODE)), max_size=3,
                            unique=True).map(tuple),
    "lat": st.floats(51.0, 53.5), "lon": st.floats(3.5, 7.0),
    "max_travel_km": st.one_of(st.none(), st.integers(0, 120)),
    "driving_licence": maybe_bool,
    "hours_available": st.integers(1, 40), "ladder_step": st.integers(1, 6),
    "education_rank": st.integers(-1, 7),
    "languages": st.lists(st.sampled_from(["nl", "en", "ar"]), max_size=3, unique=True).map(tuple),
    "sector_preferences": st.lists(st.sampled_from("AGIQ"), max_size=3, unique=True).map(tuple),
    "available_from": st.one_of(st.none(), st.dates(dt.date(2024, 10, 1), dt.date(2025, 4, 1))),
})  # fmt: skip
vacancy = st.fixed_dictionaries({
    "required": subset, "optional": subset,
    "occupation_uri": st.one_of(st.none(), st.sampled_from(OCC + list(GROUP_CODE))),
    "lat": st.floats(51.0, 53.5), "lon": st.floats(3.5, 7.0),
    "hours_per_week": st.integers(1, 40), "education_min_rank": st.integers(-1, 7),
    "languages_required": st.lists(st.sampled_from(["nl", "en", "so"]), max_size=2,
                                   unique=True).map(tuple),
    "driving_licence_required": maybe_bool,
    "sbi_section": st.one_of(st.none(), st.sampled_from("AGIQ")),
    "start": st.dates(dt.date(2024, 10, 1), dt.date(2025, 4, 1)),
})  # fmt: skip


def make_pool(rows: list[dict[str, Any]]) -> CandidateArrays:
    frame = pd.DataFrame(rows)
    frame["candidate_id"] = [f"c{i}" for i in range(len(rows))]
    frame["municipality_code"] = "GM0546"
    frame["active"] = True
    frame["consent_regional"] = False
    frame["max_travel_km"] = pd.array(frame["max_travel_km"].tolist(), dtype="Float64")
    return build_candidate_arrays(frame, skills=SKILLS, occupations=OCCUPATIONS)


def make_vacancies(rows: list[dict[str, Any]], pool: CandidateArrays) -> Any:
    frame = pd.DataFrame(rows)
    frame["vacancy_id"] = [f"v{i}" for i in range(len(rows))]
    return build_vacancy_arrays(frame, pool=pool)


def assert_matches_reference(got: np.ndarray, cands: list[dict[str, Any]], v: dict[str, Any]):
    want = np.array([reference_row(c, v) for c in cands], dtype=np.float64)
    assert got.shape == (len(cands), len(FEATURE_NAMES))
    for j, name in enumerate(FEATURE_NAMES):
        atol = 0.02 if "distance" in name or "travel_km" in name else 1e-5
        np.testing.assert_allclose(got[:, j], want[:, j], rtol=1e-4, atol=atol, err_msg=name)


# --- tests -------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.lists(candidate, min_size=1, max_size=12), vacancy)
def test_vectorised_features_equal_reference(cands: list[dict[str, Any]], v: dict[str, Any]):
    pool = make_pool(cands)
    got = pairwise_features(make_vacancies([v], pool), pool)
    assert_matches_reference(got, cands, v)


@settings(max_examples=20, deadline=None)
@given(st.lists(candidate, min_size=2, max_size=12), st.lists(vacancy, min_size=1, max_size=4),
       st.data())  # fmt: skip
def test_batch_and_rows_equal_single(cands, vacs, data) -> None:  # type: ignore[no-untyped-def]
    pool = make_pool(cands)
    arrays = make_vacancies(vacs, pool)
    batch = pairwise_features_batch(arrays, pool, workers=2)
    assert batch.shape == (len(vacs), len(cands), len(FEATURE_NAMES))
    rows = np.array(data.draw(st.lists(st.integers(0, len(cands) - 1), min_size=1)))
    for i, v in enumerate(vacs):
        single = pairwise_features(arrays.row(i), pool)
        np.testing.assert_array_equal(batch[i], single)
        np.testing.assert_allclose(pairwise_features(arrays.row(i), pool, rows=rows),
                                   single[rows], rtol=1e-6)  # fmt: skip
        assert_matches_reference(single, cands, v)


def test_hand_computed_pair() -> None:
    """s0 held, s1 required (same group: 0.5) and s2 required (nothing): coverage 0.25."""
    c = {"skills": (SKILL[0],), "occupations": (OCC[1],), "lat": 52.16, "lon": 4.49,
         "max_travel_km": 20, "driving_licence": True, "hours_available": 24, "ladder_step": 4,
         "education_rank": 3, "languages": ("nl",), "sector_preferences": ("I",),
         "available_from": None}  # fmt: skip
    v = {"required": (SKILL[1], SKILL[2]), "optional": (), "occupation_uri": OCC[0],
         "lat": 52.16, "lon": 4.49, "hours_per_week": 32, "education_min_rank": 2,
         "languages_required": ("nl",), "driving_licence_required": True, "sbi_section": "I",
         "start": DAY}  # fmt: skip
    pool = make_pool([c])
    got = dict(zip(FEATURE_NAMES, pairwise_features(make_vacancies([v], pool), pool)[0],
                   strict=True))  # fmt: skip
    assert got["required_coverage"] == 0.25
    assert got["optional_coverage"] == 1.0
    assert (got["same_occupation"], got["same_isco4"], got["same_isco3"]) == (0.0, 1.0, 1.0)
    assert got["essential_share"] == 1 / 3  # o1 essentials {s2, s3}; o0 wants {s0, s1, s2}
    assert got["hours_fit"] == 0.75 and got["hours_floor"] == 1.0
    assert got["distance_km"] < 1e-3 and got["mobility"] > 0.999 and got["sector_match"] == 1.0
    # s2 is essential to o1 (their history) but not recorded: likely present from experience
    assert (got["required_experience"], got["required_related"]) == (0.5, 0.0)
    assert got["same_family"] == 1.0  # o1 is a narrower ESCO occupation of o0
    assert (got["hours_short"], got["hours_excess"]) == (8.0, 0.0)
    assert got["distance_over_10km"] == 0.0
    assert got["required_recorded"] == 0.0  # s0 is close to s1 (half credit), not s1 itself


def test_exact_record_and_the_third_distance_knot() -> None:
    """Required s0, s1, s2. A recorded s0 and s6 (s6 shares s0's and s2's skill groups): two
    exact misses get half credit, so coverage (1 + 0.5 + 0.5) / 3 but recorded exactly 1/3.
    B recorded nothing and lives 12 km away (2 km beyond the third knot, 7 beyond the first)."""
    base = {"lat": 52.16, "lon": 4.49, "max_travel_km": None, "driving_licence": None,
            "hours_available": 32, "ladder_step": 4, "education_rank": -1, "languages": (),
            "sector_preferences": (), "available_from": None, "occupations": ()}  # fmt: skip
    cands = [
        {**base, "skills": (SKILL[0], SKILL[6])},
        {**base, "skills": (), "lat": 52.16 + 12 / 111.2},
    ]
    v = {"required": tuple(SKILL[:3]), "optional": (), "occupation_uri": None, "lat": 52.16,
         "lon": 4.49, "hours_per_week": 32, "education_min_rank": -1, "languages_required": (),
         "driving_licence_required": None, "sbi_section": None, "start": DAY}  # fmt: skip
    pool = make_pool(cands)
    f = dict(zip(FEATURE_NAMES, pairwise_features(make_vacancies([v], pool), pool).T,
                 strict=True))  # fmt: skip
    np.testing.assert_allclose(f["required_coverage"], [2 / 3, 0.0], rtol=1e-6)
    np.testing.assert_allclose(f["required_recorded"], [1 / 3, 0.0], rtol=1e-6)
    assert f["distance_over_10km"][0] == 0.0
    assert f["distance_over_10km"][1] == pytest.approx(2.0, abs=0.02)
    assert f["distance_over_5km"][1] == pytest.approx(7.0, abs=0.02)


@pytest.mark.parametrize(
    ("vacancy_group", "candidate_occupations", "expected"),
    [
        ("9112", (OCC[1],), (0.5, 1.0, 1.0)),  # o1 is in unit group 9112: half credit
        ("9112", (OCC[2],), (0.0, 0.0, 1.0)),  # o2 in 9113: only the minor group 911
        ("911", (OCC[2],), (0.5, 0.0, 1.0)),  # a minor group: o2 lies within it
        ("9112", (f"{ISCO_PREFIX}9112",), (0.5, 1.0, 1.0)),  # both named the group
        ("91", (OCC[1],), (0.0, 0.0, 0.0)),  # a sub-major group: too broad for credit
    ],
)
def test_group_level_vacancy_gives_partial_occupation_credit(
    vacancy_group: str, candidate_occupations: tuple[str, ...], expected: tuple[float, ...]
) -> None:
    c = {"skills": (), "occupations": candidate_occupations, "lat": 52.16, "lon": 4.49,
         "max_travel_km": 20, "driving_licence": True, "hours_available": 24, "ladder_step": 4,
         "education_rank": 3, "languages": ("nl",), "sector_preferences": ("I",),
         "available_from": None}  # fmt: skip
    v = {"required": (), "optional": (), "occupation_uri": f"{ISCO_PREFIX}{vacancy_group}",
         "lat": 52.16, "lon": 4.49, "hours_per_week": 32, "education_min_rank": 2,
         "languages_required": ("nl",), "driving_licence_required": True, "sbi_section": "I",
         "start": DAY}  # fmt: skip
    pool = make_pool([c])
    vacancies = make_vacancies([v], pool)
    got = dict(zip(FEATURE_NAMES, pairwise_features(vacancies, pool)[0], strict=True))
    assert (got["same_occupation"], got["same_isco4"], got["same_isco3"]) == expected
    assert got["essential_share"] == 0.0 and got["same_family"] == 0.0
    assert bool(vacancies.group_level[0]) == (len(vacancy_group) >= 3)


def test_containers_carry_no_protected_attributes() -> None:
    names = {f.name for f in dataclasses.fields(CandidateArrays)}
    protected = {"gender", "birth_year", "age", "target_group", "origin", "nationality", "benefit"}
    assert not names & protected
    assert set(FEATURE_DEFINITIONS) == set(FEATURE_NAMES)
    assert len(SBI_SECTIONS) == 21
