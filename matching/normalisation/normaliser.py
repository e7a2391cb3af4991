"""Normalise free-text job titles and competences to ESCO occupations and skills."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse

from features.occupations import ISCO_PREFIX
from features.taxonomy import TaxonomyIndex
from features.taxonomy_evidence import EvidenceModel, observed_matrix, relation_matrix
from matching.errors import InvalidInput
from matching.normalisation.cache import cache_key, load_or_build
from matching.normalisation.labels import (
    TableReader,
    concept_level,
    group_display,
    label_frame,
    occupation_table,
    with_aliases,
    without_generic,
)

Kind = Literal["occupation", "skill"]
Evidence = Sequence[Sequence[str]]
"""Per text, the ESCO skill URIs that come with it (a vacancy's required competences)."""
EVIDENCE_WEIGHTS = "occupation_evidence"
"""Key of the evidence model's weights in ``matching/normalisation/weights.json``."""
ESCO_PREFIX = "http://data.europa.eu/esco/"
WEIGHTS_PATH = Path(__file__).with_name("weights.json")
EXTRA_PLACES: tuple[str, ...] = ("Den Haag", "Den Bosch", "Randstad", "Nederland", "regio")
"""Common place names in titles that are not municipality names."""


@dataclass(frozen=True)
class Match:
    """One ranked ESCO concept: ``score`` and ``confidence`` in [0, 1]."""

    uri: str
    label: str
    score: float
    confidence: float


@dataclass(frozen=True)
class NormalisedText:
    """The chosen concept for one text; ``uri`` is None (and ``needs_review``) below threshold."""

    text: str
    uri: str | None
    score: float
    runner_up_uri: str | None
    runner_up_score: float | None
    needs_review: bool


@dataclass(frozen=True)
class ConceptIndex:
    """A ``TaxonomyIndex`` with the URIs and display labels of its concepts, and the column of
    each evidence item (skill URI) of its evidence model, if it has one."""

    index: TaxonomyIndex
    uris: np.ndarray
    display: np.ndarray
    position: dict[str, int]
    items: dict[str, int] = field(default_factory=dict)

    def observed(self, evidence: Evidence) -> sparse.csr_matrix:
        """The evidence as a binary (texts × items) matrix; unknown URIs are left out."""
        rows = [[self.items[u] for u in uris if u in self.items] for uris in evidence]
        return observed_matrix(rows, n_items=len(self.items))


def _display(table: pd.DataFrame) -> np.ndarray:
    """Dutch preferred label where present, else English."""
    dutch = table["label_nl"].fillna("").astype(str)
    labels: np.ndarray = np.where(
        dutch.str.len() > 0, dutch, table["label_en"].fillna("").astype(str)
    )
    return labels


def _codes(values: pd.Series) -> np.ndarray:
    """Integer codes of a categorical column, -1 where missing."""
    codes, _ = pd.factorize(values.fillna("").astype(str).replace("", pd.NA))
    return np.asarray(codes, dtype=np.int64)


def _context(uris: pd.Series, pairs: pd.DataFrame, texts: pd.Series) -> list[str]:
    """Per concept, the joined texts of the concepts it is related to through ``pairs``."""
    joined = pairs.assign(text=pairs["other"].map(texts)).dropna(subset=["text"])
    grouped = joined.groupby("uri")["text"].agg(" ".join)
    context: list[str] = grouped.reindex(uris).fillna("").astype(str).tolist()
    return context


def _weights(key: str) -> dict[str, float] | None:
    """Learned weights (a kind, or ``EVIDENCE_WEIGHTS``) from the JSON written by
    ``matching.normalisation.training``."""
    if not WEIGHTS_PATH.exists():
        return None
    data = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    weights: dict[str, float] | None = data.get(key)
    return weights


def evidence_model(
    occupations: pd.DataFrame, read: TableReader, weights: dict[str, float]
) -> tuple[EvidenceModel, dict[str, int]]:
    """The occupations' essential and optional skills as an evidence model, and skill columns."""
    items = {uri: i for i, uri in enumerate(read("skills")["uri"].astype(str))}
    rows = {uri: i for i, uri in enumerate(occupations["uri"].astype(str))}
    relations = read("occupation_skills")
    matrices = []
    for relation in ("essential", "optional"):
        pairs = relations.loc[relations["relation"] == relation]
        concept = pairs["occupation_uri"].map(rows)
        item = pairs["skill_uri"].map(items)
        known = concept.notna() & item.notna()
        matrices.append(
            relation_matrix(
                concept[known].to_numpy(np.int64),
                item[known].to_numpy(np.int64),
                n_concepts=len(rows),
                n_items=len(items),
            )
        )
    return EvidenceModel(matrices[0], matrices[1], weights), items


def _places(read: TableReader) -> list[str]:
    """Municipality names plus common aliases, or only the aliases if the table is missing."""
    try:
        names = read("municipalities")["name"].dropna().astype(str).tolist()
    except (KeyError, FileNotFoundError, ValueError):
        names = []
    return [*names, *EXTRA_PLACES]


def build_concept_index(
    kind: Kind,
    read: TableReader,
    *,
    weights: bool = True,
    aliases: Mapping[str, Sequence[str]] | None = None,
) -> ConceptIndex:
    """Build the occupation (with the ISCO groups) or skill index from the reference tables;
    ``aliases`` (URI → texts) become extra alternative Dutch labels of those concepts."""
    skills = read("skills")
    occupations = occupation_table(read)
    if aliases and kind == "occupation":
        occupations = with_aliases(occupations, aliases)
    elif aliases:
        skills = with_aliases(skills, aliases)
    relations = read("occupation_skills")
    essential = relations.loc[relations["relation"] == "essential"]
    if kind == "occupation":
        table = occupations
        pref = pd.Series(_display(skills), index=skills["uri"])
        pairs = essential.rename(columns={"occupation_uri": "uri", "skill_uri": "other"})
        groups = _codes(table["isco_group"])
    else:
        table = skills
        pref = pd.Series(_display(occupations), index=occupations["uri"])
        pairs = essential.rename(columns={"skill_uri": "uri", "occupation_uri": "other"})
        broader = read("skill_broader").drop_duplicates("uri").set_index("uri")["broader_uri"]
        groups = _codes(table["uri"].map(broader))
    labels = label_frame(table)
    index = TaxonomyIndex(
        without_generic(labels) if kind == "occupation" else labels,
        n_concepts=len(table),
        groups=groups,
        context=_context(table["uri"], pairs[["uri", "other"]], pref),
        places=_places(read),
        parents=_parents(table) if kind == "occupation" else None,
        weights=_weights(kind) if weights else None,
    )
    uris = table["uri"].astype(str).to_numpy()
    position = {uri: i for i, uri in enumerate(uris)}
    display = np.array(
        [
            group_display(d) if concept_level(u) == "group" else d
            for u, d in zip(uris, _display(table), strict=True)
        ],
        dtype=object,
    )
    learned = _weights(EVIDENCE_WEIGHTS) if weights and kind == "occupation" else None
    if not learned:
        return ConceptIndex(index, uris, display, position)
    index.evidence, items = evidence_model(table, read, learned)
    return ConceptIndex(index, uris, display, position, items)


def _parents(table: pd.DataFrame) -> np.ndarray:
    """Per row of the occupation table, the row of its ISCO group (an occupation's unit group,
    a group's parent group), -1 where there is none."""
    row = {uri: i for i, uri in enumerate(table["uri"].astype(str))}
    codes = table["isco_group"].fillna("").astype(str)
    groups = table["uri"].map(lambda u: concept_level(str(u)) == "group")
    wanted = np.where(groups, codes.str[:-1], codes)
    return np.array([row.get(f"{ISCO_PREFIX}{c}", -1) if c else -1 for c in wanted], np.int64)


def _default_reader() -> TableReader:
    """``matching.reference.read_table``, imported late so this module imports cheaply."""
    from matching.reference import read_table

    return read_table


@functools.cache
def concept_index(kind: Kind) -> ConceptIndex:
    """The process-wide index of one kind: loaded from the on-disk cache, or built and cached."""
    from matching.reference import manifest
    from matching.settings import Settings

    key = cache_key(kind, reference_sha256=manifest().sha256)
    directory = Settings().var_dir / "cache"
    return load_or_build(
        kind, lambda: build_concept_index(kind, _default_reader()), directory=directory, key=key
    )


class Normaliser:
    """Rank ESCO occupations for job titles and ESCO skills for competence texts."""

    def __init__(self, indexes: Callable[[Kind], ConceptIndex] = concept_index) -> None:
        self._indexes = indexes

    def occupations(self, texts: Sequence[str], *, top: int = 10) -> list[list[Match]]:
        """Top ``top`` occupations per title."""
        return self.rank(texts, kind="occupation", top=top)

    def skills(self, texts: Sequence[str], *, top: int = 10) -> list[list[Match]]:
        """Top ``top`` skills per competence text."""
        return self.rank(texts, kind="skill", top=top)

    def rank(
        self, texts: Sequence[str], *, kind: Kind, top: int = 10, evidence: Evidence | None = None
    ) -> list[list[Match]]:
        """Top ``top`` concepts of ``kind`` per text; ESCO URIs pass through with score 1.

        ``evidence`` (occupations only): per text the skill URIs that come with it; with them,
        the candidates of the title are scored by title and skills together.
        """
        concepts = self._indexes(kind)
        results: list[list[Match]] = [[] for _ in texts]
        free = [i for i, text in enumerate(texts) if not _is_uri(text)]
        for i, text in enumerate(texts):
            if _is_uri(text):
                results[i] = [_uri_match(concepts, text.strip(), kind)]
        observed = None
        if evidence is not None and concepts.index.evidence is not None:
            observed = concepts.observed([evidence[i] for i in free])
        ranking = concepts.index.rank([texts[i] for i in free], top=top, observed=observed)
        for row, i in enumerate(free):
            results[i] = _matches(concepts, ranking.indices[row], ranking.scores[row])
        return results

    def best(
        self,
        texts: Sequence[str],
        *,
        kind: Kind,
        threshold: float,
        evidence: Evidence | None = None,
    ) -> list[NormalisedText]:
        """The chosen concept per text (de-duplicated internally); below threshold: review."""
        keys = [
            (text, () if evidence is None else tuple(sorted(set(evidence[i]))))
            for i, text in enumerate(texts)
        ]
        unique = list(dict.fromkeys(keys))
        ranked = self.rank(
            [t for t, _ in unique],
            kind=kind,
            top=2,
            evidence=None if evidence is None else [e for _, e in unique],
        )
        chosen = dict(zip(unique, ranked, strict=True))
        return [_chosen(key[0], chosen[key], threshold) for key in keys]


def best(
    texts: Sequence[str], *, kind: Kind, threshold: float, evidence: Evidence | None = None
) -> list[NormalisedText]:
    """The chosen ESCO concept per text with the process-wide index; see ``Normaliser.best``."""
    return Normaliser().best(texts, kind=kind, threshold=threshold, evidence=evidence)


def rank(
    texts: Sequence[str], *, kind: Kind, top: int = 10, evidence: Evidence | None = None
) -> list[list[Match]]:
    """Top ``top`` concepts per text with the process-wide index; see ``Normaliser.rank``."""
    return Normaliser().rank(texts, kind=kind, top=top, evidence=evidence)


def candidates_json(text: str, matches: Sequence[Match]) -> dict[str, object]:
    """The JSON shape shared by the CLI's JSON lines and ``GET /normalise``."""
    return {
        "text": text,
        "candidates": [{"uri": m.uri, "label": m.label, "score": m.score} for m in matches],
    }


def _is_uri(text: str) -> bool:
    """Whether a text is an ESCO URI rather than free text."""
    return text.strip().startswith(ESCO_PREFIX)


def _uri_match(concepts: ConceptIndex, uri: str, kind: Kind) -> Match:
    """A known URI as a certain match; an unknown one is invalid input."""
    position = concepts.position.get(uri)
    if position is None:
        raise InvalidInput(f"unknown ESCO {kind} URI: {uri}")
    return Match(uri, str(concepts.display[position]), 1.0, 1.0)


def _matches(concepts: ConceptIndex, indices: np.ndarray, scores: np.ndarray) -> list[Match]:
    """Matches for one ranked row; confidence shares probability mass among the candidates."""
    keep = indices >= 0
    indices, scores = indices[keep], scores[keep].astype(float)
    mass = max(1.0, float(scores.sum()))
    return [
        Match(str(concepts.uris[i]), str(concepts.display[i]), float(s), float(s / mass))
        for i, s in zip(indices, scores, strict=True)
    ]


def _chosen(text: str, matches: list[Match], threshold: float) -> NormalisedText:
    """Apply the threshold to the top match and keep the runner-up."""
    top = matches[0] if matches else None
    runner = matches[1] if len(matches) > 1 else None
    accepted = top is not None and top.score >= threshold
    return NormalisedText(
        text=text,
        uri=top.uri if accepted and top is not None else None,
        score=top.score if top is not None else 0.0,
        runner_up_uri=runner.uri if runner is not None else None,
        runner_up_score=runner.score if runner is not None else None,
        needs_review=not accepted,
    )
