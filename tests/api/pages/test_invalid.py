"""A page address with a value the page cannot read: a Dutch error page for browsers naming
the parameter and the value, with a way back; API clients keep the JSON 422."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
HTML = {"accept": "text/html,application/xhtml+xml"}


def test_bad_page_number_is_a_dutch_page(client_as: Callable[..., TestClient]) -> None:
    answer = client_as("jobhunter").get("/witte-vlekken?sector=C&pagina=abc", headers=HTML)
    assert answer.status_code == 422 and answer.headers["content-type"].startswith("text/html")
    assert (
        "De waarde &#39;abc&#39; bij &#39;pagina&#39; klopt niet: verwacht een geheel getal."
        in (answer.text)
    )
    assert 'href="/witte-vlekken?sector=C"' in answer.text
    assert '"loc"' not in answer.text and "int_parsing" not in answer.text


def test_value_outside_the_choices_names_no_codes(client_as: Callable[..., TestClient]) -> None:
    answer = client_as("accountmanager").get("/kandidaten?status=jaar", headers=HTML)
    assert answer.status_code == 422
    assert "bij &#39;status&#39; klopt niet: dat is geen van de keuzes op deze pagina." in (
        answer.text
    )
    assert 'href="/kandidaten"' in answer.text and "active|placed" not in answer.text


def test_api_clients_keep_the_json_answer(client_as: Callable[..., TestClient]) -> None:
    page = client_as("jobhunter").get("/witte-vlekken?pagina=abc")
    assert page.status_code == 422 and page.json()["detail"][0]["loc"] == ["query", "pagina"]
    api = client_as("admin").get("/programmes/x/eligible?limit=abc", headers=HTML)
    assert api.status_code == 422 and api.json()["detail"][0]["type"] == "int_parsing"


def test_a_refused_form_leads_back_to_the_form(client_as: Callable[..., TestClient]) -> None:
    """A form's error page offers the page the form came from (the browser's way back keeps
    the input); a query's error keeps its own way back; another site's page is never offered."""
    hunter = client_as("jobhunter")
    came_from = {**HTML, "referer": "http://testserver/witte-vlekken?sector=C#spot-E1"}
    bad_date = hunter.post("/witte-vlekken/opvolgen", headers=came_from,
                           data={"employer_id": "E1", "opvolgdatum": "morgen"})  # fmt: skip
    assert bad_date.status_code == 422 and "dat is geen datum" in bad_date.text
    assert '<a href="/witte-vlekken?sector=C" class="js-history-back">Terug naar het formulier' in (
        bad_date.text
    )
    missing = hunter.post("/witte-vlekken/contact", headers=came_from, data={"kind": "call"})
    assert missing.status_code == 422 and "Terug naar het formulier" in missing.text
    assert "zonder deze waarde" not in missing.text  # no address value to leave out
    elsewhere = {**HTML, "referer": "https://example.org/witte-vlekken"}
    foreign = hunter.post("/witte-vlekken/contact", headers=elsewhere, data={"kind": "call"})
    assert foreign.status_code == 422 and "Terug naar het formulier" not in foreign.text
    query = hunter.get("/witte-vlekken?sector=C&pagina=abc", headers=came_from)
    assert "Terug naar het formulier" not in query.text and "zonder deze waarde" in query.text
