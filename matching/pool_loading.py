"""Build the feature containers from the store: candidates, vacancies and their coordinates.

Coordinates: the PC4 centroid of the postcode when known, else the municipality's centroid
(both from the bundled reference tables). A vacancy starts on ``closes_on`` when set, else on
``opened_on`` (the exchange format has no start date); a candidate counts as available by the
start when ``available_from`` is empty or not later.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVarTuple

import numpy as np
import pandas as pd
from sqlalchemy import ColumnElement, Row, Select, select
from sqlalchemy.orm import Session

from features.occupations import OccupationSpace, build_occupation_space
from features.pool import (
    CandidateArrays,
    VacancyArrays,
    build_candidate_arrays,
    build_vacancy_arrays,
)
from features.skills import SkillSpace, build_skill_space
from matching.columns import EDUCATION
from matching.reference import read_table
from matching.store import models

EDUCATION_RANK = {level: rank for rank, level in enumerate(EDUCATION.values)}
"""Education level → rank (none 0 … wo 7); unknown is -1."""


@dataclass(frozen=True)
class Spaces:
    """The skill and occupation spaces and the centroids used to place people and jobs."""

    skills: SkillSpace
    occupations: OccupationSpace
    pc4: dict[str, tuple[float, float]]
    municipalities: dict[str, tuple[float, float]]


@lru_cache(maxsize=1)
def load_spaces() -> Spaces:
    """Build (once per process) the spaces from the bundled reference tables."""
    skills = build_skill_space(
        read_table("skills"),
        read_table("skill_groups"),
        read_table("skill_broader"),
        read_table("skill_relations"),
    )
    occupations = build_occupation_space(
        read_table("occupations"),
        read_table("occupation_skills"),
        skills,
        read_table("occupation_broader"),
    )
    return Spaces(
        skills,
        occupations,
        _centroids(read_table("pc4"), "pc4"),
        _centroids(read_table("municipalities"), "code"),
    )


def _centroids(frame: pd.DataFrame, key: str) -> dict[str, tuple[float, float]]:
    return {
        k: (float(a), float(b))
        for k, a, b in zip(frame[key], frame["lat"], frame["lon"], strict=True)
        if pd.notna(a) and pd.notna(b)
    }


def locate(
    spaces: Spaces, postcode4: Sequence[str | None], municipality: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude per row: PC4 centroid, else municipality centroid, else NaN."""
    nan = (float("nan"), float("nan"))
    points = [
        spaces.pc4.get(p or "", spaces.municipalities.get(m, nan))
        for p, m in zip(postcode4, municipality, strict=True)
    ]
    lat, lon = np.array(points, dtype=np.float64).reshape(-1, 2).T
    return lat, lon


def vacancy_start(opened_on: dt.date, closes_on: dt.date | None) -> dt.date:
    """The date a vacancy's new hire is expected to start."""
    return closes_on if closes_on is not None else opened_on


def split_list(value: object) -> tuple[str, ...]:
    """A ``;``-joined cell as a tuple; missing (None, NaN) is empty."""
    return tuple(item for item in value.split(";") if item) if isinstance(value, str) else ()


def _optional(values: pd.Series) -> list[object]:
    """Column values with every kind of missing as None."""
    return [None if pd.isna(v) else v for v in values.astype(object)]


def _items(
    session: Session,
    table: type[models.NormalisedItem],
    key: str,
    where: ColumnElement[bool] | None = None,
) -> dict[str, list[str]]:
    """Owner id → ESCO URIs (normalised items only), in position order; ``where``: a condition
    on the owning candidate."""
    owner = getattr(table, key)
    stmt = select(owner, table.uri).where(table.uri.is_not(None))
    if where is not None:
        c = models.Candidate
        stmt = stmt.join(c, c.candidate_id == owner).where(where)
    rows = session.execute(stmt.order_by(owner, table.position))
    out: dict[str, list[str]] = defaultdict(list)
    for k, uri in rows:
        out[k].append(uri)
    return out


CANDIDATE_FIELDS = (
    "candidate_id",
    "municipality_code",
    "postcode4",
    "max_travel_km",
    "driving_licence",
    "hours_available",
    "ladder_step",
    "education_level",
    "languages",
    "sector_preferences",
    "available_from",
    "status",
    "consent_regional",
)
"""The candidate columns read for matching: never gender, birth year or target group."""


def candidate_frame(
    session: Session, *, active_only: bool = True, where: ColumnElement[bool] | None = None
) -> pd.DataFrame:
    """Candidates as the DataFrame ``features.pool.build_candidate_arrays`` takes; ``where``: a
    condition on ``models.Candidate`` (one region's, say)."""
    stmt = select(*(getattr(models.Candidate, f) for f in CANDIDATE_FIELDS))
    if active_only:
        stmt = stmt.where(models.Candidate.status == "active")
    if where is not None:
        stmt = stmt.where(where)
    frame = pd.DataFrame(
        session.execute(stmt.order_by(models.Candidate.candidate_id)).all(),
        columns=list(CANDIDATE_FIELDS),
    )
    found = not frame.empty  # an empty region asks nothing more
    skills = _items(session, models.CandidateCompetence, "candidate_id", where) if found else {}
    occupations = (
        _items(session, models.CandidateOccupation, "candidate_id", where) if found else {}
    )
    ids = frame["candidate_id"].tolist()
    return pd.DataFrame(
        {
            "candidate_id": ids,
            "skills": [tuple(skills.get(i, ())) for i in ids],
            "occupations": [tuple(occupations.get(i, ())) for i in ids],
            "max_travel_km": pd.array(frame["max_travel_km"].tolist(), dtype="Float64"),
            "driving_licence": _optional(frame["driving_licence"]),
            "hours_available": frame["hours_available"].astype(float),
            "ladder_step": frame["ladder_step"].astype(int),
            "education_rank": [
                EDUCATION_RANK.get(str(e), -1) for e in _optional(frame["education_level"])
            ],
            "languages": [split_list(x) for x in frame["languages"]],
            "sector_preferences": [split_list(x) for x in frame["sector_preferences"]],
            "available_from": _optional(frame["available_from"]),
            "municipality_code": frame["municipality_code"].tolist(),
            "postcode4": _optional(frame["postcode4"]),
            "active": (frame["status"] == "active").to_numpy(bool),
            "consent_regional": [bool(v) for v in _optional(frame["consent_regional"])],
        }
    )


def candidate_stamps(
    session: Session, where: ColumnElement[bool] | None = None
) -> list[tuple[str, dt.datetime]]:
    """Every candidate's id and ``updated_at`` (those matching ``where``), in id order: what a
    context compares to find the candidates that changed since it loaded."""
    c = models.Candidate
    stmt = select(c.candidate_id, c.updated_at)
    if where is not None:
        stmt = stmt.where(where)
    return [(i, at) for i, at in session.execute(stmt.order_by(c.candidate_id))]


def load_pool(
    session: Session, *, active_only: bool = True, spaces: Spaces | None = None
) -> CandidateArrays:
    """The candidate pool (active candidates unless told otherwise) as feature arrays."""
    spaces = spaces or load_spaces()
    frame = candidate_frame(session, active_only=active_only)
    frame["lat"], frame["lon"] = locate(
        spaces, frame["postcode4"].tolist(), frame["municipality_code"].tolist()
    )
    return build_candidate_arrays(frame, skills=spaces.skills, occupations=spaces.occupations)


_Ts = TypeVarTuple("_Ts")
IN_CHUNK = 5000
"""Ids per ``IN (...)`` list: PostgreSQL takes at most 65,535 parameters in one statement."""


def rows_in(
    session: Session, stmt: Select[*_Ts], column: Any, ids: Iterable[str], *order_by: Any
) -> Iterator[Row[*_Ts]]:
    """The rows of ``stmt`` whose ``column`` is one of ``ids``, read ``IN_CHUNK`` ids at a time
    in id order (each chunk ordered by ``order_by``), so a national list of ids never exceeds
    the database's parameter limit."""
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), IN_CHUNK):
        chunk = wanted[start : start + IN_CHUNK]
        yield from session.execute(stmt.where(column.in_(chunk)).order_by(*order_by))


def vacancy_frame(
    session: Session, spaces: Spaces, *, vacancy_ids: Sequence[str] | None = None
) -> pd.DataFrame:
    """Vacancies (all, or ``vacancy_ids`` in that order) as ``build_vacancy_arrays`` takes."""
    v, e = models.Vacancy, models.Employer
    stmt = select(
        v.vacancy_id,
        v.occupation_uri,
        v.municipality_code,
        v.postcode4,
        v.hours_per_week,
        v.education_min,
        v.languages_required,
        v.driving_licence_required,
        v.opened_on,
        v.closes_on,
        e.sbi_section,
    ).join(e, e.employer_id == v.employer_id)
    found = (
        session.execute(stmt.order_by(v.vacancy_id))
        if vacancy_ids is None
        else rows_in(session, stmt, v.vacancy_id, vacancy_ids, v.vacancy_id)
    )
    rows = {r.vacancy_id: r for r in found}
    ids = list(vacancy_ids) if vacancy_ids is not None else list(rows)
    rows_ = [rows[i] for i in ids if i in rows]
    skills = _vacancy_skills(session, ids if vacancy_ids is not None else None)
    lat, lon = locate(spaces, [r.postcode4 for r in rows_], [r.municipality_code for r in rows_])
    return pd.DataFrame(
        {
            "vacancy_id": [r.vacancy_id for r in rows_],
            "required": [tuple(skills["required"].get(r.vacancy_id, ())) for r in rows_],
            "optional": [tuple(skills["optional"].get(r.vacancy_id, ())) for r in rows_],
            "occupation_uri": [r.occupation_uri for r in rows_],
            "lat": lat,
            "lon": lon,
            "hours_per_week": [float(r.hours_per_week) for r in rows_],
            "education_min_rank": [EDUCATION_RANK.get(r.education_min or "", -1) for r in rows_],
            "languages_required": [split_list(r.languages_required) for r in rows_],
            "driving_licence_required": [r.driving_licence_required for r in rows_],
            "sbi_section": [r.sbi_section for r in rows_],
            "start": [vacancy_start(r.opened_on, r.closes_on) for r in rows_],
            "opened_on": [r.opened_on for r in rows_],
        }
    )


def _vacancy_skills(
    session: Session, vacancy_ids: Sequence[str] | None
) -> dict[str, dict[str, list[str]]]:
    c = models.VacancyCompetence
    stmt = select(c.vacancy_id, c.kind, c.uri).where(c.uri.is_not(None))
    order = (c.vacancy_id, c.position)
    found = (
        session.execute(stmt.order_by(*order))
        if vacancy_ids is None
        else rows_in(session, stmt, c.vacancy_id, vacancy_ids, *order)
    )
    out: dict[str, dict[str, list[str]]] = {
        "required": defaultdict(list),
        "optional": defaultdict(list),
    }
    for vacancy_id, kind, uri in found:
        if kind in out and uri is not None:
            out[kind][vacancy_id].append(uri)
    return out


def load_vacancies(
    session: Session,
    pool: CandidateArrays,
    *,
    vacancy_ids: Sequence[str] | None = None,
    spaces: Spaces | None = None,
) -> VacancyArrays:
    """Vacancies as feature arrays in the pool's skill, occupation and language spaces."""
    spaces = spaces or load_spaces()
    return build_vacancy_arrays(vacancy_frame(session, spaces, vacancy_ids=vacancy_ids), pool=pool)
