"""``werkmatch instruments``: an organisation's rules and trainings exported and imported."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from matching.cli import app
from tests.matching.security_fixtures import add_organisation


@pytest.fixture
def env(engine: Engine, sessions: sessionmaker[Session], tmp_path: Path) -> dict[str, str]:
    """Environment pointing the CLI at the per-test store, with organisation noordwijk."""
    with sessions.begin() as session:
        add_organisation(session)
    url = engine.url.render_as_string(hide_password=False)
    return {"WERKMATCH_DATABASE_URL": url, "WERKMATCH_VAR_DIR": str(tmp_path)}


def test_rules_round_trip_and_a_bad_file_stores_nothing(
    env: dict[str, str], tmp_path: Path
) -> None:
    runner, out = CliRunner(), tmp_path / "regels.csv"
    args = ["instruments", "export", "rules", str(out), "--organisation", "noordwijk"]
    assert runner.invoke(app, args, env=env).exit_code == 0
    shipped = out.read_text(encoding="utf-8")
    assert shipped.startswith("rule_id,kind,benefit,") and "lks-participatiewet" in shipped
    mine = tmp_path / "mijn.csv"
    mine.write_text("rule_id,kind,reason\nalleen,jobcoaching,Altijd coachen\n", encoding="utf-8")
    result = runner.invoke(app, ["instruments", "import", "rules", str(mine), *args[4:]], env=env)
    assert result.exit_code == 0 and "1 instrumentregels opgeslagen" in result.output
    bad = tmp_path / "fout.csv"
    bad.write_text("rule_id,kind,reason\nx,onzin,y\n", encoding="utf-8")
    result = runner.invoke(app, ["instruments", "import", "rules", str(bad), *args[4:]], env=env)
    assert result.exit_code == 1 and "fout.csv, rij 2, kolom kind" in result.output
    assert runner.invoke(app, args, env=env).exit_code == 0
    assert out.read_text(encoding="utf-8").splitlines()[1:] == [
        "alleen,jobcoaching,,,,,,,,,Altijd coachen"
    ]
