"""Free text to ESCO on import: the normaliser protocol and the rows it produces.

The normaliser itself lives in ``matching.normalisation``; the importer only needs something
with its ``best`` signature, so tests and callers can inject their own. Without a normaliser,
free text is kept with no concept and flagged for review. Cells that already hold an ESCO URI
pass through untouched (they were checked against the reference tables during validation).
A vacancy's title is normalised together with its required competences (their ESCO skill
URIs, the evidence), so one title can resolve differently for two vacancies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from matching.exchange.values import is_uri

TextKind = Literal["occupation", "skill"]
Evidence = tuple[str, ...]
"""Skill URIs that come with a text, sorted (a vacancy's required competences)."""
URI_SCORE = 1.0  # a URI given by the source is taken as certain
NO_EVIDENCE: Evidence = ()


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
    """Anything with ``best(texts, *, kind, threshold, evidence)``, e.g. the
    ``matching.normalisation`` module."""

    def best(
        self,
        texts: Sequence[str],
        *,
        kind: TextKind,
        threshold: float,
        evidence: Sequence[Sequence[str]] | None = None,
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
    """Resolves items to concepts once per distinct text (and evidence), calling the normaliser
    in batches."""

    def __init__(self, normaliser: TextNormaliser | None, *, threshold: float) -> None:
        self._normaliser = normaliser
        self._threshold = threshold
        self._known: dict[tuple[TextKind, str, Evidence], Concept] = {}

    def resolve(
        self,
        items: Sequence[str],
        *,
        kind: TextKind,
        evidence: Sequence[Evidence] | None = None,
    ) -> None:
        """Normalise every new free-text item of ``items`` in one call; ``evidence`` (parallel
        to ``items``) are the skill URIs that come with each."""
        given = evidence if evidence is not None else [NO_EVIDENCE] * len(items)
        pairs = zip(items, given, strict=True)
        todo = sorted({(i, e) for i, e in pairs if (kind, i, e) not in self._known})
        free = [(item, found) for item, found in todo if not is_uri(item)]
        for item, found in todo:
            if is_uri(item):
                self._known[kind, item, found] = Concept(item, URI_SCORE, None, None, False)
        if not free:
            return
        if self._normaliser is None:
            self._known.update({(kind, i, e): UNRESOLVED for i, e in free})
            return
        results = self._normaliser.best(
            [i for i, _ in free],
            kind=kind,
            threshold=self._threshold,
            evidence=[e for _, e in free] if any(e for _, e in free) else None,
        )
        if len(results) != len(free):
            raise RuntimeError(f"normaliser returned {len(results)} results for {len(free)}")
        for (item, found), result in zip(free, results, strict=True):
            self._known[kind, item, found] = Concept(
                result.uri,
                result.score,
                result.runner_up_uri,
                result.runner_up_score,
                bool(result.needs_review),
            )

    def concept(self, item: str, *, kind: TextKind, evidence: Evidence = NO_EVIDENCE) -> Concept:
        """The concept of an item already resolved (with the same evidence)."""
        return self._known[kind, item, evidence]

    def evidence(self, items: Sequence[str]) -> Evidence:
        """The ESCO skill URIs of resolved competence items, sorted and without repeats."""
        uris = (self._known[("skill", item, NO_EVIDENCE)].uri for item in items)
        return tuple(sorted({uri for uri in uris if uri is not None}))
