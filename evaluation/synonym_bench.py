"""Do an organisation's stored synonyms lift the title normaliser on its other texts?

Simulated on the ESCO hold-out the normaliser's weights are judged on (held-out occupation
labels with real-title noise, as in ``matching.normalisation.training``), never on benchmark
queries:

1. ``labels`` Dutch labels of occupations and ISCO groups are held out: removed from the index,
   as real titles are seldom ESCO labels.
2. The organisation's stream of ``texts`` titles draws those labels with Zipf frequencies (a few
   titles recur often, most are rare) and writes each occurrence with its own real-title noise
   (gender marks, hours, places, typos), so the same title recurs in different forms.
3. The first ``corrected`` share of the stream is reviewed: each text is stored as a synonym of
   its concept (by ``text_key``, as ``matching.review.synonyms`` stores them).
4. The rest is ranked three ways: the normaliser alone; with the exact synonyms first (what
   import and ``normalise`` do today); and with the synonym texts also as extra Dutch labels of
   their concepts in an index for this organisation only (aliases).

MRR is over the occurrences of the rest (top 10, 0 beyond); over the occurrences whose text
was never corrected (where exact synonyms cannot help); and over those whose title was never
corrected in any form (where aliases should neither help nor hurt).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from evaluation.normalisation_bench import reciprocal_ranks
from features.taxonomy import DUTCH
from features.taxonomy_learning import add_noise
from matching.exchange.codes import text_key
from matching.normalisation import ConceptIndex, Normaliser, build_concept_index
from matching.normalisation.labels import TableReader

SEED = 20261203
TOP = 10
_LABEL_COLUMNS = ("label_nl", "alt_labels_nl", "hidden_labels_nl")


@dataclass(frozen=True)
class SynonymBenchResult:
    """MRR on the uncorrected rest of the stream, without and with the synonyms."""

    texts: int
    corrected: int
    synonyms: int
    rest: int
    rest_new_texts: int
    mrr_plain: float
    mrr_exact: float
    mrr_aliases: float
    mrr_new_texts_plain: float
    mrr_new_texts_aliases: float
    rest_unseen_titles: int
    mrr_unseen_titles_plain: float
    mrr_unseen_titles_aliases: float

    def as_dict(self) -> dict[str, float | int]:
        """Plain dict for JSON output."""
        return asdict(self)


def _held_out(concepts: ConceptIndex, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """``n`` Dutch labels (uri, text) of concepts that keep at least one other label."""
    labels = concepts.index.labels
    counts = labels.groupby("concept")["text"].transform("size")
    eligible = labels.loc[(labels["lang"] == DUTCH) & (counts >= 2)]
    shuffled = eligible.iloc[rng.permutation(len(eligible))]
    eligible = shuffled.drop_duplicates("concept")  # one per concept: it keeps its others
    picked = eligible.iloc[rng.choice(len(eligible), size=min(n, len(eligible)), replace=False)]
    return pd.DataFrame(
        {"uri": concepts.uris[picked["concept"].to_numpy()], "text": picked["text"].tolist()}
    )


def without_labels(read: TableReader, hidden: pd.DataFrame) -> TableReader:
    """A reader whose occupation and ISCO-group tables lack the ``hidden`` (uri, text) labels."""
    drop = hidden.groupby("uri")["text"].agg(set).to_dict()

    def read_hidden(name: str) -> pd.DataFrame:
        table = read(name)
        if name not in ("occupations", "isco_groups"):
            return table
        gone = table["uri"].map(drop)
        for column in _LABEL_COLUMNS:
            if column in table.columns:
                table[column] = [
                    "|".join(t for t in str(cell).split("|") if t not in out)
                    if isinstance(out, set) and isinstance(cell, str)
                    else cell
                    for cell, out in zip(table[column], gone, strict=True)
                ]
        return table

    return read_hidden


def stream(hidden: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """``n`` occurrences (uri, text) drawn with Zipf frequencies, each written with its own
    noise (about half of them)."""
    weights = 1.0 / rng.permutation(np.arange(1, len(hidden) + 1))
    drawn = hidden.iloc[rng.choice(len(hidden), size=n, p=weights / weights.sum())]
    texts = add_noise(drawn["text"].tolist(), places=(), seed=int(rng.integers(2**31)))
    return pd.DataFrame({"uri": drawn["uri"].to_numpy(), "text": texts})


def reciprocal_ranks_of(ranked: Sequence[Sequence[str]], gold: Sequence[str]) -> np.ndarray:
    """1 / rank of the gold URI in each ranked list, 0 when it is not there.

    >>> reciprocal_ranks_of([["a", "b"], ["c"]], ["b", "x"]).tolist()
    [0.5, 0.0]
    """
    ranks = [row.index(g) + 1 if g in row else 0 for row, g in zip(ranked, gold, strict=True)]
    return reciprocal_ranks(np.array(ranks))


def _ranked(normaliser: Normaliser, texts: Sequence[str]) -> list[list[str]]:
    """Ranked URIs per text (each distinct text ranked once)."""
    unique = list(dict.fromkeys(texts))
    rows = normaliser.occupations(unique, top=TOP)
    by_text = {t: [m.uri for m in row] for t, row in zip(unique, rows, strict=True)}
    return [by_text[t] for t in texts]


def _with_exact(
    ranked: list[list[str]], texts: Sequence[str], synonyms: Mapping[str, str]
) -> list[list[str]]:
    """The ranked lists with an exact synonym (by ``text_key``) first."""
    out = []
    for row, text in zip(ranked, texts, strict=True):
        uri = synonyms.get(text_key(text))
        out.append(row if uri is None else [uri, *[u for u in row if u != uri]][:TOP])
    return out


def run_synonyms(
    read: TableReader,
    *,
    labels: int = 2000,
    texts: int = 5000,
    corrected: float = 0.05,
    seed: int = SEED,
    build: Callable[..., ConceptIndex] = build_concept_index,
) -> SynonymBenchResult:
    """The simulation of the module docstring on the reference tables ``read`` gives."""
    rng = np.random.default_rng(seed)
    hidden = _held_out(build("occupation", read), labels, rng)
    occurrences = stream(hidden, texts, rng)
    cut = round(corrected * len(occurrences))
    seen, rest = occurrences.iloc[:cut], occurrences.iloc[cut:]
    synonyms = {text_key(t): u for t, u in zip(seen["text"], seen["uri"], strict=True)}
    aliases: dict[str, list[str]] = {}
    for key, uri in synonyms.items():
        aliases.setdefault(uri, []).append(key)
    reader = without_labels(read, hidden)
    plain_index = build("occupation", reader)
    alias_index = build("occupation", reader, aliases=aliases)
    gold, queries = rest["uri"].tolist(), rest["text"].tolist()
    plain = _ranked(Normaliser(lambda _kind: plain_index), queries)
    exact = _with_exact(plain, queries, synonyms)
    alias = _with_exact(_ranked(Normaliser(lambda _kind: alias_index), queries), queries, synonyms)
    new = np.array([text_key(t) not in synonyms for t in queries])
    unseen = ~rest["uri"].isin(set(seen["uri"])).to_numpy()
    rr_plain, rr_alias = reciprocal_ranks_of(plain, gold), reciprocal_ranks_of(alias, gold)
    return SynonymBenchResult(
        texts=len(occurrences),
        corrected=cut,
        synonyms=len(synonyms),
        rest=len(rest),
        rest_new_texts=int(new.sum()),
        mrr_plain=round(float(rr_plain.mean()), 4),
        mrr_exact=round(float(reciprocal_ranks_of(exact, gold).mean()), 4),
        mrr_aliases=round(float(rr_alias.mean()), 4),
        mrr_new_texts_plain=round(float(rr_plain[new].mean()), 4),
        mrr_new_texts_aliases=round(float(rr_alias[new].mean()), 4),
        rest_unseen_titles=int(unseen.sum()),
        mrr_unseen_titles_plain=round(float(rr_plain[unseen].mean()), 4),
        mrr_unseen_titles_aliases=round(float(rr_alias[unseen].mean()), 4),
    )
