"""Supply-driven acquisition ("met het cv onder de arm"): the employers most likely to have
work for one job seeker, so a job hunter can approach them with that person in mind.

Every employer, white spots and known ones, is ranked with the white-spot scoring
(``matching.whitespots.ranking``) over a pool of just this job seeker: an employer's typical
occupations (from the vacancies of its SBI division or section), the model's chance of a
durable placement of the person in such a vacancy at the employer's place (within the
person's travel distance and ``radius_km``), size and sector demand. Employers the person
fits nowhere are left out. The reasons say which occupations fit, how far away the employer
is, whether it is a white spot, and what it asked before: its own past vacancies in the
person's occupations, and the person's sector preference.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from matching.access.audit import record
from matching.access.users import Principal
from matching.errors import InvalidInput, NotFound
from matching.pool_loading import locate
from matching.shortlist.context import MatchingContext
from matching.shortlist.explain import number
from matching.store import models
from matching.whitespots.frames import section_names
from matching.whitespots.occupations import esco_occupations
from matching.whitespots.potential import PotentialOptions, distances_km
from matching.whitespots.ranking import ScoringPool, WhiteSpot, rank_white_spots
from matching.whitespots.status import white_spot_ids

DEFAULT_RADIUS_KM = 25.0
DEFAULT_LIMIT = 20


@dataclass(frozen=True)
class EmployerLead:
    """An employer to approach with the person in mind, its score (0–100) and reasons."""

    employer_id: str
    name: str
    municipality: str
    score: float
    white_spot: bool
    distance_km: float | None
    occupations: tuple[str, ...]
    reasons: tuple[str, ...]


def _own_vacancies(
    session: Session, employers: list[str], occupations: set[str]
) -> Counter[tuple[str, str]]:
    """Past vacancies per (employer, occupation URI) in the person's occupations."""
    v = models.Vacancy
    counts: Counter[tuple[str, str]] = Counter()
    if not occupations:
        return counts
    for start in range(0, len(employers), 1000):
        rows = session.execute(
            select(v.employer_id, v.occupation_uri).where(
                v.employer_id.in_(employers[start : start + 1000]),
                v.occupation_uri.in_(sorted(occupations)),
            )
        )
        counts.update((employer, str(uri)) for employer, uri in rows)
    return counts


def _reasons(
    spot: WhiteSpot,
    *,
    white: bool,
    km: float | None,
    past: dict[str, int],
    labels: dict[str, str],
    prefers: str | None,
) -> tuple[str, ...]:
    """The Dutch reasons of one employer (module doc)."""
    fitting = [o.label for o in spot.occupations if o.candidates]
    out = [f"past bij {', '.join(fitting)} (typische beroepen hier)"] if fitting else []
    best = max(spot.occupations, key=lambda o: o.fit, default=None)
    if best is not None and not fitting:
        out.append(f"past het best bij {best.label}, maar onder de drempel van de shortlist")
    for uri, n in sorted(past.items(), key=lambda item: -item[1]):
        out.append(f"had {n} vacature{'s' if n != 1 else ''} als {labels.get(uri, uri)}")
    if km is not None:
        out.append(f"op {number(km)} km van de werkzoekende")
    if prefers:
        out.append(f"in de sector van voorkeur: {prefers}")
    out.append(
        "witte vlek: nog niet benaderd"
        if white
        else "bekende werkgever: contact, vacature of plaatsing in de afgelopen periode"
    )
    return tuple(out)


def employers_for(
    session: Session,
    context: MatchingContext,
    candidate_id: str,
    *,
    principal: Principal,
    limit: int = DEFAULT_LIMIT,
    radius_km: float = DEFAULT_RADIUS_KM,
    as_of: dt.date | None = None,
) -> list[EmployerLead]:
    """The ``limit`` employers most likely to have work for the person (module doc); audited.
    NotFound for a person of another organisation (as for an unknown id)."""
    candidate = session.get(models.Candidate, candidate_id)
    row = context.row_of.get(candidate_id)
    if candidate is None or row is None or not principal.acts_for(candidate.municipality_code):
        raise NotFound(f"Kandidaat {candidate_id!r} niet gevonden.")
    if candidate.status != "active":
        raise InvalidInput("alleen voor een actieve werkzoekende")
    if not 1 <= limit <= 100:
        raise InvalidInput(f"limit must be between 1 and 100, not {limit}")
    one = context.pool.take(np.array([row]))
    ranking = rank_white_spots(
        session,
        scorer=context.scorer,
        limit=None,
        as_of=as_of,
        include_known=True,
        pool=ScoringPool(one, np.zeros(1, dtype=bool), context.spaces),
        options=PotentialOptions(radius_km=radius_km),
    )
    spots = [s for s in ranking.data if s.score > 0][:limit]
    white = white_spot_ids(session, as_of=as_of)
    occupations = {o.uri for o in candidate.occupations if o.uri}
    past = _own_vacancies(session, [s.employer_id for s in spots], occupations)
    _codes, esco = esco_occupations()
    labels = {uri: str(esco.get(uri, uri)) for uri in occupations}
    employers = {
        e.employer_id: e
        for e in session.scalars(
            select(models.Employer).where(
                models.Employer.employer_id.in_([s.employer_id for s in spots])
            )
        )
    }
    lat, lon = locate(
        context.spaces,
        [employers[s.employer_id].postcode4 for s in spots],
        [s.municipality_code for s in spots],
    )
    sections, preferred = (
        section_names(session),
        set((candidate.sector_preferences or "").split(";")),
    )
    leads = []
    for i, spot in enumerate(spots):
        km = None if np.isnan(lat[i]) else float(distances_km(one, float(lat[i]), float(lon[i]))[0])
        mine = {uri: n for (eid, uri), n in past.items() if eid == spot.employer_id}
        prefers = sections.get(spot.sbi_section or "") if spot.sbi_section in preferred else None
        reasons = _reasons(
            spot, white=spot.employer_id in white, km=km, past=mine, labels=labels, prefers=prefers
        )
        leads.append(
            EmployerLead(
                spot.employer_id,
                spot.name,
                spot.municipality,
                spot.score,
                spot.employer_id in white,
                None if km is None else round(km, 1),
                tuple(o.label for o in spot.occupations),
                reasons,
            )
        )
    record(
        session,
        principal,
        "candidate.employers",
        object_type="candidate",
        object_id=candidate_id,
        model_version=context.model_version,
        detail={"employers": [lead.employer_id for lead in leads]},
    )
    return leads
