"""Inferred competences from work history, on hand-computed cases from the real ESCO relations.

ESCO v1.2: magazijnmedewerker (warehouse worker, ISCO 9333) has "stack goods" and "pallets
loading" as essential skills and "use barcode scanning equipment" as an optional one;
"apparel manufacturing technology" is none of its skills. Orderpicker is a narrower ESCO
occupation of magazijnmedewerker; "magazijnmedewerker kleding" (ISCO 4321) is not.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest

from features.evidence import EXPERIENCE, RECORDED, RELATED, evidence_levels
from features.pairwise import COLUMN, pairwise_features
from features.pool import CandidateArrays, build_candidate_arrays, build_vacancy_arrays
from matching.pool_loading import load_spaces
from matching.shortlist.competences import competences
from matching.shortlist.labels import load_labels

OCC = "http://data.europa.eu/esco/occupation/"
SKILL = "http://data.europa.eu/esco/skill/"
WAREHOUSE = OCC + "bea705fe-06ac-4147-b8e0-6e8ac1208d8f"  # magazijnmedewerker
ORDER_PICKER = OCC + "cd94def5-3442-4c2e-ae3d-0761a3008bcb"  # narrower: orderpicker
CLOTHING_WAREHOUSE = OCC + "040fcfa5-24be-43eb-afd5-828297175b16"  # ISCO 4321, other family
STACK = SKILL + "3d086228-d7fc-4c23-972a-22b7d44a6173"  # essential
PALLETS = SKILL + "fd9c8437-6e20-47b5-8508-f23f442446c2"  # essential
BARCODE = SKILL + "fd79b3c4-e264-41b5-bada-49ba5f317588"  # optional
APPAREL = SKILL + "af8170c1-23f9-401c-b24b-e57399d6c722"  # not a skill of the occupation


def _pool(rows: list[dict[str, Any]]) -> CandidateArrays:
    spaces = load_spaces()
    frame = pd.DataFrame(
        {
            "candidate_id": [f"c{i}" for i in range(len(rows))],
            "skills": [r["skills"] for r in rows],
            "occupations": [r["occupations"] for r in rows],
            "lat": 52.16, "lon": 4.49, "max_travel_km": pd.array([None] * len(rows), "Float64"),
            "driving_licence": None, "hours_available": 32, "ladder_step": 4,
            "education_rank": -1, "languages": [()] * len(rows),
            "sector_preferences": [()] * len(rows), "available_from": None,
            "municipality_code": "GM0546", "active": True, "consent_regional": False,
        }
    )  # fmt: skip
    return build_candidate_arrays(frame, skills=spaces.skills, occupations=spaces.occupations)


def _vacancy(pool: CandidateArrays, required: tuple[str, ...], occupation: str) -> Any:
    frame = pd.DataFrame(
        {
            "vacancy_id": ["v"], "required": [required], "optional": [()],
            "occupation_uri": [occupation], "lat": 52.16, "lon": 4.49, "hours_per_week": 32.0,
            "education_min_rank": -1, "languages_required": [()],
            "driving_licence_required": False, "sbi_section": None,
            "start": dt.date(2026, 1, 1),
        }
    )  # fmt: skip
    return build_vacancy_arrays(frame, pool=pool)


REQUIRED = (STACK, PALLETS, BARCODE, APPAREL)


def test_the_evidence_levels_follow_the_esco_relations() -> None:
    pool = _pool(
        [
            {"skills": (STACK,), "occupations": (WAREHOUSE,)},
            {"skills": (), "occupations": ()},
            {"skills": (PALLETS,), "occupations": (ORDER_PICKER,)},
        ]
    )
    columns = np.array([pool.skill_space.index[s] for s in REQUIRED])
    levels = evidence_levels(pool, columns)
    # worked as magazijnmedewerker, recorded "stack goods": recorded, experience, related, none
    assert levels[0].tolist() == [RECORDED, EXPERIENCE, RELATED, 0]
    assert levels[1].tolist() == [0, 0, 0, 0]  # no record and no history: no evidence
    assert levels[2, 1] == RECORDED  # a record outranks any inferred level


def test_inferred_shares_and_the_occupation_family() -> None:
    pool = _pool(
        [
            {"skills": (STACK,), "occupations": (WAREHOUSE,)},
            {"skills": (), "occupations": (ORDER_PICKER,)},
            {"skills": (), "occupations": (CLOTHING_WAREHOUSE,)},
        ]
    )
    f = pairwise_features(_vacancy(pool, REQUIRED, WAREHOUSE), pool)
    # of 4 required skills: 1 recorded, 1 essential to the history (1/4), 1 optional (1/4)
    assert f[0, COLUMN["required_experience"]] == pytest.approx(0.25)
    assert f[0, COLUMN["required_related"]] == pytest.approx(0.25)
    assert f[0, COLUMN["required_coverage"]] >= 0.25  # the record itself, plus partial credit
    # orderpicker is a narrower ESCO occupation of magazijnmedewerker: the same family
    assert f[:, COLUMN["same_family"]].tolist() == [1.0, 1.0, 0.0]
    assert f[1, COLUMN["same_occupation"]] == 0.0


def test_an_inferred_skill_never_outranks_a_recorded_one_in_the_explanation() -> None:
    pool = _pool([{"skills": (STACK,), "occupations": (WAREHOUSE,)}])
    labels = load_labels()
    required = np.array([pool.skill_space.index[s] for s in (BARCODE, PALLETS, APPAREL, STACK)])
    c = competences(pool, 0, required, np.zeros(0, np.int64), labels)
    assert [m["uri"] for m in c["matched"]] == [STACK]
    assert [m["uri"] for m in c["likely"]] == [PALLETS, BARCODE]  # experience before related
    assert (
        c["likely"][0]["evidence"]["text"]
        == "waarschijnlijk aanwezig: ervaring als magazijnmedewerker"
    )
    assert c["likely"][1]["evidence"]["level"] == "related"
    text = c["text"]
    recorded, likely = text.index(labels.skill(STACK)), text.index(labels.skill(PALLETS))
    possible, missing = text.index(labels.skill(BARCODE)), text.index(labels.skill(APPAREL))
    assert recorded < likely < possible < missing
    assert "waarschijnlijk aanwezig" in text and "; mist: " in text


def _reference_shares(pool: CandidateArrays, i: int, required: list[int]) -> list[float]:
    """Candidate i's required_coverage, _recorded, _experience and _related from sets."""
    space = pool.skill_space
    held = set(pool.skills[i].indices.tolist())
    held_groups = {g for s in held for g in space.group_lists[s]}
    essential = set(pool.essential.tocsr()[i].indices.tolist())
    optional = set(pool.optional.tocsr()[i].indices.tolist())
    near = [
        r in held or bool(held & set(space.related_lists[r]))
        or bool(held_groups & set(space.group_lists[r]))
        for r in required
    ]  # fmt: skip
    exact = [r in held for r in required]
    experience = [r in essential and r not in held for r in required]
    related = [r in optional and r not in essential and r not in held for r in required]
    p, k = space.partial_credit, len(required)
    return [(p * sum(near) + (1 - p) * sum(exact)) / k, sum(exact) / k,
            sum(experience) / k, sum(related) / k]  # fmt: skip


@pytest.mark.parametrize("filler", [0, 4, 12, 66, 140])
def test_skill_shares_over_several_bit_words_equal_a_count_over_sets(filler: int) -> None:
    """Required skills are counted in words of up to 64 bits: 4 skills take a uint8, 16 a
    uint16, 70 two words and 144 three; the shares equal a plain count over sets."""
    spaces = load_spaces()
    index = spaces.skills.index
    taken = {index[s] for s in REQUIRED}
    others = [c for c in range(0, spaces.skills.size, 37) if c not in taken][:filler]
    # the warehouse skills last, so with a filler of 66 or more they land in a later word
    required_uris = tuple(spaces.skills.uris[c] for c in others) + REQUIRED
    pool = _pool(
        [
            {"skills": (STACK,), "occupations": (WAREHOUSE,)},
            {"skills": (), "occupations": (ORDER_PICKER,)},
            {"skills": (PALLETS, *required_uris[: filler // 2 : 3]), "occupations": ()},
            {"skills": required_uris[1::5], "occupations": (CLOTHING_WAREHOUSE,)},
        ]
    )
    f = pairwise_features(_vacancy(pool, required_uris, WAREHOUSE), pool)
    required = [index[u] for u in required_uris]
    names = ["required_coverage", "required_recorded", "required_experience", "required_related"]
    for i in range(len(pool)):
        got = [float(f[i, COLUMN[name]]) for name in names]
        assert got == pytest.approx(_reference_shares(pool, i, required), abs=1e-6), i
    assert f[0, COLUMN["required_experience"]] == pytest.approx(1 / len(required))
