"""The job hunter's page: white spots with reasons, two-click contact, the funnel."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from api.pages.whitespots import period_start
from matching.store import models
from tests.matching.shortlist.store_fixture import NOORDWIJK

pytestmark = [
    pytest.mark.parametrize("engine", ["sqlite"], indirect=True),
    pytest.mark.usefixtures("seeded"),
]


@pytest.fixture
def spot(seeded: sessionmaker[Session]) -> str:
    """An employer in Noordwijk with no contact, vacancy or placement: a white spot."""
    with seeded.begin() as session:
        session.add(
            models.Employer(
                employer_id="E2", name="Hotel Zeezicht", sbi_code="55", sbi_section="I",
                municipality_code=NOORDWIJK, postcode4="2202", employees=40,
            )
        )  # fmt: skip
    return "E2"


def _mine(html: str, step: str) -> int:
    found = re.search(rf'data-step-mine="{step}">(\d+)<', html)
    assert found is not None
    return int(found.group(1))


def test_white_spots_page_and_two_click_contact(
    client_as: Callable[..., TestClient], spot: str
) -> None:
    hunter = client_as("jobhunter", [NOORDWIJK])
    page = hunter.get("/witte-vlekken")
    assert page.status_code == 200 and "Hotel Zeezicht" in page.text
    assert "Waarom deze werkgever" in page.text and "Contact vastleggen" in page.text
    assert _mine(page.text, "contacted") == 0
    data = {"employer_id": spot, "kind": "visit", "outcome": "appointment"}
    logged = hunter.post("/witte-vlekken/contact", data=data, headers={"hx-request": "true"})
    assert logged.status_code == 200 and "Bezoek vastgelegd" in logged.text
    assert "geen witte vlek meer" in logged.text and 'hx-swap-oob="true"' in logged.text
    assert _mine(logged.text, "contacted") == 1 and _mine(logged.text, "appointment") == 1
    again = hunter.get("/witte-vlekken")
    assert "Hotel Zeezicht" not in again.text  # no longer a white spot
    month = hunter.get("/witte-vlekken/trechter?periode=maand")
    assert _mine(month.text, "contacted") == 1 and 'id="funnel"' in month.text


def test_bad_contact_kind_and_roles(client_as: Callable[..., TestClient], spot: str) -> None:
    hunter = client_as("jobhunter", [NOORDWIJK])
    bad = hunter.post("/witte-vlekken/contact", data={"employer_id": spot, "kind": "fax"})
    assert bad.status_code == 422 and "Niet vastgelegd" in bad.text
    assert client_as("accountmanager").get("/witte-vlekken").status_code == 403
    assert client_as("evaluator").post("/witte-vlekken/contact").status_code == 403


def test_period_start() -> None:
    sunday = dt.date(2026, 11, 22)
    assert period_start("week", sunday) == dt.date(2026, 11, 16)
    assert period_start("maand", sunday) == dt.date(2026, 11, 1)
