"""The account manager's pages on the hand-made shortlist store (V1 in Noordwijk)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from matching.store import models
from matching.store.access import AuditEntry, User
from tests.matching.shortlist.store_fixture import LEIDEN, NOORDWIJK

pytestmark = [
    pytest.mark.parametrize("engine", ["sqlite"], indirect=True),
    pytest.mark.usefixtures("seeded"),
]
HX = {"hx-request": "true"}


def _ranked(html: str) -> list[str]:
    return re.findall(r'name="candidate_id" value="([^"]+)"', html)


def test_vacancies_list_counts_qualifying_candidates(client_as: Callable[..., TestClient]) -> None:
    manager = client_as("accountmanager", [NOORDWIJK, LEIDEN])
    page = manager.get("/vacatures")
    assert page.status_code == 200 and 'href="/vacatures/V1"' in page.text
    assert "Schoonmaak Duin" in page.text and "1 open vacature." in page.text
    count = re.search(r'<strong class="count">(\d+)</strong>', page.text)
    assert count is not None and int(count.group(1)) >= 3  # O1–O3 qualify at least
    assert "V1" not in manager.get("/vacatures?sector=C").text.split("<main")[1]
    assert "0 open vacatures" in manager.get("/vacatures?mijn=true").text
    assert manager.get("/vacatures?gemeente=Leiden").status_code == 422
    admin = client_as("admin", ["GM0363"])  # Amsterdam: no open vacancies there
    assert "0 open vacatures" in admin.get("/vacatures").text


def test_shortlist_page_explains_and_marks_fallback(client_as: Callable[..., TestClient]) -> None:
    page = client_as("accountmanager", [NOORDWIJK]).get("/vacatures/V1?aantal=10")
    assert page.status_code == 200
    ranked = _ranked(page.text)
    assert {"O1", "O2", "O3"} <= set(ranked) and "X_PROPOSED" not in ranked
    assert page.text.count("badge--own") >= 3 and "chip--matched" in page.text
    assert "Trede" in page.text and "km" in page.text
    assert "UTC" not in page.text  # the time it was made is Amsterdam's
    # "telt mee:" is said once per candidate, not before every reason
    assert 0 < page.text.count("telt mee:") <= page.text.count("Wat de score het meest bepaalde")
    # the page says what the chance means, and the threshold on that scale
    assert "minstens 6 maanden en 1 dag blijft werken" in page.text
    assert 'aria-describedby="chance-meaning"' in page.text  # every card points to it
    assert "minstens 35&nbsp;% gelden als geschikt" in page.text
    assert "kwaliteitsdrempel (kans op duurzame plaatsing ≥ 35\xa0%)" in page.text  # 35 %, not 35%
    if "R1" in ranked:  # another organisation's candidate: marked, pseudonymised, no profile
        assert "badge--fallback" in page.text and "gepseudonimiseerd" in page.text
        assert 'href="/kandidaten/R1"' not in page.text
    assert 'href="/kandidaten/O1"' in page.text


def test_propose_needs_a_reason_when_skipping_then_records(
    client_as: Callable[..., TestClient], sessions: sessionmaker[Session]
) -> None:
    manager = client_as("accountmanager", [NOORDWIJK])
    with sessions.begin() as session:  # the proposals table names who, not their user id
        for user in session.scalars(select(User).where(User.role == "accountmanager")):
            user.display_name = "Kim de Jager"
    ranked = _ranked(manager.get("/vacatures/V1").text)
    chosen = [ranked[0], ranked[2]]
    refused = manager.post("/vacatures/V1/voorstellen", data={"candidate_id": chosen}, headers=HX)
    assert refused.status_code == 422 and "Geef een reden" in refused.text
    assert refused.headers["hx-retarget"] == "#propose-error"
    data = {"candidate_id": chosen, "reason": "Nummer 2 is ziek."}
    done = manager.post("/vacatures/V1/voorstellen", data=data, headers=HX)
    assert done.status_code == 200 and "2 kandidaten voorgesteld" in done.text
    assert "<td>Kim de Jager</td>" in done.text and "test-accountmanager" not in done.text
    assert 'id="proposals"' in done.text and "Nummer 2 is ziek." in done.text
    assert not set(chosen) & set(_ranked(done.text))  # proposed ones leave the list
    with sessions() as session:
        stored = session.scalars(
            select(models.Proposal.candidate_id).where(models.Proposal.reason.is_not(None))
        ).all()
        overrides = session.scalars(
            select(AuditEntry.action).where(AuditEntry.action == "shortlist.override")
        ).all()
    assert sorted(stored) == sorted(chosen) and overrides == ["shortlist.override"]


def test_decision_is_recorded(client_as: Callable[..., TestClient]) -> None:
    manager = client_as("accountmanager", [NOORDWIJK])
    ranked = _ranked(manager.get("/vacatures/V1").text)
    manager.post("/vacatures/V1/voorstellen", data={"candidate_id": ranked[0]})
    url = f"/vacatures/V1/voorstellen/{ranked[0]}/besluit"
    answer = manager.post(url, data={"outcome": "rejected"}, headers=HX)
    assert answer.status_code == 200 and "outcome--rejected" in answer.text
    assert "Besluit voor" in answer.text and "afgewezen" in answer.text
    wrong = manager.post(url, data={"outcome": "maybe"}, headers=HX)
    assert wrong.status_code == 422
    missing = manager.post("/vacatures/V1/voorstellen/O4/besluit", data={"outcome": "hired"})
    assert missing.status_code == 404


def test_shortlist_export_is_a_workbook_and_audited(
    client_as: Callable[..., TestClient], sessions: sessionmaker[Session]
) -> None:
    response = client_as("accountmanager", [NOORDWIJK]).get("/vacatures/V1/shortlist.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][:4] == ("Rang", "Kandidaat", "Gemeente", "Herkomst")
    assert rows[3][0] == 1 and rows[3][3] == "eigen gemeente"
    with sessions() as session:
        assert session.scalar(select(AuditEntry.id).where(AuditEntry.action == "shortlist.export"))


def test_unknown_vacancy_is_a_dutch_404(client_as: Callable[..., TestClient]) -> None:
    page = client_as("accountmanager").get("/vacatures/NOPE")
    assert page.status_code == 404 and "bestaat niet" in page.text


def test_a_refused_hire_changes_nothing(
    client_as: Callable[..., TestClient], sessions: sessionmaker[Session]
) -> None:
    manager = client_as("accountmanager", [NOORDWIJK])
    ranked = _ranked(manager.get("/vacatures/V1").text)
    manager.post("/vacatures/V1/voorstellen", data={"candidate_id": ranked[:2]})
    hire = {"outcome": "hired", "start_date": "2026-10-01", "contract": "regular"}
    first = manager.post(f"/vacatures/V1/voorstellen/{ranked[0]}/besluit", data=hire, headers=HX)
    assert first.status_code == 200
    second = manager.post(f"/vacatures/V1/voorstellen/{ranked[1]}/besluit", data=hire, headers=HX)
    assert second.status_code == 422 and "de vacature is al vervuld" in second.text
    with sessions() as session:  # the outcome did not change without its placement
        assert session.get_one(models.Proposal, ("V1", ranked[1])).outcome == "pending"


def test_a_hire_needs_a_start_date_then_places_closes_and_shows_what_was_saved(
    client_as: Callable[..., TestClient], sessions: sessionmaker[Session]
) -> None:
    manager = client_as("accountmanager", [NOORDWIJK])
    ranked = _ranked(manager.get("/vacatures/V1").text)
    manager.post("/vacatures/V1/voorstellen", data={"candidate_id": ranked[0]})
    url = f"/vacatures/V1/voorstellen/{ranked[0]}/besluit"
    undated = manager.post(url, data={"outcome": "hired", "contract": "trial"}, headers=HX)
    assert undated.status_code == 422 and "startdatum nodig" in undated.text
    # the table stays, with the choice made, so only the start date is to be added
    assert f'id="proposal-{ranked[0]}"' in undated.text and 'role="alert"' in undated.text
    assert re.search(r'<option value="hired" selected>', undated.text)
    assert re.search(r'<option value="trial" selected>', undated.text)
    with sessions() as session:
        assert session.get_one(models.Proposal, ("V1", ranked[0])).outcome == "pending"
    typed = {"outcome": "hired", "start_date": "1-10-2026", "contract": "trial"}  # no date input
    unread = manager.post(url, data=typed, headers=HX)
    assert unread.status_code == 422 and "1-10-2026&#39; is geen startdatum" in unread.text
    assert "isoformat" not in unread.text
    hire = {"outcome": "hired", "start_date": "2026-10-01", "contract": "trial"}
    saved = manager.post(url, data=hire, headers=HX)
    assert saved.status_code == 200
    assert "aangenomen per 01-10-2026 (proefplaatsing)" in saved.text
    assert "de vacature is vervuld en gesloten" in saved.text  # V1 has one place
    assert "per 01-10-2026 · Proefplaatsing" in saved.text
    with sessions() as session:
        assert session.get_one(models.Candidate, ranked[0]).status == "placed"
        assert session.get_one(models.Vacancy, "V1").status == "filled"
    profile = manager.get(f"/kandidaten/{ranked[0]}").text
    assert "Geplaatst" in profile and "Proefplaatsing" in profile


def test_an_unknown_address_is_a_dutch_page_for_browsers_and_json_for_clients(
    client: TestClient,
) -> None:
    page = client.get("/bestaat-niet", headers={"accept": "text/html"})
    assert page.status_code == 404 and "Deze pagina bestaat niet" in page.text
    assert page.headers["content-type"].startswith("text/html")
    api = client.get("/bestaat-niet")
    assert api.status_code == 404 and api.json() == {"detail": "Niet gevonden."}


def test_vacancy_counts_are_written_the_dutch_way() -> None:
    """Counts run into the thousands on a region (2.242 door de harde eisen): each goes
    through the Dutch number filter."""
    from pathlib import Path

    source = (Path(__file__).parents[3] / "api/templates/vacancies.html").read_text()
    counts = re.findall(r"\{\{ q\.\w+([^}]*)\}\}", source)
    assert counts and all("| number" in rest for rest in counts)


def test_where_coverage_overlaps_only_the_proposing_organisation_decides(
    client_as: Callable[..., TestClient],
) -> None:
    """Two organisations cover Noordwijk: the one that proposed records the decision; the other
    sees the proposal without a decision form and is refused on the page and in the API."""
    proposer = client_as("accountmanager", [NOORDWIJK])
    other = client_as("accountmanager", [NOORDWIJK, LEIDEN])
    ranked = _ranked(proposer.get("/vacatures/V1").text)
    proposer.post("/vacatures/V1/voorstellen", data={"candidate_id": ranked[0]})
    seen = other.get("/vacatures/V1").text
    assert "Voorgesteld door een andere organisatie" in seen and "andere organisatie" in seen
    url = f"/vacatures/V1/voorstellen/{ranked[0]}/besluit"
    refused = other.post(url, data={"outcome": "rejected"}, headers=HX)
    assert refused.status_code == 409 and "andere organisatie" in refused.text
    api = other.patch(f"/vacancies/V1/proposals/{ranked[0]}", json={"outcome": "rejected"})
    assert api.status_code == 409
    listed = proposer.get("/vacancies/V1/proposals").json()["data"]
    (mine,) = [p for p in listed if p["candidate_id"] == ranked[0]]
    assert mine["may_decide"] and mine["outcome"] == "pending"
    assert proposer.post(url, data={"outcome": "rejected"}, headers=HX).status_code == 200
