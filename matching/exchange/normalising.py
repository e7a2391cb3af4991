"""Free text to ESCO on import: the normaliser protocol and the rows it produces.

The normaliser itself lives in ``matching.normalisation``; the importer only needs something
with its ``best`` signature, so tests and callers can inject their own. Without a normaliser,
free text is kept with no concept and flagged for review. Cells that already hold an ESCO URI
pass through untouched (they were checked against the reference tables during validation).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from matching.exchange.values import is_uri

TextKind = Literal["occupation", "skill"]
URI_SCORE = 1.0  # a URI given by the source is taken as certain


class Normalised(Protocol):
    """One normalised text, as ``matching.normalisation.NormalisedText`` provides it."""

    @property
    def text(self) -> str: ...
    @property
    def uri(self) -> str | None: ...
    @property
    def score(self) -> float: ...
    @property
    def runner_up_uri(self) -> str | None: ...
    @property
    def runner_up_score(self) -> float | None: ...
    @property
    def needs_review(self) -> bool: ...


class TextNormaliser(Protocol):
    """Anything with ``best(texts, *, kind, threshold)``, e.g. the ``matching.normalisation``
    module."""

    def best(
        self, texts: Sequence[str], *, kind: TextKind, threshold: float
    ) -> Sequence[Normalised]: ...


@dataclass(frozen=True)
class Concept:
    """The concept chosen for one item, in the store's column names."""

    uri: str | None
    score: float | None
    runner_up_uri: str | None
    runner_up_score: float | None
    needs_review: bool


UNRESOLVED = Concept(None, None, None, None, True)


class ConceptCache:
    """Resolves items to concepts once per distinct text, calling the normaliser in batches."""

    def __init__(self, normaliser: TextNormaliser | None, *, threshold: float) -> None:
        self._normaliser = normaliser
        self._threshold = threshold
        self._known: dict[tuple[TextKind, str], Concept] = {}

    def resolve(self, items: Sequence[str], *, kind: TextKind) -> None:
        """Normalise every new free-text item of ``items`` in one call."""
        todo = sorted({item for item in items if (kind, item) not in self._known})
        free = [item for item in todo if not is_uri(item)]
        for item in todo:
            if is_uri(item):
                self._known[kind, item] = Concept(item, URI_SCORE, None, None, False)
        if not free:
            return
        if self._normaliser is None:
            self._known.update({(kind, item): UNRESOLVED for item in free})
            return
        results = self._normaliser.best(free, kind=kind, threshold=self._threshold)
        if len(results) != len(free):
            raise RuntimeError(f"normaliser returned {len(results)} results for {len(free)}")
        for item, result in zip(free, results, strict=True):
            self._known[kind, item] = Concept(
                result.uri,
                result.score,
                result.runner_up_uri,
                result.runner_up_score,
                bool(result.needs_review),
            )

    def concept(self, item: str, *, kind: TextKind) -> Concept:
        """The concept of an item already resolved."""
        return self._known[kind, item]
