"""The occupation space: ESCO occupations, their ISCO-08 groups, families and skills."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from features.skills import SkillSpace, binary_csr

ISCO_PREFIX = "http://data.europa.eu/esco/isco/C"
"""ESCO's URIs of ISCO-08 groups: this prefix and the group's code of 1 to 4 digits."""


def isco_code(uri: str) -> str | None:
    """The ISCO code of an ESCO ISCO-group URI, None for any other URI.

    >>> isco_code("http://data.europa.eu/esco/isco/C8121"), isco_code("http://x/occupation/1")
    ('8121', None)
    """
    if not uri.startswith(ISCO_PREFIX):
        return None
    code = uri[len(ISCO_PREFIX) :]
    return code if code.isdigit() and 1 <= len(code) <= 4 else None


@dataclass(frozen=True)
class OccupationSpace:
    """ESCO occupations as matrix columns.

    ``isco4``/``isco3`` hold, per occupation, the column of its ISCO unit group (4 digits) and
    minor group (3 digits) in ``isco4_codes``/``isco3_codes`` (-1 when unknown). ``family``
    holds the column of the occupation's ESCO family (``family_uris``): the top of its chain
    of ESCO ``broader`` occupations below the ISCO group, so an occupation, its narrower
    specialisations and their siblings share one. ``essential``/``optional`` are O × S
    binary: the occupation's essential and optional skills in the skill space.
    """

    uris: tuple[str, ...]
    index: Mapping[str, int]
    isco4: np.ndarray
    isco3: np.ndarray
    isco4_codes: tuple[str, ...]
    isco3_codes: tuple[str, ...]
    essential: sparse.csr_matrix
    optional: sparse.csr_matrix
    family: np.ndarray
    family_uris: tuple[str, ...]

    @property
    def size(self) -> int:
        """Number of occupations O."""
        return len(self.uris)

    def group_columns(self, uris: Sequence[object]) -> tuple[np.ndarray, np.ndarray]:
        """Per URI, the ``isco4`` and ``isco3`` column an ISCO-group URI names (-1 otherwise,
        also for missing values).

        A unit group (4 digits) has both, a minor group (3 digits) only ``isco3``; major and
        sub-major groups (1–2 digits) and occupations have neither.
        """
        four = {c: i for i, c in enumerate(self.isco4_codes)}
        three = {c: i for i, c in enumerate(self.isco3_codes)}
        codes = [isco_code(u) if isinstance(u, str) else None for u in uris]
        isco4 = [four.get(c, -1) if c is not None and len(c) == 4 else -1 for c in codes]
        isco3 = [three.get(c[:3], -1) if c is not None and len(c) >= 3 else -1 for c in codes]
        return np.array(isco4, dtype=np.int32), np.array(isco3, dtype=np.int32)


def _codes(values: pd.Series) -> tuple[np.ndarray, tuple[str, ...]]:
    """Column per distinct non-missing code (sorted), -1 for missing."""
    codes = tuple(sorted(values.dropna().unique().tolist()))
    lookup = {c: i for i, c in enumerate(codes)}
    column = values.map(lookup).fillna(-1).to_numpy(dtype=np.int32)
    return column, codes


def family_roots(uris: tuple[str, ...], broader: pd.DataFrame) -> list[str]:
    """Per occupation, the top of its chain of broader *occupations* (itself when none).

    Broader links to ISCO groups (or to anything that is not an occupation in ``uris``) end
    the chain; a cycle ends it too.
    """
    known = set(uris)
    parent: dict[str, str] = {}
    for uri, up in zip(broader["uri"].tolist(), broader["broader_uri"].tolist(), strict=True):
        if uri in known and up in known and uri != up:
            parent.setdefault(uri, up)
    roots = []
    for uri in uris:
        seen, node = {uri}, uri
        while node in parent and parent[node] not in seen:
            node = parent[node]
            seen.add(node)
        roots.append(node)
    return roots


def _relation(
    occupation_skills: pd.DataFrame, kind: str, index: Mapping[str, int], skills: SkillSpace
) -> sparse.csr_matrix:
    rel = occupation_skills[
        (occupation_skills["relation"] == kind)
        & occupation_skills["occupation_uri"].isin(index)
        & occupation_skills["skill_uri"].isin(skills.index)
    ]
    return binary_csr(
        rel["occupation_uri"].map(index).to_numpy(dtype=np.int64),
        rel["skill_uri"].map(skills.index).to_numpy(dtype=np.int64),
        (len(index), skills.size),
    )


def build_occupation_space(
    occupations: pd.DataFrame,
    occupation_skills: pd.DataFrame,
    skills: SkillSpace,
    broader: pd.DataFrame | None = None,
) -> OccupationSpace:
    """Build the space from the ``occupations``, ``occupation_skills`` and (optionally)
    ``occupation_broader`` tables; without ``broader`` every occupation is its own family."""
    frame = occupations.loc[occupations["uri"].notna(), ["uri", "isco_group"]]
    frame = frame.drop_duplicates("uri").sort_values("uri").reset_index(drop=True)
    isco4_raw = frame["isco_group"].where(frame["isco_group"].str.len() == 4)
    isco4, isco4_codes = _codes(isco4_raw)
    isco3, isco3_codes = _codes(isco4_raw.str.slice(0, 3))
    uris = tuple(frame["uri"].tolist())
    index = {uri: i for i, uri in enumerate(uris)}
    links = broader if broader is not None else pd.DataFrame({"uri": [], "broader_uri": []})
    family, family_uris = _codes(pd.Series(family_roots(uris, links), dtype=object))
    return OccupationSpace(
        uris=uris,
        index=index,
        isco4=isco4,
        isco3=isco3,
        isco4_codes=isco4_codes,
        isco3_codes=isco3_codes,
        essential=_relation(occupation_skills, "essential", index, skills),
        optional=_relation(occupation_skills, "optional", index, skills),
        family=family,
        family_uris=family_uris,
    )
