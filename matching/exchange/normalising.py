"""Free text to ESCO on import: the normaliser protocol and the rows it produces.

The normaliser itself lives in ``matching.normalisation``; the importer only needs something
with its ``best`` signature, so tests and callers can inject their own. Without a normaliser,
free text is kept with no concept and flagged for review. Cells that already hold an ESCO URI
pass through untouched (they were checked against the reference tables during validation).
A vacancy's title is normalised together with its required competences (their ESCO skill
URIs, the evidence), so one title can resolve differently for two vacancies.

What people decided comes first (``KnownTerms``): an organisation's synonym for a text wins for
the records of the municipalities it alone covers, and a national code (CompetentNL URI, UWV
beroepscode) with a crosswalk entry maps exactly. A code without an entry is kept, normalised
from the text that came with it and flagged for review. The other texts of those records are
normalised with the organisation's synonyms as aliases (its own index, ``for_organisation``),
when the normaliser offers that.
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


Aliases = Mapping[TextKind, Mapping[str, Sequence[str]]]
"""An organisation's synonyms as aliases: kind → ESCO URI → the texts chosen for it."""


@runtime_checkable
class OrganisationNormalisers(Protocol):
    """A normaliser that can rank with an organisation's aliases, e.g. the
    ``matching.normalisation`` module (``for_organisation``)."""

    def for_organisation(self, organisation_id: str, aliases: Aliases) -> TextNormaliser: ...


@dataclass(frozen=True)
class KnownTerms:
    """What people decided, consulted before the normaliser (module doc)."""

    synonyms: Mapping[tuple[str, str, str], str | None] = field(default_factory=dict)
    """(municipality code, kind, text key) → ESCO URI, or None: keep the text."""
    crosswalk: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """national code → (kind, ESCO URI)."""
    owners: Mapping[str, str] = field(default_factory=dict)
    """municipality code → the one organisation that covers it (shared ones are left out)."""
    aliases: Mapping[str, Aliases] = field(default_factory=dict)
    """organisation id → its synonyms as aliases (only organisations that have some)."""

    def lexicon(self, municipality: str | None) -> str | None:
        """The organisation whose aliases normalise the records of ``municipality``, or None."""
        owner = self.owners.get(municipality) if municipality is not None else None
        return owner if owner in self.aliases else None


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
    """Resolves items to concepts once per distinct text (and evidence) and lexicon (the
    organisation whose aliases apply, or None), calling the normaliser in batches."""

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
        self._known: dict[tuple[str | None, TextKind, str, Evidence], Concept] = {}
        self._normalisers: dict[str, TextNormaliser] = {}

    def _lexicon(self, municipality: str | None) -> str | None:
        """Whose aliases normalise the items of ``municipality`` (None: no one's)."""
        if not isinstance(self._normaliser, OrganisationNormalisers):
            return None
        return self._terms.lexicon(municipality)

    def _normaliser_of(self, lexicon: str | None) -> TextNormaliser | None:
        """The normaliser of one lexicon, made once per run."""
        if lexicon is None or not isinstance(self._normaliser, OrganisationNormalisers):
            return self._normaliser
        if lexicon not in self._normalisers:
            aliases = self._terms.aliases[lexicon]
            self._normalisers[lexicon] = self._normaliser.for_organisation(lexicon, aliases)
        return self._normalisers[lexicon]

    def resolve(
        self,
        items: Sequence[str],
        *,
        kind: TextKind,
        evidence: Sequence[Evidence] | None = None,
        municipalities: Sequence[str | None] | None = None,
    ) -> None:
        """Normalise every new free-text item of ``items`` in one call per lexicon;
        ``evidence`` and ``municipalities`` (parallel to ``items``) are the skill URIs that
        come with each and where its record lives."""
        given = evidence if evidence is not None else [NO_EVIDENCE] * len(items)
        towns = municipalities if municipalities is not None else [None] * len(items)
        todo: dict[str | None, set[tuple[str, Evidence]]] = {}
        for item, found, town in zip(items, given, towns, strict=True):
            lexicon = self._lexicon(town)
            if (lexicon, kind, item, found) not in self._known:
                todo.setdefault(lexicon, set()).add((item, found))
        for lexicon in sorted(todo, key=lambda name: name or ""):
            self._resolve(sorted(todo[lexicon]), kind=kind, lexicon=lexicon)

    def _resolve(
        self, todo: Sequence[tuple[str, Evidence]], *, kind: TextKind, lexicon: str | None
    ) -> None:
        free: list[tuple[str, Evidence, str]] = []  # (item, evidence, text the normaliser reads)
        for item, found in todo:
            direct = self._direct(item, kind)
            if direct is not None:
                self._known[lexicon, kind, item, found] = direct
            else:
                free.append((item, found, reading_text(item)))
        if not free:
            return
        normaliser = self._normaliser_of(lexicon)
        if normaliser is None:
            self._known.update({(lexicon, kind, i, e): UNRESOLVED for i, e, _ in free})
            return
        results = normaliser.best(
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
            self._known[lexicon, kind, item, found] = concept

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
        """The concept of an item already resolved (with the same evidence, for the same
        municipality); an organisation synonym for the item in ``municipality`` comes first."""
        if municipality is not None and self._terms.synonyms:
            key = (municipality, kind, text_key(item))
            if key in self._terms.synonyms:
                uri = self._terms.synonyms[key]
                return KEPT if uri is None else Concept(uri, URI_SCORE, None, None, False)
        return self._known[self._lexicon(municipality), kind, item, evidence]

    def evidence(self, items: Sequence[str], *, municipality: str | None = None) -> Evidence:
        """The ESCO skill URIs of resolved competence items, sorted and without repeats."""
        lexicon = self._lexicon(municipality)
        uris = (self._known[(lexicon, "skill", item, NO_EVIDENCE)].uri for item in items)
        return tuple(sorted({uri for uri in uris if uri is not None}))
