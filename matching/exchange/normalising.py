"""Free text to ESCO on import: the normaliser protocol and the rows it produces.

The normaliser itself lives in ``matching.normalisation``; the importer only needs something
with its ``best`` signature, so tests and callers can inject their own. Without a normaliser,
free text is kept with no concept and flagged for review. Cells that already hold an ESCO URI
pass through untouched (they were checked against the reference tables during validation).
A vacancy's title is normalised together with its required competences (their ESCO skill
URIs, the evidence), so one title can resolve differently for two vacancies.

What people decided comes first (``KnownTerms``): an organisation's synonym for a text wins for
the records of its municipalities, and a national code (CompetentNL URI, UWV beroepscode) with a
crosswalk entry maps exactly. A code without an entry is kept, normalised from the text that
came with it and flagged for review.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal, Protocol, runtime_checkable

from matching.exchange.codes import reading_text, split_code, text_key
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


class Ranked(Protocol):
    """One ranked concept, as ``matching.normalisation.Match`` provides it."""

    @property
    def uri(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def score(self) -> float: ...


@runtime_checkable
class TextRanker(Protocol):
    """Anything with ``rank(texts, *, kind, top)``, e.g. the ``matching.normalisation``
    module: the review queue shows its top candidates."""

    def rank(
        self, texts: Sequence[str], *, kind: TextKind, top: int = 10
    ) -> Sequence[Sequence[Ranked]]: ...


@dataclass(frozen=True)
class KnownTerms:
    """What people decided, consulted before the normaliser (module doc)."""

    synonyms: Mapping[tuple[str, str, str], str | None] = field(default_factory=dict)
    """(municipality code, kind, text key) → ESCO URI, or None: keep the text."""
    crosswalk: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """national code → (kind, ESCO URI)."""


@dataclass(frozen=True)
class Concept:
    """The concept chosen for one item, in the store's column names."""

    uri: str | None
    score: float | None
    runner_up_uri: str | None
    runner_up_score: float | None
    needs_review: bool


UNRESOLVED = Concept(None, None, None, None, True)
KEPT = Concept(None, None, None, None, False)
"""A text an organisation decided to keep as written (no concept fits)."""


class ConceptCache:
    """Resolves items to concepts once per distinct text (and evidence), calling the normaliser
    in batches."""

    def __init__(
        self,
        normaliser: TextNormaliser | None,
        *,
        threshold: float,
        terms: KnownTerms | None = None,
    ) -> None:
        self._normaliser = normaliser
        self._threshold = threshold
        self._terms = terms or KnownTerms()
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
        free: list[tuple[str, Evidence, str]] = []  # (item, evidence, text the normaliser reads)
        for item, found in todo:
            direct = self._direct(item, kind)
            if direct is not None:
                self._known[kind, item, found] = direct
            else:
                free.append((item, found, reading_text(item)))
        if not free:
            return
        if self._normaliser is None:
            self._known.update({(kind, i, e): UNRESOLVED for i, e, _ in free})
            return
        results = self._normaliser.best(
            [text for _, _, text in free],
            kind=kind,
            threshold=self._threshold,
            evidence=[e for _, e, _ in free] if any(e for _, e, _ in free) else None,
        )
        if len(results) != len(free):
            raise RuntimeError(f"normaliser returned {len(results)} results for {len(free)}")
        for (item, found, _), result in zip(free, results, strict=True):
            concept = Concept(
                result.uri,
                result.score,
                result.runner_up_uri,
                result.runner_up_score,
                bool(result.needs_review),
            )
            if split_code(item) is not None:  # a code without a crosswalk entry
                concept = replace(concept, needs_review=True)
            self._known[kind, item, found] = concept

    def _direct(self, item: str, kind: TextKind) -> Concept | None:
        """The concept of an item that needs no normaliser (an ESCO URI, a crosswalked code,
        a code without text), or None."""
        parts = split_code(item)
        if parts is not None:
            entry = self._terms.crosswalk.get(parts[0])
            if entry is not None and entry[0] == kind:
                return Concept(entry[1], URI_SCORE, None, None, False)
            return None if parts[1] else UNRESOLVED
        if is_uri(item):
            return Concept(item, URI_SCORE, None, None, False)
        return None

    def concept(
        self,
        item: str,
        *,
        kind: TextKind,
        evidence: Evidence = NO_EVIDENCE,
        municipality: str | None = None,
    ) -> Concept:
        """The concept of an item already resolved (with the same evidence); an organisation
        synonym for the item in ``municipality`` comes first."""
        if municipality is not None and self._terms.synonyms:
            key = (municipality, kind, text_key(item))
            if key in self._terms.synonyms:
                uri = self._terms.synonyms[key]
                return KEPT if uri is None else Concept(uri, URI_SCORE, None, None, False)
        return self._known[kind, item, evidence]

    def evidence(self, items: Sequence[str]) -> Evidence:
        """The ESCO skill URIs of resolved competence items, sorted and without repeats."""
        uris = (self._known[("skill", item, NO_EVIDENCE)].uri for item in items)
        return tuple(sorted({uri for uri in uris if uri is not None}))
