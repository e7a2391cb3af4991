"""Benchmarks of the title normaliser: MELO (Dutch titles → ESCO) and JobBERT (English titles).

MELO ranks the dataset's own corpus elements (surface forms). Ranks are assigned from the
normaliser's concept ranking as follows, for each query:

1. the normaliser ranks ESCO occupations and ISCO groups alike (its candidate list, up to
   ``top`` concepts; a group is a concept of its own, as in MELO's corpus);
2. each ranked concept that has elements in the dataset's corpus contributes its first corpus
   element, in the normaliser's concept order (ranks 1, 2, …);
3. then the remaining elements of those ranked concepts, in the same concept order;
4. then every other corpus element (concepts the normaliser did not rank), in corpus order.

This is a complete ranking of all corpus elements, so trec_eval's reciprocal rank and success@k
on it are exactly the paper's metrics: a query is correct at k if any surface form of a
correct concept is ranked ≤ k. Within a concept all surface forms are equally relevant, so the
choice of which element comes first does not change any reported metric.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from matching.normalisation import Normaliser

MELO_TOP = 40


def reciprocal_ranks(ranks: np.ndarray) -> np.ndarray:
    """1 / rank per query, 0 where the rank is 0 (nothing relevant retrieved).

    >>> reciprocal_ranks(np.array([1, 4, 0])).tolist()
    [1.0, 0.25, 0.0]
    """
    ranks = np.asarray(ranks, dtype=np.float64)
    reciprocal: np.ndarray = np.divide(1.0, ranks, out=np.zeros_like(ranks), where=ranks > 0)
    return reciprocal


def success_at(ranks: np.ndarray, k: int) -> float:
    """Share of queries whose first relevant item is at rank 1..k.

    >>> success_at(np.array([1, 4, 0, 11]), 5)
    0.5
    """
    ranks = np.asarray(ranks)
    return float(np.mean((ranks > 0) & (ranks <= k)))


def first_relevant_rank(order: np.ndarray, relevant: np.ndarray) -> int:
    """1-based rank of the first relevant item in ``order`` (item ids), 0 if none.

    >>> first_relevant_rank(np.array([5, 2, 9]), np.array([9, 2]))
    2
    """
    hits = np.flatnonzero(np.isin(order, relevant))
    return int(hits[0]) + 1 if len(hits) else 0


def element_order(ranked_concepts: list[str], element_concepts: np.ndarray) -> np.ndarray:
    """Order of all corpus elements from a concept ranking (see the module docstring)."""
    n = len(element_concepts)
    position = {uri: i for i, uri in enumerate(dict.fromkeys(ranked_concepts))}
    concept_rank = np.array([position.get(c, -1) for c in element_concepts], dtype=np.int64)
    ranked = concept_rank >= 0
    first = np.zeros(n, dtype=bool)
    _, first_idx = np.unique(np.where(ranked, concept_rank, -1), return_index=True)
    first[first_idx] = True
    first &= ranked
    tier = np.where(first, 0, np.where(ranked, 1, 2))
    secondary = np.where(ranked, concept_rank, 0)
    return np.lexsort((np.arange(n), secondary, tier))


@dataclass(frozen=True)
class BenchResult:
    """Metrics of one benchmark run."""

    dataset: str
    queries: int
    mrr: float
    acc_at_1: float
    r_at_5: float
    r_at_10: float
    titles_per_second: float

    def as_dict(self) -> dict[str, float | int | str]:
        """Plain dict for JSON output."""
        return asdict(self)


def _tsv(path: Path, names: list[str]) -> pd.DataFrame:
    """A header-less MELO TSV file as strings."""
    return pd.read_csv(
        path, sep="\t", header=None, names=names, dtype=str, keep_default_na=False, quoting=3
    )


def _timed_rank(
    normaliser: Normaliser, texts: list[str], top: int
) -> tuple[list[list[str]], float]:
    """Ranked occupation URIs per text and the titles per second."""
    start = time.perf_counter()
    matches = normaliser.occupations(texts, top=top)
    elapsed = time.perf_counter() - start
    return [[m.uri for m in row] for row in matches], len(texts) / max(elapsed, 1e-9)


def run_melo(directory: Path, normaliser: Normaliser) -> BenchResult:
    """Evaluate on one MELO-format dataset directory."""
    queries = _tsv(directory / "queries.tsv", ["query_id", "text"])
    corpus = _tsv(directory / "corpus_elements.tsv", ["element_id", "text"])
    qrels = _tsv(directory / "annotations.tsv", ["query_id", "iteration", "element_id", "rel"])
    mapping = _tsv(directory / "concept_mapping.tsv", ["element_id", "uri"])
    element_concepts = corpus["element_id"].map(mapping.set_index("element_id")["uri"]).fillna("")
    element_index = pd.Series(np.arange(len(corpus)), index=corpus["element_id"])
    relevant = qrels.loc[qrels["rel"].astype(int) > 0].groupby("query_id")["element_id"].agg(list)
    ranked, speed = _timed_rank(normaliser, queries["text"].tolist(), MELO_TOP)
    concepts = element_concepts.to_numpy()
    ranks = np.array(
        [
            first_relevant_rank(
                element_order(row, concepts),
                element_index.reindex(relevant.get(qid, [])).dropna().to_numpy(),
            )
            for qid, row in zip(queries["query_id"], ranked, strict=True)
        ]
    )
    return _result(directory.name, ranks, speed)


def run_jobbert(path: Path, normaliser: Normaliser, *, top: int = MELO_TOP) -> BenchResult:
    """Evaluate on the JobBERT titles file: rank ESCO occupations for each vacancy title."""
    titles = pd.read_csv(path, dtype=str, keep_default_na=False)
    ranked, speed = _timed_rank(normaliser, titles["vacancyTitle"].tolist(), top)
    ranks = np.array(
        [
            row.index(gold) + 1 if gold in row else 0
            for row, gold in zip(ranked, titles["conceptUri"], strict=True)
        ]
    )
    return _result(path.name, ranks, speed)


def _result(name: str, ranks: np.ndarray, speed: float) -> BenchResult:
    """Metrics from first-relevant ranks."""
    return BenchResult(
        dataset=name,
        queries=len(ranks),
        mrr=round(float(reciprocal_ranks(ranks).mean()), 4),
        acc_at_1=round(success_at(ranks, 1), 4),
        r_at_5=round(success_at(ranks, 5), 4),
        r_at_10=round(success_at(ranks, 10), 4),
        titles_per_second=round(speed, 1),
    )
