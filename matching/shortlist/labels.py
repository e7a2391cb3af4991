"""Dutch labels for explanations: ESCO skills, skill groups, occupations, ISCO groups, SBI
sections and municipalities, read once per process.

Half of ESCO's skills have no Dutch label. ``Labels.skill`` then gives the Dutch label of the
nearest broader skill or skill group (walking ESCO's skill hierarchy), and ``skill_english`` the
English label to show beside it as secondary text; the English label is never the primary text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from matching.normalisation.labels import group_display
from matching.reference import read_table


def _labels(table: pd.DataFrame, key: str = "uri") -> dict[str, str]:
    """Key → Dutch label, else English label."""
    label = table["label_nl"].where(table["label_nl"].notna(), table["label_en"])
    return dict(zip(table[key].tolist(), label.astype(str).tolist(), strict=True))


def _group_labels(isco: pd.DataFrame) -> dict[str, str]:
    """ISCO-group URI → its label shown as a group (a broad title's chosen concept)."""
    return {uri: group_display(label) for uri, label in _labels(isco).items()}


@dataclass(frozen=True)
class Labels:
    """Lookups from codes and URIs to Dutch labels."""

    skills: dict[str, str]
    skill_groups: dict[str, str]
    occupations: dict[str, str]
    isco: dict[str, str]
    sections: dict[str, str]
    municipalities: dict[str, str]
    regions: dict[str, str]
    """municipality code → labour-market region"""

    skills_dutch: dict[str, str] = field(default_factory=dict)
    """skill URI → its own Dutch label (only the skills that have one)"""
    broader: dict[str, str] = field(default_factory=dict)
    """skill URI → its first broader skill or skill group"""

    def skill(self, uri: str) -> str:
        """The Dutch label of a skill, else of its nearest broader skill or skill group; the
        English label when none of them has one; the URI itself when unknown."""
        if uri in self.skills_dutch or not self.skills_dutch:
            return self.skills_dutch.get(uri) or self.skills.get(uri, uri)
        seen, node = {uri}, self.broader.get(uri)
        while node is not None and node not in seen:
            dutch = self.skills_dutch.get(node) or self.skill_groups.get(node)
            if dutch:
                return dutch
            seen.add(node)
            node = self.broader.get(node)
        return self.skills.get(uri, uri)

    def skill_english(self, uri: str) -> str | None:
        """The English label to show as secondary text when ``skill`` is not the skill's own
        Dutch label (None when it is, or when the skill is unknown)."""
        if uri in self.skills_dutch or uri not in self.skills:
            return None
        return self.skills[uri]

    def municipality(self, code: str) -> str:
        """The name of a municipality (the code when unknown)."""
        return self.municipalities.get(code, code)


@lru_cache(maxsize=1)
def load_labels() -> Labels:
    """The labels from the bundled reference tables (once per process)."""
    towns = read_table("municipalities")
    skills, broader = read_table("skills"), read_table("skill_broader")
    dutch = skills.loc[skills["label_nl"].notna() & (skills["label_nl"] != "")]
    first = broader.drop_duplicates("uri")
    isco = read_table("isco_groups")
    return Labels(
        skills=_labels(skills),
        skill_groups=_labels(read_table("skill_groups")),
        occupations=_labels(read_table("occupations")) | _group_labels(isco),
        isco=_labels(isco, "code"),
        sections=dict(
            zip(read_table("sbi_sections")["code"], read_table("sbi_sections")["name"], strict=True)
        ),
        municipalities=dict(zip(towns["code"].tolist(), towns["name"].tolist(), strict=True)),
        regions=dict(zip(towns["code"].tolist(), towns["region"].tolist(), strict=True)),
        skills_dutch=dict(zip(dutch["uri"].tolist(), dutch["label_nl"].tolist(), strict=True)),
        broader=dict(zip(first["uri"].tolist(), first["broader_uri"].tolist(), strict=True)),
    )
