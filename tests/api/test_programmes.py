"""The /programmes API and the pages "Programma's": own organisation only, changes audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from evaluation.document import document
from evaluation.placement_report import Period
from evaluation.report import build_report
from evaluation.report_job import page_sections
from matching.exchange import import_paths
from matching.jobs import Jobs
from matching.store.access import AuditEntry

FIXTURES = Path(__file__).parents[1] / "fixtures"
NOORDWIJK, LEIDEN = "GM0575", "GM0546"
ROW = ("extra-impuls,{org},Extra impuls Noordwijk,2026-03-01,2027-02-28,GM0575,,,,5,,,,,,"
       "intake:1;jobhunting:6;nazorg:6,,1;3;11;eind,10,,,,60,,20,GM0575:5")  # fmt: skip


@pytest.fixture
def clients(
    client_as: Callable[..., TestClient], sessions: sessionmaker[Session], tmp_path: Path
) -> tuple[TestClient, TestClient]:
    """A project leader of Noordwijk (who owns the programme) and one of Leiden."""
    own, other = client_as("evaluator", [NOORDWIJK]), client_as("evaluator", [LEIDEN])
    org = "test-" + hashlib.sha256(NOORDWIJK.encode()).hexdigest()[:12]  # as sign_in names it
    header = (FIXTURES / "programmes" / "programmes.csv").read_text().splitlines()[0]
    path = tmp_path / "programmes.csv"
    path.write_text(header + "\n" + ROW.format(org=org) + "\n", encoding="utf-8")
    report = import_paths(sessions, [FIXTURES / "region_small", path])
    assert report.ok, report.to_dict()
    return own, other


def test_a_project_leader_enrols_admits_by_exception_moves_and_ends(
    clients: tuple[TestClient, TestClient], sessions: sessionmaker[Session]
) -> None:
    own, _ = clients
    assert [p["programme_id"] for p in own.get("/programmes").json()["data"]] == ["extra-impuls"]
    listed = own.get("/programmes/extra-impuls/eligible", params={"as_of": "2026-03-02"}).json()
    assert [e["candidate_id"] for e in listed["eligible"]] == ["K-0001"]
    assert listed["by_exception"][0]["misses"][0]["reason"].startswith("staat op trede 4")
    made = own.post("/programmes/extra-impuls/enrolments",
                    json={"candidate_id": "K-0001", "on": "2026-03-02"})  # fmt: skip
    assert made.status_code == 201, made.text
    refused = own.post("/programmes/extra-impuls/enrolments",
                       json={"candidate_id": "K-0002", "on": "2026-03-02"})  # fmt: skip
    assert refused.status_code == 422 and "trede 4" in refused.json()["detail"]
    admitted = own.post(
        "/programmes/extra-impuls/enrolments",
        json={
            "candidate_id": "K-0002",
            "on": "2026-03-02",
            "exception_reason": "werkt aan trede 5",
        },
    )
    assert admitted.json()["exception_reason"] == "werkt aan trede 5"
    moved = own.post("/programmes/extra-impuls/enrolments/K-0001/phase",
                     json={"phase": "jobhunting", "on": "2026-04-01"})  # fmt: skip
    assert moved.json()["phase_due"] == "2026-10-01"
    ended = own.post("/programmes/extra-impuls/enrolments/K-0002/end",
                     json={"outcome": "uitval", "on": "2026-05-01"})  # fmt: skip
    assert ended.json()["outcome"] == "dropped_out"
    flagged = own.get("/programmes/extra-impuls/trajectories", params={"as_of": "2026-10-02"})
    assert [(t["candidate_id"], t["over_time"]) for t in flagged.json()["data"]] == [
        ("K-0001", True), ("K-0002", False)]  # fmt: skip
    progress = own.get("/programmes/extra-impuls/progress", params={"as_of": "2026-10-02"})
    assert progress.json()["targets"][0]["now"] == 2
    with sessions() as session:
        actions = set(session.scalars(select(AuditEntry.action)))
    assert {"programme.enrol", "programme.admit_exception", "programme.phase"} <= actions


def test_another_organisation_gets_404_everywhere(clients: tuple[TestClient, TestClient]) -> None:
    _, other = clients
    assert other.get("/programmes").json()["count"] == 0
    for path in ("", "/progress", "/trajectories", "/eligible", "/eligibility/K-0001"):
        assert other.get(f"/programmes/extra-impuls{path}").status_code == 404, path
    body = {"candidate_id": "K-0003", "on": "2026-03-02", "exception_reason": "x"}
    assert other.post("/programmes/extra-impuls/enrolments", json=body).status_code == 404
    assert other.get("/programmas/extra-impuls").status_code == 404


def test_the_programme_page_shows_targets_worklist_and_forms(
    clients: tuple[TestClient, TestClient],
) -> None:
    own, _ = clients
    listed = own.get("/programmas")
    assert listed.status_code == 200 and 'href="/programmas/extra-impuls"' in listed.text
    page = own.get("/programmas/extra-impuls", params={"peildatum": "2026-03-02"})
    assert page.status_code == 200
    for text in (
        "Doelen en voortgang",
        "Wie komt in aanmerking",
        "Toelaten als uitzondering",
        "K-0001",
        "staat op trede 4",
        "Duurzaam geplaatst",
        'name="csrf_token"',
    ):
        assert text in page.text, text


def test_other_roles_may_not(client_as: Callable[..., TestClient]) -> None:
    assert client_as("accountmanager").get("/programmes").status_code == 403


def test_candidates_can_be_limited_to_a_programmes_participants(
    clients: tuple[TestClient, TestClient], client_as: Callable[..., TestClient]
) -> None:
    own, _ = clients
    own.post("/programmes/extra-impuls/enrolments",
             json={"candidate_id": "K-0001", "on": "2026-03-02"})  # fmt: skip
    manager = client_as("accountmanager", [NOORDWIJK])
    listed = manager.get("/candidates", params={"programme": "extra-impuls"}).json()
    assert [c["candidate_id"] for c in listed["data"]] == ["K-0001"]
    page = manager.get("/kandidaten", params={"programma": "extra-impuls"})
    assert "Deelnemers Extra impuls Noordwijk" in page.text
    assert "K-0001" in page.text and "K-0002" not in page.text
    other = client_as("accountmanager", [LEIDEN])
    assert other.get("/candidates", params={"programme": "extra-impuls"}).status_code == 404


def test_a_shortlist_can_be_limited_to_a_programmes_participants(
    clients: tuple[TestClient, TestClient], client_as: Callable[..., TestClient]
) -> None:
    own, _ = clients
    own.post("/programmes/extra-impuls/enrolments",
             json={"candidate_id": "K-0001", "on": "2026-03-02"})  # fmt: skip
    manager = client_as("accountmanager", [NOORDWIJK])
    everyone = manager.get("/vacancies/V-105/shortlist").json()["candidates"]
    only = manager.get("/vacancies/V-105/shortlist", params={"programme": "extra-impuls"})
    assert len(everyone) > 1 and "K-0001" in {c["candidate_id"] for c in everyone}
    assert [c["candidate_id"] for c in only.json()["candidates"]] == ["K-0001"]
    page = manager.get("/vacatures/V-105", params={"programma": "extra-impuls"})
    assert '<option value="extra-impuls" selected>' in page.text
    other = client_as("accountmanager", [LEIDEN])
    refused = other.get("/vacancies/V-103/shortlist", params={"programme": "extra-impuls"})
    assert refused.status_code == 404


def _stand(page: str, key: str) -> str:
    found = re.search(rf'data-doel="{re.escape(key)}".*?class="stand">([^<]*)<', page, re.S)
    assert found is not None, key
    return found.group(1)


def test_the_programme_page_at_an_evaluation_moment_equals_a_hand_count(
    clients: tuple[TestClient, TestClient],
) -> None:
    """Moments 1, 3 and 11 months after 1 March 2026, and the end: K-0001 enrolled 2 March and
    in jobhunting from 15 April, K-0002 (by exception) enrolled 1 May."""
    own, _ = clients
    own.post("/programmes/extra-impuls/enrolments",
             json={"candidate_id": "K-0001", "on": "2026-03-02"})  # fmt: skip
    own.post("/programmes/extra-impuls/enrolments/K-0001/phase",
             json={"phase": "jobhunting", "on": "2026-04-15"})  # fmt: skip
    own.post(
        "/programmes/extra-impuls/enrolments",
        json={
            "candidate_id": "K-0002",
            "on": "2026-05-01",
            "exception_reason": "werkt aan trede 5",
        },
    )
    first = own.get("/programmas/extra-impuls", params={"moment": 1})
    assert "Doelen en voortgang op evaluatiemoment 1 maand" in first.text
    assert "De stand op 01-04-2026" in first.text
    assert '<option value="1" selected>1 maand (01-04-2026)</option>' in first.text
    hand = {"participants": "1", "phase:intake": "1", "phase:jobhunting": "0"}
    assert {key: _stand(first.text, key) for key in hand} == hand
    third = own.get("/programmas/extra-impuls", params={"moment": 2})
    assert "De stand op 01-06-2026" in third.text
    hand = {"participants": "2", "phase:intake": "2", "phase:jobhunting": "1"}
    assert {key: _stand(third.text, key) for key in hand} == hand
    assert own.get("/programmas/extra-impuls", params={"moment": 99}).status_code == 422


def test_the_evaluation_page_offers_the_programmes_evaluation_moments(
    clients: tuple[TestClient, TestClient], sessions: sessionmaker[Session], app: FastAPI
) -> None:
    """A moment sets the period (programme start up to the moment) and the peildatum: the
    report's figures are those built as of that day, the programme's progress included."""
    own, other = clients
    form = own.get("/evaluatie").text
    option = re.search(r'<option value="extra-impuls:2"[^>]*>([^<]+)</option>', form)
    assert option is not None, form
    assert option.group(1) == "Extra impuls Noordwijk: 3 maanden (01-06-2026)"
    assert 'data-van="2026-03-01" data-tot="2026-06-01"' in option.group(0)
    data = {"van": "2025-01-01", "tot": "2025-12-31", "moment": "extra-impuls:2"}
    started = own.post("/evaluatie/rapport", headers={"hx-request": "true"}, data=data)
    assert started.status_code == 202, started.text
    job_id = started.text.split('id="job-', 1)[1].split('"', 1)[0]
    jobs: Jobs = app.state.jobs
    job = jobs.wait(job_id, timeout=60)
    assert job.state == "done", job.error
    assert job.result.title == "Evaluatie 1 maart 2026 – 1 juni 2026"
    with sessions() as session:
        expected = build_report(
            session, period=Period(dt.date(2026, 3, 1), dt.date(2026, 6, 1)),
            as_of=dt.date(2026, 6, 1), backtest=False, programmes=["extra-impuls"],
        )  # fmt: skip
    tables = [b for s in page_sections(document(expected), {}) for b in s["blocks"]
              if b["kind"] == "table"]  # fmt: skip
    shown = [b for s in job.result.sections for b in s["blocks"] if b["kind"] == "table"]
    assert shown == tables and any("Extra impuls" in s["title"] for s in job.result.sections)
    refused = other.post("/evaluatie/rapport", headers={"hx-request": "true"}, data=data)
    assert refused.status_code == 404 and "Dit evaluatiemoment bestaat niet." in refused.text
    assert 'name="moment"' not in other.get("/evaluatie").text  # Leiden has no programme
