"""Logistic regression whose coefficients keep the sign the domain is sure of.

Outcomes exist only for the people the old process proposed, and among them some features
barely vary (nobody far away was proposed, nobody without the occupation was hired), so an
unconstrained fit can learn that distance helps or a required skill hurts and then apply that
to the whole pool. Where the direction is not in doubt (``SIGNS``) the coefficient is bounded
at zero on the other side: a monotone model in those features, still linear, so scoring stays
one mat-vec and contributions stay exact. scikit-learn's ``LogisticRegression`` has no bounds,
so this is a small estimator over ``scipy.optimize.minimize(method="L-BFGS-B")`` with the same
objective (L2 penalty ``1 / (2C) · ||w||²`` plus the weighted log-loss; intercept unpenalised).
"""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType
from typing import Any

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

SIGNS = MappingProxyType(
    {
        "required_coverage": 1, "optional_coverage": 1, "same_occupation": 1, "same_isco4": 1,
        "same_isco3": 1, "essential_share": 1, "sector_match": 1, "distance_km": -1,
        "within_travel": 1, "mobility": 1, "hours_fit": 1, "hours_floor": 1, "readiness": 1,
        "education_met": 1, "language_met": 1, "licence_met": 1, "available_by_start": 1,
        "required_experience": 1, "required_related": 1, "same_family": 1,
        "beyond_travel_km": -1, "distance_over_5km": 0, "distance_over_15km": 0,
        "distance_no_licence": -1, "hours_short": -1, "hours_excess": -1,
        "distance_over_10km": 0, "required_recorded": 1,
    }
)  # fmt: skip
"""+1: the effect is never negative; -1: never positive; 0: the data choose (the distance
hinges bend the distance effect either way, so its shape is free)."""


class SignedLogisticRegression(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Binary logistic regression with per-feature sign bounds on the coefficients.

    Parameters: ``C`` inverse L2 strength (as scikit-learn's); ``signs`` one of -1, 0, +1 per
    feature column (None: all free, plain logistic regression); ``max_iter``.
    Fitted: ``coef_`` (1 × F), ``intercept_`` (1,), ``classes_``, ``n_iter_``.

    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]]); y = np.array([1, 1, 0, 0])
    >>> float(SignedLogisticRegression(signs=(1,)).fit(X, y).coef_[0, 0])
    0.0
    """

    def __init__(  # scikit-learn's names: C, X
        self,
        C: float = 1.0,  # noqa: N803
        signs: Sequence[int] | None = None,
        max_iter: int = 1000,
    ) -> None:
        self.C = C
        self.signs = signs
        self.max_iter = max_iter

    def __sklearn_tags__(self) -> Any:
        """A binary classifier (scikit-learn's estimator checks then skip multi-class ones)."""
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> SignedLogisticRegression:  # noqa: N803
        """Minimise the penalised, weighted log-loss under the sign bounds."""
        X, y = validate_data(self, X, y, dtype=np.float64)  # noqa: N806
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) != 2:
            raise ValueError(
                f"Only binary classification is supported; got {len(self.classes_)} classes"
            )
        target = (y == self.classes_[1]).astype(np.float64)
        weight = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
        if weight.shape != (len(y),) or (weight < 0).any() or weight.sum() <= 0:
            raise ValueError("sample weights must be non-negative, one per row, not all zero")
        result = minimize(
            _loss, np.zeros(X.shape[1] + 1), args=(X, target, weight, 1.0 / self.C),
            jac=True, method="L-BFGS-B", bounds=self._bounds(X.shape[1]),
            options={"maxiter": self.max_iter, "ftol": 1e-12, "gtol": 1e-8},
        )  # fmt: skip
        self.intercept_ = result.x[:1].copy()
        self.coef_ = result.x[1:].reshape(1, -1).copy()
        self.n_iter_ = np.array([result.nit])
        return self

    def _bounds(self, n: int) -> list[tuple[float | None, float | None]]:
        signs = [0] * n if self.signs is None else list(self.signs)
        if len(signs) != n:
            raise ValueError(f"signs has {len(signs)} entries for {n} features")
        side = {1: (0.0, None), -1: (None, 0.0), 0: (None, None)}
        return [(None, None)] + [side[int(s)] for s in signs]

    def decision_function(self, X: Any) -> np.ndarray:  # noqa: N803
        """The logit per row."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)  # noqa: N806
        return np.asarray(X @ self.coef_[0] + self.intercept_[0])

    def predict_proba(self, X: Any) -> np.ndarray:  # noqa: N803
        """[P(class 0), P(class 1)] per row."""
        p = expit(self.decision_function(X))
        return np.column_stack([1 - p, p])

    def predict(self, X: Any) -> np.ndarray:  # noqa: N803
        """The more likely class per row."""
        positive = self.decision_function(X) > 0
        return np.asarray(self.classes_[positive.astype(int)])


def _loss(
    theta: np.ndarray, x: np.ndarray, y: np.ndarray, w: np.ndarray, alpha: float
) -> tuple[float, np.ndarray]:
    """Weighted log-loss + alpha/2 · ||coef||² and its gradient (intercept unpenalised)."""
    b, coef = theta[0], theta[1:]
    z = x @ coef + b
    loss = float(w @ (np.logaddexp(0.0, z) - y * z)) + 0.5 * alpha * float(coef @ coef)
    g = w * (expit(z) - y)
    return loss, np.concatenate([[g.sum()], x.T @ g + alpha * coef])
