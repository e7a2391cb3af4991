"""The review queue: raised from the stored items, worked through per organisation; a decision
changes the organisation's records and its next shortlist, and nobody else's."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from matching.access import users as security
from matching.access.erasure import erase_candidate
from matching.access.users import Principal
from matching.errors import NotFound
from matching.exchange import codes
from matching.review.queue import decide, refresh_queue, review_queue, sampled
from matching.review.synonyms import Scope, scope_of
from matching.shortlist import MatchingCache, vacancy_shortlist
from matching.store import models as m
from matching.store.review import ReviewText
from tests.matching.review.conftest import FakeNormaliser
from tests.matching.shortlist.store_fixture import (
    LEIDEN,
    NOORDWIJK,
    candidate,
    cleaner_skills,
    seed,
)


def test_codes_doctests() -> None:
    assert doctest.testmod(codes).failed == 0


def _flagged(person: m.Candidate, text: str, position: int) -> None:
    person.competences.append(
        m.CandidateCompetence(position=position, text=text, uri=None, score=0.2, needs_review=True)
    )


@pytest.fixture
def store(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """The shortlist store, T1 in Noordwijk with three of V1's four required skills and one
    flagged text, L1 in Leiden with the same text, and an organisation for each town."""
    seed(sessions)
    skills = cleaner_skills()
    with sessions.begin() as session:
        t1 = candidate("T1", NOORDWIJK, skills=False, postcode4="2201")
        for k, uri in enumerate(skills[1:4]):
            t1.competences.append(m.CandidateCompetence(position=k, text=uri, uri=uri))
        _flagged(t1, "Ramen zemen", 3)
        l1 = candidate("L1", LEIDEN, skills=False)
        _flagged(l1, "ramen zemen", 0)
        session.add_all([t1, l1])
        security.create_organisation(session, "noordwijk", name="N", municipality_codes=[NOORDWIJK])
        security.create_organisation(session, "leiden", name="L", municipality_codes=[LEIDEN])
    ranker = FakeNormaliser({"Ramen zemen": [(skills[0], 0.3), (skills[5], 0.1)]})
    with sessions.begin() as session:
        refresh_queue(session, import_id=None, ranker=ranker)
    return sessions


def _t1(sessions: sessionmaker[Session], cache: MatchingCache) -> dict[str, object]:
    with sessions() as session:
        context = cache.get(session)
        shortlist = vacancy_shortlist(
            session, context, "V1", principal=Principal.command_line(), limit=30
        ).to_dict()
    return next(c for c in shortlist["candidates"] if c["candidate_id"] == "T1")


def test_a_decision_changes_the_records_the_queue_and_the_next_shortlist(
    store: sessionmaker[Session], tmp_path: Path
) -> None:
    cache = MatchingCache(tmp_path / "models")
    before = _t1(store, cache)
    assert len(before["explanation"]["competences"]["missing"]) == 1  # type: ignore[index]
    with store.begin() as session:
        noordwijk = scope_of(session, "noordwijk")
        queue = review_queue(session, noordwijk)
        assert queue.count == 1
        item = queue.data[0]
        assert (item.kind, item.occurrences, item.sampled) == ("skill", 1, False)
        assert [c.uri for c in item.candidates] == [cleaner_skills()[0], cleaner_skills()[5]]
        decision = decide(session, noordwijk, item.review_id, cleaner_skills()[0], by="am-n")
        assert decision.changed == 1
    with store() as session:
        stored = session.get_one(m.Candidate, "T1").competences[3]
        assert (stored.uri, stored.needs_review) == (cleaner_skills()[0], False)
        unchanged = session.get_one(m.Candidate, "L1").competences[0]  # Leiden's own record
        assert (unchanged.uri, unchanged.needs_review) == (None, True)
        assert review_queue(session, scope_of(session, "noordwijk")).count == 0
        assert review_queue(session, scope_of(session, "leiden")).data[0].review_id == (
            item.review_id
        )
    after = _t1(store, cache)
    assert after["explanation"]["competences"]["missing"] == []  # type: ignore[index]
    assert float(after["score"]) > float(before["score"])  # type: ignore[arg-type]


def test_another_organisation_can_neither_see_nor_decide_the_text(
    store: sessionmaker[Session],
) -> None:
    with store.begin() as session:
        item = review_queue(session, scope_of(session, "noordwijk")).data[0]
        stranger = Scope("leiden", frozenset({"GM0363"}))  # no record of the text in Amsterdam
        assert review_queue(session, stranger).count == 0
        with pytest.raises(NotFound):
            decide(session, stranger, item.review_id, None, by="am-x")
    with store() as session:
        assert session.get_one(m.Candidate, "T1").competences[3].needs_review


def test_a_fixed_sample_of_accepted_texts_is_queued_too(sessions: sessionmaker[Session]) -> None:
    texts = [f"tekst {i}" for i in range(300)]
    chosen = next(t for t in texts if sampled(t))
    other = next(t for t in texts if not sampled(t))
    uri = cleaner_skills()[0]
    seed(sessions)
    with sessions.begin() as session:
        person = session.get_one(m.Candidate, "O4")
        for k, text in enumerate((chosen, other), start=10):
            person.competences.append(
                m.CandidateCompetence(position=k, text=text, uri=uri, score=0.8)
            )
        security.create_organisation(session, "noordwijk", name="N", municipality_codes=[NOORDWIJK])
        refresh_queue(session, import_id=None, ranker=None)
        queue = review_queue(session, scope_of(session, "noordwijk"))
    assert [(item.text, item.sampled) for item in queue.data] == [(chosen, True)]
    assert 0 < sum(map(sampled, texts)) < 30  # about 2 %


def test_a_text_only_an_erased_candidate_wrote_leaves_the_queue(
    store: sessionmaker[Session],
) -> None:
    with store.begin() as session:
        person = candidate("L2", LEIDEN, skills=False)
        _flagged(person, "schoonmaak bij familie Jansen", 0)
        session.add(person)
        session.flush()
        refresh_queue(session, import_id=None, ranker=None)
        texts = {item.text for item in review_queue(session, scope_of(session, "leiden")).data}
        assert texts == {"Ramen zemen", "schoonmaak bij familie Jansen"}
        erase_candidate(session, "L2", by=Principal.command_line(), key=b"k" * 32)
    with store() as session:
        assert session.scalars(select(ReviewText.text)).all() == ["Ramen zemen"]
