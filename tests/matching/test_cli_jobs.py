"""``werkmatch jobs list|cancel|run-now|worker`` as an operator runs them (SQLite: the job
runs in the command's own process)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from matching.cli import app
from tests.matching.shortlist.store_fixture import seed

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)


@pytest.fixture
def env(engine: Engine, sessions: sessionmaker[Session], tmp_path: Path) -> dict[str, str]:
    """The hand-made shortlist store, and the environment pointing the CLI at it."""
    seed(sessions)
    url = engine.url.render_as_string(hide_password=False)
    return {"WERKMATCH_DATABASE_URL": url, "WERKMATCH_VAR_DIR": str(tmp_path)}


def test_run_now_list_and_cancel(env: dict[str, str]) -> None:
    runner = CliRunner()
    assert "Geen taken." in runner.invoke(app, ["jobs", "list"], env=env).output
    ran = runner.invoke(app, ["jobs", "run-now", "allocate"], env=env)
    assert ran.exit_code == 0, ran.output
    assert "is gestart" in ran.output and "klaar:" in ran.output and "voorstellen" in ran.output
    job_id = ran.output.split()[1]
    listed = runner.invoke(app, ["jobs", "list"], env=env).output
    assert job_id in listed and "klaar" in listed  # the id whole, whatever the width
    done = runner.invoke(app, ["jobs", "cancel", job_id], env=env)
    assert done.exit_code == 1 and "al klaar" in done.output
    unknown = runner.invoke(app, ["jobs", "cancel", "nope"], env=env)
    assert unknown.exit_code == 1 and "onbekend" in unknown.output


def test_what_cannot_be_started_or_run_here(env: dict[str, str]) -> None:
    runner = CliRunner()
    refused = runner.invoke(app, ["jobs", "run-now", "evaluation"], env=env)
    assert refused.exit_code == 2 and "Nu starten kan alleen" in refused.output
    worker = runner.invoke(app, ["jobs", "worker"], env=env)
    assert worker.exit_code == 1 and "Op SQLite" in worker.output
