"""Array containers of candidates and vacancies, and their builders from plain DataFrames.

The containers carry only what a matching feature uses. Gender, birth year, origin, target
group and health are deliberately absent, so no feature can lean on them; languages are carried
only to check a vacancy's explicit language requirement.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from features.occupations import OccupationSpace
from features.skills import SkillSpace, binary_csr

SBI_SECTIONS = "ABCDEFGHIJKLMNOPQRSTU"
"""SBI 2008 sections; section ``i`` is bit ``i`` of a sector bitmask."""
NO_DATE = np.iinfo(np.int32).min
"""Day number of an unknown availability date: the candidate counts as available now."""
MAX_LANGUAGES = 63
"""Languages get bits 0–62; bit 63 stands for a required language no candidate has."""
UNHELD_LANGUAGE_BIT = 1 << 63
EARTH_RADIUS_KM = 6371.0088

CANDIDATE_COLUMNS = (
    "candidate_id", "skills", "occupations", "lat", "lon", "max_travel_km", "driving_licence",
    "hours_available", "ladder_step", "education_rank", "languages", "sector_preferences",
    "available_from", "municipality_code", "active", "consent_regional",
)  # fmt: skip
"""Columns of the DataFrame ``build_candidate_arrays`` takes (lists as tuples of strings)."""
VACANCY_COLUMNS = (
    "vacancy_id", "required", "optional", "occupation_uri", "lat", "lon", "hours_per_week",
    "education_min_rank", "languages_required", "driving_licence_required", "sbi_section",
    "start",
)  # fmt: skip
"""Columns of the DataFrame ``build_vacancy_arrays`` takes."""


def day_number(value: dt.date | None) -> int:
    """Days since 1970-01-01, or ``NO_DATE`` for None."""
    return NO_DATE if value is None else (value - dt.date(1970, 1, 1)).days


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """3 × N float32 unit vectors of points on the sphere (for chord-form haversine)."""
    phi, lam = np.radians(np.asarray(lat, np.float64)), np.radians(np.asarray(lon, np.float64))
    xyz = np.stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])
    return np.ascontiguousarray(xyz, dtype=np.float32)


def sector_mask(sections: Iterable[str]) -> int:
    """Bitmask of SBI section letters; anything else is ignored."""
    return sum(1 << SBI_SECTIONS.index(s) for s in set(sections) if s in SBI_SECTIONS)


@dataclass(frozen=True)
class CandidateArrays:
    """N candidates as arrays. Sparse matrices are binary; ``*_csc`` copies serve column lookups.

    ``essential``/``optional`` mark the skills essential/optional to any of the candidate's
    occupations (the evidence of work history); ``skill_groups`` the skill groups of any of
    their skills; ``family`` their occupations' ESCO families. ``xyz`` is 3 × N.
    """

    ids: np.ndarray
    skills: sparse.csr_matrix
    skills_csc: sparse.csc_matrix
    skill_groups: sparse.csc_matrix
    occupations: sparse.csr_matrix
    occupations_csc: sparse.csc_matrix
    isco4: sparse.csc_matrix
    isco3: sparse.csc_matrix
    family: sparse.csc_matrix
    essential: sparse.csc_matrix
    optional: sparse.csc_matrix
    lat: np.ndarray
    lon: np.ndarray
    xyz: np.ndarray
    max_travel_km: np.ndarray
    driving_licence: np.ndarray
    hours_available: np.ndarray
    ladder_step: np.ndarray
    education_rank: np.ndarray
    languages: np.ndarray
    sector_preferences: np.ndarray
    available_from: np.ndarray
    municipality: np.ndarray
    active: np.ndarray
    consent_regional: np.ndarray
    language_codes: tuple[str, ...]
    municipality_codes: tuple[str, ...]
    skill_space: SkillSpace
    occupation_space: OccupationSpace

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, rows: np.ndarray) -> CandidateArrays:
        """The candidates at ``rows`` (positions), as a new pool."""
        changes: dict[str, object] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, sparse.csr_matrix):
                changes[f.name] = value[rows]
            elif isinstance(value, sparse.csc_matrix):
                changes[f.name] = value.tocsr()[rows].tocsc()
            elif isinstance(value, np.ndarray):
                changes[f.name] = np.ascontiguousarray(value[..., rows])
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class VacancyArrays:
    """M vacancies as arrays; skill matrices are M × S binary CSR, ``xyz`` is 3 × M.

    ``occupation``/``isco4``/``isco3``/``family``/``sbi_section`` are column indices, -1 when
    unknown;
    ``essential`` holds the essential skills of each vacancy's occupation.
    ``group_level`` is True where the title was normalised to an ISCO unit or minor group
    (a broad title) instead of one occupation: ``occupation`` is then -1 and ``isco4``/``isco3``
    are the group's own.
    """

    ids: np.ndarray
    required: sparse.csr_matrix
    optional: sparse.csr_matrix
    essential: sparse.csr_matrix
    occupation: np.ndarray
    group_level: np.ndarray
    isco4: np.ndarray
    isco3: np.ndarray
    family: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    xyz: np.ndarray
    hours: np.ndarray
    education_min: np.ndarray
    languages_required: np.ndarray
    licence_required: np.ndarray
    sbi_section: np.ndarray
    start_day: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    def row(self, i: int) -> VacancyArrays:
        """Vacancy ``i`` alone, as a one-row VacancyArrays."""
        return take_vacancies(self, np.array([i]))


def take_vacancies(vacancies: VacancyArrays, rows: np.ndarray) -> VacancyArrays:
    """The vacancies at ``rows`` (positions)."""
    changes: dict[str, object] = {}
    for f in dataclasses.fields(vacancies):
        value = getattr(vacancies, f.name)
        if isinstance(value, sparse.csr_matrix):
            changes[f.name] = value[rows]
        elif isinstance(value, np.ndarray):
            changes[f.name] = np.ascontiguousarray(value[..., rows])
    return dataclasses.replace(vacancies, **changes)  # type: ignore[arg-type]


def index_lists(
    lists: Sequence[Iterable[str | None]], lookup: Mapping[str, int], width: int
) -> sparse.csr_matrix:
    """Binary len(lists) × width CSR from lists of keys; unknown keys are left out."""
    rows: list[int] = []
    cols: list[int] = []
    for i, keys in enumerate(lists):
        for key in keys:
            col = lookup.get(key) if key is not None else None
            if col is not None:
                rows.append(i)
                cols.append(col)
    return binary_csr(np.array(rows, np.int64), np.array(cols, np.int64), (len(lists), width))


def _occupation_groups(
    occupations: sparse.csr_matrix,
    codes: np.ndarray,
    width: int,
    named: tuple[np.ndarray, np.ndarray] | None = None,
) -> sparse.csc_matrix:
    """Candidate × ISCO group binary matrix from the candidate × occupation matrix, plus the
    groups ``named`` directly (candidate rows, group columns) by a broad title."""
    coo = occupations.tocoo()
    group = codes[coo.col]
    keep = group >= 0
    rows, cols = coo.row[keep], group[keep]
    if named is not None:
        rows, cols = np.concatenate([rows, named[0]]), np.concatenate([cols, named[1]])
    return binary_csr(rows, cols, (occupations.shape[0], width)).tocsc()


def _named_groups(
    lists: Sequence[Sequence[str | None]], occupations: OccupationSpace
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """(rows, columns) of the ISCO unit and minor groups that candidates' group-level
    occupations (broad titles normalised to an ISCO group) name, for ``isco4`` and ``isco3``."""
    owner = [i for i, uris in enumerate(lists) for _ in uris]
    flat = [uri for uris in lists for uri in uris]
    isco4, isco3 = occupations.group_columns(flat)
    rows = np.array(owner, dtype=np.int64)
    return (rows[isco4 >= 0], isco4[isco4 >= 0]), (rows[isco3 >= 0], isco3[isco3 >= 0])


def _binary_product(left: sparse.csr_matrix, right: sparse.csr_matrix) -> sparse.csc_matrix:
    """The binary (float32) CSC of ``left @ right``: which columns any of a row's items reach."""
    product = (left @ right).tocsc()
    product.data[:] = 1
    return product.astype(np.float32)


def _language_codes(lists: Iterable[Iterable[str]]) -> tuple[str, ...]:
    """The most frequent language codes (at most MAX_LANGUAGES), most frequent first."""
    counts = Counter(code for codes in lists for code in codes)
    return tuple(c for c, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))[
        :MAX_LANGUAGES
    ]


def language_masks(lists: Iterable[Iterable[str]], codes: Sequence[str]) -> np.ndarray:
    """uint64 bitmask per list; a code outside ``codes`` sets the 'unheld' bit 63."""
    bit = {c: 1 << i for i, c in enumerate(codes)}
    masks = [sum({bit.get(c, UNHELD_LANGUAGE_BIT) for c in cs}) for cs in lists]
    return np.array(masks, dtype=np.uint64)


def build_candidate_arrays(
    frame: pd.DataFrame, *, skills: SkillSpace, occupations: OccupationSpace
) -> CandidateArrays:
    """Build the pool from a DataFrame with ``CANDIDATE_COLUMNS`` (one row per candidate)."""
    skill_m = index_lists(frame["skills"].tolist(), dict(skills.index), skills.size)
    occ_lists = [list(x) for x in frame["occupations"].tolist()]
    occ_m = index_lists(occ_lists, dict(occupations.index), occupations.size)
    named4, named3 = _named_groups(occ_lists, occupations)
    essential, optional = (
        _binary_product(occ_m, m) for m in (occupations.essential, occupations.optional)
    )
    groups = (skill_m @ skills.groups).tocsc()
    groups.data[:] = 1
    languages = [tuple(x) for x in frame["languages"].tolist()]
    codes = _language_codes(languages)
    municipality_codes = tuple(sorted(set(frame["municipality_code"].tolist())))
    municipality_index = {c: i for i, c in enumerate(municipality_codes)}
    lat = frame["lat"].to_numpy(np.float32)
    lon = frame["lon"].to_numpy(np.float32)
    return CandidateArrays(
        ids=frame["candidate_id"].to_numpy(dtype=object),
        skills=skill_m,
        skills_csc=skill_m.tocsc(),
        skill_groups=groups.astype(np.float32),
        occupations=occ_m,
        occupations_csc=occ_m.tocsc(),
        isco4=_occupation_groups(occ_m, occupations.isco4, len(occupations.isco4_codes), named4),
        isco3=_occupation_groups(occ_m, occupations.isco3, len(occupations.isco3_codes), named3),
        family=_occupation_groups(occ_m, occupations.family, len(occupations.family_uris)),
        essential=essential,
        optional=optional,
        lat=lat,
        lon=lon,
        xyz=unit_vectors(lat, lon),
        max_travel_km=frame["max_travel_km"].to_numpy(np.float32, na_value=np.nan),
        driving_licence=np.array(
            [-1 if v is None or v is pd.NA else int(bool(v)) for v in frame["driving_licence"]],
            dtype=np.int8,
        ),
        hours_available=frame["hours_available"].to_numpy(np.float32),
        ladder_step=frame["ladder_step"].to_numpy(np.int8),
        education_rank=frame["education_rank"].to_numpy(np.int8),
        languages=language_masks(languages, codes),
        sector_preferences=np.array(
            [sector_mask(s) for s in frame["sector_preferences"]], dtype=np.uint32
        ),
        available_from=np.array([day_number(d) for d in frame["available_from"]], np.int32),
        municipality=np.array(
            [municipality_index[c] for c in frame["municipality_code"]], dtype=np.int32
        ),
        active=frame["active"].to_numpy(bool),
        consent_regional=frame["consent_regional"].to_numpy(bool),
        language_codes=codes,
        municipality_codes=municipality_codes,
        skill_space=skills,
        occupation_space=occupations,
    )


def build_vacancy_arrays(frame: pd.DataFrame, *, pool: CandidateArrays) -> VacancyArrays:
    """Build vacancies from a DataFrame with ``VACANCY_COLUMNS``, in the pool's spaces."""
    skills, occupations = pool.skill_space, pool.occupation_space
    occupation = np.array(
        [occupations.index.get(u, -1) if u is not None else -1 for u in frame["occupation_uri"]],
        dtype=np.int32,
    )
    known = occupation >= 0
    group4, group3 = occupations.group_columns(frame["occupation_uri"].tolist())
    isco4 = np.where(known, occupations.isco4[np.maximum(occupation, 0)], group4).astype(np.int32)
    isco3 = np.where(known, occupations.isco3[np.maximum(occupation, 0)], group3).astype(np.int32)
    family = np.where(known, occupations.family[np.maximum(occupation, 0)], -1).astype(np.int32)
    essential = occupations.essential[np.maximum(occupation, 0)].multiply(known[:, None]).tocsr()
    essential.eliminate_zeros()
    lat = frame["lat"].to_numpy(np.float32)
    lon = frame["lon"].to_numpy(np.float32)
    return VacancyArrays(
        ids=frame["vacancy_id"].to_numpy(dtype=object),
        required=index_lists(frame["required"].tolist(), dict(skills.index), skills.size),
        optional=index_lists(frame["optional"].tolist(), dict(skills.index), skills.size),
        essential=sparse.csr_matrix(essential, dtype=np.float32),
        occupation=occupation,
        group_level=~known & ((isco4 >= 0) | (isco3 >= 0)),
        isco4=isco4,
        isco3=isco3,
        family=family,
        lat=lat,
        lon=lon,
        xyz=unit_vectors(lat, lon),
        hours=frame["hours_per_week"].to_numpy(np.float32),
        education_min=frame["education_min_rank"].to_numpy(np.int8),
        languages_required=language_masks(
            [tuple(x) for x in frame["languages_required"]], pool.language_codes
        ),
        licence_required=np.array(
            [
                v is not None and v is not pd.NA and bool(v)
                for v in frame["driving_licence_required"]
            ],
            dtype=bool,
        ),
        sbi_section=np.array(
            [
                SBI_SECTIONS.index(s) if isinstance(s, str) and s in SBI_SECTIONS else -1
                for s in frame["sbi_section"]
            ],
            dtype=np.int8,
        ),
        start_day=np.array([day_number(d) for d in frame["start"]], dtype=np.int32),
    )


def stack_candidates(
    parts: Sequence[CandidateArrays], languages: Sequence[Iterable[str]]
) -> CandidateArrays:
    """The candidates of ``parts`` one after another, as ``build_candidate_arrays`` builds them
    from the parts' frames concatenated.

    Every row's features are its own, except two pool-wide codings, rebuilt here: the language
    bits (the most frequent codes of all rows: ``languages`` gives every row's codes, in
    order) and the municipality indices (the sorted codes the rows hold; a part made by
    ``take`` may still list codes none of its rows has).
    """
    kept = [p for p in parts if len(p)] or list(parts[:1])
    present = [np.asarray(p.municipality_codes, dtype=object)[p.municipality] for p in kept]
    codes = np.concatenate(present) if present else np.zeros(0, dtype=object)
    municipality_codes = tuple(sorted(set(codes.tolist())))
    index = {c: i for i, c in enumerate(municipality_codes)}
    lists = [tuple(x) for x in languages]
    language_codes = _language_codes(lists)
    changes: dict[str, object] = {}
    for f in dataclasses.fields(kept[0]):
        values = [getattr(p, f.name) for p in kept]
        if isinstance(values[0], sparse.csr_matrix):
            changes[f.name] = sparse.vstack(values, format="csr", dtype=values[0].dtype)
        elif isinstance(values[0], sparse.csc_matrix):
            changes[f.name] = sparse.vstack(values, format="csc", dtype=values[0].dtype)
        elif isinstance(values[0], np.ndarray):
            changes[f.name] = np.concatenate(values, axis=-1)
    changes["municipality"] = np.array([index[c] for c in codes.tolist()], dtype=np.int32)
    changes["languages"] = language_masks(lists, language_codes)
    changes["language_codes"] = language_codes
    changes["municipality_codes"] = municipality_codes
    return dataclasses.replace(kept[0], **changes)  # type: ignore[arg-type]
