"""Proposals: a reason when higher-ranked candidates are skipped, consent, decisions."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from matching.access.audit import query_audit
from matching.access.users import Principal
from matching.data_versions import HISTORY, data_version
from matching.errors import Conflict, InvalidInput, NotFound
from matching.scoring.prior import PRIOR_VERSION
from matching.shortlist import MatchingCache, vacancy_shortlist
from matching.shortlist.proposals import (
    PlacementInput,
    decide,
    list_proposals,
    propose,
    skipped_candidates,
)
from matching.store import models
from tests.matching.shortlist.store_fixture import START, vacancy

CLI = Principal.command_line()


def test_skipped_candidates() -> None:
    ranked = ["A", "B", "C", "D"]
    assert skipped_candidates(ranked, ["A", "B"], set()) == []
    assert skipped_candidates(ranked, ["C"], {"A"}) == ["B"]
    assert skipped_candidates(None, ["C"], set()) == []


def test_skipping_needs_a_reason(
    seeded: sessionmaker[Session], matching_cache: MatchingCache
) -> None:
    with seeded.begin() as session:
        ranked = vacancy_shortlist(session, matching_cache.get(session), "V1", principal=CLI)
    first, third = ranked.candidates[0].candidate_id, ranked.candidates[2].candidate_id
    with seeded.begin() as session, pytest.raises(InvalidInput, match="Geef een reden"):
        propose(session, "V1", [third], principal=CLI)
    with seeded.begin() as session:
        made = propose(session, "V1", [third], principal=CLI, reason="woont naast de werkgever")
        assert [p.candidate_id for p in made] == [third] and made[0].candidate is not None
    with seeded() as session:
        override = query_audit(session, action="shortlist.override").data[0]
        assert override.detail is not None and first in override.detail["skipped"]
        generated = query_audit(session, action="shortlist.generate").data[0]
        assert generated.model_version == PRIOR_VERSION
    with seeded.begin() as session, pytest.raises(Conflict, match="al voorgesteld"):
        propose(session, "V1", [third], principal=CLI, reason="again")


def test_consent_is_required_outside_the_municipality(seeded: sessionmaker[Session]) -> None:
    with seeded.begin() as session, pytest.raises(InvalidInput, match="geen toestemming"):
        propose(session, "V1", ["R2"], principal=CLI)
    with seeded.begin() as session:
        assert propose(session, "V1", ["R1"], principal=CLI)[0].outcome == "pending"


def test_decision_and_placement(seeded: sessionmaker[Session]) -> None:
    with seeded.begin() as session:
        before = data_version(session, HISTORY)
        propose(session, "V1", ["O1"], principal=CLI)
        version = data_version(session)
        history = data_version(session, HISTORY)
        assert history == before + 1  # a kept evaluation report is built anew
    with seeded.begin() as session:
        info = decide(
            session,
            "V1",
            "O1",
            "hired",
            principal=CLI,
            placement=PlacementInput(dt.date(2026, 10, 1)),
        )
        assert info.outcome == "hired"
        placement = session.scalar(
            select(models.Placement).where(models.Placement.candidate_id == "O1")
        )
        assert placement is not None and placement.hours_per_week == 32
        assert data_version(session) == version + 1
        assert data_version(session, HISTORY) == history + 1
    with seeded.begin() as session, pytest.raises(NotFound):
        decide(session, "V1", "O2", "rejected", principal=CLI)
    with seeded.begin() as session, pytest.raises(InvalidInput):
        decide(session, "V1", "O1", "maybe", principal=CLI)


def _hire(session: Session, vacancy_id: str, candidate_id: str, start: dt.date) -> None:
    decide(
        session, vacancy_id, candidate_id, "hired", principal=CLI, placement=PlacementInput(start)
    )


def test_impossible_placements_are_refused(seeded: sessionmaker[Session]) -> None:
    with seeded.begin() as session:
        session.add_all([vacancy("V2", positions=2), vacancy("V3", status="filled")])
        session.flush()
        propose(session, "V1", ["O1", "O2", "O3"], principal=CLI, reason="de beste drie")
        propose(session, "V2", ["X_RUNNING", "O3"], principal=CLI)
        session.add(models.Proposal(vacancy_id="V3", candidate_id="O2", proposed_on=START,
                                    outcome="pending"))  # fmt: skip
    with seeded.begin() as session:
        _hire(session, "V1", "O1", dt.date(2026, 10, 1))
    refusals = [
        ("V1", "O2", dt.date(2026, 11, 1), "de vacature is al vervuld: de plaats is dan bezet"),
        ("V2", "X_RUNNING", dt.date(2026, 10, 1), "heeft dan al een plaatsing (vanaf 1 januari"),
        ("V3", "O2", dt.date(2026, 10, 1), "de vacature is al vervuld"),
        ("V2", "O3", dt.date(9999, 12, 31), "De startdatum: 31 december 9999 ligt niet tussen"),
    ]
    for vacancy_id, candidate_id, start, reason in refusals:
        with seeded.begin() as session, pytest.raises(InvalidInput, match=re.escape(reason)):
            _hire(session, vacancy_id, candidate_id, start)
    with seeded.begin() as session:
        _hire(session, "V2", "O3", dt.date(2026, 10, 1))  # a second place, another person
        ended = session.get_one(models.Placement, "V1-O1")
        ended.end_date = dt.date(2026, 10, 31)
        assert session.get_one(models.Vacancy, "V1").status == "filled"  # closed by the hire
        session.get_one(models.Vacancy, "V1").status = "open"  # reopened when O1 left
    with seeded.begin() as session:
        _hire(session, "V1", "O2", dt.date(2026, 11, 1))  # the place is free again
    with seeded() as session:
        assert len(session.scalars(select(models.Placement)).all()) == 4


def test_where_coverage_overlaps_the_proposing_organisation_decides(
    seeded: sessionmaker[Session],
) -> None:
    """Two organisations cover Noordwijk: the other one sees the proposal but cannot record the
    employer's decision (it could place a job seeker the first one proposed)."""
    from matching.access import users

    with seeded.begin() as session:
        users.create_organisation(session, "wsp", name="WSP", municipality_codes=["GM0575"])
        users.create_organisation(
            session, "gemeente", name="Gemeente", municipality_codes=["GM0575"]
        )
        users.create_user(session, "am-wsp", role="accountmanager", organisation_id="wsp",
                          display_name="Anna de Wit")  # fmt: skip
        users.create_user(session, "am-gem", role="accountmanager", organisation_id="gemeente")
    with seeded.begin() as session:
        wsp = users.principal_of(session, session.get_one(users.User, "am-wsp"))
        gemeente = users.principal_of(session, session.get_one(users.User, "am-gem"))
        propose(session, "V1", ["O1"], principal=wsp)
    with seeded.begin() as session:
        (seen,) = [
            p for p in list_proposals(session, "V1", principal=gemeente) if p.candidate_id == "O1"
        ]
        assert not seen.may_decide and seen.proposer_name == "andere organisatie"
        with pytest.raises(Conflict, match="andere organisatie"):
            decide(session, "V1", "O1", "hired", principal=gemeente,
                   placement=PlacementInput(dt.date(2026, 10, 1)))  # fmt: skip
    with seeded.begin() as session:
        assert session.get_one(models.Proposal, ("V1", "O1")).outcome == "pending"
        (own,) = [p for p in list_proposals(session, "V1", principal=wsp) if p.candidate_id == "O1"]
        assert own.may_decide and own.proposer_name == "Anna de Wit"
        assert decide(session, "V1", "O1", "rejected", principal=wsp).outcome == "rejected"
        # a proposal without a known proposer (imported) is decided by either, as before
        assert decide(session, "V1", "X_PROPOSED", "rejected", principal=gemeente).may_decide
