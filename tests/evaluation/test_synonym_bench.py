"""The organisation-synonym benchmark on a small slice of the reference (ISCO major group 7)."""

from __future__ import annotations

import doctest

import pandas as pd
import pytest

import evaluation.synonym_bench as synonym_bench
from evaluation.synonym_bench import run_synonyms, without_labels
from matching.normalisation import build_concept_index
from matching.normalisation.labels import TableReader, with_aliases
from matching.reference import read_table


def _craft(name: str) -> pd.DataFrame:
    """The reference tables cut down to the craft workers (ISCO 7) and their groups."""
    table = read_table(name)
    if name == "occupations":
        return table.loc[table["isco_group"].str.startswith("7")].reset_index(drop=True)
    if name == "isco_groups":
        return table.loc[table["code"].str.startswith("7")].reset_index(drop=True)
    return table


READ: TableReader = _craft
ROOFER_GROUP = "http://data.europa.eu/esco/isco/C7121"


def test_doctests_pass() -> None:
    assert doctest.testmod(synonym_bench).failed == 0


def test_hidden_labels_leave_the_index_and_aliases_join_their_concept_only() -> None:
    hidden = pd.DataFrame({"uri": [ROOFER_GROUP], "text": ["Dakdekkers"]})
    groups = without_labels(READ, hidden)("isco_groups")
    assert groups.loc[groups["uri"] == ROOFER_GROUP, "label_nl"].tolist() == [""]
    table = with_aliases(READ("isco_groups"), {ROOFER_GROUP: ["pannenlegger", "a|b"]})
    aliases = table.set_index("uri")["alt_labels_nl"]
    assert aliases[ROOFER_GROUP] == "pannenlegger|a b"
    assert (aliases.drop(ROOFER_GROUP) == "").all()
    concepts = build_concept_index(
        "occupation", READ, aliases={ROOFER_GROUP: ["pannenlegger westland"]}
    )
    assert concepts.uris[concepts.index.labels.loc[
        concepts.index.labels["text"] == "pannenlegger westland", "concept"
    ].to_numpy()].tolist() == [ROOFER_GROUP]  # fmt: skip


@pytest.fixture(scope="module")
def result() -> synonym_bench.SynonymBenchResult:
    return run_synonyms(READ, labels=80, texts=400, corrected=0.1, seed=7)


def test_the_counts_follow_the_simulation(result: synonym_bench.SynonymBenchResult) -> None:
    assert (result.texts, result.corrected, result.rest) == (400, 40, 360)
    assert 0 < result.synonyms <= 40
    assert result.rest_unseen_titles <= result.rest_new_texts <= result.rest


def test_synonyms_lift_the_rest(result: synonym_bench.SynonymBenchResult) -> None:
    # Zipf draws repeat titles, so some of the rest are corrected texts: exact synonyms win
    assert result.mrr_exact > result.mrr_plain
    # the aliases find other writings of corrected titles too
    assert result.mrr_aliases >= result.mrr_exact
    assert result.mrr_new_texts_aliases >= result.mrr_new_texts_plain
    for value in (result.mrr_plain, result.mrr_exact, result.mrr_aliases):
        assert 0.0 <= value <= 1.0
