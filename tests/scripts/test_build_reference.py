"""Rebuilding the bundled reference data from the shared sources gives identical bytes."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from matching.reference import REFERENCE_DIR

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT.parent / "shared" / "data"


def _build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_reference", ROOT / "scripts/build_reference.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not SOURCE.is_dir(), reason=f"shared source data not found at {SOURCE}")
def test_rebuild_is_byte_identical(tmp_path: Path) -> None:
    assert _build_module().main(["--source", str(SOURCE), "--out", str(tmp_path)]) == 0
    built = sorted(p.name for p in tmp_path.iterdir())
    assert built == sorted(p.name for p in REFERENCE_DIR.iterdir())
    for name in built:
        assert (tmp_path / name).read_bytes() == (REFERENCE_DIR / name).read_bytes(), name


def test_label_union_keeps_first_seen_order() -> None:
    build = _build_module()
    merged = build.join_labels(["b", "a"], build.split_labels("a\nc;\n \nb"), exclude="c")
    assert merged == "b|a"
