"""The skill space: columns, nearest level-2/3 groups, relations and the partial-credit matrix."""

from __future__ import annotations

import numpy as np
import pytest

from features.skills import PARTIAL_CREDIT, skill_group_level
from tests.features.taxonomy_fixture import OCC, SKILL, spaces


@pytest.mark.parametrize(
    ("code", "level"),
    [("S", 0), ("S1", 1), ("S1.2", 2), ("S1.14.1", 3), ("00", 1), ("041", 2), ("0413", 3)],
)
def test_skill_group_level(code: str, level: int) -> None:
    assert skill_group_level(code) == level


def test_partial_credit_matrix_by_hand() -> None:
    skills, _ = spaces()
    credit = skills.partial_credit_matrix().toarray()
    i = [skills.index[u] for u in SKILL]
    assert np.allclose(np.diag(credit), 1.0)
    p = PARTIAL_CREDIT
    expected = {
        (0, 1): p,  # same level-3 group S1.1.1
        (3, 2): p,  # s3 sits under skill s2, so in S1.1.2
        (6, 0): p,  # s6 is in both level-3 groups
        (6, 2): p,
        (0, 4): p,  # ESCO relation s0 -> s4, used both ways
        (4, 0): p,
        (5, 7): p,  # relation s5 - s7
        (0, 2): 0.0,  # different level-3 groups
        (4, 1): 0.0,  # s4's only group is S1.1 (level 2), s1's is S1.1.1
        (5, 3): 0.0,  # L1 is level 1: too broad for credit
    }
    for (a, b), value in expected.items():
        assert credit[i[a], i[b]] == pytest.approx(value), (a, b)
    assert np.allclose(credit, credit.T)


def test_columns_skip_unknown_and_duplicates() -> None:
    skills, _ = spaces()
    cols = skills.columns([SKILL[3], "http://x/skill/unknown", None, SKILL[3], SKILL[0]])
    assert cols.tolist() == [skills.index[SKILL[3]], skills.index[SKILL[0]]]


def test_occupation_space_isco_and_essentials() -> None:
    skills, occupations = spaces()
    o = [occupations.index[u] for u in OCC]
    codes4 = [occupations.isco4_codes[occupations.isco4[k]] for k in o[:4]]
    assert codes4 == ["9112", "9112", "9113", "5120"]
    assert occupations.isco4[o[4]] == -1
    assert occupations.isco3[o[0]] == occupations.isco3[o[2]] != occupations.isco3[o[3]]
    row = occupations.essential[o[0]].indices
    assert sorted(row.tolist()) == sorted(skills.index[SKILL[s]] for s in (0, 1, 2))
    assert skills.index[SKILL[7]] not in occupations.essential[o[0]].indices  # optional only
