"""Vacancies as shortlists see them: feature arrays plus the facts around them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from features.pool import CandidateArrays, VacancyArrays, build_vacancy_arrays
from matching.errors import NotFound
from matching.pool_loading import Spaces, rows_in, split_list, vacancy_frame
from matching.store import models


@dataclass(frozen=True)
class VacancyInfo:
    """What a shortlist tells about its vacancy besides the features."""

    vacancy_id: str
    title: str
    employer_id: str
    municipality_code: str
    positions: int
    status: str
    hours_per_week: int
    occupation_uri: str | None
    required: tuple[str, ...]
    optional: tuple[str, ...]
    languages: tuple[str, ...] = ()
    """the languages required (codes), to encode them in another pool's language codes"""


@dataclass(frozen=True)
class OpenVacancies:
    """Several vacancies: their arrays (row i) and their facts (``info[i]``)."""

    arrays: VacancyArrays
    info: tuple[VacancyInfo, ...]

    def __len__(self) -> int:
        return len(self.info)

    @cached_property
    def index(self) -> dict[str, int]:
        """Row of each vacancy id."""
        return {info.vacancy_id: i for i, info in enumerate(self.info)}


def _infos(
    session: Session, vacancy_ids: Sequence[str] | None, where: ColumnElement[bool] | None = None
) -> list[VacancyInfo]:
    v, c = models.Vacancy, models.VacancyCompetence
    stmt = select(
        v.vacancy_id,
        v.title,
        v.employer_id,
        v.municipality_code,
        v.positions,
        v.status,
        v.hours_per_week,
        v.occupation_uri,
        v.languages_required,
    )
    skills = select(c.vacancy_id, c.kind, c.uri).where(c.uri.is_not(None))
    if vacancy_ids is None:
        stmt = stmt.where(v.status == "open")
        skills = skills.join(v, v.vacancy_id == c.vacancy_id).where(v.status == "open")
        if where is not None:
            stmt, skills = stmt.where(where), skills.where(where)
    order = (c.vacancy_id, c.position)
    skill_rows = (
        session.execute(skills.order_by(*order))
        if vacancy_ids is None
        else rows_in(session, skills, c.vacancy_id, vacancy_ids, *order)
    )
    lists: dict[tuple[str, str], list[str]] = {}
    for vid, kind, uri in skill_rows:
        lists.setdefault((vid, kind), []).append(str(uri))
    vacancy_rows = (
        session.execute(stmt.order_by(v.vacancy_id))
        if vacancy_ids is None
        else rows_in(session, stmt, v.vacancy_id, vacancy_ids, v.vacancy_id)
    )
    return [
        VacancyInfo(
            r.vacancy_id,
            r.title,
            r.employer_id,
            r.municipality_code,
            r.positions or 1,
            r.status,
            r.hours_per_week,
            r.occupation_uri,
            tuple(lists.get((r.vacancy_id, "required"), ())),
            tuple(lists.get((r.vacancy_id, "optional"), ())),
            split_list(r.languages_required),
        )
        for r in vacancy_rows
    ]


def load_vacancy(
    session: Session, vacancy_id: str, pool: CandidateArrays, spaces: Spaces
) -> tuple[VacancyArrays, VacancyInfo]:
    """One vacancy's arrays and facts; NotFound when there is no such vacancy."""
    infos = _infos(session, [vacancy_id])
    if not infos:
        raise NotFound(f"Vacature {vacancy_id!r} niet gevonden.")
    frame = vacancy_frame(session, spaces, vacancy_ids=[vacancy_id])
    return build_vacancy_arrays(frame, pool=pool), infos[0]


def load_open_vacancies(
    session: Session,
    pool: CandidateArrays,
    spaces: Spaces,
    where: ColumnElement[bool] | None = None,
) -> OpenVacancies:
    """Every open vacancy (``where``: those meeting a condition on ``models.Vacancy``), by id."""
    infos = _infos(session, None, where)
    ids = [i.vacancy_id for i in infos]
    frame = vacancy_frame(session, spaces, vacancy_ids=ids)
    arrays = build_vacancy_arrays(frame, pool=pool)
    if not np.array_equal(arrays.ids, np.array(ids, dtype=object)):
        raise RuntimeError("open vacancies changed while they were read")
    return OpenVacancies(arrays, tuple(infos))
