"""Tests of the ESCO normaliser built from the bundled reference data."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from features.taxonomy import DUTCH, PREFERRED
from matching.errors import InvalidInput
from matching.normalisation import Match, Normaliser, best, concept_index

OCCUPATION_PREFIX = "http://data.europa.eu/esco/occupation/"


@pytest.fixture(scope="session")
def normaliser() -> Normaliser:
    """One normaliser; the indexes are cached per process, so every test shares them."""
    return Normaliser()


@pytest.fixture(scope="session")
def preferred_labels() -> list[tuple[str, str]]:
    """(Dutch preferred label, uri) of occupations whose label (split, folded) is theirs alone."""
    concepts = concept_index("occupation")
    labels = concepts.index.labels.assign(split=concepts.index.label_split)
    owners = labels.groupby("split")["concept"].nunique()
    own = labels.loc[(labels["kind"] == PREFERRED) & (labels["lang"] == DUTCH)]
    own = own.loc[own["split"].map(owners) == 1]
    return [
        (str(t), str(concepts.uris[c])) for t, c in zip(own["text"], own["concept"], strict=True)
    ]


def _top_label(normaliser: Normaliser, text: str, kind: str = "occupation") -> str:
    return normaliser.rank([text], kind=kind, top=1)[0][0].label.lower()  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("title", "expected_word"),
    [
        ("Medewerker schoonmaak (m/v/x) 24 uur", "schoonmaker"),
        ("Allround kok", "kok"),
        ("Heftruckchauffeur m/v", "heftruck"),
        ("Verkoopmedewerker 32 uur Leiden", "verkoopmedewerker"),
        ("Junior vrachtwagenchaufeur", "vrachtwagenchauffeur"),  # typo
        ("Kapster", "kapper"),
    ],
)
def test_real_titles(normaliser: Normaliser, title: str, expected_word: str) -> None:
    assert expected_word in _top_label(normaliser, title)


@pytest.mark.parametrize(
    ("feminine", "masculine"),
    [
        ("Verkoopster", "Verkoper"),
        ("Medewerkster magazijn", "Medewerker magazijn"),
        ("Monteuse", "Monteur"),
        ("Directrice basisschool", "Directeur basisschool"),
        ("Lerares Engels", "Leraar Engels"),
        ("Schoonmaakster", "Schoonmaker"),
    ],
)
def test_gender_forms_agree(normaliser: Normaliser, feminine: str, masculine: str) -> None:
    she, he = normaliser.occupations([feminine, masculine], top=1)
    assert she[0].uri == he[0].uri


def test_compound_and_phrase_agree(normaliser: Normaliser) -> None:
    compound, phrase = normaliser.occupations(["magazijnmedewerker", "medewerker magazijn"], top=1)
    assert compound[0].uri == phrase[0].uri
    assert compound[0].label == "magazijnmedewerker"


@pytest.mark.parametrize(
    ("text", "expected_word"),
    [("heftruck rijden", "heftruck"), ("kassa", "kassa"), ("klantvriendelijk", "klant")],
)
def test_competences(normaliser: Normaliser, text: str, expected_word: str) -> None:
    assert expected_word in _top_label(normaliser, text, kind="skill")


def test_match_fields(normaliser: Normaliser) -> None:
    matches = normaliser.occupations(["kok"], top=5)[0]
    assert len(matches) == 5
    assert all(isinstance(m, Match) and 0 <= m.confidence <= m.score <= 1 for m in matches)
    assert all(m.uri.startswith(OCCUPATION_PREFIX) for m in matches)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_preferred_label_finds_itself(
    normaliser: Normaliser, preferred_labels: list[tuple[str, str]], data: st.DataObject
) -> None:
    label, uri = data.draw(st.sampled_from(preferred_labels))
    assert normaliser.occupations([label], top=1)[0][0].uri == uri


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), suffix=st.sampled_from([" (m/v/x)", " 24 uur", " (m/v/x) 24 uur"]))
def test_suffix_keeps_top_concept(
    normaliser: Normaliser,
    preferred_labels: list[tuple[str, str]],
    data: st.DataObject,
    suffix: str,
) -> None:
    label, _ = data.draw(st.sampled_from(preferred_labels))
    plain, noisy = normaliser.occupations([label, label + suffix], top=1)
    assert plain[0].uri == noisy[0].uri


def test_uri_passes_through(normaliser: Normaliser) -> None:
    uri = str(concept_index("occupation").uris[0])
    match = normaliser.occupations([uri])[0]
    assert match == [Match(uri, match[0].label, 1.0, 1.0)]


def test_unknown_uri_is_invalid(normaliser: Normaliser) -> None:
    with pytest.raises(InvalidInput):
        normaliser.occupations([OCCUPATION_PREFIX + "00000000-0000-0000-0000-000000000000"])


@pytest.mark.parametrize("garbage", ["???", "", "x" * 5000, "qzxv qzxv"])
def test_garbage_is_low_confidence(garbage: str) -> None:
    (result,) = best([garbage], kind="occupation", threshold=0.3)
    assert result.uri is None
    assert result.needs_review
    assert result.score < 0.3


def test_best_deduplicates_and_flags() -> None:
    texts = ["kok", "Allround kok", "kok", "???"]
    results = best(texts, kind="occupation", threshold=0.2)
    assert [r.text for r in results] == texts
    assert results[0] == results[2]
    assert results[0].uri is not None and not results[0].needs_review
    assert results[0].runner_up_uri not in (None, results[0].uri)
    assert results[3].needs_review and results[3].uri is None
