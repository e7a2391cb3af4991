"""The family fit of the prior (``evaluation.prior_fit``) on synthetic worlds with known truth."""

from __future__ import annotations

import numpy as np
import pytest

from evaluation.prior_fit import WorldRows, fit_level, fit_weights, held_out
from features.pairwise import COLUMN, FEATURE_NAMES
from matching.scoring.level import placement_offset
from matching.scoring.signed import SIGNS

F = len(FEATURE_NAMES)


def world(seed: int, truth_weights: dict[str, float], level: float = 0.0) -> WorldRows:
    """A world whose attainable truth is sigmoid(-1 + weights · x); its placements last with
    that chance shifted by ``level`` (employers select on what the file does not show)."""
    rng = np.random.default_rng(seed)
    x = rng.random((3000, F))
    w = np.zeros(F)
    for name, value in truth_weights.items():
        w[COLUMN[name]] = value
    logit = -1.0 + x @ w
    p = 1 / (1 + np.exp(-logit))
    placed = rng.random((2000, F))
    lasted = rng.random(2000) < 1 / (1 + np.exp(-(-1.0 + placed @ w + level)))
    return WorldRows(
        f"w{seed}", x, p, p, np.arange(3000) // 30, placed, lasted.astype(float)
    )  # fmt: skip


def test_weights_recover_the_truth_under_the_signs() -> None:
    truth = {"required_coverage": 2.0, "readiness": 1.0, "beyond_travel_km": -0.5}
    weights, intercept = fit_weights([world(s, truth) for s in (1, 2, 3)])
    for name, value in truth.items():
        assert weights[COLUMN[name]] == pytest.approx(value, abs=0.05)
    assert intercept == pytest.approx(-1.0, abs=0.05)
    for name, weight in zip(FEATURE_NAMES, weights, strict=True):
        assert weight * SIGNS[name] >= -1e-9, name


def test_an_inferred_skill_never_weighs_more_than_a_recorded_one() -> None:
    truth = {"required_coverage": 0.5, "essential_share": 2.0, "required_experience": 1.5}
    weights, _ = fit_weights([world(s, truth) for s in (4, 5)])
    recorded = weights[COLUMN["required_coverage"]]
    assert recorded >= weights[COLUMN["essential_share"]] - 1e-9
    assert recorded >= weights[COLUMN["required_experience"]] - 1e-9
    assert recorded > 1.0  # the bound moved weight onto the recorded competences


def test_level_line_follows_how_much_placements_overstate() -> None:
    truth = {"required_coverage": 2.0}
    worlds = [world(s, truth, level=s / 4) for s in range(6, 10)]
    weights, intercept = fit_weights(worlds)
    slope, offset = fit_level(worlds, weights, intercept)
    new = world(11, truth, level=2.0)  # its placements read 2 logits too high
    seen = placement_offset(new.placed_features @ weights + intercept, new.placed_labels)
    assert seen > 1.5
    assert abs(offset + slope * seen) < 0.35  # the line brings it back to the truth's level
    rows = held_out(worlds)
    assert [r["world"] for r in rows] == [w.name for w in worlds]
    assert all(0.0 <= r["ndcg_at_10"] <= 1.0 and r["ece_top10"] >= 0 for r in rows)
