"""Learn how to combine the ``TaxonomyIndex`` signals from the taxonomy's own labels.

Training queries are held-out labels: hide one label of a concept, query with its text (often
with real-title noise added), and learn to find the concept through its other labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from features.taxonomy import DUTCH, FEATURES, TaxonomyIndex
from features.taxonomy_evidence import EVIDENCE_FEATURES, EvidenceModel, observed_matrix

GENDER_SUFFIXES = (" (m/v)", " (m/v/x)", " m/v/x", " (v/m)", " M/V")
HOURS = (" 24 uur", " 32-40 uur", " 16 uur per week", " fulltime", " parttime 0,8 fte")
SENIORITY = ("Allround ", "Junior ", "Senior ", "Leerling ", "Ervaren ", "Medior ")


@dataclass(frozen=True)
class HoldoutQueries:
    """Query texts, the concept each belongs to and the label hidden while querying."""

    texts: list[str]
    concepts: np.ndarray
    exclude: np.ndarray


def holdout_queries(
    index: TaxonomyIndex,
    *,
    n: int,
    dutch_share: float = 0.7,
    verbatim_share: float = 0.0,
    seed: int = 0,
) -> HoldoutQueries:
    """Sample ``n`` labels of concepts that have other labels; ``dutch_share`` of them Dutch.

    A ``verbatim_share`` of the labels stays visible (real titles often are an ESCO label).
    """
    rng = np.random.default_rng(seed)
    counts = np.bincount(index.label_concept, minlength=index.n_concepts)
    eligible = counts[index.label_concept] >= 2
    dutch = np.flatnonzero(eligible & (index.label_lang == DUTCH))
    other = np.flatnonzero(eligible & (index.label_lang != DUTCH))
    n_dutch = min(len(dutch), round(n * dutch_share)) if len(other) else min(len(dutch), n)
    picked = np.concatenate(
        [
            rng.choice(dutch, size=n_dutch, replace=False),
            rng.choice(other, size=min(len(other), n - n_dutch), replace=False),
        ]
    ).astype(np.int64)
    texts = [str(index.labels["text"].iloc[i]) for i in picked]
    exclude = np.where(rng.random(len(picked)) < verbatim_share, -1, picked)
    return HoldoutQueries(texts, index.label_concept[picked], exclude)


def add_noise(
    texts: Sequence[str], *, places: Sequence[str], rate: float = 0.5, seed: int = 0
) -> list[str]:
    """Add real-title noise to about ``rate`` of the texts: marks, hours, places, typos."""
    rng = np.random.default_rng(seed)
    out = []
    for text in texts:
        if rng.random() >= rate:
            out.append(text)
            continue
        noisy = text
        if rng.random() < 0.4:
            noisy = _typo(noisy, rng)
        if rng.random() < 0.3:
            noisy = SENIORITY[rng.integers(len(SENIORITY))] + noisy
        if rng.random() < 0.4:
            noisy += GENDER_SUFFIXES[rng.integers(len(GENDER_SUFFIXES))]
        if rng.random() < 0.3:
            noisy += HOURS[rng.integers(len(HOURS))]
        if places and rng.random() < 0.3:
            noisy += " " + places[int(rng.integers(len(places)))]
        out.append(noisy.capitalize() if rng.random() < 0.5 else noisy)
    return out


def _typo(text: str, rng: np.random.Generator) -> str:
    """One random deletion, duplication or swap of letters inside the text."""
    if len(text) < 5:
        return text
    i = int(rng.integers(1, len(text) - 2))
    kind = rng.integers(3)
    if kind == 0:
        return text[:i] + text[i + 1 :]
    if kind == 1:
        return text[:i] + text[i] + text[i:]
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def fit_weights(
    index: TaxonomyIndex, queries: HoldoutQueries, *, regularisation: float = 1.0
) -> dict[str, float]:
    """Pairwise logistic ranker (held-out concept above each other candidate), Platt-scaled."""
    cand = index.candidates(queries.texts, exclude=queries.exclude)
    target = cand.indices == queries.concepts[:, None]
    found = target.any(axis=1)
    positive = cand.features[found][target[found]]  # one positive per query that found it
    diffs = positive[:, None, :] - cand.features[found]  # (q, k, f); the positive's own row is 0
    # A candidate that has the query text itself as a label is as right as the held-out
    # concept (ESCO shares labels between concepts): never train it as a negative.
    shares_label = cand.features[found][:, :, FEATURES.index("exact")] > 0
    negative = ~target[found] & ~shares_label
    pairs = diffs[negative]
    ranker = LogisticRegression(C=regularisation, fit_intercept=False, max_iter=2000)
    ranker.fit(np.concatenate([pairs, -pairs]), np.repeat([1, 0], len(pairs)))
    direction = ranker.coef_[0]
    # Platt scaling of the ranking score gives probabilities that are calibrated-ish.
    score = (cand.features @ direction).reshape(-1, 1)
    platt = LogisticRegression(max_iter=1000).fit(score, target.ravel())
    scale, intercept = float(platt.coef_[0, 0]), float(platt.intercept_[0])
    weights = {name: scale * float(w) for name, w in zip(FEATURES, direction, strict=True)}
    weights["intercept"] = intercept
    return weights


def holdout_mrr(
    index: TaxonomyIndex,
    queries: HoldoutQueries,
    *,
    top: int = 10,
    observed: sparse.csr_matrix | None = None,
) -> float:
    """Mean reciprocal rank of each held-out query's own concept (0 if not in the top)."""
    ranking = index.rank(queries.texts, top=top, exclude=queries.exclude, observed=observed)
    hits = ranking.indices == queries.concepts[:, None]
    first = np.where(hits.any(axis=1), hits.argmax(axis=1) + 1, np.inf)
    return float(np.mean(1.0 / first))


def sample_evidence(
    concepts: np.ndarray,
    essential: sparse.csr_matrix,
    optional: sparse.csr_matrix,
    *,
    seed: int = 0,
    most: int = 8,
    optional_share: float = 0.2,
    foreign_rate: float = 0.3,
) -> sparse.csr_matrix:
    """Evidence as an employer lists it: per query 1 to ``most`` items of its concept, each an
    optional one with probability ``optional_share`` (else essential), and for ``foreign_rate``
    of the queries one or two essential items of another concept (requirements the taxonomy
    does not tie to the occupation)."""
    rng = np.random.default_rng(seed)
    rows: list[list[int]] = []
    for concept in concepts.tolist():
        size = int(rng.integers(1, most + 1))
        n_optional = int(rng.binomial(size, optional_share))
        picked = _some(essential, concept, size - n_optional, rng)
        picked += _some(optional, concept, n_optional, rng)
        if picked and rng.random() < foreign_rate:
            other = int(rng.integers(essential.shape[0]))
            picked += _some(essential, other, int(rng.integers(1, 3)), rng)
        rows.append(picked)
    return observed_matrix(rows, n_items=essential.shape[1])


def _some(
    relation: sparse.csr_matrix, concept: int, size: int, rng: np.random.Generator
) -> list[int]:
    """Up to ``size`` distinct random items of one concept's row."""
    own = relation.indices[relation.indptr[concept] : relation.indptr[concept + 1]]
    size = min(size, len(own))
    return rng.choice(own, size=size, replace=False).tolist() if size > 0 else []


def fit_evidence(
    index: TaxonomyIndex,
    queries: HoldoutQueries,
    observed: sparse.csr_matrix,
    model: EvidenceModel,
    *,
    regularisation: float = 1.0,
) -> dict[str, float]:
    """Logistic weights over ``EVIDENCE_FEATURES``: is this candidate the query's concept?

    Fitted pointwise on every candidate of the queries that carry evidence (the right concept
    missing from the candidates included), so the probabilities are calibrated as they are.
    """
    cand = index.candidates(
        queries.texts, exclude=queries.exclude, observed=observed, evidence=model
    )
    features = model.features(cand.indices, index.logits(cand.features), observed)
    has = np.asarray(observed.getnnz(axis=1) > 0)
    target = cand.indices[has] == queries.concepts[has, None]
    fitted = LogisticRegression(C=regularisation, max_iter=2000)
    fitted.fit(features[has].reshape(-1, len(EVIDENCE_FEATURES)), target.ravel())
    weights = {f: float(w) for f, w in zip(EVIDENCE_FEATURES, fitted.coef_[0], strict=True)}
    weights["intercept"] = float(fitted.intercept_[0])
    return weights
