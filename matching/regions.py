"""Labour-market regions: which region a municipality belongs to, and the data version of each
region's candidates (``candidates:<region>``, bumped with ``candidates``; see
``matching.data_versions.bump_candidates``).

A candidate belongs to the region of their municipality, a vacancy to that of its workplace.
Every municipality of the bundled CBS reference data has a region; a code without one (none
today) falls in ``NO_REGION``, so that every candidate is in exactly one region.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from sqlalchemy import ColumnElement, Connection, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from matching.errors import InvalidInput
from matching.reference import read_table
from matching.store import models
from matching.store.matching_state import DataVersion

NO_REGION = "-"
"""The region of a municipality code the reference data gives none."""
PREFIX = "candidates:"


@lru_cache(maxsize=1)
def municipality_regions() -> dict[str, str]:
    """Municipality code → labour-market region (the reference data, read once)."""
    towns = read_table("municipalities")
    return {
        str(code): str(region) if isinstance(region, str) and region else NO_REGION
        for code, region in zip(towns["code"], towns["region"], strict=True)
    }


def region_of(municipality_code: str) -> str:
    """The region of a municipality (``NO_REGION`` when the reference gives none)."""
    return municipality_regions().get(municipality_code, NO_REGION)


def all_regions() -> tuple[str, ...]:
    """Every region, sorted, and ``NO_REGION`` last."""
    return (*sorted(set(municipality_regions().values()) - {NO_REGION}), NO_REGION)


def municipalities_of(region: str) -> tuple[str, ...]:
    """The municipality codes of a region, sorted."""
    return tuple(sorted(c for c, r in municipality_regions().items() if r == region))


def version_name(region: str) -> str:
    """The data-version name of a region's candidates and vacancies."""
    return PREFIX + region


def in_region(
    column: ColumnElement[str] | InstrumentedAttribute[str], region: str
) -> ColumnElement[bool]:
    """SQL: ``column`` (a municipality code) lies in ``region``."""
    if region == NO_REGION:
        return column.not_in([c for c, r in municipality_regions().items() if r != NO_REGION])
    return column.in_(municipalities_of(region))


def find_region(text: str) -> str:
    """The region named ``text`` (any case), or a Dutch error listing the regions."""
    wanted = text.strip().casefold()
    for region in all_regions()[:-1]:
        if region.casefold() == wanted:
            return region
    names = ", ".join(all_regions()[:-1])
    raise InvalidInput(f"Onbekende arbeidsmarktregio {text!r}. Kies uit: {names}.")


def regions_of(municipality_codes: Iterable[str | None]) -> set[str]:
    """The regions of these municipalities (``None`` codes are skipped)."""
    return {region_of(c) for c in municipality_codes if c is not None}


def region_versions(session: Session) -> dict[str, int]:
    """Every region's data version (absent: never bumped, 0), in one query."""
    d = DataVersion
    rows = session.execute(select(d.name, d.version).where(d.name.startswith(PREFIX)))
    return {name[len(PREFIX) :]: int(version) for name, version in rows}


def candidate_regions(session: Session | Connection, candidate_ids: Iterable[str]) -> set[str]:
    """The regions the stored candidates live in now."""
    c = models.Candidate
    ids = sorted(set(candidate_ids))
    return regions_of(session.scalars(select(c.municipality_code).where(c.candidate_id.in_(ids))))


def vacancy_regions(session: Session | Connection, vacancy_ids: Iterable[str]) -> set[str]:
    """The regions the stored vacancies lie in now."""
    v = models.Vacancy
    ids = sorted(set(vacancy_ids))
    return regions_of(session.scalars(select(v.municipality_code).where(v.vacancy_id.in_(ids))))
