"""The published VUM source contracts as JSON Schema validators, for tests only.

The contracts (``../shared/data/vum/OAS_Contracten``) are OpenAPI 3.0, whose schema objects are
JSON Schema draft 4 with a few extra keywords a validator ignores. The product validates with
its own models (``matching.vum.model``); tests check the product against the published files
with ``jsonschema_rs``, a dev dependency (the contracts carry no license: they are read, never
shipped).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
import yaml

SHARED = Path(__file__).parents[3].parent / "shared" / "data" / "vum"
CONTRACTS = SHARED / "OAS_Contracten"
WERKZOEKENDEN = "VUM-Bron-WerkzoekendeProfielen.yaml"
VACATURES = "VUM-Bron-Vacatures.yaml"


@cache
def contract(name: str) -> dict[str, Any]:
    """The parsed contract file ``name``."""
    loaded: dict[str, Any] = yaml.safe_load((CONTRACTS / name).read_text(encoding="utf-8"))
    return loaded


@cache
def validator(name: str, schema: str) -> Any:
    """A validator for the component ``schema`` of contract ``name`` (its $refs resolved)."""
    document = {
        "$ref": f"#/components/schemas/{schema}",
        "components": contract(name)["components"],
    }
    return jsonschema_rs.Draft4Validator(document)


def violations(name: str, schema: str, instance: Any) -> list[str]:
    """Where and why ``instance`` violates the component (empty when it conforms)."""
    return [
        f"{'/'.join(map(str, error.instance_path))}: {error.message}"
        for error in validator(name, schema).iter_errors(instance)
    ]
