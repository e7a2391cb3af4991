"""GET /normalise through the whole app: the same candidates as the CLI's JSON lines."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from matching.normalisation import aliases
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


def test_the_organisations_aliases_are_asked_for_without_waiting(
    client: TestClient, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The caller's organisation's synonyms as aliases, its own index asked for without
    waiting for a build (None: not built yet, so the common index answers meanwhile)."""
    asked: list[tuple[object, ...]] = []

    class Recorder(aliases.AliasIndexes):
        def get(self, *args: object, wait: bool = True) -> None:  # type: ignore[override]
            asked.append((*args, wait))

    monkeypatch.setattr(aliases, "INDEXES", Recorder())
    with sessions.begin() as session:
        organisation = session.scalars(select(User.organisation_id)).one()
        choice = Choice("occupation", "glazenzeemster", cleaner_uri())
        set_synonyms(session, scope_of(session, organisation), [choice], by="test")
    body = client.get("/normalise", params={"text": "glazen zemer", "top": 3}).json()
    assert asked == [("occupation", organisation, {cleaner_uri(): ["glazenzeemster"]}, False)]
    assert len(body["candidates"]) == 3  # from the common index meanwhile
    assert client.get("/normalise", params={"text": "zemer", "kind": "skill"}).status_code == 200
    assert len(asked) == 1  # no skill synonyms: no skill index of its own
