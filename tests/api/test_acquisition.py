"""POST /acquisition/contacts and GET /acquisition/funnel on a hand-made history."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from matching.access.users import create_user
from matching.store import models

# Job hunter anna: E1 letter (Jan) → call, appointment → visit, vacancy; vacancy v1 after the
#   first contact and two placements → written, contacted, appointment, vacancy, placement (2).
#   E2 letter (Jan) → call, no interest; its vacancy predates the first contact → contacted only.
# Job hunter bram: E3 call (Feb), interest; a vacancy after the call, a placement before the call
#   → the appointment and vacancy stages (nested), no placement. E4 meeting (Feb) → appointment.
# E5 has contacts outside the funnel window only (December 2023).
CONTACTS = [
    ("c1", "E1", "2024-01-10", "letter", "none", "anna"),
    ("c2", "E1", "2024-01-25", "call", "appointment", "anna"),
    ("c3", "E1", "2024-02-05", "visit", "vacancy", "anna"),
    ("c4", "E2", "2024-01-12", "letter", "none", "anna"),
    ("c5", "E2", "2024-02-01", "call", "no_interest", "anna"),
    ("c6", "E3", "2024-02-03", "call", "interest", "bram"),
    ("c7", "E4", "2024-02-10", "meeting", "none", "bram"),
    ("c8", "E5", "2023-12-01", "letter", "none", "bram"),
]
VACANCIES = [("v1", "E1", "2024-02-05"), ("v2", "E3", "2024-03-01"), ("v3", "E2", "2023-12-01")]
PLACEMENTS = [("p1", "E1", "2024-03-01"), ("p2", "E1", "2024-04-01"), ("p3", "E3", "2024-01-01")]


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _seed(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        for i in range(1, 6):
            session.add(models.Employer(employer_id=f"E{i}", name=f"Werkgever {i}",
                                        sbi_code="56", sbi_section="I",
                                        municipality_code="GM0575"))  # fmt: skip
        session.add(models.Candidate(candidate_id="K1", municipality_code="GM0575",
                                     ladder_step=5, target_group="regulier", hours_available=32,
                                     status="placed", consent_regional=False))  # fmt: skip
        session.flush()
        for cid, emp, date, kind, outcome, by in CONTACTS:
            session.add(models.Contact(contact_id=cid, employer_id=emp, date=_day(date),
                                       kind=kind, outcome=outcome, by=by))  # fmt: skip
        for vid, emp, opened in VACANCIES:
            session.add(models.Vacancy(vacancy_id=vid, employer_id=emp, title="Kok",
                                       municipality_code="GM0575", hours_per_week=24,
                                       opened_on=_day(opened), status="filled"))  # fmt: skip
        session.flush()
        for pid, emp, start in PLACEMENTS:
            session.add(models.Placement(placement_id=pid, candidate_id="K1", employer_id=emp,
                                         start_date=_day(start), hours_per_week=24,
                                         contract="regular"))  # fmt: skip


@pytest.fixture
def history(client: TestClient, sessions: sessionmaker[Session]) -> TestClient:
    _seed(sessions)
    return client


WINDOW = {"from": "2024-01-01", "to": "2024-12-31"}
STEP_KEYS = ("contacted", "written", "appointment", "vacancy", "placement", "placements")


def test_funnel_in_total(history: TestClient) -> None:
    response = history.get("/acquisition/funnel", params=WINDOW)
    assert response.status_code == 200, response.text
    (row,) = response.json()["data"]
    assert [row[k] for k in STEP_KEYS] == [4, 2, 3, 2, 1, 2]
    assert row["appointment_share"] == pytest.approx(3 / 4)
    assert row["placement_share"] == pytest.approx(1 / 2)


def test_funnel_per_job_hunter_and_month(history: TestClient) -> None:
    by_user = history.get("/acquisition/funnel", params={**WINDOW, "by": "user"}).json()["data"]
    counts = {r["user"]: [r[k] for k in STEP_KEYS] for r in by_user}
    assert counts == {"anna": [2, 2, 1, 1, 1, 2], "bram": [2, 0, 2, 1, 0, 0]}
    both = history.get("/acquisition/funnel", params={**WINDOW, "by": "user,month"}).json()
    keyed = {(r["user"], r["period"]): r["contacted"] for r in both["data"]}
    assert keyed == {("anna", "2024-01"): 2, ("bram", "2024-02"): 2}
    weeks = history.get("/acquisition/funnel", params={**WINDOW, "by": "week"}).json()["data"]
    assert {r["period"]: r["contacted"] for r in weeks} == {"2024-W02": 2, "2024-W05": 1,
                                                           "2024-W06": 1}  # fmt: skip


def test_funnel_window_counts_first_contacts_inside_it(history: TestClient) -> None:
    (row,) = history.get("/acquisition/funnel", params={"from": "2023-12-01"}).json()["data"]
    assert row["contacted"] == 5 and row["written"] == 3
    (row,) = history.get("/acquisition/funnel", params={"to": "2023-12-31"}).json()["data"]
    assert row["contacted"] == 1 and row["appointment_share"] == 0.0
    (row,) = history.get("/acquisition/funnel", params={"to": "2020-01-01"}).json()["data"]
    assert row["contacted"] == 0 and row["appointment_share"] is None


def test_recording_a_contact_ends_white_spot_status(history: TestClient) -> None:
    with_spot = {"employer_id": "E9", "date": "2024-05-01", "kind": "brief"}
    assert history.post("/acquisition/contacts", json=with_spot).status_code == 404
    response = history.post(
        "/acquisition/contacts",
        json={"employer_id": "E1", "date": "2024-05-01", "kind": "bezoek", "outcome": "afspraak"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["kind"], body["outcome"], body["was_white_spot"]) == (
        "visit",
        "appointment",
        False,
    )
    assert body["by"].startswith("test-admin")


def test_first_contact_with_a_white_spot(
    history: TestClient, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        session.add(models.Employer(employer_id="NEW", name="Nieuw", municipality_code="GM0575"))
    params = {"municipality": "GM0575", "as_of": "2024-06-01"}
    listed = history.get("/employers/white-spots", params=params).json()["data"]
    assert "NEW" in {s["employer_id"] for s in listed}
    body = {"employer_id": "NEW", "date": "2024-06-01", "kind": "call"}
    response = history.post("/acquisition/contacts", json=body)
    assert response.status_code == 201 and response.json()["was_white_spot"] is True
    listed = history.get("/employers/white-spots", params=params).json()["data"]
    assert "NEW" not in {s["employer_id"] for s in listed}


BAD_CONTACTS = [
    {"employer_id": "E1", "date": "2024-05-01", "kind": "fax"},
    {"employer_id": "E1", "date": "2024-05-01", "kind": "call", "outcome": "misschien"},
    {"employer_id": "E1", "date": "not a date", "kind": "call"},
]
BAD_FUNNELS = [{"by": "employer"}, {"by": "month,week"}, {"from": "2024-02-01", "to": "2024-01-01"}]


def test_bad_input_is_422(history: TestClient) -> None:
    for body in BAD_CONTACTS:
        response = history.post("/acquisition/contacts", json=body)
        assert response.status_code == 422 and response.json()["detail"], body
    for params in BAD_FUNNELS:
        assert history.get("/acquisition/funnel", params=params).status_code == 422, params


def test_roles(history: TestClient, client_as: Callable[..., TestClient]) -> None:
    evaluator, hunter = client_as("evaluator"), client_as("jobhunter")
    contact = {"employer_id": "E1", "date": "2024-05-01", "kind": "call"}
    assert evaluator.get("/acquisition/funnel").status_code == 200
    assert evaluator.post("/acquisition/contacts", json=contact).status_code == 403
    assert client_as("accountmanager").get("/acquisition/funnel").status_code == 403
    response = hunter.post("/acquisition/contacts", json=contact)
    assert response.status_code == 201 and response.json()["by"].startswith("test-jobhunter")


def test_a_bsn_is_refused_and_not_repeated(history: TestClient) -> None:
    for field in ("kind", "outcome"):
        body = {"employer_id": "E1", "date": "2024-05-01", "kind": "call", field: "123456782"}
        response = history.post("/acquisition/contacts", json=body)
        assert response.status_code == 422, field
        assert "BSN" in str(response.json()["detail"]) and "123456782" not in response.text
    assert "123456782" not in history.get("/audit", params={"limit": 500}).text


def test_implausible_contacts_are_refused(history: TestClient) -> None:
    body = {"employer_id": "E1", "date": "0001-01-01", "kind": "call"}
    response = history.post("/acquisition/contacts", json=body)
    assert response.status_code == 422
    assert "1 januari 1 ligt niet tussen" in str(response.json()["detail"])


def test_the_funnel_per_user_names_no_user_of_another_organisation(
    history: TestClient, client_as: Callable[..., TestClient], sessions: sessionmaker[Session]
) -> None:
    """bram's contacts were made by a job hunter of Leiden's organisation (a user now): Noordwijk
    counts them, unnamed; Leiden sees bram by name."""
    noordwijk, leiden = client_as("jobhunter", ["GM0575"]), client_as("jobhunter", ["GM0546"])
    leiden_org = "test-" + hashlib.sha256(b"GM0546").hexdigest()[:12]  # as sign_in names it
    with sessions.begin() as session:
        create_user(session, "bram", role="jobhunter", organisation_id=leiden_org)
    params = {**WINDOW, "by": "user"}
    seen = noordwijk.get("/acquisition/funnel", params=params).json()["data"]
    assert [r["user"] for r in seen] == ["anna", None]
    assert "bram" not in noordwijk.get("/acquisition/funnel", params=params).text
    assert {r["user"] for r in leiden.get("/acquisition/funnel", params=params).json()["data"]} == {
        "anna", "bram"}  # fmt: skip
    total = noordwijk.get("/acquisition/funnel", params=WINDOW).json()["data"][0]
    assert total == leiden.get("/acquisition/funnel", params=WINDOW).json()["data"][0]


def test_a_contact_id_is_made_here_so_none_tells_that_it_exists(
    history: TestClient, sessions: sessionmaker[Session]
) -> None:
    """An id of the caller's choosing was refused when taken ("Contact 'c1' bestaat al."), also
    when another organisation's contact had it: an existence oracle. The id is now never taken
    from the body, for an existing id and an unknown one alike."""
    body = {"employer_id": "E1", "date": "2024-05-01", "kind": "call"}
    made = [history.post("/acquisition/contacts", json={**body, "contact_id": cid})
            for cid in ("c1", "c-onbekend")]  # fmt: skip
    assert [r.status_code for r in made] == [201, 201]
    ids = [r.json()["contact_id"] for r in made]
    assert all(re.fullmatch(r"c-[0-9a-f]{32}", i) for i in ids) and ids[0] != ids[1]
    with sessions() as session:
        assert session.get_one(models.Contact, "c1").by == "anna"
        assert session.get(models.Contact, "c-onbekend") is None
