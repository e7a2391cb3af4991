"""A tiny hand-made ESCO-shaped taxonomy for feature tests (8 skills, 5 occupations).

Groups: S1.1.1 and S1.1.2 (level 3) under S1.1 (level 2) under S1 (level 1); L1 (level 1).
s0, s1 → S1.1.1; s2 → S1.1.2; s3 → s2 (a broader skill, so S1.1.2); s4 → S1.1 (level 2);
s5 → L1 (level 1: too broad, no group credit); s6 → S1.1.1 and S1.1.2; s7 → nothing.
Relations: s5–s7, s0→s4. Occupations: o0, o1 in ISCO 9112, o2 in 9113, o3 in 5120, o4 none;
o1 and o4 are narrower ESCO occupations of o0 (one family), o3 of an ISCO group only.
Essential skills: o0 {s0, s1, s2}, o1 {s2, s3}, o2 {s4}, o3 {s5, s6, s7}; optional: o0 {s7}.
"""

from __future__ import annotations

import pandas as pd

from features.occupations import OccupationSpace, build_occupation_space
from features.skills import SkillSpace, build_skill_space

SKILL = [f"http://x/skill/s{i}" for i in range(8)]
OCC = [f"http://x/occupation/o{i}" for i in range(5)]
GROUP = {c: f"http://x/group/{c}" for c in ("S", "S1", "S1.1", "S1.1.1", "S1.1.2", "L", "L1")}


def tables() -> dict[str, pd.DataFrame]:
    """The reference tables, shaped like ``matching.reference.read_table``'s."""
    broader = [
        (SKILL[0], GROUP["S1.1.1"]), (SKILL[1], GROUP["S1.1.1"]), (SKILL[2], GROUP["S1.1.2"]),
        (SKILL[3], SKILL[2]), (SKILL[4], GROUP["S1.1"]), (SKILL[5], GROUP["L1"]),
        (SKILL[6], GROUP["S1.1.1"]), (SKILL[6], GROUP["S1.1.2"]),
        (GROUP["S1.1.1"], GROUP["S1.1"]), (GROUP["S1.1.2"], GROUP["S1.1"]),
        (GROUP["S1.1"], GROUP["S1"]), (GROUP["S1"], GROUP["S"]), (GROUP["L1"], GROUP["L"]),
    ]  # fmt: skip
    essential = {0: [0, 1, 2], 1: [2, 3], 2: [4], 3: [5, 6, 7]}
    occ_skills = [(OCC[o], SKILL[s], "essential") for o, ss in essential.items() for s in ss]
    occ_skills.append((OCC[0], SKILL[7], "optional"))
    return {
        "skills": pd.DataFrame({"uri": SKILL, "skill_type": "skill/competence"}),
        "skill_groups": pd.DataFrame({"uri": list(GROUP.values()), "code": list(GROUP)}),
        "skill_broader": pd.DataFrame(broader, columns=["uri", "broader_uri"]),
        "skill_relations": pd.DataFrame(
            [(SKILL[5], SKILL[7], "optional"), (SKILL[0], SKILL[4], "essential")],
            columns=["skill_uri", "related_uri", "relation"],
        ),
        "occupations": pd.DataFrame(
            {"uri": OCC, "isco_group": ["9112", "9112", "9113", "5120", None]}
        ),
        "occupation_skills": pd.DataFrame(
            occ_skills, columns=["occupation_uri", "skill_uri", "relation"]
        ),
        "occupation_broader": pd.DataFrame(
            [(OCC[1], OCC[0]), (OCC[4], OCC[0]), (OCC[3], "http://x/isco/C5120")],
            columns=["uri", "broader_uri"],
        ),
    }


def spaces() -> tuple[SkillSpace, OccupationSpace]:
    """The skill and occupation spaces of the tiny taxonomy."""
    t = tables()
    skills = build_skill_space(
        t["skills"], t["skill_groups"], t["skill_broader"], t["skill_relations"]
    )
    return skills, build_occupation_space(
        t["occupations"], t["occupation_skills"], skills, t["occupation_broader"]
    )
