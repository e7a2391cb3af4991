"""The API and pages of instruments, aftercare and supply-driven acquisition, on the
hand-made store (vacancy V1 and the pool of Noordwijk; P1: X_RUNNING's placement, moved here
to 100 days before today, so its 3-month check-in is overdue)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from demo.staff import add_staff_users, staff_name
from matching.store import models
from matching.store.access import User
from tests.matching.shortlist.store_fixture import (
    NOORDWIJK,
    candidate,
    cleaner_skills,
    cleaner_uri,
    seed,
)


@pytest.fixture
def manager(sessions: sessionmaker[Session], client_as: Callable[..., TestClient]) -> TestClient:
    seed(sessions)
    with sessions.begin() as session:
        placement = session.get(models.Placement, "P1")
        assert placement is not None
        placement.start_date = dt.date.today() - dt.timedelta(days=100)
    return client_as("accountmanager", [NOORDWIJK])


def test_aftercare_worklist_and_a_check_in(manager: TestClient) -> None:
    worklist = manager.get("/aftercare").json()
    (late,) = [d for d in worklist["overdue"] if d["placement"]["placement_id"] == "P1"]
    assert late["checkpoint"] in (3, 6)  # the latest missed one
    assert worklist["at_risk"][0]["reasons"][0].startswith("contactmoment na ")
    made = manager.post(
        "/placements/P1/check-ins", json={"checkpoint": late["checkpoint"], "note": "gebeld"}
    )
    assert made.status_code == 201, made.text
    assert made.json()["by"].startswith("test-accountmanager-")
    after = manager.get("/aftercare").json()
    assert "P1" not in [d["placement"]["placement_id"] for d in after["overdue"]]
    refused = manager.post("/placements/P1/check-ins", json={"checkpoint": 2})
    assert refused.status_code == 422 and "kies 1, 3 of 6" in refused.text


def test_instruments_of_a_match(manager: TestClient) -> None:
    body = manager.get("/vacancies/V1/candidates/O4/instruments").json()
    applies = [s["rule_id"] for s in body["instruments"] if s["applies"]]
    assert "jobcarving" in applies and body["trainings"][0]["trainings"] == []
    page = manager.get("/vacatures/V1/kandidaten/O4/instrumenten")
    assert page.status_code == 200 and "Jobcarving" in page.text
    # the chance as on the shortlist: whole percents
    assert re.search(r"volgens het model: \d+\xa0%\.", page.text), page.text


def test_the_api_names_the_competences_likely_present_the_page_shows(
    manager: TestClient, sessions: sessionmaker[Session]
) -> None:
    """A cleaner by history with no skills recorded: the page's 'likely present' list is in
    the API's answer too, label and reason, and none of them counts as missing."""
    with sessions.begin() as session:
        person = candidate("O5", NOORDWIJK, skills=False)
        person.occupations.append(
            models.CandidateOccupation(position=0, text="schoonmaker", uri=cleaner_uri())
        )
        session.add(person)
    body = manager.get("/vacancies/V1/candidates/O5/instruments").json()
    assert len(body["likely"]) == len(cleaner_skills()[:4])
    assert all("waarschijnlijk aanwezig" in c["reason"] for c in body["likely"])
    page = manager.get("/vacatures/V1/kandidaten/O5/instrumenten").text
    assert all(f"≈ {c['label']} " in page for c in body["likely"])
    assert body["trainings"] == []


def test_employers_for_a_job_seeker_and_a_supply_driven_contact(
    manager: TestClient, client_as: Callable[..., TestClient]
) -> None:
    hunter = client_as("jobhunter", [NOORDWIJK])
    leads = hunter.get("/candidates/O1/employers").json()
    assert leads["count"] == 1 and leads["data"][0]["employer_id"] == "E1"
    made = hunter.post(
        "/acquisition/contacts",
        json={"employer_id": "E1", "date": "2026-11-02", "kind": "call", "supply_driven": True},
    )
    assert made.status_code == 201 and made.json()["supply_driven"] is True
    page = manager.get("/werkzoekenden/O1/werkgevers")
    assert page.status_code == 200 and "Schoonmaak Duin" in page.text
    posted = manager.post("/werkzoekenden/O1/werkgevers/E1/contact", data={"soort": "visit"},
                          follow_redirects=False)  # fmt: skip
    assert posted.status_code == 303


def test_a_job_hunter_reaches_the_employers_of_a_job_seeker_by_number(
    manager: TestClient, client_as: Callable[..., TestClient]
) -> None:
    """Job hunters see no candidate lists: the white-spot page asks for the number the
    account manager gives, and only the organisation's own job seekers open."""
    hunter = client_as("jobhunter", [NOORDWIJK])
    spots = hunter.get("/witte-vlekken")
    assert re.search(r'<form method="get" action="/werkzoekenden"', spots.text), spots.text
    start = hunter.get("/werkzoekenden")
    assert start.status_code == 200 and 'name="nummer"' in start.text
    found = hunter.get("/werkzoekenden", params={"nummer": " O1 "}, follow_redirects=False)
    assert found.status_code == 303
    assert found.headers["location"] == "/werkzoekenden/O1/werkgevers"
    leads = hunter.get(found.headers["location"])
    assert leads.status_code == 200 and "Schoonmaak Duin" in leads.text
    elsewhere = client_as("jobhunter", ["GM0546"])  # Leiden: O1 is Noordwijk's
    for number in ("O1", "GEEN"):
        refused = elsewhere.get("/werkzoekenden", params={"nummer": number})
        assert refused.status_code == 404 and "Schoonmaak Duin" not in refused.text
        assert f"Werkzoekende {number} is niet gevonden bij uw organisatie." in refused.text
    assert client_as("evaluator", [NOORDWIJK]).get("/werkzoekenden").status_code == 403


def _late(page: str) -> int:
    found = re.search(r"Te laat \((\d+)\)", page)
    assert found is not None
    return int(found.group(1))


def test_nazorg_page(manager: TestClient) -> None:
    page = manager.get("/nazorg")
    assert page.status_code == 200
    shown = re.search(r'id="nazorg-P1-(\d)"', page.text)
    assert shown is not None  # P1 started 100 days ago: a check-in is overdue
    late = _late(page.text)
    posted = manager.post(
        "/nazorg/P1/contact", data={"checkpoint": shown.group(1)}, follow_redirects=False
    )
    assert posted.status_code == 303
    after = manager.get("/nazorg").text
    assert _late(after) == late - 1 and 'id="nazorg-P1-' not in after


def test_rules_and_trainings_page_download_and_upload(manager: TestClient) -> None:
    page = manager.get("/instrumenten")
    assert page.status_code == 200 and "lks-participatiewet" in page.text
    assert "uitkering Participatiewet (bijstand)" in page.text  # conditions in words
    assert "ladder_max" not in page.text and "benefit:" not in page.text
    shipped = manager.get("/instrumenten/regels.csv")
    assert shipped.text.startswith("\ufeffrule_id,kind,")
    bad = b"rule_id,kind,reason\nx,onzin,y\n"
    refused = manager.post("/instrumenten/regels", files={"bestand": ("regels.csv", bad)})
    assert refused.status_code == 422 and "regels.csv, rij 2, kolom kind" in refused.text
    good = b"rule_id,kind,reason\neigen,jobcoaching,Altijd coachen\n"
    stored = manager.post("/instrumenten/regels", files={"bestand": ("regels.csv", good)})
    assert stored.status_code == 200 and "1 instrumentregels opgeslagen" in stored.text
    assert "lks-participatiewet" not in manager.get("/instrumenten/regels.csv").text
    body = manager.get("/vacancies/V1/candidates/O4/instruments").json()
    assert [s["rule_id"] for s in body["instruments"]] == ["eigen"]


def test_record_end_and_remove_an_instrument_through_the_api(manager: TestClient) -> None:
    pair = "/vacancies/V1/candidates/X_PROPOSED/instruments"
    made = manager.post(pair, json={"kind": "lks", "start_date": "2026-10-01", "amount": 9000})
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["kind"], body["placement_id"], body["amount"]) == (
        "loonkostensubsidie", None, 9000)  # fmt: skip
    used = manager.get(pair).json()["used"]
    assert [u["instrument_id"] for u in used] == [body["instrument_id"]]
    ended = manager.patch(f"/instruments/{body['instrument_id']}", json={"end_date": "2027-09-30"})
    assert ended.status_code == 200 and ended.json()["end_date"] == "2027-09-30"
    early = manager.patch(f"/instruments/{body['instrument_id']}", json={"end_date": "2026-01-01"})
    assert early.status_code == 422 and "vóór de begindatum" in early.json()["detail"]
    unknown = manager.post(pair, json={"kind": "subsidie", "start_date": "2026-10-01"})
    assert unknown.status_code == 422 and "kies een soort instrument" in unknown.json()["detail"]
    coaching = {"kind": "jobcoaching", "start_date": "2026-10-01"}
    not_proposed = manager.post("/vacancies/V1/candidates/O1/instruments", json=coaching)
    assert not_proposed.status_code == 404
    assert manager.delete(f"/instruments/{body['instrument_id']}").status_code == 204
    assert manager.delete(f"/instruments/{body['instrument_id']}").status_code == 404


def test_record_end_and_remove_an_instrument_on_the_page(manager: TestClient) -> None:
    pair = "/vacatures/V1/kandidaten/X_PROPOSED/instrumenten"
    page = manager.get(pair, params={"soort": "jobcoaching"})
    assert page.status_code == 200
    assert '<option value="jobcoaching" selected>' in page.text
    assert f'href="{pair}?soort=jobcarving#vastleggen"' in page.text  # a suggestion fills it
    posted = manager.post(pair, data={"soort": "jobcoaching", "datum": "2026-10-01",
                                      "bedrag": "1.200"}, follow_redirects=False)  # fmt: skip
    assert posted.status_code == 303
    shown = manager.get(posted.headers["location"])
    assert "Het instrument is vastgelegd." in shown.text and "€ 1.200" in shown.text
    found = re.search(rf'action="{pair}/(i-[0-9a-f]+)/einde"', shown.text)
    assert found is not None
    ended = manager.post(f"{pair}/{found.group(1)}/einde", data={"datum": "2026-12-31"})
    assert "Het instrument is beëindigd." in ended.text and "31-12-2026" in ended.text
    bad = manager.post(pair, data={"soort": "jobcoaching", "datum": "gisteren"})
    assert bad.status_code == 422 and "De begindatum is geen datum" in bad.text
    removed = manager.post(f"{pair}/{found.group(1)}/verwijderen")
    assert "Het instrument is verwijderd." in removed.text
    assert "Nog geen instrumenten vastgelegd" in removed.text
    assert "stel de kandidaat eerst voor" in manager.get(
        "/vacatures/V1/kandidaten/O4/instrumenten").text  # fmt: skip


def test_staff_are_shown_by_name_not_by_user_id(
    manager: TestClient, sessions: sessionmaker[Session]
) -> None:
    """/vacatures (Geworven door) and /nazorg (Accountmanager) name the demo's staff, whose
    users ``demo.staff`` adds from the ids in the files."""
    with sessions.begin() as session:
        organisation = session.scalars(
            select(User.organisation_id).where(User.role == "accountmanager")
        ).one()
        for vacancy in session.scalars(select(models.Vacancy)):
            vacancy.acquired_by = "am-devries"
        for proposal in session.scalars(select(models.Proposal)):
            proposal.proposed_by = "am-devries"
        assert add_staff_users(session, organisation) == ["am-devries"]
        assert add_staff_users(session, organisation) == []  # once
    for page in ("/vacatures", "/nazorg"):
        text = manager.get(page).text
        assert staff_name("am-devries") in text and "am-devries" not in text, page
    assert staff_name("am-devries").endswith(" de Vries")
