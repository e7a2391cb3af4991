"""One-edit spelling correction of title words against the words of the taxonomy's labels.

Employers mistype (``Medeewrker kassen``, ``Manddenmaker``). Character n-grams still find the
concept, but with far less confidence, so a title that was right is often kept as text. A
query word that no label has, that is long enough and that the compound splitter cannot split,
is replaced by the label word one edit away (a deletion, insertion, substitution or swap of
neighbours), the most frequent one if there are several. Candidates come from an index of
every vocabulary word with one letter deleted (the symmetric-delete method), so a lookup is a
few probes instead of a scan of the vocabulary. The index is two numpy arrays (CRC-32 of each
deleted form, sorted, and its word), because a dict of 190,000 strings made loading the
cached normaliser 1.7 s slower; a CRC collision only adds a candidate that the edit-distance
check then drops.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator, Mapping

import numpy as np
from rapidfuzz.distance import OSA

from features.word_maps import WordMapping

MIN_LENGTH = 5
"""Shorter words are left alone: one edit turns too many short words into other words."""


class Speller(WordMapping):
    """Corrects words one edit away from a vocabulary word; see the module docstring.

    >>> speller = Speller({"medewerker": 9, "magazijn": 3})
    >>> speller.text("medeewrker magazijn")
    'medewerker magazijn'
    >>> "medeewrker" in speller, "velsen" in speller
    (True, False)
    """

    def __init__(
        self,
        counts: Mapping[str, int],
        *,
        splits: Callable[[str], bool] | None = None,
        min_length: int = MIN_LENGTH,
    ) -> None:
        self.counts = {w: n for w, n in counts.items() if w.isalpha()}
        self.min_length = min_length
        self._splits = splits
        self.words = sorted(w for w in self.counts if len(w) >= min_length - 1)
        pairs = [(_crc(v), i) for i, w in enumerate(self.words) for v in _deletes(w)]
        table = np.array(pairs, dtype=np.int64).reshape(-1, 2)
        order = np.argsort(table[:, 0], kind="stable")
        self.keys = table[order, 0].astype(np.uint32)
        self.ids = table[order, 1].astype(np.int32)
        self._cache: dict[str, str] = {}

    def __contains__(self, word: object) -> bool:
        """Whether a word is a label word, a compound of label words, or one edit from a label
        word (a mistyped word in a title's tail carries the occupation as much as any)."""
        if not isinstance(word, str):
            return False
        return word in self.counts or self.word(word) != word or self._is_compound(word)

    def _map(self, word: str) -> str:
        return self._correct(word)

    def _correct(self, word: str) -> str:
        """The most frequent vocabulary word one edit away, if the word is unknown."""
        if len(word) < self.min_length or word in self.counts or not word.isalpha():
            return word
        variants = list(_deletes(word))
        # the word lacks one letter, or has one substituted or swapped: shared deleted forms
        candidates = set(self._with_deleted([word, *variants]))
        candidates.update(v for v in variants if v in self.counts)  # one letter too many
        close = [c for c in candidates if OSA.distance(word, c, score_cutoff=1) <= 1]
        if not close or self._is_compound(word):
            return word
        return max(close, key=lambda c: (self.counts[c], c))

    def _with_deleted(self, forms: list[str]) -> list[str]:
        """Vocabulary words that give one of ``forms`` with one letter deleted (and CRC
        collisions, which the caller's edit-distance check drops)."""
        keys = np.array([_crc(f) for f in forms], dtype=np.uint32)
        lo = np.searchsorted(self.keys, keys, side="left")
        hi = np.searchsorted(self.keys, keys, side="right")
        return [self.words[i] for a, b in zip(lo, hi, strict=True) for i in self.ids[a:b]]

    def _is_compound(self, word: str) -> bool:
        """Whether the splitter splits the word into label words."""
        return self._splits is not None and self._splits(word)


def _crc(text: str) -> int:
    """A stable 32-bit hash of a text (Python's own ``hash`` changes between processes)."""
    return zlib.crc32(text.encode())


def _deletes(word: str) -> Iterator[str]:
    """The word with each one of its letters left out."""
    return (word[:i] + word[i + 1 :] for i in range(len(word)))
