"""GET /employers/white-spots and the .xlsx week list: ranking, filters, roles, route order."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session, sessionmaker

from matching.whitespots.export import HEADERS
from tests.matching.whitespots_fixture import AS_OF, WHITE, seed

QUERY = {"as_of": AS_OF.isoformat()}


@pytest.fixture
def seeded(client: TestClient, sessions: sessionmaker[Session]) -> TestClient:
    seed(sessions)
    return client


def test_white_spots_ranked_with_reasons(seeded: TestClient) -> None:
    response = seeded.get("/employers/white-spots", params={**QUERY, "region": "Holland Rijnland"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] == len(WHITE) and {s["employer_id"] for s in body["data"]} == WHITE
    scores = [s["score"] for s in body["data"]]
    assert scores == sorted(scores, reverse=True)
    top = body["data"][0]
    assert top["employer_id"] == "CLEAN"
    assert top["occupations"][0]["label"] == "schoonmaker gebouwen"
    n = top["occupations"][0]["candidates"]
    assert f"{n} werkzoekenden binnen 10 km passen bij schoonmaker gebouwen" in top["reasons"]


def test_filters_and_limit(seeded: TestClient) -> None:
    body = seeded.get(
        "/employers/white-spots", params={**QUERY, "municipality": "GM0575", "sbi": "K"}
    ).json()
    assert [s["employer_id"] for s in body["data"]] == ["BANK"]
    body = seeded.get("/employers/white-spots", params={**QUERY, "limit": 2}).json()
    assert (len(body["data"]), body["count"]) == (2, len(WHITE))


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # database-independent
def test_white_spots_route_is_not_taken_for_an_employer_id(seeded: TestClient) -> None:
    assert seeded.get("/employers/CLEAN").json()["name"] == "Schoonmaak Duin"
    assert seeded.get("/employers/white-spots").status_code == 200


BAD = [{"municipality": "GM9999"}, {"sbi": "Z"}, {"sbi": "II"}, {"region": "Atlantis"},
       {"limit": 0}, {"lookback_days": 0}]  # fmt: skip


def test_bad_input_is_a_clear_422(seeded: TestClient) -> None:
    for params in BAD:
        response = seeded.get("/employers/white-spots", params=params)
        assert response.status_code == 422, params
        assert response.json()["detail"]


def test_xlsx_week_list_opens_and_holds_the_rows(seeded: TestClient) -> None:
    listed = seeded.get("/employers/white-spots", params=QUERY).json()["data"]
    response = seeded.get("/employers/white-spots.xlsx", params=QUERY)
    assert response.status_code == 200
    assert "witte-vlekken" in response.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADERS
    assert [r[2] for r in rows[1:]] == [s["employer_id"] for s in listed]
    assert rows[1][-1] == "\n".join(listed[0]["reasons"])


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # database-independent
def test_roles(seeded: TestClient, client_as: Callable[..., TestClient]) -> None:
    for role, status in [("jobhunter", 200), ("accountmanager", 403), ("evaluator", 403)]:
        assert client_as(role).get("/employers/white-spots").status_code == status, role


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # database-independent
@pytest.mark.parametrize(
    "query",
    [
        {"as_of": "0001-01-01"},
        {"as_of": "3000-01-01"},
        {"as_of": "9999-12-31"},
        {"as_of": "1"},
        {"as_of": AS_OF.isoformat(), "lookback_days": "999999999"},
    ],
)
def test_implausible_dates_get_422_in_dutch(seeded: TestClient, query: dict[str, str]) -> None:
    for path in ("/employers/white-spots", "/employers/white-spots.xlsx"):
        response = seeded.get(path, params=query)
        assert response.status_code == 422, response.text
        assert "lookback_days" in query or "geen plausibele datum" in response.text
