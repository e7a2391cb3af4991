"""What the page 'Over het model' shows of the active version: its sidecar in Dutch words and
figures (no version ids, no code names), read from the same data as the model card."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from features.pairwise import FEATURE_NAMES
from matching import dutch
from matching.errors import ModelNotTrained
from matching.scoring.card import register_sections
from matching.scoring.model_versions import active_version, read_sidecar
from matching.scoring.prior import PRIOR_WEIGHTS
from matching.shortlist.explain import FEATURE_LABELS

SCORERS = {"learned": "Geleerd model", "prior": "Beginweging"}
"""The two scorers compared on the hold-out, in the page's words."""


def _figure(value: float | None, digits: int = 2) -> str:
    return dutch.number(value, digits)


def _period(bounds: list[str | None]) -> str:
    start, end = bounds
    return (
        "–"
        if start is None or end is None
        else f"{dutch.long_date(start)} – {dutch.long_date(end)}"
    )


def _metrics(metrics: dict[str, Any]) -> list[dict[str, str]]:
    rows = []
    for key, name in SCORERS.items():
        m = metrics.get(key, {})
        rows.append(
            {
                "name": name,
                "rows": dutch.number(m.get("rows")),
                "positives": dutch.number(m.get("positives")),
                "auc": _figure(m.get("auc")),
                "ndcg": _figure(m.get("ndcg_at_10")),
                "brier": _figure(m.get("brier"), 3),
            }
        )
    return rows


def _calibration(bins: list[list[float]]) -> list[dict[str, str]]:
    return [
        {
            "band": f"{dutch.percent(lo)} – {dutch.percent(hi)}",
            "rows": dutch.number(n),
            "predicted": dutch.percent(mp, 1),
            "observed": dutch.percent(obs, 1),
        }
        for lo, hi, n, mp, obs in bins
    ]


def _features(sidecar: dict[str, Any]) -> list[dict[str, str]]:
    coefficients = sidecar.get("coefficients", {})
    return [
        {
            "label": FEATURE_LABELS[name][:1].upper() + FEATURE_LABELS[name][1:],
            "weight": dutch.signed(PRIOR_WEIGHTS[name], 2),
            "learned": "–" if name not in coefficients else dutch.signed(coefficients[name], 2),
        }
        for name in FEATURE_NAMES
    ]


def overview(sidecar: dict[str, Any]) -> dict[str, Any]:
    """The page's view of a version's sidecar."""
    created = dt.datetime.fromisoformat(sidecar["created_at"])
    rows, metrics = sidecar["rows"], sidecar["metrics"]
    return {
        "trained_on": dutch.long_date(created),
        "trained_at": dutch.clock(created),
        "as_of": dutch.long_date(sidecar["as_of"]),
        "learned_active": sidecar.get("kind") == "learned",
        "level_offset": dutch.signed(sidecar.get("level_offset", 0.0), 2),
        "rows": {k: dutch.number(v) for k, v in rows.items()},
        "periods": {k: _period(v) for k, v in sidecar["split"].items()},
        "features": _features(sidecar),
        "metrics": _metrics(metrics),
        "calibration": _calibration(metrics["learned"].get("calibration", [])),
        "learned_not_worse": not sidecar.get("worse_than_prior"),
        "register": register_sections(sidecar),
    }


def active_overview(model_dir: Path) -> dict[str, Any] | None:
    """The overview of the active version; None when none is active (the prior scores at the
    level of the regions) or its sidecar is gone."""
    version = active_version(model_dir)
    if version is None:
        return None
    try:
        return overview(read_sidecar(model_dir, version))
    except (ModelNotTrained, KeyError, ValueError):
        return None
