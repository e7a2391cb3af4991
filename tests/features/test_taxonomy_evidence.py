"""Tests of the evidence model: coverage features, scores and evidence candidates by hand."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from features.taxonomy_evidence import (
    EVIDENCE_FEATURES,
    EvidenceModel,
    observed_matrix,
    relation_matrix,
    with_evidence_candidates,
)

# three concepts, four items: concept 0 has items 0, 1 essential and 2 optional; concept 1 has
# item 2 essential; concept 2 has item 3 essential
ESSENTIAL = relation_matrix(np.array([0, 0, 1, 2]), np.array([0, 1, 2, 3]), n_concepts=3, n_items=4)
OPTIONAL = relation_matrix(np.array([0]), np.array([2]), n_concepts=3, n_items=4)
WEIGHTS = {"title_logit": 1.0, "lead": 2.0, "intercept": -0.5}


def test_features_by_hand() -> None:
    """Items {0, 2}: concept 0 covers both (one essential, one optional counted half: 0.75),
    concept 1 covers item 2 (0.5), concept 2 none; leads 0.75 - 0.5, 0.5 - 0.75, 0 - 0.75."""
    model = EvidenceModel(ESSENTIAL, OPTIONAL, WEIGHTS)
    observed = observed_matrix([[0, 2, 2]], n_items=4)  # a repeated item counts once
    logits = np.array([[-1.0, 0.0, 3.0]], dtype=np.float32)
    features = model.features(np.array([[0, 1, 2]]), logits, observed)[0]
    column = {name: features[:, i].tolist() for i, name in enumerate(EVIDENCE_FEATURES)}
    assert column["essential"] == [0.5, 0.5, 0.0]
    assert column["optional"] == [0.5, 0.0, 0.0]
    assert column["lead"] == [0.25, -0.25, -0.75]
    assert column["title_lead"] == [-4.0, -3.0, 3.0]
    assert column["uncovered_title"] == [0.0, 0.0, 3.0]  # concept 2's title, contradicted
    np.testing.assert_allclose(column["covered_items"], np.log1p([2, 1, 0]), rtol=1e-6)
    np.testing.assert_allclose(column["lead_items"], np.array([0.25, -0.25, -0.75]) * np.log(3))


def test_scores_combine_title_and_evidence_and_leave_queries_without_evidence_alone() -> None:
    model = EvidenceModel(ESSENTIAL, OPTIONAL, WEIGHTS)
    observed = observed_matrix([[0, 2], []], n_items=4)
    logits = np.array([[-1.0, 0.0, 3.0], [-1.0, 0.0, 3.0]], dtype=np.float32)
    scores = model.scores(np.array([[0, 1, 2], [0, 1, 2]]), logits, observed)
    # with evidence: -1 + 2 * 0.25 - 0.5 = -1; 0 + 2 * -0.25 - 0.5 = -1; 3 - 2 * 0.75 - 0.5 = 1
    np.testing.assert_allclose(scores[0], 1 / (1 + np.exp([1.0, 1.0, -1.0])), rtol=1e-6)
    np.testing.assert_allclose(scores[1], 1 / (1 + np.exp([1.0, 0.0, -3.0])), rtol=1e-6)


def test_coverage_is_the_share_of_the_items() -> None:
    model = EvidenceModel(ESSENTIAL, OPTIONAL, WEIGHTS)
    coverage = model.coverage(observed_matrix([[0, 2], [3], []], n_items=4))
    np.testing.assert_allclose(coverage, [[1.0, 0.5, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]])


def test_evidence_candidates_replace_the_tail_only_with_evidence() -> None:
    candidates = np.array([[4, 3, 2, 1], [4, 3, 2, 1]])
    coverage = np.array([[0.0, 0.0, 0.4, 0.9, 0.0, 0.7], [0.0] * 6])
    out = with_evidence_candidates(candidates, coverage, extra=2)
    # row 0 keeps 4, 3; concept 3 (0.9) is a candidate already, so 5 (0.7) and 2 (0.4) come in
    assert out.tolist() == [[4, 3, 5, 2], [4, 3, 2, 1]]
    assert candidates.tolist() == [[4, 3, 2, 1], [4, 3, 2, 1]]  # the input is not changed


def test_observed_matrix_shapes() -> None:
    matrix = observed_matrix([], n_items=4)
    assert matrix.shape == (0, 4)
    assert sparse.csr_matrix(observed_matrix([[1], []], n_items=4)).getnnz(axis=1).tolist() == [
        1,
        0,
    ]
