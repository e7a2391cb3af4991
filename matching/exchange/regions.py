"""The labour-market regions an import touches, so that only their matching contexts reload.

Read before the rows are written: a candidate or vacancy that moves leaves its old region (the
stored municipality) and enters the new one (the record's). A change to an employer reaches its
vacancies (their sector); a placement, proposal or enrolment its candidate and vacancy. Naming
a region too many only costs a reload; naming one too few would serve stale candidates, so
every id a record carries counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select

from matching.regions import candidate_regions, regions_of, vacancy_regions
from matching.store import models


def touched_regions(conn: Connection, records: Sequence[dict[str, Any]]) -> set[str]:
    """The regions of the municipalities, candidates, vacancies and employers in ``records``."""
    out = regions_of(str(r["municipality_code"]) for r in records if r.get("municipality_code"))
    candidates = {str(r["candidate_id"]) for r in records if r.get("candidate_id")}
    vacancies = {str(r["vacancy_id"]) for r in records if r.get("vacancy_id")}
    if candidates:
        out |= candidate_regions(conn, candidates)
    if vacancies:
        out |= vacancy_regions(conn, vacancies)
    employers = sorted({str(r["employer_id"]) for r in records if r.get("employer_id")})
    if employers:
        v = models.Vacancy
        codes = conn.scalars(
            select(v.municipality_code).where(v.employer_id.in_(employers)).distinct()
        )
        out |= regions_of(codes)
    return out
