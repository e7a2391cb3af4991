"""GET /normalise through the whole app: the same candidates as the CLI's JSON lines."""

from __future__ import annotations

from fastapi.testclient import TestClient

OCCUPATION = "http://data.europa.eu/esco/occupation/"


def test_normalise_ranks_esco_occupations(client: TestClient) -> None:
    response = client.get(
        "/normalise",
        params={"text": "Magazijnmedewerker (m/v) 32 uur", "kind": "occupation", "top": 3},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["text"] == "Magazijnmedewerker (m/v) 32 uur"
    assert len(body["candidates"]) == 3
    assert all(c["uri"].startswith(OCCUPATION) for c in body["candidates"])
    scores = [c["score"] for c in body["candidates"]]
    assert scores == sorted(scores, reverse=True)
    assert "magazijn" in body["candidates"][0]["label"].lower()


def test_normalise_rejects_an_unknown_kind(client: TestClient) -> None:
    assert client.get("/normalise", params={"text": "kok", "kind": "beroep"}).status_code == 422
