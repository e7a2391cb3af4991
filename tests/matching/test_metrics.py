"""Metrics: hand-computed examples (arithmetic in the docstrings) and range properties."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from matching import metrics
from matching.errors import InvalidInput
from matching.metrics import (
    brier,
    calibration_error_to_truth,
    expected_calibration_error,
    four_fifths_ratio,
    hit_at_k,
    mrr,
    ndcg_at_k,
    reliability_curve,
    selection_rates,
)

NAN = math.nan


def test_doctests_pass() -> None:
    """Every docstring example in the module holds."""
    result = doctest.testmod(metrics)
    assert result.attempted > 0
    assert result.failed == 0


def test_hit_and_mrr_by_hand() -> None:
    """Query 1: relevant item ranked 2nd; query 2: ranked 3rd → hit@1 0, hit@2 ½, MRR (½ + ⅓)/2."""
    scores = [[0.9, 0.5, 0.1], [0.2, 0.8, 0.4]]
    relevance = [[0, 1, 0], [1, 0, 0]]
    assert hit_at_k(scores, relevance, k=1) == 0.0
    assert hit_at_k(scores, relevance, k=2) == 0.5
    assert hit_at_k(scores, relevance, k=3) == 1.0
    assert mrr(scores, relevance) == pytest.approx((1 / 2 + 1 / 3) / 2)


def test_ties_are_pessimistic() -> None:
    """Relevant item tied with two others at the top ranks 3rd: MRR ⅓, hit@2 0, NDCG@3 1/log2(4)."""
    scores = [[0.5, 0.5, 0.5, 0.1]]
    relevance = [[0, 1, 0, 0]]
    assert mrr(scores, relevance) == pytest.approx(1 / 3)
    assert hit_at_k(scores, relevance, k=2) == 0.0
    assert ndcg_at_k(scores, relevance, k=3) == pytest.approx(1 / math.log2(4))


def test_two_tied_relevant_items_first_one_counts() -> None:
    """Two relevant items tied on top with nothing else tied: the first relevant is rank 1."""
    assert mrr([[0.9, 0.9, 0.1]], [[1, 1, 0]]) == 1.0


def test_items_outside_candidate_set_are_ignored() -> None:
    """NaN relevance removes an item, even with the highest score: relevant item becomes rank 1."""
    scores = [[0.99, 0.5, 0.1]]
    relevance = [[NAN, 1, 0]]
    assert mrr(scores, relevance) == 1.0
    assert ndcg_at_k(scores, relevance, k=1) == 1.0


def test_minus_infinity_counts_a_filtered_hire_as_last() -> None:
    """A hire the shortlist dropped (score −inf) ranks after the 3 others: rank 4, MRR ¼."""
    assert mrr([[0.3, 0.2, 0.1, -math.inf]], [[0, 0, 0, 1]]) == pytest.approx(0.25)


def test_queries_without_relevant_item_are_skipped() -> None:
    """Second query has no relevant item: the mean runs over the first one only."""
    assert mrr([[0.1, 0.9], [0.5, 0.4]], [[0, 1], [0, 0]]) == 1.0
    with pytest.raises(InvalidInput):
        mrr([[0.5, 0.4]], [[0, 0]])


def test_ndcg_by_hand() -> None:
    """Ranked gains [0, 1, .5]: DCG@2 = 1/log2 3 = .63093; ideal [1, .5]: 1 + .5/log2 3 = 1.31546.

    NDCG@2 = .63093 / 1.31546; NDCG@1 = 0 / 1.
    """
    scores = [[0.9, 0.5, 0.1]]
    gains = [[0, 1, 0.5]]
    assert ndcg_at_k(scores, gains, k=2) == pytest.approx(0.63093 / 1.31546, abs=1e-5)
    assert ndcg_at_k(scores, gains, k=1) == 0.0


def test_invalid_input_is_refused() -> None:
    """Shape mismatch, NaN scores inside the set, negative gains and k < 1 are refused."""
    with pytest.raises(InvalidInput):
        mrr([[0.1, 0.2]], [[1, 0, 0]])
    with pytest.raises(InvalidInput):
        mrr([[NAN, 0.2]], [[1, 0]])
    with pytest.raises(InvalidInput):
        ndcg_at_k([[0.1, 0.2]], [[-1, 1]], k=1)
    with pytest.raises(InvalidInput):
        hit_at_k([[0.1, 0.2]], [[1, 0]], k=0)


def test_brier_by_hand() -> None:
    """(0.9−1)² + (0.4−0)² + (0.5−1)² = .01 + .16 + .25 = .42; / 3 = .14."""
    assert brier([0.9, 0.4, 0.5], [1, 0, 1]) == pytest.approx(0.14)
    with pytest.raises(InvalidInput):
        brier([1.2], [1])
    with pytest.raises(InvalidInput):
        brier([0.5], [2])


def test_reliability_and_ece_by_hand() -> None:
    """4 bins; p .1,.15 (y 0,0) in bin 0; .6 (y 1) in bin 2; 1.0 (y 0) in bin 3.

    Gaps: bin 0 |0 − .125| = .125 (×2), bin 2 |1 − .6| = .4, bin 3 |0 − 1| = 1.
    ECE = (.25 + .4 + 1) / 4 = .4125.
    """
    p, y = [0.1, 0.15, 0.6, 1.0], [0, 0, 1, 0]
    curve = reliability_curve(p, y, bins=4)
    assert curve.count.tolist() == [2, 0, 1, 1]
    assert curve.mean_predicted[0] == pytest.approx(0.125)
    assert math.isnan(curve.observed_rate[1])
    assert curve.lower.tolist() == [0.0, 0.25, 0.5, 0.75]
    assert expected_calibration_error(p, y, bins=4) == pytest.approx(0.4125)


def test_selection_rates_and_four_fifths_by_hand() -> None:
    """a: 1 of 4 = .25; b: 2 of 2 = 1; c (1 unit) left out by min_count=2 → ratio .25, flagged."""
    selected = [True, False, False, False, True, True, False]
    group = ["a", "a", "a", "a", "b", "b", "c"]
    rates = selection_rates(selected, group)
    assert rates["n"].tolist() == [4, 2, 1]
    assert rates["rate"].tolist() == [0.25, 1.0, 0.0]
    result = four_fifths_ratio(selected, group, min_count=2)
    assert (result.ratio, result.lowest, result.highest, result.flagged) == (0.25, "a", "b", True)
    assert four_fifths_ratio(selected, group).lowest == "c"


def test_four_fifths_at_threshold_and_nobody_selected() -> None:
    """4/5 vs 5/5 is exactly .8, not flagged; nobody selected gives ratio 1."""
    selected = [True] * 4 + [False] + [True] * 5
    group = ["a"] * 5 + ["b"] * 5
    result = four_fifths_ratio(selected, group)
    assert result.ratio == pytest.approx(0.8)
    assert not result.flagged
    assert four_fifths_ratio([False, False], ["a", "b"]).ratio == 1.0


# --- properties ---------------------------------------------------------------------------

unit_floats = st.floats(0, 1, allow_nan=False)


@st.composite
def ranking_problems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """A score matrix and a relevance matrix with at least one relevant item per query."""
    n_q = draw(st.integers(1, 5))
    n_i = draw(st.integers(1, 8))
    scores = draw(arrays(np.float64, (n_q, n_i), elements=st.floats(-5, 5)))
    relevance = draw(arrays(np.float64, (n_q, n_i), elements=st.sampled_from([0.0, 0.5, 1.0])))
    relevance[:, 0] = np.maximum(relevance[:, 0], 1.0)
    return scores, relevance


@settings(max_examples=60, deadline=None)
@given(ranking_problems(), st.integers(1, 10))
def test_perfect_ranking_scores_one(problem: tuple[np.ndarray, np.ndarray], k: int) -> None:
    """Scores equal to the relevance (plus a strict order) give MRR, hit@k and NDCG@k = 1."""
    _, relevance = problem
    perfect = relevance * 10 + np.linspace(0, 1, relevance.shape[1])
    assert mrr(perfect, relevance) == 1.0
    assert hit_at_k(perfect, relevance, k=k) == 1.0
    assert ndcg_at_k(perfect, relevance, k=k) == pytest.approx(1.0)


@settings(max_examples=60, deadline=None)
@given(ranking_problems(), st.integers(1, 10))
def test_ranking_metrics_stay_in_unit_interval(
    problem: tuple[np.ndarray, np.ndarray], k: int
) -> None:
    """Whatever the scores, hit@k, MRR and NDCG@k lie in [0, 1]; hit@k grows with k."""
    scores, relevance = problem
    for value in (hit_at_k(scores, relevance, k=k), mrr(scores, relevance)):
        assert 0.0 <= value <= 1.0
    assert 0.0 <= ndcg_at_k(scores, relevance, k=k) <= 1.0 + 1e-12
    assert hit_at_k(scores, relevance, k=k) <= hit_at_k(scores, relevance, k=k + 1)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(unit_floats, st.booleans()), min_size=1, max_size=40), st.integers(1, 12))
def test_calibration_metrics_stay_in_unit_interval(
    pairs: list[tuple[float, bool]], bins: int
) -> None:
    """Brier and ECE lie in [0, 1]; the reliability counts add up to n."""
    p = [pi for pi, _ in pairs]
    y = [int(yi) for _, yi in pairs]
    assert 0.0 <= brier(p, y) <= 1.0
    assert 0.0 <= expected_calibration_error(p, y, bins=bins) <= 1.0
    assert reliability_curve(p, y, bins=bins).count.sum() == len(pairs)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(unit_floats, unit_floats), min_size=1, max_size=40), st.integers(1, 12))
def test_calibration_to_truth_is_zero_when_honest_and_in_unit_interval(
    pairs: list[tuple[float, float]], bins: int
) -> None:
    """Shown = truth gives 0; anything else stays in [0, 1] and is at most the mean gap."""
    p = np.array([pi for pi, _ in pairs])
    truth = np.array([ti for _, ti in pairs])
    assert calibration_error_to_truth(p, p, bins=bins) == pytest.approx(0.0, abs=1e-12)
    ece = calibration_error_to_truth(p, truth, bins=bins)
    assert 0.0 <= ece <= np.abs(p - truth).mean() + 1e-12


def test_calibration_to_truth_refuses_what_is_no_probability() -> None:
    with pytest.raises(InvalidInput):
        calibration_error_to_truth([0.2, 0.4], [0.1, 1.2])
    with pytest.raises(InvalidInput):
        calibration_error_to_truth([0.2, 0.4], [0.1])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.sampled_from("abc")), min_size=1, max_size=40))
def test_four_fifths_in_unit_interval(units: list[tuple[bool, str]]) -> None:
    """The ratio lies in [0, 1] and is flagged exactly when below 0.8."""
    result = four_fifths_ratio([s for s, _ in units], [g for _, g in units])
    assert 0.0 <= result.ratio <= 1.0
    assert result.flagged == (result.ratio < 0.8)


def slow_mrr(scores: np.ndarray, relevance: np.ndarray) -> float:
    """Reference: sort each query's candidates by (−score, relevance, index) in plain Python."""
    reciprocal = []
    for s_row, r_row in zip(scores.tolist(), relevance.tolist(), strict=True):
        items = [(-s, r, i) for i, (s, r) in enumerate(zip(s_row, r_row, strict=True))]
        ranked = sorted(item for item in items if not math.isnan(item[1]))
        ranks = [pos for pos, (_, r, _) in enumerate(ranked, start=1) if r > 0]
        if ranks:
            reciprocal.append(1 / ranks[0])
    return sum(reciprocal) / len(reciprocal)


@settings(max_examples=60, deadline=None)
@given(ranking_problems(), st.data())
def test_mrr_equals_slow_reference(
    problem: tuple[np.ndarray, np.ndarray], data: st.DataObject
) -> None:
    """Vectorised MRR (ties, items outside the set) equals the per-row reference."""
    scores, relevance = problem
    scores = np.round(scores)  # many ties
    outside = data.draw(arrays(bool, relevance.shape))
    outside[:, 0] = False
    relevance = np.where(outside, np.nan, relevance)
    assert mrr(scores, relevance) == pytest.approx(slow_mrr(scores, relevance))


def test_calibration_noise_is_what_a_calibrated_p_shows_on_few_outcomes() -> None:
    """One bin of 100 outcomes at p 0.5: sqrt(2/pi) * 0.05; more outcomes, less noise."""
    from matching.metrics import calibration_noise

    assert calibration_noise(np.full(100, 0.5), bins=1) == pytest.approx(0.0399, abs=1e-4)
    assert calibration_noise(np.full(400, 0.5)) == pytest.approx(0.0399 / 2, abs=1e-4)
    assert calibration_noise(np.zeros(0)) == 0.0
    rng = np.random.default_rng(0)
    p = rng.uniform(0.2, 0.7, 60)
    simulated = np.mean(
        [
            metrics.expected_calibration_error(p, (rng.random(60) < p).astype(int))
            for _ in range(400)
        ]
    )
    assert calibration_noise(p) == pytest.approx(simulated, rel=0.1)
