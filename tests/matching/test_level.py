"""The level shown for an organisation (``matching.scoring.level``): hand-made cases, monotony."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from features.pairwise import FEATURE_NAMES
from matching.scoring.level import MAX_WEIGHT, Level, placement_offset, reference_weights
from matching.scoring.prior import LEVEL, PriorScorer


def test_weighted_offset_matches_the_weighted_rate() -> None:
    # scores 0: sigmoid(b) = weighted rate; weights 3, 1 on labels 1, 0 → 3/4 → b = log 3
    offset = placement_offset(np.zeros(2), np.array([1.0, 0.0]), weights=np.array([3.0, 1.0]))
    assert offset == pytest.approx(np.log(3))
    # scale 2 on scores ±1, labels as the scaled probabilities say: offset 0
    scores = np.array([-1.0, 1.0])
    labels = 1 / (1 + np.exp(-2 * scores))
    assert placement_offset(scores, labels, scale=2.0) == pytest.approx(0.0, abs=1e-9)
    assert placement_offset(np.zeros(0), np.zeros(0)) == 0.0


def test_reference_weights_favour_scores_like_the_reference_and_are_capped() -> None:
    scores = np.array([-3.0, -2.0, -1.0, 0.0, 0.0])
    w = reference_weights(scores, [0.0, 0.1], bandwidth=0.35)
    assert w.mean() == pytest.approx(1.0)
    assert w[3] == w[4] > w[2] > w[1] >= w[0]
    assert w.max() <= MAX_WEIGHT
    np.testing.assert_array_equal(reference_weights(scores, [], bandwidth=0.35), np.ones(5))


def test_without_a_reference_the_level_is_the_line_through_the_plain_offset() -> None:
    level = Level(scale=1.0, slope=0.6, offset=-0.5)
    scores, labels = np.zeros(4), np.array([1.0, 1.0, 1.0, 0.0])
    assert level.shift(scores, labels) == pytest.approx(-0.5 + 0.6 * np.log(3))


def test_placements_at_the_reference_scores_set_the_level() -> None:
    # score -2 lasted 1 in 2 (offset 2), score 0, where the shortlists are, 3 in 4 (log 3)
    scores = np.r_[np.full(400, -2.0), np.full(400, 0.0)]
    labels = np.r_[np.arange(400) % 2 == 0, np.arange(400) % 4 != 0].astype(float)
    level = Level(scale=1.0, slope=1.0, offset=0.0, reference=(0.0,), shrink=0.0)
    assert level.seen(scores, labels) == pytest.approx(np.log(3), abs=0.05)  # only the high ones
    plain = placement_offset(scores, labels)
    assert plain > 1.4  # the plain offset leans on the low scores' placements


def test_few_placements_fall_back_to_the_plain_offset() -> None:
    scores = np.r_[np.full(6, -2.0), np.full(2, 0.0)]
    labels = np.array([1, 0, 0, 0, 1, 0, 1, 1], dtype=float)
    plain = placement_offset(scores, labels)
    weighted = Level(reference=(0.0,), shrink=0.0).seen(scores, labels)
    shrunk = Level(reference=(0.0,), shrink=20.0).seen(scores, labels)
    assert abs(shrunk - plain) < 0.25 * abs(weighted - plain)  # effective n ≈ 2, n0 = 20


def test_few_placements_lean_on_the_family_centre() -> None:
    level = Level(scale=1.0, slope=1.0, offset=0.0, centre=-1.0, prior_count=10.0)
    labels = np.array([1.0, 1.0, 1.0, 0.0])  # plain offset log 3 on scores 0
    # 4 placements against 10: -1 + 4/14 · (log 3 + 1)
    assert level.seen(np.zeros(4), labels) == pytest.approx(-1 + 4 / 14 * (np.log(3) + 1))
    assert level.seen(np.zeros(0), np.zeros(0)) == -1.0  # none: the family's
    many = np.tile(labels, 1000)
    assert level.seen(np.zeros(4000), many) == pytest.approx(np.log(3), abs=0.01)


def test_a_level_must_keep_the_ranking() -> None:
    with pytest.raises(ValueError, match="monotone"):
        Level(scale=0.0)
    assert LEVEL.scale > 0


@settings(max_examples=60, deadline=None)
@given(
    scores=arrays(np.float64, st.integers(2, 40), elements=st.floats(-12, 12)),
    scale=st.floats(0.05, 3.0),
    offset=st.floats(-6.0, 6.0),
)
def test_the_shown_probability_is_monotone_in_the_raw_score(
    scores: np.ndarray, scale: float, offset: float
) -> None:
    prior = dataclasses.replace(PriorScorer(), scale=scale, offset=offset)
    x = np.zeros((len(scores), len(FEATURE_NAMES)), dtype=np.float32)
    x[:, 0] = scores  # only the first feature varies: the score is monotone in it
    out = prior.score(x)
    order = np.argsort(out.score, kind="stable")
    p = out.p_durable[order]
    assert (np.diff(p) >= 0).all()
    assert ((p >= 0) & (p <= 1)).all()


@settings(max_examples=40, deadline=None)
@given(
    placed=arrays(np.float64, st.integers(1, 60), elements=st.floats(-5, 3)),
    seed=st.integers(0, 2**16),
)
def test_the_fitted_level_never_reorders_a_list(placed: np.ndarray, seed: int) -> None:
    rng = np.random.default_rng(seed)
    labels = (rng.random(len(placed)) < 0.5).astype(float)
    shift = LEVEL.shift(placed, labels)
    prior = dataclasses.replace(PriorScorer(), scale=LEVEL.scale, offset=shift)
    x = rng.random((30, len(FEATURE_NAMES))).astype(np.float32)
    base, levelled = PriorScorer().score(x), prior.score(x)
    np.testing.assert_array_equal(base.score, levelled.score)
    order = np.argsort(-base.score, kind="stable")
    assert (np.diff(levelled.p_durable[order]) <= 0).all()


def test_the_placement_level_matches_the_placements_and_the_shown_level_follows_the_line() -> None:
    from matching.scoring.fitting import levelled_prior, placement_level_prior
    from matching.scoring.training_rows import TrainingData

    rng = np.random.default_rng(7)
    n = 300
    placed = np.arange(n) % 3 == 0  # a third of the proposals led to a placement
    labels = (np.arange(n) % 6 == 0) | (np.arange(n) % 6 == 3) & (np.arange(n) % 4 == 0)
    data = TrainingData(
        features=rng.random((n, len(FEATURE_NAMES))).astype(np.float32),
        labels=labels.astype(np.int8),
        vacancy_ids=np.array([f"V{i // 10}" for i in range(n)], dtype=object),
        candidate_ids=np.array([f"C{i}" for i in range(n)], dtype=object),
        opened_on=np.full(n, np.datetime64("2025-01-01", "D")),
        counts={},
        placed=placed,
    )
    at_placements = placement_level_prior(data)
    assert at_placements.scale == LEVEL.scale
    p = at_placements.score(data.features[placed]).p_durable
    assert p.mean() == pytest.approx(labels[placed].mean(), abs=1e-6)
    shown = levelled_prior(data)
    scores = PriorScorer().score(data.features[placed]).score
    assert shown.offset == pytest.approx(LEVEL.shift(scores, labels[placed].astype(float)))
    assert shown.scale == LEVEL.scale
