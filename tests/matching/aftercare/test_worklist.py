"""The aftercare worklist on the hand-made store: overdue and due this week, the placements at
risk (a low chance at the start, contact overdue), check-ins, and the organisation's scope.

P1: X_RUNNING (Noordwijk) at E1 since 2026-01-01, no vacancy. P2 (added here): O1 at V1 since
2026-03-31, proposed by am-1. On Wednesday 2026-04-29 P1's 1- and 3-month check-ins are
overdue (87 and 28 days; only the 3-month one is asked for: one contact catches up) and P2's
1-month one (31 March + 1 month = 30 April) is due this week.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from matching.access.users import Principal, create_organisation, create_user
from matching.aftercare.checkins import record_check_in
from matching.aftercare.worklist import aftercare_worklist
from matching.errors import InvalidInput, NotFound
from matching.shortlist.context import MatchingCache
from matching.store import models
from matching.store.instruments import AftercareBaseline
from tests.matching.shortlist.store_fixture import LEIDEN, NOORDWIJK, seed

TODAY = dt.date(2026, 4, 29)
AM = Principal("am-1", "accountmanager", "noordwijk", frozenset({NOORDWIJK}))
OTHER = Principal("am-2", "accountmanager", "leiden", frozenset({LEIDEN}))


@pytest.fixture
def store(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """The hand-made store with P2 (module doc)."""
    seed(sessions)
    with sessions.begin() as session:
        session.add(models.Proposal(vacancy_id="V1", candidate_id="O1", proposed_on=TODAY,
                                    outcome="hired", proposed_by="am-1"))  # fmt: skip
        session.add(models.Placement(placement_id="P2", candidate_id="O1", employer_id="E1",
                                     vacancy_id="V1", start_date=dt.date(2026, 3, 31),
                                     hours_per_week=32, contract="regular"))  # fmt: skip
    return sessions


def test_overdue_due_this_week_and_at_risk(store: sessionmaker[Session], tmp_path: Path) -> None:
    with store.begin() as session:
        context = MatchingCache(tmp_path / "models").get(session)
        worklist = aftercare_worklist(session, AM, today=TODAY, context=context)
    assert worklist.running == 2
    overdue = [(d.placement.placement_id, d.checkpoint, d.days_late) for d in worklist.overdue]
    assert overdue == [("P1", 3, 28)]
    (due,) = worklist.this_week
    assert (due.placement.placement_id, due.due_on, due.label) == (
        "P2", dt.date(2026, 4, 30), "na 1 maand",
    )  # fmt: skip
    assert due.placement.account_manager == "am-1" and due.placement.employer == "Schoonmaak Duin"
    (risk,) = worklist.at_risk
    assert risk.placement.placement_id == "P1" and risk.placement.p_durable is None
    assert risk.reasons == ("contactmoment na 3 maanden is 28 dagen te laat",)
    chance = due.placement.p_durable
    assert chance is not None and 0 < chance < 1  # O1 × V1, taken once and stored
    with store() as session:
        stored = session.get(AftercareBaseline, "P2")
        assert stored is not None and stored.p_durable == chance
        strict = aftercare_worklist(session, AM, today=TODAY, threshold=0.999)
    p2 = next(r for r in strict.at_risk if r.placement.placement_id == "P2")
    assert p2.reasons[0].startswith("kans op een duurzame plaatsing bij de start ")
    assert p2.reasons[0].endswith("(lager dan 99,9\u00a0%)")


def test_a_check_in_closes_its_checkpoint_and_the_earlier_ones(
    store: sessionmaker[Session],
) -> None:
    with store.begin() as session:
        check = record_check_in(session, "P1", 1, principal=AM, note=" gebeld ", done_on=TODAY)
        assert (check.by, check.note) == ("am-1", "gebeld")
        after_one = aftercare_worklist(session, AM, today=TODAY)
        record_check_in(session, "P1", 3, principal=AM, done_on=TODAY)
        after_three = aftercare_worklist(session, AM, today=TODAY)
        later = aftercare_worklist(session, AM, today=dt.date(2026, 7, 3))
    assert [(d.placement.placement_id, d.checkpoint) for d in after_one.overdue] == [("P1", 3)]
    p1 = next(r.placement for r in after_one.at_risk if r.placement.placement_id == "P1")
    assert p1.last_check == TODAY
    assert after_three.overdue == [] and after_three.at_risk == []
    # on 3 July P1's 6-month check-in (due 2 July) is a day late; P2 missed its 1-month one
    # (30 April) and its 3-month one (30 June): only the latest is asked for
    assert [(d.placement.placement_id, d.checkpoint, d.days_late) for d in later.overdue] == [
        ("P2", 3, 3), ("P1", 6, 1),
    ]  # fmt: skip


def test_mine_lists_the_placements_i_proposed(store: sessionmaker[Session]) -> None:
    with store() as session:
        mine = aftercare_worklist(session, AM, today=TODAY, mine=True)
    assert mine.running == 1 and [d.placement.placement_id for d in mine.this_week] == ["P2"]
    assert mine.overdue == []


def test_another_organisation_sees_and_changes_nothing(store: sessionmaker[Session]) -> None:
    with store.begin() as session:
        assert aftercare_worklist(session, OTHER, today=TODAY).running == 0
        with pytest.raises(NotFound):
            record_check_in(session, "P1", 1, principal=OTHER)
        with pytest.raises(NotFound):
            record_check_in(session, "GEEN", 1, principal=AM)


def test_a_check_in_needs_a_checkpoint_and_no_bsn(store: sessionmaker[Session]) -> None:
    with store.begin() as session:
        with pytest.raises(InvalidInput, match="kies 1, 3 of 6"):
            record_check_in(session, "P1", 2, principal=AM)
        with pytest.raises(InvalidInput, match="De notitie"):
            record_check_in(session, "P1", 1, principal=AM, note="bsn 123456782")


def test_old_placements_and_long_missed_checkpoints_leave_the_worklist(
    store: sessionmaker[Session],
) -> None:
    """A placement of 2024 that never ended is durable, not '800 dagen te laat'; P1's 3-month
    checkpoint (1 April) is 65 days late on 5 June and left to the 6-month one (2 July)."""
    with store.begin() as session:
        session.add(models.Placement(placement_id="P_OLD", candidate_id="X_PLACED",
                                     employer_id="E1", start_date=dt.date(2024, 3, 1),
                                     hours_per_week=32, contract="regular"))  # fmt: skip
        session.flush()
        worklist = aftercare_worklist(session, AM, today=TODAY)
        early = aftercare_worklist(session, AM, today=dt.date(2026, 3, 5))
    assert worklist.running == 2
    shown = [d.placement.placement_id for d in worklist.overdue + worklist.this_week]
    assert "P_OLD" not in shown + [r.placement.placement_id for r in worklist.at_risk]
    assert [(d.checkpoint, d.days_late) for d in early.overdue] == [(1, 32)]
    with store() as session:
        later = aftercare_worklist(session, AM, today=dt.date(2026, 6, 5))
    assert [(d.placement.placement_id, d.days_late) for d in later.overdue] == [("P2", 36)]


def test_a_placement_without_vacancy_gets_the_employers_account_manager(
    store: sessionmaker[Session],
) -> None:
    with store.begin() as session:
        session.add(models.Contact(contact_id="C1", employer_id="E1", date=dt.date(2026, 2, 1),
                                   kind="call", by="jh-1"))  # fmt: skip
        session.flush()
        worklist = aftercare_worklist(session, AM, today=TODAY)
    (p1,) = [d.placement for d in worklist.overdue if d.placement.placement_id == "P1"]
    assert p1.account_manager == "jh-1" and p1.title is None
    (p2,) = [d.placement for d in worklist.this_week]
    assert (p2.account_manager, p2.title) == ("am-1", "Schoonmaker")


def test_a_user_of_another_organisation_is_never_named_account_manager(
    store: sessionmaker[Session],
) -> None:
    """Leiden's user contacted E1 last and proposed O1 for V1 (a fallback proposal): Noordwijk's
    worklist names neither, but Noordwijk's own earlier contact (the Leiden user's id and the
    fact of the contact are Leiden's)."""
    with store.begin() as session:
        for organisation, code in (("noordwijk", NOORDWIJK), ("leiden", LEIDEN)):
            create_organisation(session, organisation, name=organisation, municipality_codes=[code])
        create_user(session, "am-1", role="accountmanager", organisation_id="noordwijk")
        create_user(session, "am-2", role="accountmanager", organisation_id="leiden")
        session.add_all([
            models.Contact(contact_id="C1", employer_id="E1", date=dt.date(2026, 2, 1),
                           kind="call", by="am-1"),
            models.Contact(contact_id="C2", employer_id="E1", date=dt.date(2026, 3, 1),
                           kind="call", by="am-2"),
        ])  # fmt: skip
        session.get_one(models.Proposal, ("V1", "O1")).proposed_by = "am-2"
        session.flush()
        worklist = aftercare_worklist(session, AM, today=TODAY)
        managers = {
            d.placement.placement_id: d.placement.account_manager
            for d in worklist.overdue + worklist.this_week
        }
    assert managers == {"P1": "am-1", "P2": "am-1"}
