"""Broad titles: ISCO groups are ranked next to occupations, chosen and explained as groups."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest

from features.occupations import ISCO_PREFIX
from features.pairwise import COLUMN, GROUP_CREDIT, pairwise_features
from features.pool import CandidateArrays, build_candidate_arrays, build_vacancy_arrays
from matching.normalisation import Normaliser
from matching.normalisation.labels import concept_level, without_generic
from matching.pool_loading import load_spaces
from matching.shortlist.explain import contributions, experience
from matching.shortlist.labels import load_labels

OCC = "http://data.europa.eu/esco/occupation/"
ROOFER = OCC + "51c2cc4f-8e85-4bc3-9138-c9e4ddcc7b4f"
ORDER_PICKER = OCC + "cd94def5-3442-4c2e-ae3d-0761a3008bcb"  # ISCO 9333
CLOTHING_WAREHOUSE = OCC + "040fcfa5-24be-43eb-afd5-828297175b16"  # ISCO 4321


@pytest.fixture(scope="module")
def normaliser() -> Normaliser:
    """The process-wide normaliser (its index is cached per process)."""
    return Normaliser()


@pytest.mark.parametrize(
    ("title", "group"),
    [
        ("Dakdekkers", "7121"),
        ("Loodgieters (m/v)", "7126"),
        ("Kappers", "5141"),
        ("Administratief personeel", "4"),  # a major group
        ("Kelners 32 uur", "5131"),
    ],
)
def test_a_broad_title_is_normalised_to_its_isco_group(
    normaliser: Normaliser, title: str, group: str
) -> None:
    chosen = normaliser.best([title], kind="occupation", threshold=0.5)[0]
    assert chosen.uri == f"{ISCO_PREFIX}{group}"
    assert concept_level(chosen.uri) == "group"
    top = normaliser.occupations([title], top=1)[0][0]
    assert top.label.startswith("beroepsgroep ")


@pytest.mark.parametrize("title", ["Dakdekker", "Loodgieter", "Kapper"])
def test_one_worker_stays_an_occupation(normaliser: Normaliser, title: str) -> None:
    top = normaliser.occupations([title], top=1)[0][0]
    assert concept_level(top.uri) == "occupation"
    assert title.lower() in top.label.lower()


def test_the_group_of_a_title_is_ranked_even_without_a_shared_word(
    normaliser: Normaliser,
) -> None:
    # "orderpicker" shares no word with its unit group "Laders en lossers" (ISCO 9333)
    ranked = [m.uri for m in normaliser.occupations(["orderpicker"], top=40)[0]]
    assert ranked[0] == ORDER_PICKER
    assert f"{ISCO_PREFIX}9333" in ranked


def test_a_group_uri_passes_through_with_its_group_label(normaliser: Normaliser) -> None:
    match = normaliser.occupations([f"{ISCO_PREFIX}7121"])[0][0]
    assert (match.score, match.label) == (1.0, "beroepsgroep Dakdekkers")


def test_a_bare_head_word_label_is_dropped_but_a_preferred_label_stays() -> None:
    rows = [(0, "medewerker", 1), (1, "medewerker schoonmaak", 0), (2, "medewerker magazijn", 0),
            (3, "medewerker", 0), (0, "filtreerder", 1)]  # fmt: skip
    labels = pd.DataFrame(rows, columns=["concept", "text", "kind"]).assign(lang=0)
    kept = without_generic(labels, min_concepts=2)
    # "medewerker" is a word of concepts 1, 2 and 3: a head word, dropped as concept 0's
    # alternative label, kept as concept 3's preferred one
    assert kept["text"].tolist() == [
        "medewerker schoonmaak", "medewerker magazijn", "medewerker", "filtreerder"
    ]  # fmt: skip
    assert len(without_generic(labels, min_concepts=4)) == len(labels)


def _pool(occupations: list[tuple[str, ...]]) -> CandidateArrays:
    spaces = load_spaces()
    n = len(occupations)
    frame = pd.DataFrame(
        {
            "candidate_id": [f"c{i}" for i in range(n)], "skills": [()] * n,
            "occupations": occupations, "lat": 52.16, "lon": 4.49,
            "max_travel_km": pd.array([None] * n, "Float64"), "driving_licence": None,
            "hours_available": 32, "ladder_step": 4, "education_rank": -1,
            "languages": [()] * n, "sector_preferences": [()] * n, "available_from": None,
            "municipality_code": "GM0546", "active": True, "consent_regional": False,
        }
    )  # fmt: skip
    return build_candidate_arrays(frame, skills=spaces.skills, occupations=spaces.occupations)


def _vacancy(pool: CandidateArrays, occupation: str) -> Any:
    frame = pd.DataFrame(
        {
            "vacancy_id": ["v"], "required": [()], "optional": [()],
            "occupation_uri": [occupation], "lat": 52.16, "lon": 4.49, "hours_per_week": 32.0,
            "education_min_rank": -1, "languages_required": [()],
            "driving_licence_required": False, "sbi_section": None,
            "start": dt.date(2026, 1, 1),
        }
    )  # fmt: skip
    return build_vacancy_arrays(frame, pool=pool)


def test_a_group_level_match_gets_partial_credit_and_says_beroepsgroep() -> None:
    pool = _pool([(ORDER_PICKER,), (CLOTHING_WAREHOUSE,), (f"{ISCO_PREFIX}9333",)])
    vacancy = _vacancy(pool, f"{ISCO_PREFIX}9333")
    f = pairwise_features(vacancy, pool)
    assert f[:, COLUMN["same_occupation"]].tolist() == [GROUP_CREDIT, 0.0, GROUP_CREDIT]
    labels = load_labels()
    group = labels.isco["9333"]
    within = experience(pool, 0, vacancy, f[0].tolist(), labels)
    assert within["level"] == "same_group"
    assert f"beroepsgroep {group}" in within["text"] and "orderpicker" in within["text"]
    assert "gedeeltelijk" in within["text"]
    pushed = [0.0] * f.shape[1]
    pushed[COLUMN["same_occupation"]] = 1.0
    said = contributions(pushed, f[0].tolist(), group_level=True)
    assert said[0]["text"] == "telt mee: ervaring in de beroepsgroep van de vacature"
    outside = experience(pool, 1, vacancy, f[1].tolist(), labels)
    assert (outside["level"], outside["text"]) == (
        "none", f"Geen ervaring in de beroepsgroep {group} bekend."
    )  # fmt: skip


def test_an_occupation_vacancy_credits_a_candidate_who_named_its_group() -> None:
    pool = _pool([(f"{ISCO_PREFIX}9333",), (f"{ISCO_PREFIX}4321",)])
    f = pairwise_features(_vacancy(pool, ORDER_PICKER), pool)
    assert f[:, COLUMN["same_occupation"]].tolist() == [0.0, 0.0]
    assert f[:, COLUMN["same_isco4"]].tolist() == [1.0, 0.0]


def test_doctests_pass() -> None:
    import doctest

    import features.occupations
    import features.taxonomy
    import matching.normalisation.labels

    for module in (features.occupations, features.taxonomy, matching.normalisation.labels):
        assert doctest.testmod(module).failed == 0
