"""The sign-constrained logistic regression: scikit-learn's estimator checks, the bounds hold,
and without bounds it is plain L2 logistic regression; calibration is monotone in the score."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression
from sklearn.utils.estimator_checks import parametrize_with_checks

from matching.scoring.model import calibrated, fit_calibrator
from matching.scoring.signed import SignedLogisticRegression


@parametrize_with_checks([SignedLogisticRegression()])  # type: ignore[misc]
def test_scikit_learn_estimator_checks(estimator, check) -> None:  # type: ignore[no-untyped-def]
    check(estimator)


def _data(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(400, 3))
    y = (rng.random(400) < 1 / (1 + np.exp(-(x[:, 0] - x[:, 1])))).astype(int)
    return x, y


def test_without_bounds_it_is_plain_logistic_regression() -> None:
    x, y = _data()
    ours = SignedLogisticRegression(C=0.5).fit(x, y)
    stock = LogisticRegression(C=0.5, tol=1e-10, max_iter=10_000).fit(x, y)
    np.testing.assert_allclose(ours.coef_, stock.coef_, atol=1e-4)
    np.testing.assert_allclose(ours.intercept_, stock.intercept_, atol=1e-4)


def test_the_signs_hold_where_the_data_disagree() -> None:
    x, y = _data()  # the truth: +x0, -x1, nothing for x2
    model = SignedLogisticRegression(signs=(-1, 1, 0)).fit(x, y)
    assert model.coef_[0, 0] == 0.0 and model.coef_[0, 1] == 0.0
    free = SignedLogisticRegression().fit(x, y)
    assert free.coef_[0, 0] > 0.5 and free.coef_[0, 1] < -0.5
    with pytest.raises(ValueError, match="signs"):
        SignedLogisticRegression(signs=(1,)).fit(x, y)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(-8, 8), min_size=20, max_size=200),
    st.integers(0, 2**16),
    st.booleans(),
)
def test_the_calibrated_probability_is_monotone_in_the_raw_score(
    scores: list[float], seed: int, many: bool
) -> None:
    rng = np.random.default_rng(seed)
    raw = np.array(scores * (60 if many else 1))  # isotonic needs ≥ 1000 rows, Platt below
    labels = (rng.random(len(raw)) < 0.5).astype(int)
    labels[:2] = [0, 1]
    calibrator = fit_calibrator(raw, labels)
    grid = np.sort(np.concatenate([raw, rng.uniform(-12, 12, 50)]))
    p = calibrated(calibrator, grid)
    assert np.all(np.diff(p) >= -1e-12)
    assert p.min() >= 0 and p.max() <= 1
