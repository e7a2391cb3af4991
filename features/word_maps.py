"""A per-word mapping applied to texts, cached per word (spelling, word variants)."""

from __future__ import annotations

from collections.abc import Sequence


class WordMapping:
    """``word``, ``text`` and ``texts`` over one ``_map(word)``; subclasses give ``_map`` and
    a ``_cache`` dict (a word's result is computed once)."""

    _cache: dict[str, str]

    def _map(self, word: str) -> str:
        raise NotImplementedError

    def word(self, word: str) -> str:
        """The mapped form of one word (the word itself when it has none)."""
        found = self._cache.get(word)
        if found is None:
            found = self._map(word)
            self._cache[word] = found
        return found

    def text(self, text: str) -> str:
        """Each word of a cleaned, split text mapped, joined by spaces."""
        return " ".join(self.word(w) for w in text.split())

    def texts(self, texts: Sequence[str]) -> list[str]:
        """Many texts mapped."""
        return [self.text(t) for t in texts]
