"""Dutch labels for explanations: ESCO skills, skill groups, occupations, ISCO groups, SBI
sections and municipalities (English where ESCO has no Dutch label), read once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from matching.reference import read_table


def _labels(table: pd.DataFrame, key: str = "uri") -> dict[str, str]:
    """Key → Dutch label, else English label."""
    label = table["label_nl"].where(table["label_nl"].notna(), table["label_en"])
    return dict(zip(table[key].tolist(), label.astype(str).tolist(), strict=True))


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

    def skill(self, uri: str) -> str:
        """The label of a skill (the URI itself when unknown)."""
        return self.skills.get(uri, uri)

    def municipality(self, code: str) -> str:
        """The name of a municipality (the code when unknown)."""
        return self.municipalities.get(code, code)


@lru_cache(maxsize=1)
def load_labels() -> Labels:
    """The labels from the bundled reference tables (once per process)."""
    towns = read_table("municipalities")
    return Labels(
        skills=_labels(read_table("skills")),
        skill_groups=_labels(read_table("skill_groups")),
        occupations=_labels(read_table("occupations")),
        isco=_labels(read_table("isco_groups"), "code"),
        sections=dict(
            zip(read_table("sbi_sections")["code"], read_table("sbi_sections")["name"], strict=True)
        ),
        municipalities=dict(zip(towns["code"].tolist(), towns["name"].tolist(), strict=True)),
        regions=dict(zip(towns["code"].tolist(), towns["region"].tolist(), strict=True)),
    )
