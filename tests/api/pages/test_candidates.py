"""The candidate page: own organisation only, profile without protected attributes, matches."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from matching.store.security import AuditEntry
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
    assert "Kandidaat O1" in page.text and "Noordwijk" in page.text
    assert 'href="/vacatures/V1"' in page.text and "Eigen gemeente" in page.text
    assert "birth" not in page.text and "Geboortejaar" not in page.text
    with sessions() as session:
        actions = set(session.scalars(select(AuditEntry.action)))
    assert {"candidate.read", "candidate.matches"} <= actions


def test_other_organisations_candidate_is_not_found(client_as: Callable[..., TestClient]) -> None:
    manager = client_as("accountmanager", [NOORDWIJK])
    assert manager.get("/kandidaten/R1").status_code == 404
    assert manager.get("/kandidaten/NOBODY").status_code == 404
    assert client_as("evaluator").get("/kandidaten/O1").status_code == 403
