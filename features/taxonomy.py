"""A vectorised index over taxonomy labels (ESCO) that ranks concepts for free-text queries.

Signals per (query, candidate concept): character n-gram TF-IDF and word TF-IDF (over
compound-split words) against the concept's labels, by label kind and language; rapidfuzz
scores against the concept's best label; agreement with the other candidates' group (ISCO group
or skill group); similarity to the concept's structural context (e.g. the labels of an
occupation's essential skills). A logistic regression learned from the taxonomy's own
label → concept pairs (see ``features.taxonomy_learning``) combines them into one probability.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from features.taxonomy_evidence import EvidenceModel, with_evidence_candidates
from features.taxonomy_morphology import learn_variants
from features.taxonomy_spelling import Speller
from features.taxonomy_text import CompoundSplitter, clean_all, fold, place_pattern

PREFERRED, ALTERNATIVE, HIDDEN = 0, 1, 2
DUTCH, ENGLISH = 0, 1
FEATURES: tuple[str, ...] = (
    "char",
    "char_nl",
    "char_preferred",
    "char_gap",
    "char_reciprocal_rank",
    "word",
    "word_nl",
    "word_gap",
    "context",
    "fuzz_ratio",
    "fuzz_token_set",
    "fuzz_token_sort",
    "group_vote",
    "best_is_hidden",
    "best_is_english",
    "exact",
    "word_exact",
    "log_labels",
)
"""Feature names, in the order of the columns of ``TaxonomyIndex.features``."""

_BATCH = 256
EVIDENCE_CANDIDATES = 10
"""Of the candidates of a query with evidence, this many come from the evidence."""
PARENT_CANDIDATES = 3
"""The groups of this many best candidates are candidates too (``with_parent_candidates``)."""


@dataclass(frozen=True)
class Ranking:
    """Ranked concepts per query: ``indices`` (n, top) with -1 padding, ``scores`` in [0, 1]."""

    indices: np.ndarray
    scores: np.ndarray


@dataclass(frozen=True)
class Candidates:
    """Candidate concepts per query (n, k) and their feature tensor (n, k, len(FEATURES))."""

    indices: np.ndarray
    features: np.ndarray


class TaxonomyIndex:
    """Labels of ``n_concepts`` concepts, vectorised for ranking; build with ``build_index``."""

    def __init__(
        self,
        labels: pd.DataFrame,
        *,
        n_concepts: int,
        groups: np.ndarray,
        context: Sequence[str],
        places: Sequence[str] = (),
        weights: Mapping[str, float] | None = None,
        candidates: int = 40,
        max_slots: int = 32,
        char_ngrams: tuple[int, int] = (3, 5),
        char_max_df: float = 0.02,
        parents: np.ndarray | None = None,
    ) -> None:
        labels = labels.assign(folded=[fold(t) for t in labels["text"]])
        order = np.lexsort((labels["kind"].to_numpy(), labels["concept"].to_numpy()))
        labels = labels.iloc[order].drop_duplicates(["concept", "folded"]).reset_index(drop=True)
        self.labels = labels
        self.n_concepts = n_concepts
        self.n_candidates = candidates
        self.label_concept = labels["concept"].to_numpy(dtype=np.int64)
        self.label_kind = labels["kind"].to_numpy(dtype=np.int8)
        self.label_lang = labels["lang"].to_numpy(dtype=np.int8)
        counts = np.bincount(self.label_concept, minlength=n_concepts)
        if (counts == 0).any():
            raise ValueError("every concept needs at least one label")
        self.starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        self.slots = _padded_slots(self.starts, np.minimum(counts, max_slots))
        self.log_labels = np.log1p(counts).astype(np.float32)
        self.groups = np.asarray(groups, dtype=np.int64)
        self.parents = None if parents is None else np.asarray(parents, dtype=np.int64)
        """Per concept, the concept that is its group (an occupation's ISCO unit group), -1."""
        texts = labels["folded"].tolist()
        vocabulary = Counter(w for t in texts for w in re.split(r"[^a-z]+", t) if w)
        self.splitter = CompoundSplitter(vocabulary)
        self.speller = Speller(vocabulary, splits=self.splitter.splits)
        self.places = place_pattern(places, keep=vocabulary)
        self.label_clean = clean_all(texts)
        split = self.splitter.split_all(self.label_clean)
        self.variants = learn_variants(split, self.label_concept)
        self.label_split = self.variants.texts(split)
        self.char = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=char_ngrams,
            max_df=char_max_df,
            sublinear_tf=True,
            dtype=np.float32,
        )
        self.char_t = self.char.fit_transform(self.variants.texts(self.label_clean)).T.tocsr()
        self.word = TfidfVectorizer(
            analyzer=str.split, sublinear_tf=True, dtype=np.float32, ngram_range=(1, 1)
        )
        self.word_t = self.word.fit_transform(self.label_split).T.tocsr()
        self.char.stop_words_ = None  # only for introspection, and large: keep it out of caches
        self.word.stop_words_ = None
        context_split = self.variants.texts(
            self.splitter.split_all(clean_all([fold(t) for t in context]))
        )
        self.context_t = self.word.transform(context_split).T.tocsr()
        self.weights = dict(weights) if weights is not None else dict(DEFAULT_WEIGHTS)
        self.evidence: EvidenceModel | None = None
        """Set by the builder where concepts have related items (occupations: skills)."""

    def prepare(self, queries: Sequence[str]) -> tuple[list[str], list[str]]:
        """Cleaned and compound-split forms of the queries."""
        cleaned = self.speller.texts(clean_all(queries, places=self.places, known=self.speller))
        return cleaned, self.variants.texts(self.splitter.split_all(cleaned))

    def candidates(
        self,
        queries: Sequence[str],
        *,
        exclude: np.ndarray | None = None,
        observed: sparse.csr_matrix | None = None,
        evidence: EvidenceModel | None = None,
    ) -> Candidates:
        """Candidate concepts and features; ``exclude`` hides one label per query (-1: none).

        With ``observed`` evidence and an evidence model (``evidence``, else the index's), the
        last ``EVIDENCE_CANDIDATES`` candidates of a query with evidence are the concepts its
        evidence covers most.
        """
        cleaned, split = self.prepare(queries)
        parts = []
        model = evidence if evidence is not None else self.evidence
        for lo in range(0, len(cleaned), _BATCH):
            hi = min(lo + _BATCH, len(cleaned))
            held = None if exclude is None else exclude[lo:hi]
            cover = None
            if model is not None and observed is not None:
                cover = model.coverage(observed[lo:hi])
            parts.append(self._batch(cleaned[lo:hi], split[lo:hi], held, cover))
        if not parts:
            k = self.n_candidates
            return Candidates(
                np.zeros((0, k), np.int64), np.zeros((0, k, len(FEATURES)), np.float32)
            )
        return Candidates(
            np.concatenate([p.indices for p in parts]), np.concatenate([p.features for p in parts])
        )

    def rank(
        self,
        queries: Sequence[str],
        *,
        top: int = 10,
        exclude: np.ndarray | None = None,
        observed: sparse.csr_matrix | None = None,
    ) -> Ranking:
        """Rank concepts for each query; the scores are the combined model's probabilities.

        ``observed`` (queries × items, binary) is evidence for ``self.evidence``: per query the
        items it carries (a vacancy's required skills); ignored when the index has no model.
        """
        cand = self.candidates(queries, exclude=exclude, observed=observed)
        if observed is not None and self.evidence is not None:
            scores = self.evidence.scores(cand.indices, self.logits(cand.features), observed)
        else:
            scores = self.score(cand.features)
        empty = cand.features[:, :, FEATURES.index("char")].max(axis=1, initial=0.0) <= 0
        scores[empty] = 0.0
        order = np.argsort(-scores, axis=1, kind="stable")[:, :top]
        indices = np.take_along_axis(cand.indices, order, axis=1)
        top_scores = np.take_along_axis(scores, order, axis=1)
        indices[top_scores <= 0] = -1
        return Ranking(indices, top_scores)

    def score(self, features: np.ndarray) -> np.ndarray:
        """Combine a feature tensor (..., len(FEATURES)) into probabilities with the weights."""
        probabilities: np.ndarray = (1.0 / (1.0 + np.exp(-self.logits(features)))).astype(
            np.float32
        )
        return probabilities

    def logits(self, features: np.ndarray) -> np.ndarray:
        """The weights' logit of a feature tensor (..., len(FEATURES))."""
        coef = np.array([self.weights.get(name, 0.0) for name in FEATURES], dtype=np.float32)
        logit: np.ndarray = features @ coef + np.float32(self.weights.get("intercept", 0.0))
        return logit

    def _batch(
        self,
        cleaned: list[str],
        split: list[str],
        exclude: np.ndarray | None,
        coverage: np.ndarray | None = None,
    ) -> Candidates:
        """Features for one batch of prepared queries (``coverage``: evidence per concept)."""
        char_p = self.char.transform(self.variants.texts(cleaned)) @ self.char_t
        word_q = self.word.transform(split)
        word_p = word_q @ self.word_t
        char_sim, word_sim = _dense(char_p, exclude), _dense(word_p, exclude)
        char_c = _concept_max(char_p, self.label_concept, self.n_concepts, exclude)
        word_c = _concept_max(word_p, self.label_concept, self.n_concepts, exclude)
        pre = char_c + 0.5 * word_c
        k = min(self.n_candidates, self.n_concepts)
        cand = np.argpartition(-pre, k - 1, axis=1)[:, :k]
        rows = np.arange(len(cleaned))[:, None]
        cand = np.take_along_axis(cand, np.argsort(-pre[rows, cand], axis=1), axis=1)
        if coverage is not None:
            cand = with_evidence_candidates(cand, coverage, extra=min(EVIDENCE_CANDIDATES, k))
        if self.parents is not None:
            cand = with_parent_candidates(cand, self.parents, top=min(PARENT_CANDIDATES, k // 2))
        slots = self.slots[cand]  # (b, k, L) label indices, -1 padded
        valid = slots >= 0
        safe = np.where(valid, slots, 0)
        char_l = np.where(valid, char_sim[rows[:, :, None], safe], -1.0)
        word_l = np.where(valid, word_sim[rows[:, :, None], safe], -1.0)
        best = np.take_along_axis(safe, char_l.argmax(axis=2)[:, :, None], axis=2)[:, :, 0]
        nl = valid & (self.label_lang[safe] == DUTCH)
        pref = valid & (self.label_kind[safe] == PREFERRED)
        context = _dense(word_q @ self.context_t, None)[rows, cand]
        feats = {
            "char": char_c[rows, cand],
            "char_nl": np.where(nl, char_l, 0).max(axis=2),
            "char_preferred": np.where(pref, char_l, 0).max(axis=2),
            "word": word_c[rows, cand],
            "word_exact": (word_c[rows, cand] >= 0.999).astype(np.float32),
            "word_nl": np.where(nl, word_l, 0).max(axis=2),
            "context": context,
            "group_vote": _group_vote(self.groups[cand], pre[rows, cand]),
            "best_is_hidden": (self.label_kind[best] == HIDDEN).astype(np.float32),
            "best_is_english": (self.label_lang[best] == ENGLISH).astype(np.float32),
            "log_labels": self.log_labels[cand],
        }
        feats.update(self._fuzz(cleaned, split, best))
        feats.update(_relative(feats["char"], feats["word"]))
        tensor = np.stack([feats[name] for name in FEATURES], axis=2).astype(np.float32)
        return Candidates(cand.astype(np.int64), tensor)

    def _fuzz(
        self, cleaned: list[str], split: list[str], best: np.ndarray
    ) -> dict[str, np.ndarray]:
        """rapidfuzz scores of each query against the best label of each candidate."""
        k = best.shape[1]
        queries = np.repeat(np.array(cleaned, dtype=object), k)
        queries_split = np.repeat(np.array(split, dtype=object), k)
        flat = best.ravel()
        labels = [self.label_clean[i] for i in flat]
        labels_split = [self.label_split[i] for i in flat]
        shape = best.shape
        ratio = process.cpdist(queries, labels, scorer=fuzz.ratio, dtype=np.float32)
        token_set = process.cpdist(
            queries_split, labels_split, scorer=fuzz.token_set_ratio, dtype=np.float32
        )
        token_sort = process.cpdist(
            queries_split, labels_split, scorer=fuzz.token_sort_ratio, dtype=np.float32
        )
        return {
            "fuzz_ratio": ratio.reshape(shape) / 100,
            "fuzz_token_set": token_set.reshape(shape) / 100,
            "fuzz_token_sort": token_sort.reshape(shape) / 100,
            "exact": (token_sort.reshape(shape) >= 100).astype(np.float32),
        }


DEFAULT_WEIGHTS: dict[str, float] = {
    "char": 4.0,
    "word": 2.0,
    "fuzz_token_sort": 2.0,
    "char_gap": 3.0,
    "exact": 2.0,
    "group_vote": 1.0,
    "intercept": -7.0,
}
"""Hand-set weights used only when no learned weights are given."""


def with_parent_candidates(cand: np.ndarray, parents: np.ndarray, *, top: int) -> np.ndarray:
    """Candidates (n, k) whose last places go to the groups of the first ``top`` candidates
    that are not candidates yet, so a broad title's group is scored even when no word of its
    label is in the title.

    >>> with_parent_candidates(np.array([[0, 1, 2, 3]]), np.array([4, 4, -1, -1, -1]), top=2)
    array([[0, 1, 2, 4]])
    """
    out = cand.copy()
    rows = np.arange(len(out))
    place = np.full(len(out), out.shape[1] - 1)
    for j in range(top):
        parent = parents[cand[:, j]]
        new = (parent >= 0) & ~(out == parent[:, None]).any(axis=1)
        out[rows[new], place[new]] = parent[new]
        place[new] -= 1
    return out


def _dense(product: sparse.spmatrix, exclude: np.ndarray | None) -> np.ndarray:
    """A similarity product as a dense float32 array, held-out labels zeroed."""
    dense = np.asarray(product.toarray(), dtype=np.float32)
    if exclude is not None:
        rows = np.flatnonzero(exclude >= 0)
        dense[rows, exclude[rows]] = 0.0
    return dense


def _concept_max(
    product: sparse.spmatrix,
    label_concept: np.ndarray,
    n_concepts: int,
    exclude: np.ndarray | None,
) -> np.ndarray:
    """(queries, concepts): the best similarity among each concept's labels, held-out labels
    left out; 0 where none shares a term.

    A max over the product's non-zeros (7 % of the pairs for character n-grams, 2 % for
    words) instead of ``np.maximum.reduceat`` over the dense matrix, which made 3,000 small
    reductions per query and was 42 % of the time of a ranking; the result is the same.
    """
    product = sparse.csr_matrix(product)
    rows = np.repeat(np.arange(product.shape[0]), np.diff(product.indptr))
    data = product.data.astype(np.float32)
    if exclude is not None:
        data[product.indices == exclude[rows]] = 0.0
    out = np.zeros(product.shape[0] * n_concepts, dtype=np.float32)
    np.maximum.at(out, rows * n_concepts + label_concept[product.indices], data)
    return out.reshape(product.shape[0], n_concepts)


def _padded_slots(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """(n_concepts, max_labels) label indices per concept, padded with -1."""
    width = int(counts.max())
    offsets = np.arange(width)[None, :]
    slots = starts[:, None] + offsets
    return np.where(offsets < counts[:, None], slots, -1)


def _group_vote(groups: np.ndarray, pre: np.ndarray) -> np.ndarray:
    """Share of the other candidates' pre-scores that falls in each candidate's group."""
    same = (groups[:, :, None] == groups[:, None, :]) & (groups[:, :, None] >= 0)
    mass = np.clip(pre, 0, None)
    votes = (same * mass[:, None, :]).sum(axis=2) - mass
    shares: np.ndarray = (votes / np.maximum(mass.sum(axis=1, keepdims=True), 1e-6)).astype(
        np.float32
    )
    return shares


def _relative(char: np.ndarray, word: np.ndarray) -> dict[str, np.ndarray]:
    """Each candidate's gap to the best candidate, and its reciprocal rank by char similarity."""
    rank = np.argsort(np.argsort(-char, axis=1, kind="stable"), axis=1)
    return {
        "char_gap": char - char.max(axis=1, keepdims=True),
        "word_gap": word - word.max(axis=1, keepdims=True),
        "char_reciprocal_rank": 1.0 / (1.0 + rank),
    }
