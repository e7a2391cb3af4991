"""An import normalises each record with its organisation's synonyms as aliases; a record in a
municipality two organisations share is neither's alone, so no one's decision changes it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from matching.access import users as security
from matching.exchange import import_paths
from matching.normalisation import aliases
from matching.review.queue import organisation_rankers, review_item, review_queue
from matching.review.synonyms import Choice, known_terms, scope_of, set_synonyms
from matching.store import models as m
from tests.matching.review.conftest import CANDIDATE_HEADER, FakeNormaliser, Ranking, Write
from tests.matching.shortlist.store_fixture import LEIDEN, NOORDWIJK, cleaner_skills

Aliases = Mapping[str, Mapping[str, Sequence[str]]]


class AliasNormaliser(FakeNormaliser):
    """A fake with ``for_organisation``: with aliases, a text sharing a word with an alias
    text ranks that alias's concept first (0.9)."""

    def __init__(self, table: Ranking) -> None:
        super().__init__(table)
        self.organisations: list[tuple[str, Aliases]] = []

    def for_organisation(self, organisation_id: str, aliases: Aliases) -> FakeNormaliser:
        self.organisations.append((organisation_id, aliases))
        table: dict[str, list[tuple[str, float]]] = {}
        for text, ranked in self.table.items():
            words = set(text.lower().split())
            own = [
                (uri, 0.9)
                for uri, written in aliases.get("skill", {}).items()
                if any(words & set(t.lower().split()) for t in written)
            ]
            table[text] = [*own, *ranked]
        return FakeNormaliser(table)


def _rows(*rows: tuple[str, str, str]) -> str:
    lines = [f"{cid},{town},4,regulier,32,active,{text}," for cid, town, text in rows]
    return CANDIDATE_HEADER + "\n" + "\n".join(lines) + "\n"


def _competence(sessions: sessionmaker[Session], candidate_id: str) -> tuple[str | None, bool]:
    with sessions() as session:
        item = session.get_one(m.Candidate, candidate_id).competences[0]
        return item.uri, item.needs_review


def test_aliases_normalise_the_records_of_their_organisation_only_and_follow_changes(
    sessions: sessionmaker[Session], write: Write
) -> None:
    skills = cleaner_skills()
    with sessions.begin() as session:
        security.create_organisation(session, "noordwijk", name="N", municipality_codes=[NOORDWIJK])
        security.create_organisation(session, "leiden", name="L", municipality_codes=[LEIDEN])
        noordwijk = scope_of(session, "noordwijk")
        set_synonyms(session, noordwijk, [Choice("skill", "Ramen zemen", skills[2])], by="am-n")
    normaliser = AliasNormaliser(
        {"ramen lappen": [(skills[0], 0.8)], "glazen lappen": [(skills[0], 0.8)]}
    )
    rows = _rows(("K1", NOORDWIJK, "ramen lappen"), ("K2", LEIDEN, "ramen lappen"))
    assert import_paths(sessions, [write("candidates.csv", rows)], normaliser=normaliser).ok
    assert _competence(sessions, "K1") == (skills[2], False)  # Noordwijk's alias
    assert _competence(sessions, "K2") == (skills[0], False)  # Leiden: the base ranking
    assert normaliser.organisations == [("noordwijk", {"skill": {skills[2]: ["Ramen zemen"]}})]
    with sessions.begin() as session:
        glass = Choice("skill", "glazen wassen", skills[3])
        set_synonyms(session, scope_of(session, "noordwijk"), [glass], by="am-n")
    rows = _rows(("K3", NOORDWIJK, "glazen lappen"))
    assert import_paths(sessions, [write("candidates.csv", rows)], normaliser=normaliser).ok
    assert _competence(sessions, "K3") == (skills[3], False)  # the new alias, at once
    assert normaliser.organisations[-1][1]["skill"][skills[3]] == ["glazen wassen"]


def test_in_a_shared_municipality_no_organisation_decides_alone(
    sessions: sessionmaker[Session], write: Write
) -> None:
    skills = cleaner_skills()
    with sessions.begin() as session:
        security.create_organisation(
            session, "regio", name="R", municipality_codes=[NOORDWIJK, LEIDEN]
        )
        security.create_organisation(session, "leiden", name="L", municipality_codes=[LEIDEN])
    normaliser = AliasNormaliser({"ramen zemen": [(skills[0], 0.3)]})
    rows = _rows(("K1", NOORDWIJK, "ramen zemen"), ("K2", LEIDEN, "ramen zemen"))
    assert import_paths(sessions, [write("candidates.csv", rows)], normaliser=normaliser).ok
    with sessions.begin() as session:
        regio = scope_of(session, "regio")
        changed = set_synonyms(session, regio, [Choice("skill", "Ramen zemen", skills[2])], by="r")
        assert changed == 1
        assert review_queue(session, regio).count == 0
        assert review_queue(session, scope_of(session, "leiden")).data[0].occurrences == 1
    assert _competence(sessions, "K1") == (skills[2], False)  # only the region covers Noordwijk
    assert _competence(sessions, "K2") == (None, True)  # Leiden's too: untouched, still queued
    rows = _rows(("K3", LEIDEN, "ramen zemen"), ("K4", NOORDWIJK, "ramen zemen"))
    assert import_paths(sessions, [write("candidates.csv", rows)], normaliser=normaliser).ok
    assert _competence(sessions, "K3") == (None, True)  # neither the synonym nor the alias
    assert _competence(sessions, "K4") == (skills[2], False)
    with sessions() as session:
        terms = known_terms(session)
    assert terms.owners == {NOORDWIJK: "regio"}
    assert terms.lexicon(LEIDEN) is None and terms.lexicon(NOORDWIJK) == "regio"


def test_the_queue_shows_candidates_ranked_over_the_organisations_own_index(
    sessions: sessionmaker[Session], write: Write, monkeypatch: pytest.MonkeyPatch
) -> None:
    skills = cleaner_skills()
    with sessions.begin() as session:
        security.create_organisation(session, "noordwijk", name="N", municipality_codes=[NOORDWIJK])
        security.create_organisation(session, "leiden", name="L", municipality_codes=[LEIDEN])
    normaliser = AliasNormaliser({"ramen lappen": [(skills[0], 0.2)]})
    rows = _rows(("K1", NOORDWIJK, "ramen lappen"), ("K2", LEIDEN, "ramen lappen"))
    assert import_paths(sessions, [write("candidates.csv", rows)], normaliser=normaliser).ok
    asked: list[tuple[object, ...]] = []

    class OwnIndexes(aliases.AliasIndexes):
        def get(self, *args: Any, wait: bool = True) -> Any:
            asked.append((*args, wait))
            return "own index"

    monkeypatch.setattr(aliases, "INDEXES", OwnIndexes())
    own_ranking = FakeNormaliser({"ramen lappen": [(skills[4], 0.7)]})
    monkeypatch.setattr(aliases, "Normaliser", lambda index: own_ranking)
    with sessions.begin() as session:
        noordwijk = scope_of(session, "noordwijk")
        set_synonyms(session, noordwijk, [Choice("skill", "ramen wassen", skills[2])], by="am")
        leiden = scope_of(session, "leiden")
        page = organisation_rankers(session, "noordwijk", wait=False)
        ours = review_queue(session, noordwijk, rankers=page)
        other = organisation_rankers(session, "leiden", wait=False)
        theirs = review_queue(session, leiden, rankers=other)
        command_line = organisation_rankers(session, "noordwijk", wait=True)
        item = review_item(session, noordwijk, ours.data[0].review_id, rankers=command_line)
    assert [c.uri for c in ours.data[0].candidates] == [skills[4]]
    assert [c.uri for c in item.candidates] == [skills[4]]
    assert [c.uri for c in theirs.data[0].candidates] == [skills[0]]  # kept with the text
    assert asked == [
        ("skill", "noordwijk", {skills[2]: ["ramen wassen"]}, False),
        ("skill", "noordwijk", {skills[2]: ["ramen wassen"]}, True),
    ]
