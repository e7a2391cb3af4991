"""The OpenAPI schema and the behaviour agree on the requests schemathesis found (issue #22,
item 12): what the schema forbids is refused with 422, what it allows is not.

``tests/api/test_openapi.py`` checks the same in general, with generated requests; these are
the cases found, kept as plain examples.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import create_app
from matching.settings import Settings

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # database-independent

FORBIDDEN = [
    ("/acquisition/funnel", {"to": "0"}),  # a number of seconds is no date
    ("/acquisition/funnel", {"from": "20260101"}),
    ("/acquisition/funnel", {"by": "employer"}),
    ("/acquisition/funnel", {"by": "month,week"}),
    ("/audit", {"until": "0.5"}),
    ("/audit", {"since": "2026-01-01T10:00"}),  # date-time needs seconds and an offset
    ("/employers/white-spots", {"municipality": ""}),
    ("/employers/white-spots", {"sbi": "II"}),
    ("/employers/white-spots", {"as_of": "1"}),
]


def parameter_schema(schema: dict[str, Any], path: str, name: str) -> dict[str, Any]:
    (parameter,) = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name]
    (variant,) = [v for v in parameter["schema"]["anyOf"] if v["type"] != "null"]
    return dict(variant)


@pytest.fixture(scope="module")
def served_schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """``/openapi.json`` as the app serves it, generated once per module (every app built by
    ``create_app`` serves the same schema; generating it is most of a request's cost)."""
    var = tmp_path_factory.mktemp("schema")
    app = create_app(Settings(database_url=f"sqlite:///{var}/unused.db", var_dir=var))
    response = TestClient(app).get("/openapi.json")  # public, and needs no store
    assert response.status_code == 200
    return dict(response.json())


@pytest.mark.parametrize(("path", "params"), FORBIDDEN)
def test_what_the_schema_forbids_is_refused(
    client: TestClient, served_schema: dict[str, Any], path: str, params: dict[str, str]
) -> None:
    (name,) = params
    assert set(parameter_schema(served_schema, path, name)) & {
        "pattern",
        "format",
    }
    assert client.get(path, params=params).status_code == 422, params


def test_every_documented_contact_kind_and_outcome_is_taken(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    properties = schemas["ContactCreate"]["properties"]
    kinds = properties["kind"]["enum"]
    (outcomes,) = [v["enum"] for v in properties["outcome"]["anyOf"] if "enum" in v]
    assert {"letter", "brief", "call", "bezoek", "meeting"} <= set(kinds)
    assert {"none", "afspraak", "no_interest"} <= set(outcomes)
    for kind, outcome in zip(kinds, outcomes * 2, strict=False):
        body = {"employer_id": "nobody", "date": "2026-12-01", "kind": kind, "outcome": outcome}
        response = client.post("/acquisition/contacts", json=body)
        assert response.status_code == 404, (kind, outcome, response.text)  # valid, no employer


def test_imports_need_a_file_and_the_schema_says_so(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert schemas["Body_create_import_imports_post"]["properties"]["files"]["minItems"] == 1
    response = client.post("/imports", files=[], data={})
    assert response.status_code == 422


@pytest.mark.parametrize(
    "body",
    [{"top_n": True}, {"k": 2.5}, {"k": "3"}, {"max_proposals_per_candidate": False}],
)
def test_json_numbers_are_not_coerced(client: TestClient, body: dict[str, Any]) -> None:
    assert client.post("/allocations", json=body).status_code == 422


def test_an_integer_may_be_written_with_a_zero_fraction(client: TestClient) -> None:
    assert client.post("/allocations", json={"k": 3.0, "top_n": 10}).status_code == 200


def test_a_date_in_a_body_is_text(client: TestClient) -> None:
    body = {"employer_id": "nobody", "date": 0, "kind": "call"}
    assert client.post("/acquisition/contacts", json=body).status_code == 422
