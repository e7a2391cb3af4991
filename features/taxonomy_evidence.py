"""Choosing among a title's candidate concepts with related evidence: a vacancy's competences.

A title alone is often ambiguous (``Medewerker kassen``: a greenhouse worker or a cashier?),
while the competences the employer requires are ESCO skills already. Each candidate occupation
of the title is scored by how much of that evidence its own essential and optional skills
cover, and a logistic model combines the title's logit with that coverage into one
probability, learned from the taxonomy itself (``features.taxonomy_learning.fit_evidence``).
Queries without evidence keep the title's probability unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy import sparse

EVIDENCE_FEATURES: tuple[str, ...] = (
    "title_logit",
    "title_lead",
    "essential",
    "optional",
    "lead",
    "lead_items",
    "covered_items",
    "uncovered_title",
)
"""Columns of ``EvidenceModel.features``, in order."""


OPTIONAL_WEIGHT = 0.5
"""An optional item counts half an essential one in the lead (siblings share optional skills)."""


@dataclass(frozen=True)
class EvidenceModel:
    """Relations concept → item (``essential``, ``optional``: binary CSR, concepts × items) and
    the logistic weights over ``EVIDENCE_FEATURES`` (plus ``intercept``)."""

    essential: sparse.csr_matrix
    optional: sparse.csr_matrix
    weights: Mapping[str, float]

    def features(
        self, candidates: np.ndarray, logits: np.ndarray, observed: sparse.csr_matrix
    ) -> np.ndarray:
        """(n, k, len(EVIDENCE_FEATURES)) for candidates (n, k) of queries with ``observed``
        evidence (n × items, binary); rows without evidence get zero coverage.

        ``title_lead``: the title logit minus the best title logit among the other candidates;
        ``essential`` / ``optional``: share of the query's items that are essential / optional
        items of the candidate; ``lead``: the candidate's share (optional items counted half)
        minus the best such share among the other candidates (> 0 only for the one that covers
        the most);
        ``lead_items``: the lead times log(1 + number of items), as more items are stronger
        evidence; ``covered_items``: log(1 + items covered); ``uncovered_title``: the title
        logit when the candidate covers none of the evidence (a title the evidence contradicts).

        >>> model = EvidenceModel(
        ...     sparse.csr_matrix(np.array([[1, 1, 0], [0, 0, 1]], np.float32)),
        ...     sparse.csr_matrix(np.array([[0, 0, 1], [0, 0, 0]], np.float32)),
        ...     {},
        ... )
        >>> observed = sparse.csr_matrix(np.array([[1, 0, 1]], np.float32))
        >>> features = model.features(np.array([[0, 1]]), np.array([[0.5, 2.0]]), observed)
        >>> rows = np.round(features[0].astype(float), 3).tolist()
        >>> rows[0]  # concept 0: 1 of 2 items essential, 1 optional; leads by 0.75 - 0.5
        [0.5, -1.5, 0.5, 0.5, 0.25, 0.275, 1.099, 0.0]
        >>> rows[1]  # concept 1: 1 of 2 items essential; 1.5 ahead on the title
        [2.0, 1.5, 0.5, 0.0, -0.25, -0.275, 0.693, 0.0]
        """
        observed = sparse.csr_matrix(observed, dtype=np.float32)
        count = np.asarray(observed.sum(axis=1)).ravel()[:, None]
        share = 1.0 / np.maximum(count, 1.0)
        essential = _gather(observed, self._essential_t, candidates)
        optional = _gather(observed, self._optional_t, candidates)
        total = (essential + OPTIONAL_WEIGHT * optional) * share
        lead = total - _best_other(total)
        uncovered = np.where(total > 0, 0.0, logits)
        stacked = np.stack(
            [
                logits,
                logits - _best_other(logits),
                essential * share,
                optional * share,
                lead,
                lead * np.log1p(count),
                np.log1p(essential + optional),
                uncovered,
            ],
            axis=2,
        )
        return stacked.astype(np.float32)

    def coverage(self, observed: sparse.csr_matrix) -> np.ndarray:
        """(queries, concepts): share of each query's items that are items of each concept."""
        observed = sparse.csr_matrix(observed, dtype=np.float32)
        count = np.maximum(np.asarray(observed.sum(axis=1)).ravel(), 1.0)[:, None]
        covered = np.asarray((observed @ self._related_t).toarray(), dtype=np.float32)
        share: np.ndarray = covered / count
        return share

    @cached_property
    def _essential_t(self) -> sparse.csc_matrix:
        """Items × concepts, for products with the evidence."""
        return self.essential.T.tocsc()

    @cached_property
    def _optional_t(self) -> sparse.csc_matrix:
        """Items × concepts, for products with the evidence."""
        return self.optional.T.tocsc()

    @cached_property
    def _related_t(self) -> sparse.csc_matrix:
        """Items × concepts, essential or optional."""
        related: sparse.csc_matrix = (self.essential + self.optional).T.tocsc()
        return related

    def scores(
        self, candidates: np.ndarray, logits: np.ndarray, observed: sparse.csr_matrix
    ) -> np.ndarray:
        """Probabilities (n, k): the evidence model where a query has evidence, else the title's."""
        coef = np.array([self.weights.get(f, 0.0) for f in EVIDENCE_FEATURES], dtype=np.float32)
        combined = self.features(candidates, logits, observed) @ coef
        combined += np.float32(self.weights.get("intercept", 0.0))
        has = np.asarray(sparse.csr_matrix(observed).getnnz(axis=1) > 0)[:, None]
        out: np.ndarray = _sigmoid(np.where(has, combined, logits))
        return out


def with_evidence_candidates(
    candidates: np.ndarray, coverage: np.ndarray, *, extra: int
) -> np.ndarray:
    """Candidates (n, k) whose last ``extra`` places go, in rows with evidence, to the concepts
    the evidence covers most that are not candidates yet; places left keep their candidate.

    >>> coverage = np.array([[0.0, 0.0, 0.5, 1.0], [0.0, 0.0, 0.0, 0.0]])
    >>> with_evidence_candidates(np.array([[0, 2, 1], [0, 1, 2]]), coverage, extra=2).tolist()
    [[0, 3, 2], [0, 1, 2]]
    """
    out = candidates.copy()
    k = candidates.shape[1]
    head = k - extra
    for row in np.flatnonzero(coverage.max(axis=1, initial=0.0) > 0):
        kept = set(candidates[row, :head].tolist())
        best = np.argsort(-coverage[row], kind="stable")[: k + extra]
        added = [c for c in best.tolist() if coverage[row, c] > 0 and c not in kept][:extra]
        rest = [c for c in candidates[row, head:].tolist() if c not in added]
        out[row, head:] = (added + rest)[:extra]
    return out


def relation_matrix(
    concepts: np.ndarray, items: np.ndarray, *, n_concepts: int, n_items: int
) -> sparse.csr_matrix:
    """A binary (n_concepts × n_items) CSR matrix from parallel position arrays."""
    data = np.ones(len(concepts), dtype=np.float32)
    matrix = sparse.csr_matrix((data, (concepts, items)), shape=(n_concepts, n_items))
    matrix.data[:] = 1.0  # duplicate pairs count once
    return matrix


def observed_matrix(rows: list[list[int]], *, n_items: int) -> sparse.csr_matrix:
    """A binary (len(rows) × n_items) CSR matrix of the items each query carries."""
    indptr = np.cumsum([0, *(len(set(r)) for r in rows)])
    parts = [np.array(sorted(set(r)), dtype=np.int64) for r in rows]
    indices = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    data = np.ones(len(indices), dtype=np.float32)
    return sparse.csr_matrix((data, indices.astype(np.int64), indptr), shape=(len(rows), n_items))


def _best_other(values: np.ndarray) -> np.ndarray:
    """(n, k): per entry, the largest value among the other entries of its row."""
    if values.shape[1] < 2:
        return np.zeros_like(values)
    order = np.sort(values, axis=1)
    first, second = order[:, -1:], order[:, -2:-1]
    return np.where(values >= first, second, first)


def _gather(
    observed: sparse.csr_matrix, transposed: sparse.csc_matrix, candidates: np.ndarray
) -> np.ndarray:
    """(n, k): how many of each query's items a relation (items × concepts) gives each of its
    candidates; in chunks, so the dense (queries × concepts) product stays small."""
    out = np.zeros(candidates.shape, dtype=np.float32)
    for lo in range(0, candidates.shape[0], _CHUNK):
        hi = min(lo + _CHUNK, candidates.shape[0])
        dense = np.asarray((observed[lo:hi] @ transposed).toarray(), dtype=np.float32)
        out[lo:hi] = np.take_along_axis(dense, np.maximum(candidates[lo:hi], 0), axis=1)
    return out


_CHUNK = 512


def _sigmoid(logits: np.ndarray) -> np.ndarray:
    """The logistic function, float32."""
    out: np.ndarray = (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)
    return out
