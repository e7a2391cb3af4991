"""Tests of the title cleaner on vacancy titles as Dutch employers write them, and the speller."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from features.taxonomy_spelling import Speller
from features.taxonomy_text import clean, place_pattern

PLACES = place_pattern(["Haarlem", "Velsen", "Beverwijk", "Den Haag", "Bergen"], keep={"bergen"})
KNOWN = frozenset(
    ["medewerker", "kassen", "kas", "timmerman", "bouw", "receptionist", "helpende", "zorg",
     "schoonmaker", "productie", "verpleegkundige", "thuiszorg", "bediening", "chauffeur",
     "docent", "nederlands", "wegenbouw", "zee", "kok", "accountmanager", "stratenmaker",
     "bergen", "loods", "haven", "tuin"]
)  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Timmerman bouw (40u) regio Spaarndam", "timmerman bouw"),
        ("Receptionist M/V/X regio Wijk aan Zee", "receptionist"),
        ("Helpende zorg (v/m)", "helpende zorg"),
        ("Medeewrker kassen - Wijk aan Zee", "medeewrker kassen"),
        ("Allround schoonmaker - Velsen-Zuid", "schoonmaker"),
        ("Kok 32-36 uur in Spaarndam, per direct", "kok"),
        ("Vacature: ervaren chauffeur (m/v/x) fulltime bij Albert Heijn", "chauffeur"),
        ("Senior accountmanager regio Noord-Holland", "accountmanager"),
        ("Gezocht: schoonmaker h/v parttime te Haarlem", "schoonmaker"),
        ("Chauffeur | Beverwijk", "chauffeur"),
    ],
)
def test_clean_removes_what_employers_add(raw: str, expected: str) -> None:
    assert clean(raw, places=PLACES, known=KNOWN) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # the text after a place marker carries the occupation: it stays
        ("Medewerker - productie", "medewerker productie"),
        ("Verpleegkundige in de thuiszorg", "verpleegkundige in de thuiszorg"),
        ("Medewerker in de bediening (m/v)", "medewerker in de bediening"),
        ("Stratenmaker in de wegenbouw", "stratenmaker in de wegenbouw"),
        ("Docent Nederlands te Haarlem", "docent nederlands"),
        # a place name that is also a label word is no place
        ("Medewerker tuin Bergen", "medewerker tuin bergen"),
        ("Loods zee- en havenloodsen", "loods zee en havenloodsen"),
        # "regio" first is part of the title, not a place marker
        ("Regio manager", "manager"),
    ],
)
def test_clean_keeps_words_that_carry_the_occupation(raw: str, expected: str) -> None:
    assert clean(raw, places=PLACES, known=KNOWN) == expected


def test_without_the_vocabulary_only_listed_places_go() -> None:
    assert clean("Schoonmaker - Velsen-Zuid", places=PLACES) == "schoonmaker zuid"
    assert clean("Schoonmaker - Velsen-Zuid", places=PLACES, known=KNOWN) == "schoonmaker"


TITLE_PARTS = st.sampled_from(
    ["Medewerker", "kassen", "(m/v)", "M/V/X", "40u", "(40u)", "32-36 uur", "regio", "Spaarndam",
     "-", "in", "te", "bij", ",", "|", "Allround", "hr", "mdw.", "Velsen-Zuid", "Haarlem",
     "de", "zorg", "Wijk aan Zee", "per direct", "(st)", "/", "h/v", "BHV", "ict", "Regio"]
)  # fmt: skip


@example("Medewerker in in in in in (40u)")  # needed more passes than the old fixed four
@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(TITLE_PARTS, max_size=8).map(" ".join), st.text(max_size=60)))
def test_cleaning_is_idempotent(raw: str) -> None:
    once = clean(raw, places=PLACES, known=KNOWN)
    assert clean(once, places=PLACES, known=KNOWN) == once
    assert clean(clean(raw)) == clean(raw)


def test_speller_corrects_one_edit_to_the_most_frequent_label_word() -> None:
    speller = Speller({"medewerker": 50, "mandenmaker": 2, "kassen": 3, "kassa": 9, "magazijn": 4})
    assert speller.word("medeewrker") == "medewerker"  # swap
    assert speller.word("manddenmaker") == "mandenmaker"  # one letter too many
    assert speller.word("medewrker") == "medewerker"  # one letter missing
    assert speller.word("medewetker") == "medewerker"  # substitution
    assert speller.word("magazijm") == "magazijn"
    assert speller.word("velsen") == "velsen"  # unknown and nothing close
    assert speller.word("mdewrker") == "mdewrker"  # two edits: left alone
    assert speller.word("kas") == "kas"  # too short to correct


def test_speller_tie_is_most_frequent() -> None:
    speller = Speller({"kassa": 9, "kassen": 3}, min_length=4)
    assert speller.word("kasse") == "kassa"


def test_speller_leaves_compounds_of_label_words() -> None:
    speller = Speller({"kassa": 2, "kassamedewerker": 1}, splits=lambda w: w == "kassamedewerkr")
    assert speller.word("kassamedewerkr") == "kassamedewerkr"
    assert speller.word("kassamedewerkre") == "kassamedewerker"
