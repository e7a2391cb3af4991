"""Imports point one way (shared/docs/style.md): api → matching → features, evaluation →
matching, features, demo → matching; nothing but demo's serving imports api, and neither the
product (matching, features, api) imports demo. Checked on the source, lazy imports included."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAY_NOT_IMPORT = {
    "features": {"matching", "evaluation", "api", "demo"},  # nothing of ours
    "matching": {"evaluation", "api", "demo"},
    "evaluation": {"api"},
    "api": {"demo"},  # the product does not ship with its generator
    "demo": {"evaluation"},  # evaluation scores demo's worlds
}


def imported_packages(path: Path) -> set[str]:
    """Top-level package names of every import in a module, also inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package", sorted(MAY_NOT_IMPORT))
def test_imports_point_one_way(package: str) -> None:
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & MAY_NOT_IMPORT[package])
        for path in sorted((ROOT / package).rglob("*.py"))
    }
    assert {k: v for k, v in wrong.items() if v} == {}


def test_the_check_sees_lazy_imports(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "def f():\n    from evaluation.metrics import mrr\n    import api.app\n"
        "    if True:\n        from demo import generate_region\n"
    )
    assert imported_packages(module) == {"evaluation", "api", "demo"}


def test_the_generator_lives_beside_the_product() -> None:
    """On the source tree: an editable install's finder may still map old module names."""
    assert (ROOT / "demo" / "generate.py").is_file()
    assert not list((ROOT / "matching").rglob("demo*"))
