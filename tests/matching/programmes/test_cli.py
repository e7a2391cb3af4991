"""``werkmatch programmes …`` and ``werkmatch evaluate --programme`` as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from matching.cli import app
from matching.exchange import import_paths
from tests.matching.programmes.conftest import PROGRAMMES


@pytest.fixture
def env(engine: Engine, organised: sessionmaker[Session], tmp_path: Path) -> dict[str, str]:
    """The example programmes on the small region; the environment pointing the CLI at it."""
    assert import_paths(organised, [PROGRAMMES]).ok
    url = engine.url.render_as_string(hide_password=False)
    return {"WERKMATCH_DATABASE_URL": url, "WERKMATCH_VAR_DIR": str(tmp_path)}


def _run(env: dict[str, str], *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exit_code == code, result.output
    return " ".join(result.output.split())  # rich wraps long lines


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # database-independent
def test_list_check_enrol_move_end_and_evaluate(env: dict[str, str], tmp_path: Path) -> None:
    assert "Extra impuls Noordwijk" in _run(env, "programmes", "list")
    checked = _run(env, "programmes", "eligible", "extra-impuls", "--candidate", "K-0002",
                   "--on", "2026-03-02")  # fmt: skip
    assert "voldoet niet" in checked and "staat op trede 4" in checked
    refused = _run(env, "programmes", "enrol", "extra-impuls", "K-0002", "--on", "2026-03-02",
                   code=1)  # fmt: skip
    assert "uitzondering met een reden" in refused
    _run(env, "programmes", "enrol", "extra-impuls", "K-0002", "--on", "2026-03-02",
         "--reason", "trede 5 in zicht")  # fmt: skip
    _run(env, "programmes", "phase", "extra-impuls", "K-0002", "jobhunting", "--on", "2026-04-01")
    shown = _run(env, "programmes", "show", "extra-impuls", "--on", "2026-11-01")
    assert "K-0002: fase jobhunting sinds 01-04-2026, uiterlijk 01-10-2026" in shown
    assert "langer dan de fase mag duren" in shown
    _run(env, "programmes", "end", "extra-impuls", "K-0002", "uitval", "--on", "2026-11-02")
    out = tmp_path / "rapport"
    _run(env, "evaluate", "--out", str(out), "--no-backtest", "--as-of", "2026-12-01",
         "--programme", "extra-impuls")  # fmt: skip
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "Programma Extra impuls Noordwijk" in report and "Per fase" in report
    assert "Prognose" in report
