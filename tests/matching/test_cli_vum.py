"""``werkmatch vum match``: the VUM source's search from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from matching.cli import app
from matching.store.access import AuditEntry
from tests.matching.shortlist.store_fixture import seed

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # no SQL of its own
AROUND_NOORDWIJK = {"selectiegebied": {"postcode": "2201AB", "afstand": 60}}


@pytest.fixture
def env(engine: Engine, sessions: sessionmaker[Session], tmp_path: Path) -> dict[str, str]:
    """The CLI pointed at the hand-made store of the shortlist tests."""
    seed(sessions)
    url = engine.url.render_as_string(hide_password=False)
    return {"WERKMATCH_DATABASE_URL": url, "WERKMATCH_VAR_DIR": str(tmp_path)}


def test_match_prints_the_response_body_for_the_owning_organisation(
    env: dict[str, str], tmp_path: Path
) -> None:
    """The same body as the endpoint's: ``tests/api/test_vum.py`` compares the two."""
    query = tmp_path / "zoekvraag.json"
    query.write_text(json.dumps(AROUND_NOORDWIJK), encoding="utf-8")
    result = CliRunner().invoke(app, ["vum", "match", "werkzoekenden", str(query), "--json"],
                                env=env)  # fmt: skip
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    ids = {summary["idWerkzoekende"] for summary in body["matches"]}
    assert {"O1", "R1", "R2"} <= ids and "X_INACTIVE" not in ids  # every active one of ours
    assert body["maximumAantalResultatenBereikt"] is False
    query.write_text(json.dumps({"vraagObject": AROUND_NOORDWIJK}), encoding="utf-8")
    jobs = CliRunner().invoke(app, ["vum", "match", "vacatures", str(query), "--json"], env=env)
    assert [v["idVacature"] for v in json.loads(jobs.stdout)["matches"]] == ["V1"]


def test_a_zoekvraag_that_cannot_run_exits_2_with_its_reason_and_is_audited(
    env: dict[str, str], tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    query = tmp_path / "zoekvraag.json"
    query.write_text(json.dumps({**AROUND_NOORDWIJK, "uren": {"$gte": 3}}), encoding="utf-8")
    result = CliRunner().invoke(app, ["vum", "match", "werkzoekenden", str(query)], env=env)
    assert result.exit_code == 2 and "onbekend veld 'uren'" in result.stderr
    with sessions() as session:
        (row,) = session.scalars(select(AuditEntry).where(AuditEntry.action.like("vum.%")))
    assert row.user_id.startswith("cli:") and "geweigerd" in (row.detail or "")
    query.write_text("{niet", encoding="utf-8")
    unreadable = CliRunner().invoke(app, ["vum", "match", "vacatures", str(query)], env=env)
    assert unreadable.exit_code == 2 and "geen leesbaar JSON-bestand" in unreadable.stderr
