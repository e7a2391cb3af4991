"""A shortlist filtered to a programme's running participants."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session, sessionmaker

from matching.access.users import Principal, create_organisation
from matching.errors import NotFound
from matching.programmes import participant_ids
from matching.shortlist import MatchingCache, vacancy_shortlist
from matching.store.programmes import Enrolment, Programme
from tests.matching.shortlist.store_fixture import NOORDWIJK

CLI = Principal.command_line()
TODAY = dt.date.today()


@pytest.fixture
def programme(seeded: sessionmaker[Session]) -> sessionmaker[Session]:
    """Programme P of Noordwijk: O2 runs, O3 ended yesterday."""
    with seeded.begin() as session:
        create_organisation(session, "noordwijk", name="N", municipality_codes=[NOORDWIJK])
        start = TODAY - dt.timedelta(days=60)
        session.add(Programme(programme_id="P", organisation_id="noordwijk", name="P",
                              start_date=start, end_date=TODAY + dt.timedelta(days=300),
                              phases="intake:1"))  # fmt: skip
        session.flush()
        for cid, ended in (("O2", None), ("O3", TODAY - dt.timedelta(days=1))):
            session.add(Enrolment(programme_id="P", candidate_id=cid, enrolled_on=start,
                                  phases=f"intake:{start}", ended_on=ended,
                                  outcome="work" if ended else None))  # fmt: skip
    return seeded


def test_only_running_participants_are_ranked(
    programme: sessionmaker[Session], matching_cache: MatchingCache
) -> None:
    with programme() as session:
        only = participant_ids(session, "P", principal=CLI)
        context = matching_cache.get(session)
        everyone = vacancy_shortlist(session, context, "V1", principal=CLI, limit=20)
        filtered = vacancy_shortlist(session, context, "V1", principal=CLI, limit=20, only=only)
    assert only == {"O2"}
    assert len(everyone.candidates) > 1
    assert [c.candidate_id for c in filtered.candidates] == ["O2"]


def test_another_organisations_programme_is_not_found(programme: sessionmaker[Session]) -> None:
    leiden = Principal("x", "accountmanager", "leiden", frozenset({"GM0546"}))
    with programme() as session, pytest.raises(NotFound):
        participant_ids(session, "P", principal=leiden)
