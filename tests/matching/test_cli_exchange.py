"""``werkmatch import`` and ``werkmatch export`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from matching.cli import app

HEADER = "candidate_id,municipality_code,ladder_step,target_group,hours_available,status"


@pytest.fixture
def env(engine: Engine, tmp_path: Path) -> dict[str, str]:
    """Environment pointing the CLI at the per-test store."""
    url = engine.url.render_as_string(hide_password=False)
    return {"WERKMATCH_DATABASE_URL": url, "WERKMATCH_VAR_DIR": str(tmp_path)}


def test_import_exit_codes_and_json(env: dict[str, str], tmp_path: Path) -> None:
    # no free text in these files, so the normaliser's indexes are never needed
    good = tmp_path / "candidates.csv"
    good.write_text(f"{HEADER}\nK1,GM0575,4,regulier,20,actief\n")
    runner = CliRunner()
    result = runner.invoke(app, ["import", str(good)], env=env)
    assert result.exit_code == 0, result.output
    assert "candidates.csv" in result.output
    assert " werkzoekenden " in result.output and " candidates " not in result.output  # its kind
    bad = tmp_path / "more" / "candidates.csv"
    bad.parent.mkdir()
    bad.write_text(f"{HEADER}\nK1,GM0575,4,regulier,20,active\nK2,GM0575,9,regulier,20,active\n")
    result = runner.invoke(app, ["import", "--json", str(bad)], env=env)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert (report["unchanged"], report["rejected"]) == (1, 1)
    assert report["files"][0]["errors"][0]["reason"] == "9 valt buiten het bereik 1–6"


def test_export_writes_the_files(env: dict[str, str], tmp_path: Path) -> None:
    source = tmp_path / "candidates.csv"
    source.write_text(f"{HEADER}\nK1,GM0575,4,regulier,20,active\n")
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(source)], env=env).exit_code == 0
    result = runner.invoke(app, ["export", str(tmp_path / "out")], env=env)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "candidates.csv", "contacts.csv", "employers.csv", "enrolments.csv", "instruments.csv",
        "placements.csv", "programmes.csv", "proposals.csv", "vacancies.csv",
    ]  # fmt: skip
    assert "K1,GM0575,,,,4,regulier" in (tmp_path / "out" / "candidates.csv").read_text()


def test_export_is_audited(env: dict[str, str], tmp_path: Path) -> None:
    source = tmp_path / "candidates.csv"
    source.write_text(f"{HEADER}\nK1,GM0575,4,regulier,20,active\nK2,GM0575,4,regulier,20,active\n")
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(source)], env=env).exit_code == 0
    assert runner.invoke(app, ["export", str(tmp_path / "out")], env=env).exit_code == 0
    listed = runner.invoke(app, ["audit", "--action", "export", "--json"], env=env)
    assert listed.exit_code == 0, listed.output
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(rows) == 1 and rows[0]["user_id"].startswith("cli:")
    detail = rows[0]["detail"]
    assert detail["directory"] == str((tmp_path / "out").resolve())
    assert detail["rows"] == {
        "employers.csv": 0, "candidates.csv": 2, "vacancies.csv": 0,
        "contacts.csv": 0, "proposals.csv": 0, "placements.csv": 0, "instruments.csv": 0,
        "programmes.csv": 0, "enrolments.csv": 0,
    }  # fmt: skip


def test_export_as_vum_writes_the_json_files_and_is_audited(
    env: dict[str, str], tmp_path: Path
) -> None:
    source = tmp_path / "candidates.csv"
    source.write_text(f"{HEADER}\nK1,GM0575,4,regulier,20,active\n")
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(source)], env=env).exit_code == 0
    out = tmp_path / "vum"
    result = runner.invoke(app, ["export", "--format", "vum", str(out)], env=env)
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == ["werkzoekenden.json"]  # no vacancies: no file
    (person,) = json.loads((out / "werkzoekenden.json").read_text(encoding="utf-8"))
    assert person["idWerkzoekende"] == "K1" and person["werktijden"] == {
        "aantalWerkurenPerWeekMaximaal": 20
    }
    listed = runner.invoke(app, ["audit", "--action", "export", "--json"], env=env)
    (row,) = [json.loads(line) for line in listed.stdout.splitlines()]
    assert row["detail"]["rows"] == {"werkzoekenden.json": 1, "vacatures.json": 0}
    assert runner.invoke(app, ["export", "--format", "xml", str(out)], env=env).exit_code == 2


def test_a_file_level_abort_with_json_prints_a_json_error(
    env: dict[str, str], tmp_path: Path
) -> None:
    broken = tmp_path / "candidates.csv"
    broken.write_text(f'{HEADER}\nK1,GM0575,4,regulier,20,active\nK2,"GM0575,4,regulier\n')
    result = CliRunner().invoke(app, ["import", "--json", str(broken)], env=env)
    assert result.exit_code == 2
    answer = json.loads(result.stdout)
    assert (answer["ok"], answer["stored"]) == (False, False)
    assert answer["error"].startswith("Import gestopt: candidates.csv: kapotte CSV")
