"""Recording instruments by hand on the hand-made store: X_PROPOSED is proposed for V1; P2 is
a placement of O1 on V1 (added here). Checked like a row of instruments.csv, the
organisation's own candidates only, every write audited."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from matching.access.users import Principal
from matching.errors import InvalidInput, NotFound
from matching.instruments.recording import (
    NewInstrument,
    end_instrument,
    pair_links,
    record_instrument,
    remove_instrument,
)
from matching.instruments.suggestions import used_instruments
from matching.store import models
from matching.store.access import AuditEntry
from matching.store.instruments import Instrument
from tests.matching.shortlist.store_fixture import LEIDEN, NOORDWIJK, seed

AM = Principal("am-1", "accountmanager", "noordwijk", frozenset({NOORDWIJK}))
OTHER = Principal("am-2", "accountmanager", "leiden", frozenset({LEIDEN}))
D = dt.date


@pytest.fixture
def store(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    seed(sessions)
    with sessions.begin() as session:
        session.add(models.Placement(
            placement_id="P2", candidate_id="O1", employer_id="E1", vacancy_id="V1",
            start_date=D(2026, 10, 1), hours_per_week=32, contract="subsidised",
        ))  # fmt: skip
    return sessions


def _actions(session: Session) -> list[str]:
    return list(session.scalars(
        select(AuditEntry.action).where(AuditEntry.action.like("instruments.%"))
        .order_by(AuditEntry.id)))  # fmt: skip


def test_record_end_and_remove_with_a_proposal_and_a_placement(
    store: sessionmaker[Session],
) -> None:
    with store.begin() as session:
        assert pair_links(session, "V1", "O1").placements == [("P2", D(2026, 10, 1))]
        lks = record_instrument(session, "V1", "O1", NewInstrument(
            "LKS", D(2026, 10, 1), amount=9000, placement_id="P2"), principal=AM)  # fmt: skip
        trial = record_instrument(session, "V1", "X_PROPOSED", NewInstrument(
            "proefplaatsing", D(2026, 10, 5), D(2026, 12, 5)), principal=AM)  # fmt: skip
    assert (lks.kind, lks.label, lks.placement_id) == ("loonkostensubsidie",
                                                       "Loonkostensubsidie", "P2")  # fmt: skip
    assert trial.placement_id is None and trial.end_date == D(2026, 12, 5)
    with store.begin() as session:
        assert [u.instrument_id for u in used_instruments(session, "V1", "O1")] == [
            lks.instrument_id
        ]
        ended = end_instrument(session, lks.instrument_id, D(2027, 3, 31), principal=AM)
        remove_instrument(session, trial.instrument_id, principal=AM)
    assert ended.end_date == D(2027, 3, 31)
    with store() as session:
        assert session.get(Instrument, trial.instrument_id) is None
        assert _actions(session) == [
            "instruments.record", "instruments.record", "instruments.end", "instruments.remove"
        ]  # fmt: skip


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        (NewInstrument("subsidie", D(2026, 10, 1)), "kies een soort instrument"),
        (NewInstrument("jobcoaching", D(2026, 10, 1), D(2026, 9, 1)), "vóór de begindatum"),
        (NewInstrument("jobcoaching", D(1, 1, 1)), "De begindatum: 1 januari 1 ligt niet"),
        (NewInstrument("opleiding", D(2026, 10, 1), amount=2_000_000), "tussen 0 en 1.000.000"),
    ],
)
def test_bad_input_is_refused_in_dutch_and_nothing_stored(
    store: sessionmaker[Session], given: NewInstrument, reason: str
) -> None:
    with store() as session, pytest.raises(InvalidInput, match=reason):
        record_instrument(session, "V1", "X_PROPOSED", given, principal=AM)
    with store() as session:
        assert session.scalar(select(Instrument.instrument_id)) is None


def test_only_proposals_and_placements_of_the_organisations_candidates(
    store: sessionmaker[Session],
) -> None:
    coaching = NewInstrument("jobcoaching", D(2026, 10, 1))
    with store.begin() as session:
        with pytest.raises(NotFound):  # another organisation's candidate
            record_instrument(session, "V1", "X_PROPOSED", coaching, principal=OTHER)
        with pytest.raises(NotFound, match="niet voorgesteld"):  # no proposal of O2 for V1
            record_instrument(session, "V1", "O2", coaching, principal=AM)
        with pytest.raises(NotFound):  # P1 is X_RUNNING's, not the pair's
            record_instrument(session, "V1", "O1", NewInstrument(
                "jobcoaching", D(2026, 10, 1), placement_id="P1"), principal=AM)  # fmt: skip
        own = record_instrument(session, "V1", "O1", NewInstrument(
            "jobcoaching", D(2026, 10, 1), placement_id="P2"), principal=AM)  # fmt: skip
    with store.begin() as session:
        with pytest.raises(NotFound):
            end_instrument(session, own.instrument_id, D(2026, 11, 1), principal=OTHER)
        with pytest.raises(NotFound):
            remove_instrument(session, own.instrument_id, principal=OTHER)
        with pytest.raises(InvalidInput, match="vóór de begindatum"):
            end_instrument(session, own.instrument_id, D(2026, 9, 1), principal=AM)
    with store() as session:
        assert session.get(Instrument, own.instrument_id).end_date is None  # type: ignore[union-attr]
