"""The VUM source endpoints as the contracts say: bodies, headers, errors, limits and the audit.

Who sees whom across organisations is in ``tests/api/test_organisation_scope.py``; the query
evaluator and the export have their own tests in ``tests/matching/vum``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from matching.cli import app as cli
from matching.settings import Settings
from matching.store.access import AuditEntry
from matching.vum import source
from tests.matching.shortlist.store_fixture import LEIDEN, seed
from tests.matching.vum.contract import VACATURES, WERKZOEKENDEN, violations

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # no SQL of its own

HEADERS = {
    "X-VUM-berichtVersie": "3.0.0",
    "X-VUM-fromParty": "00000001111111111000",
    "X-VUM-toParty": "00000002222222222000",
    "X-VUM-viaParty": "00000003333333333000",
    "X-VUM-SUWIparty": "true",
    "API-Version": "3.0.0",
}
SEARCH = "/vum/v3/werkzoekendeProfielen/matches"
AROUND_LEIDEN = {"selectiegebied": {"postcode": "2311AB", "afstand": 60}}


@pytest.fixture
def manager(sessions: sessionmaker[Session], client_as: Callable[..., TestClient]) -> TestClient:
    """An account manager of Leiden over the hand-made store, sending the VUM headers."""
    seed(sessions)
    client = client_as("accountmanager", [LEIDEN])
    client.headers.update(HEADERS)
    return client


def _echoed(response: Any) -> None:
    assert response.headers["X-VUM-toParty"] == HEADERS["X-VUM-fromParty"]
    assert response.headers["X-VUM-fromParty"] == HEADERS["X-VUM-toParty"]
    assert response.headers["X-VUM-viaParty"] == HEADERS["X-VUM-viaParty"]
    assert response.headers["API-Version"] == response.headers["X-VUM-berichtVersie"] == "3.0.0"


def test_a_search_answers_summaries_nearest_first_as_the_contract_says(
    manager: TestClient, app: FastAPI
) -> None:
    response = manager.post(SEARCH, json={"vraagObject": AROUND_LEIDEN})
    assert response.status_code == 200, response.text
    _echoed(response)
    body = response.json()
    assert violations(WERKZOEKENDEN, "WerkzoekendeMatchingProfielen", body["matches"]) == []
    ids = [summary["idWerkzoekende"] for summary in body["matches"]]
    assert set(ids) == {"R1", "R2", "N1", "F1"} and ids[-1] == "F1"  # Amsterdam is farthest
    assert body["maximumAantalResultatenBereikt"] is False
    narrowed = {**AROUND_LEIDEN, "werktijden.aantalWerkurenPerWeekMaximaal": {"$gte": 33}}
    assert manager.post(SEARCH, json={"vraagObject": narrowed}).json()["matches"] == []
    app.state.settings = app.state.settings.model_copy(update={"vum_max_results": 2})
    capped = manager.post(SEARCH, json={"vraagObject": AROUND_LEIDEN}).json()
    assert len(capped["matches"]) == 2 and capped["maximumAantalResultatenBereikt"] is True
    assert [s["idWerkzoekende"] for s in capped["matches"]] == ids[:2]


def test_a_detail_is_the_full_profile_and_a_vacancy_the_full_vacancy(manager: TestClient) -> None:
    profile = manager.get("/vum/v3/werkzoekendeProfielen/R1")
    assert profile.status_code == 200, profile.text
    _echoed(profile)
    assert violations(WERKZOEKENDEN, "Werkzoekende", profile.json()) == []
    assert profile.json()["arbeidsmarktkwalificatie"]["taalbeheersing"] == [{"codeTaal": "nld"}]
    vacancy = manager.get("/vum/v3/vacatures/V1")
    assert vacancy.status_code == 200 and violations(VACATURES, "Vacature", vacancy.json()) == []
    assert vacancy.json()["werkgever"]["handelsnaamOrganisatie"] == "Schoonmaak Duin"
    found = manager.post("/vum/v3/vacatures/matches", json={"vraagObject": AROUND_LEIDEN})
    assert [v["idVacature"] for v in found.json()["matches"]] == ["V1"]
    assert violations(VACATURES, "VacatureMatchingProfielen", found.json()["matches"]) == []
    for unknown in ("/vum/v3/werkzoekendeProfielen/X_INACTIVE", "/vum/v3/vacatures/GEEN"):
        missing = manager.get(unknown)
        assert missing.status_code == 404 and missing.json()["code"] == "404", unknown
        _echoed(missing)


REFUSED = [
    ({"werktijden.aantalWerkurenPerWeek": {"$gte": 3}}, "onbekend veld 'aantalWerkurenPerWeek'"),
    ({"werktijden.aantalWerkurenPerWeekMaximaal": {"$near": 3}}, "onbekende operator '$near'"),
    ({"selectiegebied": {"postcode": "0999AA", "afstand": 5}}, "postcodegebied 0999 is onbekend"),
    ({"selectiegebied": {"postcode": "2311", "afstand": 5}}, "selectiegebied.postcode: heeft niet"),
    ({"selectiegebied": {"postcode": "2311AB", "afstand": "5"}}, "geheel getal"),
]


def test_a_zoekvraag_that_cannot_be_run_is_a_400_with_its_reason(manager: TestClient) -> None:
    for change, reason in REFUSED:
        response = manager.post(SEARCH, json={"vraagObject": {**AROUND_LEIDEN, **change}})
        assert response.status_code == 400, change
        body = response.json()
        assert body["code"] == "400" and reason in body["details"] and body["message"], body
        _echoed(response)


def test_the_vum_headers_are_checked(manager: TestClient) -> None:
    token = manager.headers["Authorization"]
    manager.headers.clear()
    manager.headers["Authorization"] = token
    for header, value in [("API-Version", "2.0.0"), ("X-VUM-berichtVersie", None),
                          ("X-VUM-SUWIparty", "misschien"), ("X-VUM-fromParty", None)]:  # fmt: skip
        headers = {k: v for k, v in HEADERS.items() if k != header}
        if value is not None:
            headers[header] = value
        response = manager.post(SEARCH, json={"vraagObject": AROUND_LEIDEN}, headers=headers)
        assert response.status_code == 400 and header in response.json()["details"], header
        assert response.headers["API-Version"] == "3.0.0"


def test_every_call_is_audited_with_the_calling_party(
    manager: TestClient, sessions: sessionmaker[Session]
) -> None:
    manager.post(SEARCH, json={"vraagObject": AROUND_LEIDEN})
    manager.post(SEARCH, json={"vraagObject": {**AROUND_LEIDEN, "x": {"$eq": 1}}})
    manager.get("/vum/v3/werkzoekendeProfielen/R1")
    manager.get("/vum/v3/werkzoekendeProfielen/O1")  # another organisation's, no consent
    with sessions() as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.action.like("vum.%"))).all()
    assert [(r.action, r.object_id) for r in rows] == [
        ("vum.werkzoekenden.match", None), ("vum.werkzoekenden.match", None),
        ("vum.werkzoekenden.read", "R1"), ("vum.werkzoekenden.read", "O1"),
    ]  # fmt: skip
    party = {"from": HEADERS["X-VUM-fromParty"], "to": HEADERS["X-VUM-toParty"],
             "via": HEADERS["X-VUM-viaParty"], "suwi": True}  # fmt: skip
    details = [json.loads(r.detail or "{}") for r in rows]
    assert all(d["partij"] == party for d in details)
    assert all(r.user_id.startswith("test-accountmanager") for r in rows)
    assert (details[0]["count"], details[0]["more"]) == (4, False)
    assert details[0]["selectiegebied"] == AROUND_LEIDEN["selectiegebied"]
    assert "onbekend veld 'x'" in details[1]["geweigerd"]
    assert "geweigerd" not in details[2] and "geweigerd" in details[3]


def test_the_command_line_prints_the_endpoints_body(
    client: TestClient, sessions: sessionmaker[Session], test_settings: Settings, tmp_path: Path
) -> None:
    """``werkmatch vum match`` for the owning organisation: as an admin who sees every
    municipality (``client``) gets it from the endpoint."""
    seed(sessions)
    query = tmp_path / "zoekvraag.json"
    query.write_text(json.dumps(AROUND_LEIDEN), encoding="utf-8")
    env = {"WERKMATCH_DATABASE_URL": test_settings.database_url,
           "WERKMATCH_VAR_DIR": str(test_settings.var_dir)}  # fmt: skip
    printed = CliRunner().invoke(cli, ["vum", "match", "werkzoekenden", str(query), "--json"],
                                 env=env)  # fmt: skip
    assert printed.exit_code == 0, printed.output
    answered = client.post(SEARCH, json={"vraagObject": AROUND_LEIDEN}, headers=HEADERS)
    assert answered.status_code == 200 and answered.json() == json.loads(printed.stdout)
    assert {"O1", "R2"} <= {s["idWerkzoekende"] for s in answered.json()["matches"]}


def test_documents_are_built_for_the_nearest_first_with_the_same_answer(
    manager: TestClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    def answers() -> list[tuple[list[str], bool]]:
        found = []
        for limit in (1, 2, 3, 10):
            app.state.settings = app.state.settings.model_copy(update={"vum_max_results": limit})
            body = manager.post(SEARCH, json={"vraagObject": AROUND_LEIDEN}).json()
            ids = [summary["idWerkzoekende"] for summary in body["matches"]]
            found.append((ids, body["maximumAantalResultatenBereikt"]))
        return found

    built: list[str] = []
    original = source._documents

    def counted(conn: Any, domain: Any, rows: Any) -> Any:
        documents = original(conn, domain, rows)
        built.extend(record_id for record_id, _ in documents)
        return documents

    monkeypatch.setattr(source, "_documents", counted)
    monkeypatch.setattr(source, "FIRST_BATCH", 10_000)
    at_once = answers()
    assert len(built) == 4 * 4  # every profile in the area, for each of the four limits
    monkeypatch.setattr(source, "FIRST_BATCH", 1)
    built.clear()
    assert answers() == at_once
    assert at_once[0][1] is True and at_once[-1][1] is False
    assert len(built) < 4 * 4  # the narrow limits stopped before the farthest
