"""A hand-made store for shortlist tests: one cleaning vacancy in Noordwijk and a pool.

Vacancy V1 (Schoonmaak Duin, SBI N, Noordwijk 2201): 'schoonmaker gebouwen', its first four
essential skills required, 32 h/week, Dutch and a driving licence required, starts 2026-10-01.

Candidates (all cleaners with every essential skill unless said otherwise):

* O1–O3 Noordwijk (own); O4 Noordwijk with no skills and ladder step 1 (below threshold);
* R1 Leiden with regional consent (region); R2 Leiden without consent (never shown);
* N1 Zandvoort (other region, ≈ 10 km) with consent (nearby); F1 Amsterdam with consent
  (≈ 35 km, beyond the 25 km radius);
* one per filter in Noordwijk: X_INACTIVE, X_LATE (available 2027), X_HOURS (8 h),
  X_LANG (English only), X_LICENCE (no licence), X_PROPOSED (already proposed),
  X_PLACED (status placed), X_RUNNING (active, but a placement is running).
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from sqlalchemy.orm import Session, sessionmaker

from matching.reference import read_table
from matching.store import models
from matching.whitespots.occupations import esco_occupations

START = dt.date(2026, 10, 1)
NOORDWIJK, LEIDEN, ZANDVOORT, AMSTERDAM = "GM0575", "GM0546", "GM0473", "GM0363"
FILTERED = {
    "active": "X_INACTIVE",
    "available": "X_LATE",
    "hours": "X_HOURS",
    "language": "X_LANG",
    "licence": "X_LICENCE",
    "not_proposed": "X_PROPOSED",
    "not_placed": "X_PLACED",
}


def cleaner_uri() -> str:
    """ESCO 'schoonmaker gebouwen' (9112.2)."""
    return esco_occupations()[0]["9112.2"]


def cleaner_skills() -> list[str]:
    """The essential skills of the cleaner occupation, sorted."""
    return list(_cleaner_skills())


@cache
def _cleaner_skills() -> tuple[str, ...]:
    # Once per process: filtering the 124,000 occupation-skill links took 20-40 ms, and a seed
    # asked 16 times (half a second of every shortlist test's setup).
    links = read_table("occupation_skills")
    rows = (links["occupation_uri"] == cleaner_uri()) & (links["relation"] == "essential")
    return tuple(sorted(links.loc[rows, "skill_uri"]))


def candidate(
    cid: str, municipality: str, *, skills: bool = True, **kw: object
) -> models.Candidate:
    """A cleaner (or, with ``skills=False``, a person with nothing to show)."""
    values: dict[str, object] = dict(
        candidate_id=cid,
        municipality_code=municipality,
        postcode4=None,
        ladder_step=5,
        target_group="regulier",
        hours_available=32,
        max_travel_km=40,
        driving_licence=True,
        education_level="mbo2",
        languages="nl",
        sector_preferences="N",
        status="active",
        consent_regional=False,
    )
    values.update(kw)
    person = models.Candidate(**values)
    if skills:
        person.occupations.append(
            models.CandidateOccupation(position=0, text="schoonmaker", uri=cleaner_uri())
        )
        for k, uri in enumerate(cleaner_skills()):
            person.competences.append(models.CandidateCompetence(position=k, text=uri, uri=uri))
    return person


def candidates() -> list[models.Candidate]:
    """The pool of the module doc."""
    return [
        candidate("O1", NOORDWIJK, postcode4="2201"),
        candidate("O2", NOORDWIJK, postcode4="2202"),
        candidate("O3", NOORDWIJK, postcode4="2203"),
        candidate("O4", NOORDWIJK, skills=False, ladder_step=1, sector_preferences="K"),
        candidate("R1", LEIDEN, consent_regional=True),
        candidate("R2", LEIDEN, consent_regional=False),
        candidate("N1", ZANDVOORT, consent_regional=True),
        candidate("F1", AMSTERDAM, consent_regional=True),
        candidate("X_INACTIVE", NOORDWIJK, status="inactive"),
        candidate("X_LATE", NOORDWIJK, available_from=dt.date(2027, 1, 1)),
        candidate("X_HOURS", NOORDWIJK, hours_available=8),
        candidate("X_LANG", NOORDWIJK, languages="en"),
        candidate("X_LICENCE", NOORDWIJK, driving_licence=False),
        candidate("X_PROPOSED", NOORDWIJK),
        candidate("X_PLACED", NOORDWIJK, status="placed"),
        candidate("X_RUNNING", NOORDWIJK),
    ]


def vacancy(vid: str = "V1", municipality: str = NOORDWIJK, **kw: object) -> models.Vacancy:
    """A cleaning vacancy (module doc)."""
    values: dict[str, object] = dict(
        vacancy_id=vid,
        employer_id="E1",
        title="Schoonmaker",
        occupation_uri=cleaner_uri(),
        municipality_code=municipality,
        postcode4="2201" if municipality == NOORDWIJK else None,
        hours_per_week=32,
        languages_required="nl",
        driving_licence_required=True,
        positions=1,
        opened_on=START - dt.timedelta(days=30),
        closes_on=START,
        status="open",
    )
    values.update(kw)
    v = models.Vacancy(**values)
    for k, uri in enumerate(cleaner_skills()[:4]):
        v.competences.append(
            models.VacancyCompetence(position=k, kind="required", text=uri, uri=uri)
        )
    return v


def seed(sessions: sessionmaker[Session]) -> None:
    """Write the store of the module doc."""
    with sessions.begin() as session:
        session.add(
            models.Employer(
                employer_id="E1",
                name="Schoonmaak Duin",
                sbi_code="81",
                sbi_section="N",
                municipality_code=NOORDWIJK,
                postcode4="2201",
            )
        )
        session.add_all(candidates())
        session.flush()
        session.add(vacancy())
        session.flush()
        session.add(
            models.Proposal(
                vacancy_id="V1", candidate_id="X_PROPOSED", proposed_on=START, outcome="pending"
            )
        )
        session.add(
            models.Placement(
                placement_id="P1",
                candidate_id="X_RUNNING",
                employer_id="E1",
                start_date=dt.date(2026, 1, 1),
                hours_per_week=32,
                contract="regular",
            )
        )
