"""The candidate page: own organisation only, profile without protected attributes, matches."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from matching.store.access import AuditEntry
from tests.matching.shortlist.store_fixture import NOORDWIJK

pytestmark = [
    pytest.mark.parametrize("engine", ["sqlite"], indirect=True),
    pytest.mark.usefixtures("seeded"),
]


def test_candidate_profile_and_matching_vacancies(
    client_as: Callable[..., TestClient], sessions: sessionmaker[Session]
) -> None:
    page = client_as("accountmanager", [NOORDWIJK]).get("/kandidaten/O1")
    assert page.status_code == 200
    assert "Werkzoekende O1" in page.text and "Noordwijk" in page.text
    assert 'href="/vacatures/V1"' in page.text and "Eigen gemeente" in page.text
    assert "birth" not in page.text and "Geboortejaar" not in page.text
    assert "<dd>Nederlands</dd>" in page.text and "<dd>nl</dd>" not in page.text
    assert "<dt>Postcode (cijfers)</dt><dd>2201</dd>" in page.text
    with sessions() as session:
        actions = set(session.scalars(select(AuditEntry.action)))
    assert {"candidate.read", "candidate.matches"} <= actions


def test_other_organisations_candidate_is_not_found(client_as: Callable[..., TestClient]) -> None:
    manager = client_as("accountmanager", [NOORDWIJK])
    assert manager.get("/kandidaten/R1").status_code == 404
    assert manager.get("/kandidaten/NOBODY").status_code == 404
    assert client_as("evaluator").get("/kandidaten/O1").status_code == 403


def test_caseload_search_by_label_text_and_filters(
    client_as: Callable[..., TestClient], sessions: sessionmaker[Session]
) -> None:
    manager = client_as("accountmanager", [NOORDWIJK])
    page = manager.get("/kandidaten")
    assert page.status_code == 200 and 'href="/kandidaten/O1"' in page.text
    assert 'href="/kandidaten/R1"' not in page.text  # Leiden: another organisation
    # a normalised competence is found by its Dutch ESCO label, case-insensitively
    found = manager.get("/kandidaten", params={"zoek": "SCHOONMA"}).text
    assert 'href="/kandidaten/O1"' in found and 'href="/kandidaten/O4"' not in found
    assert 'href="/kandidaten/X_LATE"' in manager.get("/kandidaten?zoek=x_la").text
    steps = manager.get("/kandidaten", params={"trede": "1"}).text
    assert 'href="/kandidaten/O4"' in steps and 'href="/kandidaten/O1"' not in steps
    placed = manager.get("/kandidaten", params={"status": "placed"}).text
    assert 'href="/kandidaten/X_PLACED"' in placed and "1 werkzoekende gevonden" in placed
    assert "Geen werkzoekenden gevonden" in manager.get("/kandidaten?zoek=%25").text
    assert manager.get("/kandidaten", params={"trede": "9"}).status_code == 422
    assert client_as("jobhunter").get("/kandidaten").status_code == 403
    with sessions() as session:
        assert "candidates.list" in set(session.scalars(select(AuditEntry.action)))


def test_profile_shows_proposals_and_placements(client_as: Callable[..., TestClient]) -> None:
    manager = client_as("accountmanager", [NOORDWIJK])
    proposed = manager.get("/kandidaten/X_PROPOSED").text
    assert "Voorstellen en plaatsingen" in proposed and "Nog geen besluit" in proposed
    running = manager.get("/kandidaten/X_RUNNING").text
    assert "Geplaatst" in running and "Schoonmaak Duin" in running and "loopt" in running
    assert "Nog niet voorgesteld" in manager.get("/kandidaten/O2").text


def test_the_list_links_each_active_job_seeker_to_the_employers_for_them(
    client_as: Callable[..., TestClient],
) -> None:
    """From a row of /kandidaten to the employers page ("met het cv onder de arm")."""
    manager = client_as("accountmanager", [NOORDWIJK])
    listed = manager.get("/kandidaten?zoek=O1").text
    assert 'href="/werkzoekenden/O1/werkgevers"' in listed
    assert 'href="/werkzoekenden/X_PLACED/werkgevers"' not in manager.get("/kandidaten").text
    assert manager.get("/werkzoekenden/O1/werkgevers").status_code == 200


def _shown(html: str) -> str:
    """The text a reader sees (tags, and so the /kandidaten addresses, left out)."""
    return re.sub(r"<[^>]+>", " ", html)


def test_the_job_seeker_pages_say_werkzoekende(client_as: Callable[..., TestClient]) -> None:
    """The house word for a job seeker is 'werkzoekende' (docs/domain.md); 'kandidaat' is kept
    for someone on a vacancy's shortlist or proposals, which these pages are not."""
    manager = client_as("accountmanager", [NOORDWIJK])
    for path in ("/kandidaten", "/kandidaten/O1", "/nazorg"):
        shown = _shown(manager.get(path).text)
        assert "Werkzoekende" in shown and "andidaat" not in shown and "andidaten" not in shown
