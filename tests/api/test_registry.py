"""Read endpoints of the registers: paging, filters, detail, 404, data minimisation."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from matching.store import models


def _seed(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        session.add(
            models.Employer(
                employer_id="12345678",
                name="Bakkerij Duin",
                sbi_code="10",
                sbi_section="C",
                municipality_code="GM0575",
                postcode4="2201",
            )
        )
        for i, municipality in enumerate(["GM0575", "GM0575", "GM0546"]):
            candidate = models.Candidate(
                candidate_id=f"K{i}",
                municipality_code=municipality,
                ladder_step=4,
                target_group="regulier",
                hours_available=32,
                status="active",
                consent_regional=False,
                gender="v",
                birth_year=1980,
                languages="nl;en",
            )
            candidate.competences.append(
                models.CandidateCompetence(position=0, text="kassa", uri=None, needs_review=True)
            )
            session.add(candidate)
        session.add(
            models.Vacancy(
                vacancy_id="V1",
                employer_id="12345678",
                title="Verkoper (m/v)",
                municipality_code="GM0575",
                hours_per_week=24,
                opened_on=dt.date(2026, 1, 5),
                status="open",
                positions=1,
            )
        )


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_candidates_are_paged_and_filtered(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    _seed(sessions)
    page = client.get("/candidates", params={"limit": 2}).json()
    assert page["count"] == 3
    assert [c["candidate_id"] for c in page["data"]] == ["K0", "K1"]
    leiden = client.get("/candidates", params={"municipality": "GM0546"}).json()
    assert [c["candidate_id"] for c in leiden["data"]] == ["K2"]


def test_candidate_detail_leaves_out_audit_only_fields(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    _seed(sessions)
    body = client.get("/candidates/K0").json()
    assert body["languages"] == ["nl", "en"]
    assert body["competences"] == [
        {"text": "kassa", "uri": None, "score": None, "needs_review": True}
    ]
    assert "gender" not in body and "birth_year" not in body


def test_unknown_ids_are_404(client: TestClient) -> None:
    for path in ("/candidates/nope", "/employers/nope", "/vacancies/nope"):
        response = client.get(path)
        assert response.status_code == 404
        assert "niet gevonden" in response.json()["detail"]


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # database-independent
def test_bad_filters_are_422(client: TestClient) -> None:
    assert client.get("/candidates", params={"municipality": "Noordwijk"}).status_code == 422
    assert client.get("/vacancies", params={"status": "actief"}).status_code == 422
    too_many = client.get("/employers", params={"limit": 100000})
    assert too_many.status_code == 422
    assert too_many.json()["detail"][0]["msg"] == "Mag hooguit 500 zijn."
    word = client.get("/employers", params={"limit": "tien"}).json()["detail"][0]
    assert (word["type"], word["msg"]) == ("int_parsing", "Verwacht een geheel getal.")


def test_employers_and_vacancies(client: TestClient, sessions: sessionmaker[Session]) -> None:
    _seed(sessions)
    employers = client.get("/employers", params={"sbi": "C"}).json()
    assert employers["count"] == 1 and employers["data"][0]["name"] == "Bakkerij Duin"
    vacancy = client.get("/vacancies/V1").json()
    assert vacancy["title"] == "Verkoper (m/v)"
    assert vacancy["required_competences"] == []
    assert client.get("/vacancies", params={"status": "open"}).json()["count"] == 1
