"""Suggestions for one match on the hand-made store: O4 (Noordwijk, no skills, ladder step 1)
for the cleaning vacancy V1 misses all four required competences."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from matching.access.users import Principal
from matching.errors import NotFound
from matching.instruments.pairs import pair_chances, score_pair
from matching.instruments.suggestions import match_suggestions
from matching.instruments.trainings import Training, store_trainings
from matching.shortlist.context import MatchingCache
from matching.store import models
from matching.store.access import AuditEntry
from tests.matching.security_fixtures import add_organisation
from tests.matching.shortlist.store_fixture import (
    LEIDEN,
    NOORDWIJK,
    candidate,
    cleaner_skills,
    cleaner_uri,
    seed,
)

AM = Principal("am-1", "accountmanager", "noordwijk", frozenset({NOORDWIJK}))
OTHER = Principal("am-2", "accountmanager", "leiden", frozenset({LEIDEN}))


@pytest.fixture
def store(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    seed(sessions)
    with sessions.begin() as session:
        add_organisation(session)
        skill = cleaner_skills()[0]
        store_trainings(session, "noordwijk", [
            Training("T2", "Schoonmaak vakopleiding", "ROC", 20, 900, (skill,)),
            Training("T1", "Schoonmaak basis", "SVS", 3, 450, (skill,)),
        ])  # fmt: skip
    return sessions


def test_instruments_and_trainings_for_a_match(
    store: sessionmaker[Session], tmp_path: Path
) -> None:
    with store.begin() as session:
        context = MatchingCache(tmp_path / "models").get(session)
        found = match_suggestions(session, context, "V1", "O4", principal=AM)
        audited = session.scalars(
            select(AuditEntry.object_id).where(AuditEntry.action == "instruments.suggest")
        ).all()
    assert audited == ["O4"]
    assert [uri for uri, _label in found.missing] == cleaner_skills()[:4]
    applies = {s.rule_id for s in found.instruments if s.applies}
    assert {"jobcoaching", "jobcarving", "opleiding"} <= applies
    assert "no-riskpolis" not in applies  # O4 is regulier, not doelgroepregister
    first = found.trainings[0]
    assert first.uri == cleaner_skills()[0]
    assert [t.training_id for t in first.trainings] == ["T1", "T2"]  # cheapest first
    assert all(t.trainings == () for t in found.trainings[1:])
    assert 0 < found.p_durable < 1 and found.used == []


def test_another_organisation_gets_not_found(store: sessionmaker[Session], tmp_path: Path) -> None:
    with store() as session:
        context = MatchingCache(tmp_path / "models").get(session)
        with pytest.raises(NotFound):
            match_suggestions(session, context, "V1", "O4", principal=OTHER)
        with pytest.raises(NotFound):  # own vacancy, another organisation's candidate
            match_suggestions(session, context, "V1", "R1", principal=AM)


def test_batch_chances_equal_the_pair_scored_alone(
    store: sessionmaker[Session], tmp_path: Path
) -> None:
    with store() as session:
        context = MatchingCache(tmp_path / "models").get(session)
        chances = pair_chances(session, context, [("V1", "O4"), ("GEEN", "O1"), ("V1", "O1")])
        alone = [score_pair(session, context, "V1", c) for c in ("O4", "O1")]
    assert chances == [alone[0].p_durable, None, alone[1].p_durable]  # type: ignore[union-attr]
    assert chances[0] != chances[2]


def test_competences_likely_present_through_work_are_not_missing(
    store: sessionmaker[Session], tmp_path: Path
) -> None:
    """A cleaner by history with no skills recorded: the shortlist shows the cleaner's
    essential skills as likely present, so no training is offered for them."""
    with store.begin() as session:
        person = candidate("O5", NOORDWIJK, skills=False)
        person.occupations.append(
            models.CandidateOccupation(position=0, text="schoonmaker", uri=cleaner_uri())
        )
        session.add(person)
    with store.begin() as session:
        context = MatchingCache(tmp_path / "models").get(session)
        found = match_suggestions(session, context, "V1", "O5", principal=AM)
        shown = score_pair(session, context, "V1", "O5")
    assert shown is not None
    likely = shown.explanation["competences"]["likely"]
    assert len(likely) == len(cleaner_skills()[:4]) == len(found.likely)
    assert found.missing == [] and found.trainings == []
    assert all("waarschijnlijk aanwezig" in why for _label, why in found.likely)
    checks = [c.text for s in found.instruments for c in s.checks]
    assert not any("(ontbreken: 4)" in text for text in checks)
