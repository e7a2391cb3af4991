"""Tests of the title cleaning, the compound splitter and the TaxonomyIndex on a tiny taxonomy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from features.taxonomy import (
    ALTERNATIVE,
    DUTCH,
    ENGLISH,
    FEATURES,
    PREFERRED,
    TaxonomyIndex,
    _concept_max,
)
from features.taxonomy_learning import add_noise, fit_weights, holdout_queries
from features.taxonomy_text import CompoundSplitter, clean, fold, place_pattern

PLACES = place_pattern(["Haarlem", "Leiden", "'s-Gravenhage", "Den Haag"])
LABELS = [
    (0, "schoonmaker", PREFERRED, DUTCH),
    (0, "medewerker schoonmaak", ALTERNATIVE, DUTCH),
    (0, "cleaner", PREFERRED, ENGLISH),
    (1, "magazijnmedewerker", PREFERRED, DUTCH),
    (1, "medewerker magazijn", ALTERNATIVE, DUTCH),
    (1, "warehouse worker", PREFERRED, ENGLISH),
    (2, "kok", PREFERRED, DUTCH),
    (2, "cook", PREFERRED, ENGLISH),
    (2, "keukenkok", ALTERNATIVE, DUTCH),
    (3, "heftruckchauffeur", PREFERRED, DUTCH),
    (3, "forklift driver", PREFERRED, ENGLISH),
    (4, "verkoopmedewerker", PREFERRED, DUTCH),
    (4, "winkelmedewerker", ALTERNATIVE, DUTCH),
    (5, "magazijnchef", PREFERRED, DUTCH),
    (5, "warehouse manager", PREFERRED, ENGLISH),
]


@pytest.fixture(scope="module")
def index() -> TaxonomyIndex:
    """A six-concept index: cleaning, kok, warehouse, forklift, retail, warehouse manager."""
    labels = pd.DataFrame(LABELS, columns=["concept", "text", "kind", "lang"])
    return TaxonomyIndex(
        labels,
        n_concepts=6,
        groups=np.array([0, 1, 2, 1, 3, 1]),
        context=["schoonmaken", "voorraad", "koken", "heftruck", "kassa", "voorraad beheren"],
        places=["Haarlem"],
        char_max_df=1.0,
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Medewerker schoonmaak (m/v/x) 24 uur", "medewerker schoonmaak"),
        ("Kok m/v/x", "kok"),
        ("Verkoopmedewerk(st)er 32-40 uur", "verkoopmedewerker"),
        ("Verkoper/-ster", "verkoper"),
        ("Allround kok", "kok"),
        ("Junior Accountmanager te Den Haag", "accountmanager"),
        ("Leerling monteur BBL 0,8 fte", "monteur"),
        ("Chauffeur Haarlem", "chauffeur"),
        ("mdw. bediening fulltime", "medewerker bediening"),
        ("BHV", "bedrijfshulpverlening eerste hulp"),
        ("Piercer-Tatoeëerder", "piercer tatoeeerder"),
    ],
)
def test_clean_removes_title_noise(raw: str, expected: str) -> None:
    assert clean(raw, places=PLACES) == expected


def test_clean_keeps_noise_words_when_nothing_else_is_left() -> None:
    assert clean("Leiden", places=PLACES) == "leiden"
    assert clean("???") == ""
    assert clean("") == ""


def test_fold_cuts_garbage() -> None:
    assert len(fold("x" * 5000)) == 200


def test_splitter_splits_compounds_but_not_frequent_heads() -> None:
    splitter = CompoundSplitter(
        {"magazijn": 5, "medewerker": 50, "mede": 3, "werker": 4, "vrachtwagen": 3, "chauffeur": 9}
    )
    assert splitter.split("magazijnmedewerker") == "magazijn medewerker"
    assert splitter.split("medewerker") == "medewerker"
    assert splitter.split("vrachtwagenchauffeur") == "vrachtwagen chauffeur"
    assert splitter.split("kapper") == "kapper"


@pytest.mark.parametrize(
    ("query", "concept"),
    [
        ("Medewerker schoonmaak (m/v/x) 24 uur", 0),
        ("magazijnmedewerker", 1),
        ("medewerker magazijn", 1),
        ("Allround kok", 2),
        ("heftruckchaufeur", 3),  # typo
        ("Verkoopmedewerker Haarlem", 4),
        ("forklift driver", 3),
    ],
)
def test_rank_finds_the_concept(index: TaxonomyIndex, query: str, concept: int) -> None:
    ranking = index.rank([query], top=3)
    assert ranking.indices[0, 0] == concept
    assert 0 < ranking.scores[0, 0] <= 1
    assert np.all(np.diff(ranking.scores[0][ranking.indices[0] >= 0]) <= 0)


def test_rank_of_garbage_is_empty(index: TaxonomyIndex) -> None:
    ranking = index.rank(["???", "", "qqqqzzzz"], top=3)
    assert (ranking.indices[:2] == -1).all()
    assert ranking.scores[2, 0] < 0.5


def test_exclude_hides_a_label(index: TaxonomyIndex) -> None:
    labels = index.labels["text"].tolist()
    held = labels.index("keukenkok")
    ranking = index.rank(["keukenkok"], top=3, exclude=np.array([held]))
    assert ranking.indices[0, 0] == 2  # still found through "kok"
    cand = index.candidates(["keukenkok"], exclude=np.array([held]))
    row = list(cand.indices[0]).index(2)
    assert cand.features[0, row, FEATURES.index("exact")] == 0


def test_candidates_shapes(index: TaxonomyIndex) -> None:
    cand = index.candidates(["kok", "cleaner"])
    assert cand.indices.shape == (2, 6)
    assert cand.features.shape == (2, 6, len(FEATURES))
    assert np.isfinite(cand.features).all()


def test_fit_weights_is_reproducible(index: TaxonomyIndex) -> None:
    queries = holdout_queries(index, n=10, dutch_share=0.7, seed=1)
    first = fit_weights(index, queries)
    assert first == fit_weights(index, queries)
    assert set(first) == {*FEATURES, "intercept"}


def test_add_noise_is_seeded() -> None:
    texts = ["schoonmaker"] * 20
    noisy = add_noise(texts, places=["Haarlem"], rate=1.0, seed=3)
    assert noisy == add_noise(texts, places=["Haarlem"], rate=1.0, seed=3)
    assert any(t != "schoonmaker" for t in noisy)


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from([label for _, label, _, _ in LABELS]),
    st.sampled_from(["", " (m/v/x)", " 24 uur", " (m/v) 32-40 uur", " m/v/x Haarlem"]),
)
def test_noise_does_not_change_cleaning(label: str, suffix: str) -> None:
    assert clean(label + suffix, places=PLACES) == clean(label, places=PLACES)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), density=st.floats(0.0, 0.6))
def test_the_best_label_per_concept_equals_the_dense_reduction(seed: int, density: float) -> None:
    rng = np.random.default_rng(seed)
    counts = rng.integers(1, 5, size=int(rng.integers(1, 12)))
    label_concept = np.repeat(np.arange(len(counts)), counts)
    n_queries, n_labels = int(rng.integers(1, 6)), len(label_concept)
    product = sparse.random(n_queries, n_labels, density=density, format="csr", random_state=rng)
    exclude = rng.integers(-1, n_labels, size=n_queries)
    dense = product.toarray().astype(np.float32)
    held = np.flatnonzero(exclude >= 0)
    dense[held, exclude[held]] = 0.0
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    expected = np.maximum.reduceat(dense, starts, axis=1)
    got = _concept_max(product, label_concept, len(counts), exclude)
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(
        _concept_max(product, label_concept, len(counts), None),
        np.maximum.reduceat(product.toarray().astype(np.float32), starts, axis=1),
    )
