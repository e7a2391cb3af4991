"""``werkmatch demo`` comes from demo, through the entry point ``werkmatch.commands``."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from matching.cli import app


def test_demo_generate_is_a_werkmatch_command_and_refuses_a_bad_date(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["demo", "generate", "--out", str(tmp_path), "--as-of", "gisteren"]
    )
    assert result.exit_code == 2, result.output
    assert list(tmp_path.iterdir()) == []
