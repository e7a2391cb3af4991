"""``werkmatch shortlist|matches|allocate|shortlist-policy`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from matching.access import users as security
from matching.cli import app
from tests.matching.shortlist.store_fixture import seed


@pytest.fixture
def env(engine: Engine, sessions: sessionmaker[Session], tmp_path: Path) -> dict[str, str]:
    """The hand-made shortlist store, and the environment pointing the CLI at it."""
    seed(sessions)
    with sessions.begin() as session:
        security.create_organisation(session, "noordwijk", name="N", municipality_codes=["GM0575"])
    url = engine.url.render_as_string(hide_password=False)
    return {"WERKMATCH_DATABASE_URL": url, "WERKMATCH_VAR_DIR": str(tmp_path)}


def _run(env: dict[str, str], *args: str) -> str:
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_matches_allocate_and_policy(env: dict[str, str]) -> None:
    matches = json.loads(_run(env, "matches", "O1", "--json"))
    assert [v["vacancy_id"] for v in matches["vacancies"]] == ["V1"]
    allocation = json.loads(_run(env, "allocate", "--k", "2", "--json"))
    assert allocation["allocated"]["proposals"] == 2
    _run(env, "shortlist-policy", "noordwijk", "--levels", "own")
    own = json.loads(_run(env, "shortlist", "V1", "--organisation", "noordwijk", "--json"))
    assert {c["fallback_level"] for c in own["candidates"]} == {"own"}
    shown = _run(env, "shortlist", "V1", "--limit", "2")
    assert "Trede" in shown and "eigen gemeente, Noordwijk" in shown and "(own," not in shown
    allocated = _run(env, "allocate", "--k", "2")
    assert "verdeeld" in allocated and "open vacatures" in allocated
    assert "proposals" not in allocated


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # database-independent
def test_bad_use_exits_non_zero(env: dict[str, str]) -> None:
    assert CliRunner().invoke(app, ["shortlist"], env=env).exit_code == 2
    assert CliRunner().invoke(app, ["shortlist", "NOPE"], env=env).exit_code == 1
    assert (
        CliRunner()
        .invoke(app, ["shortlist-policy", "noordwijk", "--order", "x"], env=env)
        .exit_code
        == 1
    )


def test_allocate_one_region_gives_its_vacancies_the_lists_of_the_whole_pool(
    env: dict[str, str],
) -> None:
    whole = json.loads(_run(env, "allocate", "--k", "3", "--json"))
    rijnland = json.loads(
        _run(env, "allocate", "--k", "3", "--json", "--region", "holland rijnland")
    )
    assert rijnland["lists"] == whole["lists"] and set(rijnland["lists"]) == {"V1"}
    assert json.loads(_run(env, "allocate", "--json", "--region", "Twente"))["lists"] == {}
    assert "in de regio Twente" in _run(env, "allocate", "--region", "twente")
    wrong = CliRunner().invoke(app, ["allocate", "--region", "Atlantis"], env=env)
    assert wrong.exit_code == 1 and "Onbekende arbeidsmarktregio" in wrong.output
