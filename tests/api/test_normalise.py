"""GET /normalise through the whole app: the same candidates as the CLI's JSON lines."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from matching.review.synonyms import Choice, scope_of, set_synonyms
from matching.store.access import User
from tests.matching.shortlist.store_fixture import cleaner_uri

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


def test_the_organisations_synonym_comes_first(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    text = "Magazijnmedewerker (m/v) 32 uur"
    with sessions.begin() as session:
        organisation = session.scalars(select(User.organisation_id)).one()
        choice = Choice("occupation", text.upper(), cleaner_uri())
        set_synonyms(session, scope_of(session, organisation), [choice], by="test")
    body = client.get("/normalise", params={"text": text, "top": 3}).json()
    first = body["candidates"][0]
    assert (first["uri"], first["score"], first["label"]) == (
        cleaner_uri(),
        1.0,
        "schoonmaker gebouwen",
    )
    assert len(body["candidates"]) == 3
