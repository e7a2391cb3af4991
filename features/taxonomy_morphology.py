"""Word variants learned from the taxonomy's own labels: gender forms and spelling variants.

ESCO gives many concepts both a masculine and a feminine Dutch label (``medewerker`` /
``medewerkster``, ``directeur`` / ``directrice``, ``docent`` / ``docente``) and spelling variants
(``electricien`` / ``elektricien``). Two labels of one concept that differ in exactly one word
give a word pair; pairs that look alike (a shared stem) and recur in several concepts are
variants of one word. Each variant maps to the most frequent word of its class, and the suffix
changes those pairs show (``-ster`` → ``-er``, ``-rice`` → ``-eur``, ``-e`` → ``''``) map words the
labels never use (``begeleidster`` → ``begeleider``, only if ``begeleider`` is a label word).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz

from features.word_maps import WordMapping

MIN_CONCEPTS = 2
"""A word pair must occur in at least this many concepts to count as variants."""
MIN_STEM = 3
"""Variants share at least this many leading characters."""
MIN_SIMILARITY = 70.0
"""Variants have at least this rapidfuzz ratio (so synonyms such as hoofd/manager stay apart)."""
MIN_RULE_COUNT = 3
"""A suffix change must be seen in this many variant pairs to be applied to unseen words."""


@dataclass
class WordVariants(WordMapping):
    """A map from word variants to a canonical word, plus suffix rules for unseen words."""

    canonical: dict[str, str]
    rules: list[tuple[str, str]]
    vocabulary: frozenset[str]
    _cache: dict[str, str] = field(default_factory=dict, repr=False)

    def _map(self, word: str) -> str:
        """The canonical form of one word (itself when it has none)."""
        return self.canonical.get(word) or self._by_rule(word) or word

    def _by_rule(self, word: str) -> str | None:
        """A label word reached by one learned suffix change, for words the labels lack."""
        if word in self.vocabulary or len(word) < 5:
            return None
        for old, new in self.rules:
            if word.endswith(old):
                guess = word[: len(word) - len(old)] + new
                if guess in self.vocabulary and len(guess) >= MIN_STEM + 1:
                    return self.canonical.get(guess, guess)
        return None


def word_pairs(texts: Sequence[str], concepts: np.ndarray) -> Counter[tuple[str, str]]:
    """Per word pair, the number of concepts with two labels differing only in that word."""
    by_concept: dict[int, set[tuple[str, ...]]] = {}
    for text, concept in zip(texts, concepts.tolist(), strict=True):
        by_concept.setdefault(concept, set()).add(tuple(text.split()))
    pairs: Counter[tuple[str, str]] = Counter()
    for forms in by_concept.values():
        seen: set[tuple[str, str]] = set()
        ordered = sorted(forms)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if len(a) != len(b):
                    continue
                diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
                if len(diff) == 1:
                    seen.add((min(diff[0]), max(diff[0])))
        pairs.update(seen)
    return pairs


def learn_variants(texts: Sequence[str], concepts: np.ndarray) -> WordVariants:
    """Variant classes and suffix rules from labels (split, cleaned) and their concepts."""
    counts = Counter(w for t in texts for w in t.split())
    pairs = [
        (a, b)
        for (a, b), n in word_pairs(texts, concepts).items()
        if n >= MIN_CONCEPTS and _alike(a, b)
    ]
    parent: dict[str, str] = {}
    for a, b in pairs:
        parent[_root(parent, a)] = _root(parent, b)
    classes: dict[str, list[str]] = {}
    for word in parent:
        classes.setdefault(_root(parent, word), []).append(word)
    canonical = {}
    for members in classes.values():
        head = max(members, key=lambda w: (counts[w], -len(w), w))
        canonical.update({w: head for w in members if w != head})
    return WordVariants(canonical, _rules(pairs, counts), frozenset(counts))


def _alike(a: str, b: str) -> bool:
    """Whether two words look like variants of one word rather than synonyms."""
    return _stem_length(a, b) >= MIN_STEM and fuzz.ratio(a, b) >= MIN_SIMILARITY


def _stem_length(a: str, b: str) -> int:
    """Length of the common leading characters of two words."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _root(parent: dict[str, str], word: str) -> str:
    """Union-find root of a word (path-halving)."""
    parent.setdefault(word, word)
    while parent[word] != word:
        parent[word] = parent[parent[word]]
        word = parent[word]
    return word


def _rules(pairs: Sequence[tuple[str, str]], counts: Mapping[str, int]) -> list[tuple[str, str]]:
    """Suffix changes from the rarer to the commoner word, longest first."""
    seen: Counter[tuple[str, str]] = Counter()
    for a, b in pairs:
        rare, common = (a, b) if counts[a] < counts[b] else (b, a)
        stem = _stem_length(rare, common)
        if rare[stem:]:
            seen[(rare[stem:], common[stem:])] += 1
    rules = [rule for rule, n in seen.items() if n >= MIN_RULE_COUNT]
    return sorted(rules, key=lambda r: (-len(r[0]), r))
