"""Employers for one job seeker ("met het cv onder de arm") on the hand-made store, and the
supply-driven contacts counted apart in the funnel.

E1 (Schoonmaak Duin, Noordwijk, SBI 81) is known: it has vacancy V1 for a cleaner. E2 is a
white spot in the same trade in Noordwijk; E3 one in Amsterdam, beyond O1's reach.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from evaluation.funnel_report import supply_driven_funnel
from matching.access.users import Principal
from matching.errors import NotFound
from matching.shortlist.context import MatchingCache
from matching.store import models
from matching.whitespots.acquisition import funnel_history, record_contact
from matching.whitespots.supply import employers_for
from tests.matching.shortlist.store_fixture import AMSTERDAM, LEIDEN, NOORDWIJK, seed

AM = Principal("am-1", "accountmanager", "noordwijk", frozenset({NOORDWIJK}))
OTHER = Principal("jh-2", "jobhunter", "leiden", frozenset({LEIDEN}))
AS_OF = dt.date(2026, 9, 1)


@pytest.fixture
def store(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    seed(sessions)
    with sessions.begin() as session:
        for eid, town, pc4 in (("E2", NOORDWIJK, "2202"), ("E3", AMSTERDAM, None)):
            session.add(models.Employer(employer_id=eid, name=f"Glans {eid}", sbi_code="81",
                                        sbi_section="N", municipality_code=town,
                                        postcode4=pc4, employees=40))  # fmt: skip
    return sessions


def test_employers_for_a_job_seeker_with_reasons(
    store: sessionmaker[Session], tmp_path: Path
) -> None:
    with store.begin() as session:
        context = MatchingCache(tmp_path / "models").get(session)
        leads = employers_for(session, context, "O1", principal=AM, as_of=AS_OF)
    by_id = {lead.employer_id: lead for lead in leads}
    assert set(by_id) == {"E1", "E2"}  # E3 is beyond reach
    assert by_id["E2"].white_spot and not by_id["E1"].white_spot
    assert leads == sorted(leads, key=lambda lead: -lead.score)
    assert "had 1 vacature als schoonmaker gebouwen" in by_id["E1"].reasons  # its Dutch label
    assert "witte vlek: nog niet benaderd" in by_id["E2"].reasons
    assert any(r.startswith("op ") and r.endswith(" km van de werkzoekende")
               for r in by_id["E2"].reasons)  # fmt: skip
    assert any(r.startswith("in de sector van voorkeur: ") for r in by_id["E2"].reasons)


def test_another_organisation_cannot_look_up_the_job_seeker(
    store: sessionmaker[Session], tmp_path: Path
) -> None:
    with store() as session:
        context = MatchingCache(tmp_path / "models").get(session)
        with pytest.raises(NotFound):
            employers_for(session, context, "O1", principal=OTHER, as_of=AS_OF)


def test_supply_driven_contacts_count_apart_in_the_funnel(store: sessionmaker[Session]) -> None:
    with store.begin() as session:
        record_contact(session, employer_id="E2", date=AS_OF, kind="visit",
                       outcome="appointment", by="jh-1", supply_driven=True)  # fmt: skip
        record_contact(session, employer_id="E3", date=AS_OF, kind="call", by="jh-1")
        history = funnel_history(session)
    contacts, totals = supply_driven_funnel(history)
    assert contacts == 1
    assert (totals["contacted"], totals["appointment"]) == (1, 1)
