"""The job hunter's page: white spots with reasons, two-click contact, the funnel."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.pages.whitespots import period_start
from matching.data_versions import bump_data_version
from matching.settings import Settings
from matching.shortlist.policy import set_policy
from matching.store import models
from matching.store.access import AuditEntry, User
from tests.matching.shortlist.store_fixture import FILTERED, NOORDWIJK

FILTERED_OUT = {*FILTERED.values(), "X_RUNNING"} - {"X_PROPOSED", "X_LANG"}
"""Whom the shortlist's hard filters remove at a white spot too (X_PROPOSED was proposed for
V1 only; X_LANG speaks no Dutch, and a white spot's typical vacancy asks no language)."""

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
    client_as: Callable[..., TestClient], spot: str, sessions: sessionmaker[Session]
) -> None:
    hunter = client_as("jobhunter", [NOORDWIJK])
    with sessions.begin() as session:  # the contact says who by name, not by user id
        for user in session.scalars(select(User).where(User.role == "jobhunter")):
            user.display_name = "Kim de Jager"
    page = hunter.get("/witte-vlekken")
    assert page.status_code == 200 and "Hotel Zeezicht" in page.text
    assert "Waarom deze werkgever" in page.text and "Contact vastleggen" in page.text
    assert _mine(page.text, "contacted") == 0
    data = {"employer_id": spot, "kind": "visit", "outcome": "appointment"}
    logged = hunter.post("/witte-vlekken/contact", data=data, headers={"hx-request": "true"})
    assert logged.status_code == 200 and "Bezoek vastgelegd" in logged.text
    assert "door Kim de Jager" in logged.text and "test-jobhunter" not in logged.text
    assert "geen witte vlek meer" in logged.text and 'hx-swap-oob="true"' in logged.text
    assert _mine(logged.text, "contacted") == 1 and _mine(logged.text, "appointment") == 1
    again = hunter.get("/witte-vlekken")
    assert "Hotel Zeezicht" not in again.text  # no longer a white spot
    month = hunter.get("/witte-vlekken/trechter?periode=maand", headers={"hx-request": "true"})
    assert _mine(month.text, "contacted") == 1 and 'id="funnel"' in month.text
    assert "<html" not in month.text
    opened = hunter.get("/witte-vlekken/trechter?periode=maand")  # a link opened directly
    assert "<html" in opened.text and 'id="funnel"' in opened.text and "<nav" in opened.text
    # funnel order: the base, its written part, then the narrowing stages
    assert re.findall(r'data-step="(\w+)"', month.text) == [
        "contacted", "written", "appointment", "vacancy", "placement",
    ]  # fmt: skip


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


@pytest.fixture
def many_spots(seeded: sessionmaker[Session]) -> list[str]:
    """25 white spots in Noordwijk: E10–E33 with 5–120 staff, E34 of 400 (the only large one)."""
    ids = [f"E{i}" for i in range(10, 35)]
    with seeded.begin() as session:
        for k, employer_id in enumerate(ids):
            session.add(
                models.Employer(
                    employer_id=employer_id, name=f"Bedrijf {employer_id}", sbi_code="81",
                    sbi_section="N", municipality_code=NOORDWIJK, postcode4="2201",
                    employees=400 if employer_id == "E34" else 5 + 5 * k,
                )
            )  # fmt: skip
    return ids


def _shown(html: str) -> list[str]:
    return re.findall(r'<li class="spot" id="spot-([^"]+)"', html)


def test_paging_size_filter_and_distinct_scores(
    client_as: Callable[..., TestClient], many_spots: list[str]
) -> None:
    hunter = client_as("jobhunter", [NOORDWIJK])
    first = hunter.get("/witte-vlekken")
    assert first.status_code == 200 and "Pagina 1 van 2" in first.text
    second = hunter.get("/witte-vlekken", params={"pagina": 2})
    shown = _shown(first.text) + _shown(second.text)
    assert len(_shown(first.text)) == 20 and sorted(shown) == sorted(many_spots)
    assert 'start="21"' in second.text
    scores = re.findall(r"data-score>([\d,]+)<", first.text)
    assert len(set(scores)) > 1 and "0,0" not in scores and scores[0] == "100,0"
    suitable = [int(n) for n in re.findall(r"data-suitable>(\d+)<", first.text)]
    assert len(suitable) == 20 and min(suitable) > 0  # the cleaners O1–O3 and others
    large = hunter.get("/witte-vlekken", params={"grootte": "groot"})
    assert _shown(large.text) == ["E34"] and "1 witte vlek (" in large.text
    assert hunter.get("/witte-vlekken", params={"grootte": "reus"}).status_code == 422


def test_views_use_the_kept_ranking_until_the_data_changes(
    client_as: Callable[..., TestClient], many_spots: list[str], app: FastAPI,
    seeded: sessionmaker[Session],
) -> None:  # fmt: skip
    hunter = client_as("jobhunter", [NOORDWIJK])
    cache = app.state.white_spots
    hunter.get("/witte-vlekken")
    hunter.get("/witte-vlekken", params={"pagina": 2, "grootte": "klein"})
    assert cache.computed == 1
    logged = hunter.post("/witte-vlekken/contact", data={"employer_id": "E34", "kind": "call"})
    assert logged.status_code in (200, 303)
    assert "E34" not in _shown(hunter.get("/witte-vlekken", params={"pagina": 2}).text)
    assert cache.computed == 1  # a contact ends a white spot without ranking again
    with seeded.begin() as session:
        bump_data_version(session)
    stale = hunter.get("/witte-vlekken")  # the kept list at once, ranked again meanwhile
    assert stale.status_code == 200 and "E34" not in _shown(stale.text)
    cache.wait()
    assert cache.computed == 2
    hunter.get("/witte-vlekken")
    assert cache.computed == 2


def test_follow_up_date_is_kept_per_organisation(
    client_as: Callable[..., TestClient], spot: str
) -> None:
    hunter = client_as("jobhunter", [NOORDWIJK])
    due = dt.date.today() + dt.timedelta(days=7)
    saved = hunter.post(
        "/witte-vlekken/opvolgen", data={"employer_id": spot, "opvolgdatum": due.isoformat()},
        headers={"hx-request": "true"},
    )  # fmt: skip
    assert saved.status_code == 200 and f"Gepland: {due:%d-%m-%Y}" in saved.text
    assert f'data-follow-up="{due.isoformat()}"' in hunter.get("/witte-vlekken").text
    other = client_as("jobhunter", [NOORDWIJK, "GM0546"])  # another organisation
    seen_by_other = other.get("/witte-vlekken").text
    assert 'data-follow-up=""' in seen_by_other and 'data-planned="E2"' not in seen_by_other
    hunter.post("/witte-vlekken/contact", data={"employer_id": spot, "kind": "call"})
    page = hunter.get("/witte-vlekken").text  # contacted: no white spot, still to follow up
    assert 'id="spot-E2"' not in page and 'data-planned="E2"' in page
    assert f"{due:%d-%m-%Y}</span> Hotel Zeezicht" in page
    past = hunter.post("/witte-vlekken/opvolgen",
                       data={"employer_id": spot, "opvolgdatum": "2020-01-01"})  # fmt: skip
    assert past.status_code == 422 and "tussen vandaag en 5 jaar vooruit" in past.text
    bad = hunter.post("/witte-vlekken/opvolgen", data={"employer_id": spot, "opvolgdatum": "x"})
    assert bad.status_code == 422 and "geen datum" in bad.text
    unknown = hunter.post("/witte-vlekken/opvolgen", data={"employer_id": "NOPE"})
    assert unknown.status_code == 404
    cleared = hunter.post(
        "/witte-vlekken/opvolgen", data={"employer_id": spot}, follow_redirects=False
    )
    assert cleared.status_code == 303
    assert 'data-planned="E2"' not in hunter.get("/witte-vlekken").text


def test_last_contact_and_contact_person_in_a_look_back_window(
    client_as: Callable[..., TestClient], spot: str, seeded: sessionmaker[Session]
) -> None:
    """An employer last called two years ago is a white spot again in a one-year window; the
    contact person is named to their own organisation only."""
    long_ago = dt.date.today() - dt.timedelta(days=800)
    hunter = client_as("jobhunter", [NOORDWIJK])
    with seeded.begin() as session:
        user = session.scalars(select(User).where(User.role == "jobhunter")).one()
        user.display_name, user_id = "Anna de Vries", user.user_id
        old = models.Contact(contact_id="C-OLD", employer_id=spot, date=long_ago, kind="call",
                             outcome="no_interest", by=user.user_id)  # fmt: skip
        session.add(old)
    assert "Hotel Zeezicht" not in hunter.get("/witte-vlekken").text
    page = hunter.get("/witte-vlekken", params={"contact": "1jaar"})
    assert "Hotel Zeezicht" in page.text
    expected = f"Laatste contact: gebeld op {long_ago:%d-%m-%Y} (geen interesse)"
    # the colleague who called, not a contact person at the employer
    assert f"{expected}, door Anna de Vries" in page.text and "contactpersoon" not in page.text
    other = client_as("jobhunter", ["GM0546"])  # Leiden's organisation: the same region
    seen = other.get("/witte-vlekken", params={"contact": "1jaar"}).text
    assert f"{expected}, door een andere organisatie" in seen
    assert "Anna de Vries" not in seen and user_id not in seen
    due = dt.date.today() + dt.timedelta(days=7)
    planned = other.post("/witte-vlekken/opvolgen", data={"employer_id": spot, "opvolgdatum": due})
    plans = planned.text  # the page again, with the planned follow-ups and their last contact
    assert "laatste contact" in plans and "Anna de Vries" not in plans and user_id not in plans


def test_excel_download_from_the_page(
    client_as: Callable[..., TestClient], many_spots: list[str]
) -> None:
    hunter = client_as("jobhunter", [NOORDWIJK])
    page = hunter.get("/witte-vlekken", params={"grootte": "klein"})
    link = re.search(r'href="(/witte-vlekken\.xlsx\?[^"]+)"', page.text)
    assert link is not None and "grootte=klein" in link.group(1)
    response = hunter.get(link.group(1).replace("&amp;", "&"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    disposition = response.headers["content-disposition"]
    assert f"witte-vlekken-holland-rijnland-{dt.date.today().isoformat()}.xlsx" in disposition
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    small = re.findall(r'<li class="spot" id="spot-[^"]+">\s*<div class="spot__head">\s*'
                       r'<h2 class="spot__title"><span class="rank">\d+</span> ([^<]+)</h2>',
                       page.text)  # fmt: skip
    assert names[: len(small)] == small and len(names) == int(
        re.search(r"([\d.]+) witte vlekken", page.text).group(1)  # type: ignore[union-attr]
    )


def test_suitable_job_seekers_behind_the_count_for_account_managers_only(
    client_as: Callable[..., TestClient], many_spots: list[str], seeded: sessionmaker[Session]
) -> None:
    hunter = client_as("jobhunter", [NOORDWIJK])
    page = hunter.get("/witte-vlekken", params={"grootte": "micro"})  # E10, 5 staff
    link = "/witte-vlekken/geschikt?werkgever=E10"
    # job hunters never see candidate records: no link that ends in 403, but the address to
    # pass on to the account manager, read-only, with the words that say so
    assert 'href="/witte-vlekken/geschikt' not in page.text
    passed = re.search(r'<label for="geschikt-E10"[^>]*>([^<]+)</label>\s*<span[^>]*>'
                       r'<input type="text" readonly[^>]* value="([^"]+)"', page.text)  # fmt: skip
    assert passed is not None, page.text
    assert "alleen accountmanagers" in passed.group(1) and "link door" in passed.group(1)
    assert passed.group(2) == f"http://testserver{link}"
    assert hunter.get(link).status_code == 403
    manager = client_as("accountmanager", [NOORDWIJK])
    listed = manager.get(link)
    assert listed.status_code == 200 and "Bedrijf E10" in listed.text
    shown = set(re.findall(r'href="/kandidaten/([^"]+)"', listed.text))
    assert {"O1", "O2", "O3"} <= shown and not shown & FILTERED_OUT
    count = re.search(r'id="spot-E10".*?data-suitable>(\d+)<', page.text, re.S)
    assert count is not None and int(count.group(1)) == len(shown)
    other = client_as("accountmanager", ["GM0546"]).get(link)  # Leiden: not Noordwijk's people
    assert not set(re.findall(r'href="/kandidaten/(O\d)"', other.text))
    assert manager.get("/witte-vlekken/geschikt?werkgever=NOPE").status_code == 404
    with seeded() as session:
        reads = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "candidates.list")
        ).all()
    assert any(r.object_id == "E10" and "O1" in str(r.detail) for r in reads)


def test_the_organisations_threshold_decides_who_is_suitable(
    client_as: Callable[..., TestClient], many_spots: list[str], seeded: sessionmaker[Session]
) -> None:
    """Suitable as on the organisation's shortlists; when nobody reaches the bar, the page
    says why every count is 0 (the scores still rank)."""
    hunter = client_as("jobhunter", [NOORDWIJK])
    assert "data-no-suitable" not in hunter.get("/witte-vlekken").text
    with seeded.begin() as session:
        user = session.scalars(select(User).where(User.role == "jobhunter")).one()
        assert user.organisation_id is not None
        set_policy(session, user.organisation_id, {"threshold": 0.99}, Settings())
    page = hunter.get("/witte-vlekken").text
    assert "data-no-suitable" in page and "minstens 99\u00a0%" in page
    assert set(re.findall(r"data-suitable>(\d+)<", page)) == {"0"}
    assert "0,0" not in re.findall(r"data-score>([\d,]+)<", page)


def test_the_browsers_own_favicon_request_finds_the_icon(
    client_as: Callable[..., TestClient],
) -> None:
    anonymous = client_as("jobhunter")
    anonymous.cookies.clear()
    answer = anonymous.get("/favicon.ico", follow_redirects=False)
    assert answer.status_code == 301 and answer.headers["location"] == "/static/favicon.svg"
    assert anonymous.get("/favicon.ico").headers["content-type"].startswith("image/svg+xml")


def _contact_form(html: str) -> tuple[list[str], list[str]]:
    """The outcome options and the kind buttons of the first contact form on a page."""
    form = html.split('class="contact__form"', 1)[1].split("</form>", 1)[0]
    options = re.findall(r"<option value=\"[^\"]*\">([^<]+)</option>", form)
    return options, re.findall(r'class="button button--small">([^<]+)</button>', form)


def test_both_contact_forms_speak_one_vocabulary(
    client_as: Callable[..., TestClient], spot: str
) -> None:
    """The white-spot page and the supply page ('met het cv onder de arm') share the form."""
    hunter = client_as("jobhunter", [NOORDWIJK])
    white_spots = _contact_form(hunter.get("/witte-vlekken").text)
    supply = _contact_form(hunter.get("/werkzoekenden/O1/werkgevers").text)
    assert white_spots == supply
    assert "Geen reactie" in supply[0] and supply[1][:2] == ["Brief of e-mail", "Gebeld"]
