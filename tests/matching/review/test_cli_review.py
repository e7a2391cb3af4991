"""``werkmatch review|synonyms`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from matching.access import users as security
from matching.cli import app
from matching.review.queue import refresh_queue
from matching.store import models as m
from tests.matching.review.conftest import FakeNormaliser
from tests.matching.shortlist.store_fixture import NOORDWIJK, candidate, cleaner_skills


def _run(env: dict[str, str], *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exit_code == code, result.output
    return result.output


def test_list_choose_and_export_from_the_command_line(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    skills = cleaner_skills()
    with sessions.begin() as session:
        person = candidate("T1", NOORDWIJK, skills=False)
        person.competences.append(
            m.CandidateCompetence(position=0, text="ramen zemen", uri=None, needs_review=True)
        )
        session.add(person)
        security.create_organisation(session, "noordwijk", name="N", municipality_codes=[NOORDWIJK])
        session.flush()
        ranker = FakeNormaliser({"ramen zemen": [(skills[3], 0.4), (skills[0], 0.3)]})
        refresh_queue(session, import_id=None, ranker=ranker)
    env = {
        "WERKMATCH_DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "WERKMATCH_VAR_DIR": str(tmp_path),
    }
    listed = json.loads(_run(env, "review", "list", "--organisation", "noordwijk", "--json"))
    assert listed["count"] == 1 and listed["data"][0]["text"] == "ramen zemen"
    review_id = str(listed["data"][0]["id"])
    assert "40,0 %" in _run(env, "review", "list", "--organisation", "noordwijk")
    chosen = _run(env, "review", "choose", review_id, "2", "--organisation", "noordwijk")
    assert "1 gegeven bijgewerkt" in chosen
    out = tmp_path / "synoniemen.csv"
    _run(env, "synonyms", "export", str(out), "--organisation", "noordwijk")
    assert f"skill,ramen zemen,{skills[0]}" in out.read_text(encoding="utf-8")
    with sessions() as session:
        assert session.get_one(m.Candidate, "T1").competences[0].uri == skills[0]
