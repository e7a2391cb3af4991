"""Tests of the word variants and synonyms learned from a hand-made set of labels."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from features.taxonomy_morphology import learn_variants, word_pairs

# (concept, split label). Gender pairs recur in two concepts each; "hoofd"/"manager" in three.
LABELS = [
    (0, "medewerker magazijn"),
    (0, "medewerkster magazijn"),
    (1, "medewerker schoonmaak"),
    (1, "medewerkster schoonmaak"),
    (2, "onderzoeker markt"),
    (2, "onderzoekster markt"),
    (3, "onderzoeker klimaat"),
    (3, "onderzoekster klimaat"),
    (4, "ontwerper web"),
    (4, "ontwerpster web"),
    (5, "ontwerper mode"),
    (5, "ontwerpster mode"),
    (6, "begeleider"),
    (7, "hoofd verkoop"),
    (7, "manager verkoop"),
    (8, "hoofd inkoop"),
    (8, "manager inkoop"),
    (9, "hoofd logistiek"),
    (9, "manager logistiek"),
    (10, "directeur school"),
    (10, "directrice school"),
]
TEXTS = [text for _, text in LABELS]
CONCEPTS = np.array([concept for concept, _ in LABELS])


@pytest.fixture(scope="module")
def variants():  # type: ignore[no-untyped-def]
    """Variants learned from ``LABELS``."""
    return learn_variants(TEXTS, CONCEPTS)


def test_word_pairs_count_concepts() -> None:
    pairs = word_pairs(TEXTS, CONCEPTS)
    assert pairs[("medewerker", "medewerkster")] == 2
    assert pairs[("hoofd", "manager")] == 3
    assert pairs[("directeur", "directrice")] == 1


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("medewerkster", "medewerker"),  # seen in two concepts
        ("onderzoekster", "onderzoeker"),
        ("medewerker", "medewerker"),
        ("begeleidster", "begeleider"),  # unseen: the learned -ster → -er rule, to a label word
        ("kapster", "kapster"),  # the rule's guess "kaper" is no label word: left alone
        ("directrice", "directrice"),  # one concept only: not enough evidence
        ("hoofd", "hoofd"),  # synonyms are not variants (they do not look alike)
    ],
)
def test_variants_map_gender_forms(variants, word: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert variants.word(word) == expected


def test_text_maps_each_word(variants) -> None:  # type: ignore[no-untyped-def]
    assert variants.text("verkoop medewerkster") == "verkoop medewerker"


@given(st.sampled_from(sorted({w for t in TEXTS for w in t.split()} | {"begeleidster", "xyz"})))
def test_variants_are_idempotent(word: str) -> None:
    once = learn_variants(TEXTS, CONCEPTS).word(word)
    assert learn_variants(TEXTS, CONCEPTS).word(once) == once
