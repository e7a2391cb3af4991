"""The family fit of the prior (``evaluation.prior_fit``) on synthetic worlds with known truth."""

from __future__ import annotations

import numpy as np
import pytest

from evaluation.prior_fit import (
    REFERENCE_QUANTILES,
    WorldRows,
    fit_level,
    fit_weights,
    held_out,
    level_dict,
    top_scale,
)
from features.pairwise import COLUMN, FEATURE_NAMES
from matching.scoring.level import Level, placement_offset
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
    level = fit_level(worlds, weights, intercept)
    assert level.scale == pytest.approx(1.0, abs=0.1)  # the truth is the prior's own logit
    assert len(level.reference) == REFERENCE_QUANTILES
    new = world(11, truth, level=2.0)  # its placements read 2 logits too high
    scores = new.placed_features @ weights + intercept
    assert placement_offset(scores, new.placed_labels) > 1.5
    assert abs(level.shift(scores, new.placed_labels)) < 0.35  # back to the truth's level
    rows = held_out(worlds)
    assert [r["world"] for r in rows] == [w.name for w in worlds]
    assert all(0.0 <= r["ndcg_at_10"] <= 1.0 and r["ece_top10"] >= 0 for r in rows)


def test_scale_flattens_where_the_top_truth_rises_less_steeply() -> None:
    # truth = sigmoid(0.5 · score + c): a top-10 scale of 0.5, whatever each world's level
    rng = np.random.default_rng(3)
    scores = [rng.normal(size=400) * 2 for _ in range(3)]
    truths = [
        1 / (1 + np.exp(-(0.5 * s + c))) for s, c in zip(scores, (-1.0, 0.0, 0.7), strict=True)
    ]
    assert top_scale(scores, truths) == pytest.approx(0.5, abs=0.02)


def test_the_level_round_trips_through_the_json() -> None:
    level = Level(
        scale=0.8, slope=0.7, offset=-0.6, reference=(-1.0, 0.0, 0.5), centre=0.9, prior_count=10
    )
    assert Level.from_dict(level_dict(level)) == level
    old = Level.from_dict({"slope": 0.62, "offset": -0.57})  # a file of before the scale
    assert old.scale == 1.0 and old.reference == () and old.prior_count == 0
