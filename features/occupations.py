"""The occupation space: ESCO occupations, their ISCO-08 groups and their essential skills."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from features.skills import SkillSpace, binary_csr


@dataclass(frozen=True)
class OccupationSpace:
    """ESCO occupations as matrix columns.

    ``isco4``/``isco3`` hold, per occupation, the column of its ISCO unit group (4 digits) and
    minor group (3 digits) in ``isco4_codes``/``isco3_codes`` (-1 when unknown). ``essential``
    is O × S binary: the occupation's essential skills in the skill space.
    """

    uris: tuple[str, ...]
    index: Mapping[str, int]
    isco4: np.ndarray
    isco3: np.ndarray
    isco4_codes: tuple[str, ...]
    isco3_codes: tuple[str, ...]
    essential: sparse.csr_matrix

    @property
    def size(self) -> int:
        """Number of occupations O."""
        return len(self.uris)


def _codes(values: pd.Series) -> tuple[np.ndarray, tuple[str, ...]]:
    """Column per distinct non-missing code (sorted), -1 for missing."""
    codes = tuple(sorted(values.dropna().unique().tolist()))
    lookup = {c: i for i, c in enumerate(codes)}
    column = values.map(lookup).fillna(-1).to_numpy(dtype=np.int32)
    return column, codes


def build_occupation_space(
    occupations: pd.DataFrame, occupation_skills: pd.DataFrame, skills: SkillSpace
) -> OccupationSpace:
    """Build the occupation space from the ``occupations`` and ``occupation_skills`` tables."""
    frame = occupations.loc[occupations["uri"].notna(), ["uri", "isco_group"]]
    frame = frame.drop_duplicates("uri").sort_values("uri").reset_index(drop=True)
    isco4_raw = frame["isco_group"].where(frame["isco_group"].str.len() == 4)
    isco4, isco4_codes = _codes(isco4_raw)
    isco3, isco3_codes = _codes(isco4_raw.str.slice(0, 3))
    index = {uri: i for i, uri in enumerate(frame["uri"].tolist())}
    rel = occupation_skills[
        (occupation_skills["relation"] == "essential")
        & occupation_skills["occupation_uri"].isin(index)
        & occupation_skills["skill_uri"].isin(skills.index)
    ]
    essential = binary_csr(
        rel["occupation_uri"].map(index).to_numpy(dtype=np.int64),
        rel["skill_uri"].map(skills.index).to_numpy(dtype=np.int64),
        (len(index), skills.size),
    )
    return OccupationSpace(
        uris=tuple(frame["uri"].tolist()),
        index=index,
        isco4=isco4,
        isco3=isco3,
        isco4_codes=isco4_codes,
        isco3_codes=isco3_codes,
        essential=essential,
    )
