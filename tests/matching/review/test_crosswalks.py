"""Crosswalks: a bad row refuses the file with its number; codes with an entry map exactly,
codes without one are kept, normalised from their text and flagged for review."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from matching.access import users as security
from matching.cli import app
from matching.errors import InvalidInput
from matching.exchange import import_paths
from matching.review.crosswalks import import_crosswalk
from matching.review.queue import review_queue
from matching.review.synonyms import scope_of
from matching.store import models as m
from matching.store.review import Crosswalk
from tests.matching.review.conftest import CANDIDATE_HEADER, FakeNormaliser, Write
from tests.matching.shortlist.store_fixture import NOORDWIJK, cleaner_skills, cleaner_uri

CNL = "https://linkeddata.competentnl.nl/uwv/id/occupation/1234"
UNKNOWN = "http://data.europa.eu/esco/occupation/00000000-0000-0000-0000-000000000000"


def _count(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Crosswalk)) or 0)


def test_a_row_with_an_unknown_esco_uri_refuses_the_file_with_its_row_number(
    engine: Engine, sessions: sessionmaker[Session], write: Write, tmp_path: Path
) -> None:
    path = write(
        "crosswalk.csv",
        "code,esco_uri,label\n"
        f"{CNL},{cleaner_uri()},Schoonmaker\n"
        f"5123456789,{cleaner_skills()[0]},\n"
        f"5123456790,{UNKNOWN},Onbekend\n",
    )
    with sessions() as session, pytest.raises(InvalidInput, match=r"rij 4: .*geen bekende ESCO"):
        import_crosswalk(session, path)
    env = {
        "WERKMATCH_DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "WERKMATCH_VAR_DIR": str(tmp_path),
    }
    result = CliRunner().invoke(app, ["crosswalk", "import", str(path)], env=env)
    assert result.exit_code == 1 and "rij 4" in result.output
    assert _count(sessions) == 0


def test_codes_map_through_the_crosswalk_and_the_others_wait_for_review(
    sessions: sessionmaker[Session], write: Write
) -> None:
    crosswalk = write("crosswalk.csv", f"code,uri\n1234567890,{cleaner_uri()}\n")
    with sessions.begin() as session:
        assert import_crosswalk(session, crosswalk).added == 1
        security.create_organisation(session, "noordwijk", name="N", municipality_codes=[NOORDWIJK])
    ranker = FakeNormaliser({"Glazenwasser": [(cleaner_uri(), 0.9)]})
    row = f"K1,{NOORDWIJK},4,regulier,32,active,,1234567890;0987654321 Glazenwasser;{CNL}\n"
    report = import_paths(sessions, [write("candidates.csv", f"{CANDIDATE_HEADER}\n{row}")],
                          normaliser=ranker)  # fmt: skip
    assert report.ok, [str(e) for f in report.files for e in f.errors]
    with sessions() as session:
        mapped, kept, bare = session.get_one(m.Candidate, "K1").occupations
        assert (mapped.text, mapped.uri) == ("1234567890", cleaner_uri())
        assert not mapped.needs_review
        assert (kept.text, kept.uri, kept.needs_review) == (
            "0987654321 Glazenwasser",
            cleaner_uri(),
            True,
        )  # normalised from its text, yet flagged: the code has no crosswalk entry
        assert (bare.uri, bare.needs_review) == (None, True)
        queue = review_queue(session, scope_of(session, "noordwijk"))
        assert sorted(item.text for item in queue.data) == sorted([kept.text, CNL])
        assert ranker.read.count("Glazenwasser") == 2  # once to choose, once for candidates
