"""``werkmatch evaluate`` and ``python -m evaluation`` end to end on the generated region."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evaluation.evaluate_command import resolve_dates
from matching.cli import app
from matching.errors import InvalidInput


def test_werkmatch_evaluate_writes_the_report(
    region_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "werkmatch.db"
    shutil.copyfile(region_db, store)
    monkeypatch.setenv("WERKMATCH_DATABASE_URL", f"sqlite:///{store}")
    monkeypatch.setenv("WERKMATCH_VAR_DIR", str(tmp_path / "var"))
    out = tmp_path / "report"
    args = ["evaluate", "--from", "2025-10-01", "--to", "2026-06-30", "--as-of", "2026-10-01"]
    result = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["period"] == {"from": "2025-10-01", "to": "2026-06-30"}
    assert metrics["placements"]["totals"]["placements"] > 0
    assert {r["ranker"] for r in metrics["ranking"]["metrics"]} == {
        "werkmatch", "prior", "skill_overlap",
    }  # fmt: skip
    assert "gender" in {r["attribute"] for r in metrics["fairness"]["four_fifths"]["shortlists"]}
    page = (out / "report.html").read_text()
    assert "Rankingkwaliteit" in page and "Eerlijkheid" in page and "Acquisitiefunnel" in page
    assert "http://" not in page and "https://" not in page
    assert len(list(out.glob("*.png"))) >= 5


def test_bad_dates_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["evaluate", "--from", "gisteren", "--out", str(tmp_path)])
    assert result.exit_code == 2


def test_default_dates() -> None:
    period, as_of, start = resolve_dates(None, "2026-06-30", "2026-10-01", None)
    assert (str(period.start), str(period.end), str(as_of), start) == (
        "2025-07-01", "2026-06-30", "2026-10-01", period.start,
    )  # fmt: skip
    with pytest.raises(InvalidInput):
        resolve_dates("2026-07-01", "2026-06-30", None, None)
