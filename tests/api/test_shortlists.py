"""Shortlists, proposals, decisions, reverse matches and allocation through the API; the API
and the CLI print the same shortlist JSON; roles and organisation scope."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from matching.cli import app as cli
from matching.settings import Settings
from tests.matching.shortlist.store_fixture import NOORDWIJK, seed

KEYS = {"vacancy_id", "model_version", "generated_at", "fallback_used", "candidates"}
ENTRY_KEYS = {
    "rank",
    "candidate_id",
    "score",
    "p_durable",
    "fallback_level",
    "municipality_code",
    "distance_km",
    "explanation",
}


@pytest.fixture
def seeded(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """The hand-made shortlist store."""
    seed(sessions)
    return sessions


def _without_time(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "generated_at"}


def test_api_and_cli_print_the_same_shortlist(
    seeded: sessionmaker[Session], client: TestClient, test_settings: Settings, tmp_path: Path
) -> None:
    response = client.get("/vacancies/V1/shortlist", params={"limit": 6})
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == KEYS and all(set(c) == ENTRY_KEYS for c in body["candidates"])
    assert [c["rank"] for c in body["candidates"]] == list(range(1, 7))
    env = {"WERKMATCH_DATABASE_URL": test_settings.database_url, "WERKMATCH_VAR_DIR": str(tmp_path)}
    result = CliRunner().invoke(cli, ["shortlist", "V1", "--limit", "6", "--json"], env=env)
    assert result.exit_code == 0, result.output
    assert _without_time(json.loads(result.output)) == _without_time(body)
    batch = CliRunner().invoke(cli, ["shortlist", "--all-open", "--limit", "6", "--json"], env=env)
    lines = [json.loads(line) for line in batch.output.splitlines()]
    assert [_without_time(x) for x in lines] == [_without_time(body)]


def test_filters_and_pseudonymisation_for_an_account_manager(
    seeded: sessionmaker[Session], client_as: Callable[..., TestClient]
) -> None:
    noordwijk = client_as("accountmanager", [NOORDWIJK])
    body = noordwijk.get("/vacancies/V1/shortlist", params={"explain_filters": "true"}).json()
    assert body["filters"]["remaining"] == 6 and body["fallback_used"] is True
    for entry in body["candidates"]:
        hidden = entry["explanation"]["candidate"]["pseudonymised"]
        assert hidden == (entry["municipality_code"] != NOORDWIJK)
        assert ("postcode4" in entry["explanation"]["candidate"]) == (not hidden)
    for role in ("jobhunter", "evaluator"):
        assert client_as(role).get("/vacancies/V1/shortlist").status_code == 403
    assert noordwijk.get("/vacancies/nope/shortlist").status_code == 404
    assert noordwijk.get("/vacancies/V1/shortlist", params={"limit": 0}).status_code == 422


def test_proposals_and_decisions(seeded: sessionmaker[Session], client: TestClient) -> None:
    ranked = [c["candidate_id"] for c in client.get("/vacancies/V1/shortlist").json()["candidates"]]
    skip = client.post("/vacancies/V1/proposals", json={"candidate_ids": [ranked[2]]})
    assert skip.status_code == 422 and ranked[0] in skip.json()["detail"]
    made = client.post(
        "/vacancies/V1/proposals",
        json={"candidate_ids": [ranked[2]], "reason": "kent de werkgever"},
    )
    assert made.status_code == 201, made.text
    assert made.json()["data"][0]["candidate"]["candidate_id"] == ranked[2]
    decided = client.patch(
        f"/vacancies/V1/proposals/{ranked[2]}",
        json={"outcome": "hired", "start_date": "2026-10-01"},
    )
    assert decided.status_code == 200 and decided.json()["outcome"] == "hired"
    assert decided.json()["start_date"] == "2026-10-01"
    assert decided.json()["candidate"]["status"] == "placed"
    listed = client.get("/vacancies/V1/proposals").json()
    assert {p["candidate_id"] for p in listed["data"]} == {"X_PROPOSED", ranked[2]}
    filled = client.get("/vacancies/V1/shortlist")  # its one place is taken: no longer open
    assert filled.status_code == 422 and client.get("/vacancies/V1").json()["status"] == "filled"
    audit = client.get("/audit", params={"action": "proposal.decision"}).json()
    assert audit["count"] == 1


def test_matches_and_allocation(
    seeded: sessionmaker[Session], client: TestClient, client_as: Callable[..., TestClient]
) -> None:
    noordwijk = client_as("accountmanager", [NOORDWIJK])
    body = noordwijk.get("/candidates/O1/matches").json()
    assert [v["vacancy_id"] for v in body["vacancies"]] == ["V1"]
    assert body["vacancies"][0]["fallback_level"] == "own"
    assert noordwijk.get("/candidates/R1/matches").status_code == 404  # another organisation's
    assert client.get("/candidates/R2/matches").json()["vacancies"] == []  # no consent
    assert client.get("/candidates/R1/matches").json()["vacancies"][0]["fallback_level"] == "region"
    allocation = noordwijk.post("/allocations", json={"k": 2})
    assert allocation.status_code == 200, allocation.text
    assert len(allocation.json()["lists"]["V1"]) == 2
    assert client_as("jobhunter").post("/allocations", json={}).status_code == 403


def test_an_imported_change_reaches_the_next_shortlist(
    seeded: sessionmaker[Session], client: TestClient
) -> None:
    before = [c["candidate_id"] for c in client.get("/vacancies/V1/shortlist").json()["candidates"]]
    assert "O1" in before
    header = "candidate_id,municipality_code,ladder_step,target_group,hours_available,status"
    csv = f"{header}\nO1,GM0575,5,regulier,32,inactive\n".encode()
    response = client.post("/imports", files=[("files", ("candidates.csv", csv, "text/csv"))])
    assert response.status_code == 200, response.text
    after = [c["candidate_id"] for c in client.get("/vacancies/V1/shortlist").json()["candidates"]]
    assert "O1" not in after


def test_each_shortlist_request_writes_one_audit_row_with_the_list(
    seeded: sessionmaker[Session], client: TestClient
) -> None:
    bodies = [client.get("/vacancies/V1/shortlist", params={"limit": n}).json() for n in (2, 4)]
    audit = client.get("/audit", params={"action": "shortlist.generate"}).json()
    assert audit["count"] == 2
    for row, body in zip(reversed(audit["data"]), bodies, strict=True):  # newest first
        assert row["detail"]["candidates"] == [c["candidate_id"] for c in body["candidates"]]
        assert row["model_version"] == body["model_version"] and row["object_id"] == "V1"


def test_a_bsn_in_a_reason_is_refused(seeded: sessionmaker[Session], client: TestClient) -> None:
    ranked = [c["candidate_id"] for c in client.get("/vacancies/V1/shortlist").json()["candidates"]]
    reason = "zie dossier BSN 1234.56.782"
    made = client.post(
        "/vacancies/V1/proposals", json={"candidate_ids": [ranked[2]], "reason": reason}
    )
    assert made.status_code == 422 and "De reden bevat" in made.json()["detail"]
    assert "1234.56.782" not in made.text and "123456782" not in made.text
    listed = client.get("/vacancies/V1/proposals").json()
    assert ranked[2] not in {p["candidate_id"] for p in listed["data"]}
    assert "1234.56.782" not in client.get("/audit", params={"limit": 500}).text


def test_impossible_hires_are_422(seeded: sessionmaker[Session], client: TestClient) -> None:
    ranked = [c["candidate_id"] for c in client.get("/vacancies/V1/shortlist").json()["candidates"]]
    made = client.post("/vacancies/V1/proposals", json={"candidate_ids": ranked[:2]})
    assert made.status_code == 201, made.text
    url = "/vacancies/V1/proposals/{}"
    year_9999 = client.patch(
        url.format(ranked[0]), json={"outcome": "hired", "start_date": "9999-12-31"}
    )
    assert year_9999.status_code == 422 and "31 december 9999" in year_9999.text
    hire = {"outcome": "hired", "start_date": "2026-10-01"}
    assert client.patch(url.format(ranked[0]), json=hire).status_code == 200
    full = client.patch(url.format(ranked[1]), json=hire)
    assert full.status_code == 422 and "al vervuld" in full.json()["detail"]
    listed = {
        p["candidate_id"]: p["outcome"]
        for p in client.get("/vacancies/V1/proposals").json()["data"]
    }
    assert listed[ranked[1]] == "pending"
