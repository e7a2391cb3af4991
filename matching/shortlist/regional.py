"""The region contexts one request reads: a vacancy's region, and the regions within reach.

A shortlist ranks the candidates of its vacancy's labour-market region (levels ``own`` and
``region``) in that region's context; only when the list reaches the level ``nearby`` does it
read the other regions, and then only those whose located candidates' bounding box lies within
the radius of the workplace (``MatchingContext.reaches``), so it finds exactly the consenting
candidates one national pool would. Nothing is copied per request: each region's arrays and
buffer are its context's own (``matching.shortlist.choosing`` merges the ranked rows).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from features.pool import VacancyArrays
from matching.errors import NotFound
from matching.regions import all_regions, region_of, region_versions
from matching.shortlist.context import MatchingCache, MatchingContext
from matching.store import models


@dataclass(frozen=True)
class RegionalView:
    """A matching cache's region contexts as read through ``session`` (a replica's, when the
    store has one): fresh for each region's data version."""

    cache: MatchingCache
    session: Session

    def region(self, region: str) -> MatchingContext:
        """The current context of ``region``."""
        return self.cache.region(self.session, region)

    def holding(self, candidate_id: str) -> MatchingContext:
        """The context of the candidate's region (pair scores, reverse matches, employer leads
        need their row only); NotFound when there is no such candidate."""
        c = models.Candidate
        code = self.session.scalar(
            select(c.municipality_code).where(c.candidate_id == candidate_id)
        )
        if code is None:
            raise NotFound(f"Kandidaat {candidate_id!r} niet gevonden.")
        return self.region(region_of(code))

    def home(self, vacancy_id: str) -> MatchingContext:
        """The context of the vacancy's region (its open vacancies loaded); NotFound when
        there is no such vacancy."""
        region = self.cache.region_holding(vacancy_id)
        if region is None:
            v = models.Vacancy
            code = self.session.scalar(
                select(v.municipality_code).where(v.vacancy_id == vacancy_id)
            )
            if code is None:
                raise NotFound(f"vacancy {vacancy_id!r} not found")
            region = region_of(code)
        context = self.region(region)
        context.open_vacancies(self.session)
        return context

    def around(
        self, home: MatchingContext, vacancy: VacancyArrays, radius_km: float, load: bool = True
    ) -> list[MatchingContext] | None:
        """The other regions' contexts with located candidates within ``radius_km`` of the
        vacancy's workplace (every region's version in one query; each loaded on first use).

        ``load=False``: None instead when any region would have to be (re)loaded first, so
        that a ranking never holds the process's ranking lock through a load.
        """
        lat, lon = float(vacancy.lat[0]), float(vacancy.lon[0])
        versions = region_versions(self.session)
        out = []
        for region in all_regions():
            if region == home.region:
                continue
            version = versions.get(region, 0)
            context = self.cache.loaded(region, version)
            if context is None and not load:
                return None
            context = context or self.cache.region(self.session, region, version)
            if context.reaches(lat, lon, radius_km):
                out.append(context)
        return out
