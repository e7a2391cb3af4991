"""Organisation synonyms: they win over the ranker, outlive the process, travel as CSV."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from matching.access import users as security
from matching.errors import InvalidInput
from matching.exchange import import_paths
from matching.review.synonym_files import read_synonyms, synonyms_csv
from matching.review.synonyms import Choice, list_synonyms, scope_of, set_synonyms, with_synonyms
from matching.store import models as m
from matching.store.db import make_engine, make_session_factory
from matching.store.review import OrganisationSynonym
from tests.matching.review.conftest import CANDIDATE_HEADER, FakeNormaliser, Write
from tests.matching.shortlist.store_fixture import LEIDEN, NOORDWIJK, cleaner_skills, cleaner_uri


def _organisations(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        security.create_organisation(session, "noordwijk", name="N", municipality_codes=[NOORDWIJK])
        security.create_organisation(session, "leiden", name="L", municipality_codes=[LEIDEN])


def test_a_stored_synonym_wins_over_the_ranker_and_survives_a_restart(
    engine: Engine, sessions: sessionmaker[Session], write: Write
) -> None:
    skills = cleaner_skills()
    ranker = FakeNormaliser({"ramen  zemen": [(skills[0], 0.9)], "ramen zemen": [(skills[0], 0.9)]})
    _organisations(sessions)
    with sessions.begin() as session:
        choice = Choice("skill", "Ramen zemen", skills[2])
        set_synonyms(session, scope_of(session, "noordwijk"), [choice], by="am-test")
    restarted = make_engine(url=engine.url.render_as_string(hide_password=False))
    try:
        fresh = make_session_factory(restarted)
        rows = (
            f"K1,{NOORDWIJK},4,regulier,32,active,ramen  zemen,\n"
            f"K2,{LEIDEN},4,regulier,32,active,ramen zemen,\n"
        )
        assert import_paths(fresh, [write("candidates.csv", CANDIDATE_HEADER + "\n" + rows)],
                            normaliser=ranker).ok  # fmt: skip
        with fresh() as session:
            ours = session.get_one(m.Candidate, "K1").competences[0]
            theirs = session.get_one(m.Candidate, "K2").competences[0]
            assert (ours.uri, ours.score, ours.needs_review) == (skills[2], 1.0, False)
            assert (theirs.uri, theirs.needs_review) == (skills[0], False)  # Leiden: the ranker
            ranked = ranker.rank(["ramen zemen"], kind="skill")
            ours_first = with_synonyms(
                session, "noordwijk", ["RAMEN ZEMEN"], ranked, kind="skill", top=3
            )
            assert [match.uri for match in ours_first[0]] == [skills[2], skills[0]]
            theirs_first = with_synonyms(
                session, "leiden", ["ramen zemen"], ranked, kind="skill", top=3
            )
            assert theirs_first[0][0].uri == skills[0]
    finally:
        restarted.dispose()


def test_the_synonym_list_travels_as_csv_with_formulas_neutralised(
    sessions: sessionmaker[Session], write: Write
) -> None:
    _organisations(sessions)
    choices = [
        Choice("skill", "=HYPERLINK(1)", cleaner_skills()[0]),
        Choice("occupation", "glazenwasser", cleaner_uri()),
        Choice("skill", "koffie zetten", None),
    ]
    with sessions.begin() as session:
        set_synonyms(session, scope_of(session, "noordwijk"), choices, by="am-test")
        text = synonyms_csv(session, "noordwijk")
    cells = list(csv.reader(io.StringIO(text)))
    assert cells[0][:3] == ["kind", "text", "uri"]
    assert ["skill", "'=HYPERLINK(1)", cleaner_skills()[0]] in [row[:3] for row in cells]
    with sessions.begin() as session:
        read = read_synonyms(session, write("synoniemen.csv", text))
        set_synonyms(session, scope_of(session, "leiden"), read, by="am-leiden")
        shared = {(s.kind, s.text, s.uri) for s in list_synonyms(session, "leiden")}
    assert shared == {(c.kind, c.text, c.uri) for c in choices}


def test_a_bad_synonym_file_is_refused_row_by_row_and_stores_nothing(
    sessions: sessionmaker[Session], write: Write
) -> None:
    _organisations(sessions)
    skill = cleaner_skills()[0]
    path = write(
        "synoniemen.csv",
        "kind,text,uri\n"
        f"competentie,ramen zemen,{skill}\n"  # row 2: fine
        f"kleur,rood,{skill}\n"  # row 3: no kind
        f"beroep,schoonmaker,{skill}\n"  # row 4: a skill given as an occupation
        "competentie,RAMEN ZEMEN,\n"  # row 5: same text as row 2, other decision
        f"competentie,,{skill}\n",  # row 6: no text
    )
    with sessions() as session, pytest.raises(InvalidInput) as refused:
        read_synonyms(session, path)
    message = str(refused.value)
    assert "niets opgeslagen" in message
    for row, reason in ((3, "soort"), (4, "ESCO-beroep"), (5, "rij 2"), (6, "leeg")):
        assert any(line.startswith(f"rij {row}:") and reason in line
                   for line in message.splitlines()), (row, message)  # fmt: skip
    assert "rij 2:" not in message
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(OrganisationSynonym)) == 0
