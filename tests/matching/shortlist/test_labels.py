"""Dutch skill labels: a skill's own Dutch label, else its nearest Dutch-labelled broader one."""

from __future__ import annotations

from matching.reference import read_table
from matching.shortlist.labels import Labels, load_labels

MUSICAL_STAFF = "http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab"
"""'manage musical staff': no Dutch label; its broader skill is 'leiding geven aan personeel'."""
TOXICOLOGY = "http://data.europa.eu/esco/skill/000bb1e4-89f0-4b86-be05-05ece3641724"


def test_a_skill_without_dutch_label_shows_its_broader_dutch_one() -> None:
    labels = load_labels()
    assert labels.skill(TOXICOLOGY) == "toxicologische onderzoeken uitvoeren"
    assert labels.skill_english(TOXICOLOGY) is None
    assert labels.skill(MUSICAL_STAFF) == "leiding geven aan personeel"
    assert labels.skill_english(MUSICAL_STAFF) == "manage musical staff"
    assert labels.skill("http://example.org/onbekend") == "http://example.org/onbekend"


def test_no_skill_is_shown_in_english() -> None:
    labels = load_labels()
    skills = read_table("skills")
    english = dict(zip(skills["uri"], skills["label_en"], strict=True))
    shown_in_english = [u for u in skills["uri"] if labels.skill(u) == english[u]]
    dutch_equal_to_english = skills.loc[skills["label_nl"] == skills["label_en"], "uri"]
    assert set(shown_in_english) <= set(dutch_equal_to_english)  # e.g. "Python", "SQL"


def test_the_walk_up_stops_on_a_cycle() -> None:
    labels = Labels(
        skills={"a": "do a", "b": "do b"}, skill_groups={}, occupations={}, isco={},
        sections={}, municipalities={}, regions={}, skills_dutch={"x": "iets"},
        broader={"a": "b", "b": "a"},
    )  # fmt: skip
    assert labels.skill("a") == "do a" and labels.skill_english("a") == "do a"


def test_a_closest_skill_shown_by_its_groups_name_does_not_repeat_it() -> None:
    """Skill 0 is missing; the candidate holds 1 (no Dutch label: shown by its group's name
    'promoten') or 2 (Dutch label 'verkopen'), both in group G 'promoten': the relation names
    the group only when the shown label is not already its name."""
    from types import SimpleNamespace

    import numpy as np

    from matching.shortlist.competences import closest_skill

    labels = Labels(
        skills={"s0": "advise", "s1": "promote", "s2": "sell"}, skill_groups={"G": "promoten"},
        occupations={}, isco={}, sections={}, municipalities={}, regions={},
        skills_dutch={"s0": "adviseren", "s2": "verkopen"}, broader={"s1": "G"},
    )  # fmt: skip
    space = SimpleNamespace(uris=["s0", "s1", "s2"], group_uris=["G"],
                            related_lists=[[], [], []], group_lists=[[0], [0], [0]])  # fmt: skip
    pool = SimpleNamespace(skill_space=space)
    by_name = closest_skill(pool, np.array([1]), 0, labels)  # type: ignore[arg-type]
    assert by_name == {"uri": "s1", "label": "promoten", "relation": "zelfde vaardigheidsgroep"}
    other = closest_skill(pool, np.array([2]), 0, labels)  # type: ignore[arg-type]
    assert other is not None and other["relation"] == "zelfde vaardigheidsgroep: promoten"
