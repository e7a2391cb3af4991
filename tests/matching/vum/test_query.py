"""The zoekvraag evaluator: each operator on hand-made documents, errors, and the accreditation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matching.vum import model as vm
from matching.vum.conformance import case_passes, is_match, strip, vacancy_cases
from matching.vum.query import QueryError, compile_query, fields_of
from matching.vum.search import Area, Located, pc4_centroids, search, split
from matching.vum.shape import VACATURE_FIELDS, WERKZOEKENDE_FIELDS, project, shape_of

SHARED = Path(__file__).parents[3].parent / "shared" / "data" / "vum"
VACANCY_CASES = SHARED / "accreditatie" / "vacatures" / "AccreditatieVacature_data.json"

FIELDS = fields_of(
    {
        "uren": None,
        "naam": None,
        "werktijden": {"max": None, "min": None},
        "talen": {"code": None, "niveau": None},
        "codes": None,
    }
)
DOCS: list[dict[str, Any]] = [
    {"uren": 32, "naam": "b", "werktijden": {"max": 36}, "talen": [{"code": "nld", "niveau": 3}]},
    {
        "uren": 16,
        "naam": "a",
        "talen": [{"code": "nld", "niveau": 1}, {"code": "eng", "niveau": 4}],
    },
    {"uren": 40, "codes": ["B", "C"], "talen": []},
    {"naam": "", "codes": ["B"]},
]


def hits(query: dict[str, Any]) -> list[int]:
    match = compile_query(query, FIELDS)
    return [i for i, doc in enumerate(DOCS) if match(doc)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"uren": {"$eq": 32}}, [0]),
        ({"uren": 32}, [0]),  # a plain value is equality
        ({"uren": {"$ne": 32}}, [1, 2, 3]),  # $ne holds where the field is missing (MongoDB)
        ({"uren": {"$lt": 32}}, [1]),
        ({"uren": {"$lte": 32}}, [0, 1]),
        ({"uren": {"$gt": 32}}, [2]),
        ({"uren": {"$gte": 32}}, [0, 2]),
        ({"uren": {"$gte": 16, "$lt": 40}}, [0, 1]),  # operators of one field: all hold
        ({"uren": {"$in": [16, 40]}}, [1, 2]),
        ({"naam": {"$lt": "b"}}, [1]),  # text compares with text; "" counts as missing
        ({"uren": {"$gte": "16"}}, []),  # never text with numbers
        ({"werktijden.max": {"$gte": 36}}, [0]),  # dotted path
        ({"talen.code": {"$eq": "eng"}}, [1]),  # a path steps through arrays
        ({"codes": {"$eq": "C"}}, [2]),  # an array holds the value
        ({"codes": {"$all": ["B", "C"]}}, [2]),
        ({"codes": {"$all": ["B"]}}, [2, 3]),
        ({"talen": {"$elemMatch": {"code": {"$eq": "nld"}, "niveau": {"$gte": 3}}}}, [0]),
        # without $elemMatch the two conditions may hold on different elements
        ({"talen.code": {"$eq": "nld"}, "talen.niveau": {"$gte": 3}}, [0, 1]),
        (
            {"talen": {"$all": [{"$elemMatch": {"code": "nld"}}, {"$elemMatch": {"code": "eng"}}]}},
            [1],
        ),
        ({"talen": {"$elemMatch": {"$or": [{"code": "eng"}, {"niveau": 3}]}}}, [0, 1]),
        ({"$or": [{"uren": 16}, {"codes": "B"}]}, [1, 2, 3]),
        ({"$and": [{"uren": {"$gte": 16}}, {"uren": {"$lte": 32}}]}, [0, 1]),
        ({}, [0, 1, 2, 3]),
        ({"uren": {}, "naam": ""}, [0, 1, 2, 3]),  # an empty condition is none (VUM)
    ],
)
def test_each_operator_on_hand_made_documents(query: dict[str, Any], expected: list[int]) -> None:
    assert hits(query) == expected


def test_elem_match_over_an_array_of_values() -> None:
    fields = fields_of({"scores": None})
    match = compile_query({"scores": {"$elemMatch": {"$gte": 3, "$lt": 5}}}, fields)
    assert [match({"scores": s}) for s in ([1, 6], [1, 4], [])] == [False, True, False]


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ({"uren": {"$regex": "3"}}, "zoekvraag.uren.$regex: onbekende operator '$regex'"),
        ({"$where": "1"}, "zoekvraag.$where: onbekende operator '$where'"),
        ({"leeftijd": {"$eq": 3}}, "zoekvraag.leeftijd: onbekend veld 'leeftijd' in het document"),
        ({"werktijden.dagen": 3}, "onbekend veld 'dagen' in werktijden"),
        ({"uren.x": 3}, "onbekend veld 'x' in uren"),
        ({"talen": {"$elemMatch": {"taal": "nld"}}}, "onbekend veld 'taal'"),
        ({"uren": {"$in": 16}}, "$in verwacht een lijst"),
        ({"uren": {"$gte": [1]}}, "verwacht één waarde"),
        ({"uren": {"$eq": None}}, "verwacht één waarde"),
        ({"$or": []}, "$or verwacht een niet-lege lijst"),
        ({"$and": {"uren": 1}}, "$and verwacht een niet-lege lijst"),
        ({"codes": {"$all": [{"$gte": 1}]}}, "alleen $elemMatch"),
        ({"uren": {"$gte": 1, "naam": 2}}, "operatoren en veldnamen door elkaar"),
        ({"uren": {"$elemMatch": {"x": 1}}}, "veld zonder onderdelen"),
    ],
)
def test_an_unknown_operator_or_path_is_refused_with_its_place(
    query: dict[str, Any], reason: str
) -> None:
    with pytest.raises(QueryError, match=None) as raised:
        compile_query(query, FIELDS)
    assert reason in str(raised.value)


QUERIES = st.one_of(
    st.builds(lambda v: {"uren": {"$gte": v}}, st.integers(0, 45)),
    st.builds(lambda v: {"uren": {"$lt": v}}, st.integers(0, 45)),
    st.builds(lambda v: {"codes": {"$eq": v}}, st.sampled_from("BCD")),
    st.builds(lambda v: {"talen.niveau": {"$ne": v}}, st.integers(0, 4)),
    st.builds(lambda v: {"talen": {"$elemMatch": {"niveau": {"$lte": v}}}}, st.integers(0, 4)),
)


@given(QUERIES, QUERIES)
def test_and_of_two_queries_is_the_intersection(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert set(hits({"$and": [a, b]})) == set(hits(a)) & set(hits(b))
    assert set(hits({"$or": [a, b]})) == set(hits(a)) | set(hits(b))


def test_the_standards_selection_paths_resolve_onto_the_data_model() -> None:
    """The selection schema names a few paths the documents hold elsewhere."""
    profile = {
        "flexibiliteit": {"datumAanvangBeschikbaarVoorWerk": "2026-01-01"},
        "bemiddelingsberoep": [{"codeBeroepsnaam": "x"}],
    }
    query = {
        "datumAanvangBeschikbaarVoorWerk": {"$lte": "2026-02-01"},
        "bemiddelingsberoep": {"$elemMatch": {"$or": [{"beroep.codeBeroepsnaam": {"$eq": "x"}}]}},
    }
    assert compile_query(query, WERKZOEKENDE_FIELDS)(profile)
    vacancy = {"arbeidsVoorwaarden": {"datumAanvangWerkzaamheden": "2026-03-01"}}
    assert compile_query({"datumAanvangWerkzaamheden": {"$gte": "2026-02-01"}}, VACATURE_FIELDS)(
        vacancy
    )


def test_selectiegebied_is_required_and_checked() -> None:
    assert split({"selectiegebied": {"postcode": "2311ab", "afstand": 5}})[0] == Area("2311AB", 5)
    for bad in ({}, {"selectiegebied": {"postcode": "2311", "afstand": 5}},
                {"selectiegebied": {"postcode": "2311AB", "afstand": True}}):  # fmt: skip
        with pytest.raises(QueryError, match="selectiegebied"):
            split(bad)


def test_search_keeps_the_area_orders_nearest_first_and_caps_the_results() -> None:
    centroids = {"2311": (52.16, 4.49), "2312": (52.17, 4.48), "1011": (52.37, 4.90)}
    docs = [
        Located("far", {"idVacature": "far", "adres": {"postcode": "1011AB"}}, "1011AB"),
        Located("near", {"idVacature": "near", "adres": {"postcode": "2312AB"}}, "2312AB"),
        Located("here", {"idVacature": "here", "adres": {"postcode": "2311AB"}}, "2311AB"),
        Located("nowhere", {"idVacature": "nowhere"}, None),
    ]
    summary = shape_of(vm.VacatureSummary)
    zoek = {"selectiegebied": {"postcode": "2311AA", "afstand": 10}}
    found = search(zoek, docs, fields=VACATURE_FIELDS, summary=summary, centroids=centroids)
    assert [s["idVacature"] for s in found.summaries] == ["here", "near"]
    assert found.more is False
    capped = search(
        zoek, docs, fields=VACATURE_FIELDS, summary=summary, centroids=centroids, limit=1
    )
    assert [s["idVacature"] for s in capped.summaries] == ["here"] and capped.more is True
    with pytest.raises(QueryError, match="postcodegebied 9999 is onbekend"):
        search({"selectiegebied": {"postcode": "9999ZZ", "afstand": 1}}, docs,
               fields=VACATURE_FIELDS, summary=summary, centroids=centroids)  # fmt: skip


def test_a_summary_keeps_only_what_the_summary_schema_names() -> None:
    detail = {"idVacature": "v", "nummerVacature": "12", "adres": {"postcode": "2311AB"},
              "werkgever": {"handelsnaamOrganisatie": "X", "contactpersoon": [{"emailadres": "a"}]},
              "rijbewijs": []}  # fmt: skip
    assert project(detail, shape_of(vm.VacatureSummary)) == {
        "idVacature": "v", "adres": {"postcode": "2311AB"},
        "werkgever": {"handelsnaamOrganisatie": "X"},
    }  # fmt: skip


def test_the_accreditation_rule() -> None:
    expected = [{"idVacature": "1", "rijbewijs": [], "a": {"b": [{"c": 1}]}}]
    assert strip(expected[0]) == {"a": {"b": [{"c": 1}]}}
    assert case_passes([{"idVacature": "2", "a": {"b": [{"c": 1, "d": 2}]}, "e": 3}], expected)
    assert not case_passes([{"a": {"b": [{"c": 2}]}}], expected)
    assert not is_match({"a": 1}, {"a": True}) and not is_match({"a": []}, {"a": [1]})


@pytest.mark.skipif(not VACANCY_CASES.exists(), reason="../shared/data/vum not present")
def test_the_100_vacancy_accreditation_cases_pass_by_their_own_rule() -> None:
    centroids = pc4_centroids()
    cases, pool = vacancy_cases(VACANCY_CASES)
    docs = [Located(d["idVacature"], d, d.get("adres", {}).get("postcode")) for d in pool]
    summary = shape_of(vm.VacatureSummary)
    failed = [
        case.zoekvraag
        for case in cases
        if not case_passes(
            search(case.zoekvraag, docs, fields=VACATURE_FIELDS, summary=summary,
                   centroids=centroids).summaries,
            case.expected,
        )
    ]  # fmt: skip
    assert (len(cases), failed) == (100, [])
