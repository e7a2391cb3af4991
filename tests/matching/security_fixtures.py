"""Helpers shared by the access-control tests: an organisation, users and a seeded candidate."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from matching.access import users as security
from matching.store import models

NOORDWIJK, LEIDEN = "GM0575", "GM0546"


def add_organisation(session: Session, organisation_id: str = "noordwijk", *codes: str) -> None:
    """An organisation covering ``codes`` (default: Noordwijk)."""
    security.create_organisation(
        session,
        organisation_id,
        name=organisation_id.title(),
        municipality_codes=codes or [NOORDWIJK],
    )


def add_candidate(session: Session, candidate_id: str, municipality: str = NOORDWIJK) -> None:
    """A candidate with one competence, one proposal and one placement."""
    if session.get(models.Employer, "E1") is None:
        session.add(models.Employer(employer_id="E1", name="Duin", municipality_code=municipality))
        session.flush()
        session.add(
            models.Vacancy(
                vacancy_id="V1",
                employer_id="E1",
                title="Verkoper",
                municipality_code=municipality,
                hours_per_week=24,
                opened_on=dt.date(2026, 1, 5),
                status="open",
            )
        )
        session.flush()
    candidate = models.Candidate(
        candidate_id=candidate_id,
        municipality_code=municipality,
        ladder_step=4,
        target_group="regulier",
        hours_available=32,
        status="active",
        consent_regional=False,
    )
    candidate.competences.append(models.CandidateCompetence(position=0, text="kassa"))
    session.add(candidate)
    session.flush()
    session.add(
        models.Proposal(
            vacancy_id="V1",
            candidate_id=candidate_id,
            proposed_on=dt.date(2026, 2, 1),
            outcome="open",
        )
    )
    session.add(
        models.Placement(
            placement_id=f"P-{candidate_id}",
            candidate_id=candidate_id,
            employer_id="E1",
            vacancy_id="V1",
            start_date=dt.date(2026, 3, 1),
            hours_per_week=24,
            contract="regular",
        )
    )
    session.flush()
