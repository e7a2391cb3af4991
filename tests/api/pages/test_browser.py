"""The pages in a real browser: Debian's Chromium via Playwright, against the app served by
uvicorn over a generated demo region. Every page must load without console errors or CSP
violations. Each page is photographed; the pictures go to a temporary folder, or to
``$WERKMATCH_SCREENSHOTS`` when set (``WERKMATCH_SCREENSHOTS=docs/screenshots`` refreshes the
committed ones linked from the README), so a test run leaves the working tree alone.

``test_the_week_as_account_manager_and_job_hunter`` is issue #26's proof: the week of the
account manager and the job hunter on the demo, in one test.

Deselect with ``-m "not browser"``; skipped only when /usr/bin/chromium is missing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.api.pages.conftest import DemoSite

pytestmark = pytest.mark.browser
VIEWPORT = {"width": 1366, "height": 768}


class Tab:
    """A signed-in browser tab that records console errors and failed page loads."""

    def __init__(self, browser: Any, site: DemoSite, shots: Path) -> None:
        self.site, self.shots = site, shots
        self.context = browser.new_context(viewport=VIEWPORT, locale="nl-NL")
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.expected: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))

    def _console(self, message: Any) -> None:
        if message.type == "error" and not any(e in message.text for e in self.expected):
            self.errors.append(message.text)

    def goto(self, path: str) -> None:
        """Open a page and check it answered 200."""
        response = self.page.goto(self.site.url(path))
        assert response is not None and response.status == 200, path

    def login(self, user: str, then: str | None = None) -> None:
        """Sign in through the login form (and land on ``then``, as from a bookmark)."""
        self.goto(f"/login?next={then}" if then else "/login")
        self.page.get_by_label("Gebruikersnaam").fill(user)
        self.page.get_by_label("Wachtwoord").fill(self.site.password)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Inloggen").click()
        assert "/login" not in self.page.url, "login failed"
        assert then is None or self.page.url == self.site.url(then), self.page.url

    def shoot(self, name: str, *, full_page: bool = False) -> None:
        """Save a screenshot (module doc)."""
        self.shots.mkdir(parents=True, exist_ok=True)
        # caret="initial": hiding the caret injects a <style>, which our CSP (rightly) refuses
        path = str(self.shots / f"{name}.png")
        self.page.screenshot(path=path, full_page=full_page, caret="initial")

    def close(self) -> None:
        """Close the tab; no console errors may have happened."""
        self.context.close()
        assert self.errors == []


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go (module doc)."""
    target = os.environ.get("WERKMATCH_SCREENSHOTS")
    return Path(target) if target else tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def tab(chromium: Any, demo_site: DemoSite, shots: Path) -> Iterator[Tab]:
    """A fresh browser context (no cookies) on the demo site."""
    opened = Tab(chromium, demo_site, shots)
    yield opened
    opened.close()


def test_login_page_and_redirect(tab: Tab) -> None:
    tab.page.goto(tab.site.url("/vacatures"))
    assert "/login?next=/vacatures" in tab.page.url
    tab.shoot("inloggen")
    tab.page.get_by_label("Gebruikersnaam").fill("am-demo")
    tab.page.get_by_label("Wachtwoord").fill(tab.site.password)
    with tab.page.expect_navigation():
        tab.page.get_by_role("button", name="Inloggen").click()
    assert tab.page.url == tab.site.url("/vacatures")
    nav = tab.page.get_by_role("navigation", name="Hoofdmenu")
    assert nav.get_by_role("link").all_inner_texts() == [
        "Vacatures",
        "Werkzoekenden",
        "Nazorg",
        "Te beoordelen",
    ]
    assert "Accountmanager" in tab.page.locator(".user").inner_text()


def test_shortlist_explain_propose_and_decide(tab: Tab) -> None:
    tab.login("am-demo")
    tab.goto("/vacatures")
    rows = tab.page.locator("#vacancy-table tbody tr")
    assert rows.count() >= 1
    town = rows.first.locator("td").nth(2).inner_text()
    tab.page.get_by_label("Gemeente").select_option(label=town)  # htmx swaps the table
    expect(tab.page).to_have_url(re.compile(r"gemeente=GM\d{4}"))
    expect(tab.page.locator("#vacancy-table tbody tr td:nth-child(3)").first).to_have_text(town)
    rows.first.get_by_role("link").first.click()
    tab.page.wait_for_selector("#shortlist-heading")
    cards = tab.page.locator("li.candidate")
    assert cards.count() >= 3
    first = cards.first
    assert first.locator(".badge").count() == 1
    assert first.locator(".chip--matched, .chip--likely, .chip--missing").count() >= 1
    assert "km" in first.locator(".facts").inner_text()
    assert re.search(r"Trede\s*\d", first.locator(".facts").inner_text())
    # skip the candidate ranked 2: the page asks for a reason before anything is recorded
    tab.expected.append("status of 422")
    picks = tab.page.locator("input.candidate__pick")
    ids = [picks.nth(i).get_attribute("value") for i in (0, 2)]
    picks.nth(0).check()
    picks.nth(2).check()
    assert tab.page.locator("#reason").get_attribute("required") is not None
    tab.page.evaluate("document.querySelector('#reason').required = false")
    tab.page.get_by_role("button", name="Geselecteerde kandidaten voorstellen").click()
    expect(tab.page.locator("#propose-error")).to_contain_text("Geef een reden")
    tab.page.get_by_label("Reden").fill("Kandidaat 2 is deze week op vakantie.")
    tab.page.get_by_role("button", name="Geselecteerde kandidaten voorstellen").click()
    tab.page.wait_for_selector("#shortlist-status .notice--ok")
    table = tab.page.locator("#proposals table")
    for candidate_id in ids:
        assert candidate_id in table.inner_text()
    assert "op vakantie" in table.inner_text()
    row = tab.page.locator(f"#proposal-{ids[0]}")
    row.get_by_label(f"Besluit voor {ids[0]}").select_option("rejected")
    row.get_by_role("button", name="Besluit opslaan").click()
    tab.page.wait_for_selector(f"#proposal-{ids[0]} .outcome--rejected")
    tab.page.get_by_role("link", name=re.compile(f"^{ids[1]}$")).click()
    tab.page.wait_for_selector("#matches-heading")
    assert "Trede" in tab.page.locator(".facts--profile").inner_text()


def test_white_spots_log_a_contact(tab: Tab) -> None:
    tab.login("jh-demo")
    tab.goto("/witte-vlekken")
    spots = tab.page.locator("li.spot")
    assert spots.count() >= 3
    first = spots.first
    assert first.locator(".chip--occupation").count() >= 1
    scores = tab.page.locator("[data-score]").all_inner_texts()
    assert "0,0" not in scores and len(set(scores[:5])) > 1, scores
    excel = tab.page.get_by_role("link", name="Exporteer naar Excel (.xlsx)")
    assert (excel.get_attribute("href") or "").startswith("/witte-vlekken.xlsx?")
    second = spots.nth(1)
    due = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    second.get_by_label("Opvolgen op").fill(due)
    second.get_by_role("button", name="Opslaan").click()
    expect(second.locator(f'[data-follow-up="{due}"]')).to_contain_text("Gepland:")
    mine = tab.page.locator('[data-step-mine="contacted"]')
    before = int(mine.inner_text())
    first.get_by_text("Contact vastleggen").click()
    first.get_by_role("button", name="Gebeld").click()
    expect(first.locator(".notice--ok")).to_contain_text("Gebeld vastgelegd")
    expect(mine).to_have_text(str(before + 1))
    tab.page.set_viewport_size({"width": 390, "height": 800})  # a phone: no sideways scrolling
    tab.goto("/witte-vlekken")
    assert tab.page.evaluate("document.documentElement.scrollWidth") <= 390


def _upload(site: DemoSite) -> bytes:
    """vacancies.csv: two new open vacancies copied from the demo, and one with bad hours."""
    with (site.data_dir / "vacancies.csv").open(encoding="utf-8", newline="") as source:
        reader = csv.DictReader(source)
        rows = [dict(r) for r, _ in zip(reader, range(3), strict=False)]
        header = list(reader.fieldnames or [])
    for i, row in enumerate(rows, 1):
        row.update(vacancy_id=f"VACWEB{i}", title=f"Testvacature web {i}", status="open")
        row["closes_on"] = ""
    rows[2]["hours_per_week"] = "veel"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def test_import_shows_the_bad_row_and_stores_the_rest(tab: Tab) -> None:
    tab.login("admin-demo")
    tab.goto("/import")
    files = {"name": "vacancies.csv", "mimeType": "text/csv", "buffer": _upload(tab.site)}
    tab.page.locator("#files").set_input_files(files)
    tab.page.get_by_role("button", name="Importeren").click()
    report = tab.page.locator("#import-result .job--done")
    report.wait_for(timeout=15000)
    assert "1 rij afgekeurd" in report.inner_text()
    errors = report.locator("table.errors")
    assert "hours_per_week" in errors.inner_text() and "veel" in errors.inner_text()
    assert "2 nieuw" in report.inner_text()
    tab.goto("/vacatures")
    listed = tab.page.locator("#vacancy-table").inner_text()
    assert "Testvacature web 1" in listed and "Testvacature web 2" in listed
    assert "Testvacature web 3" not in listed


def test_evaluation_report_with_charts(tab: Tab) -> None:
    tab.login("ev-demo")
    tab.goto("/evaluatie")
    tab.page.get_by_role("button", name="Rapport maken").click()
    tab.page.locator("#report .report").wait_for(timeout=20000)
    assert tab.page.locator("#report figure img").count() >= 1
    assert "Plaatsingen" in tab.page.locator("#report").inner_text()
    tab.shoot("evaluatie")
    tab.page.locator("#report figure").first.scroll_into_view_if_needed()
    tab.shoot("evaluatie-grafieken")
    assert (tab.shots / "evaluatie-grafieken.png").stat().st_size > 10_000


def test_a_refused_form_leads_back_with_the_input_kept(tab: Tab) -> None:
    """'Terug naar het formulier' after a refused check-in: the note typed is still there."""
    tab.login("am-demo")
    tab.goto("/nazorg")
    note = tab.page.locator("input[name=notitie]").first
    field = note.get_attribute("id")
    note.fill("gebeld over 123456782")  # passes the BSN eleven test: refused
    tab.expected.append("status of 422")
    with tab.page.expect_navigation():
        note.press("Enter")
    expect(tab.page.locator(".notice--error")).to_contain_text("elfproef")
    with tab.page.expect_navigation():
        tab.page.get_by_role("link", name="Terug naar het formulier").click()
    assert tab.page.url == tab.site.url("/nazorg")
    assert tab.page.locator(f"#{field}").input_value() == "gebeld over 123456782"


def test_an_evaluation_moment_fills_in_the_period(tab: Tab) -> None:
    tab.login("ev-demo")
    tab.goto("/evaluatie")
    moment = tab.page.get_by_label("Evaluatiemoment van een programma")
    chosen = moment.locator("option").nth(1)
    van, tot = chosen.get_attribute("data-van"), chosen.get_attribute("data-tot")
    moment.select_option(index=1)
    assert tab.page.locator("#van").input_value() == van
    assert tab.page.locator("#tot").input_value() == tot
    assert tab.page.locator("#peildatum").input_value() == tot


def test_a_job_hunter_passes_the_suitable_list_on_and_looks_up_a_job_seeker(tab: Tab) -> None:
    tab.login("jh-demo")
    tab.goto("/witte-vlekken")
    assert tab.page.locator('a[href^="/witte-vlekken/geschikt"]').count() == 0
    field = tab.page.locator(".copy-link__field").first
    assert (field.input_value() or "").startswith(tab.site.url("/witte-vlekken/geschikt?"))
    tab.context.grant_permissions(["clipboard-read", "clipboard-write"])
    copy = tab.page.locator("button.js-copy").first
    copy.click()
    expect(copy).to_have_text("Gekopieerd")
    assert tab.page.evaluate("navigator.clipboard.readText()") == field.input_value()
    with (tab.site.data_dir / "candidates.csv").open(encoding="utf-8", newline="") as source:
        number = next(csv.DictReader(source))["candidate_id"]
    tab.page.get_by_label("Nummer van de werkzoekende").fill(number)
    with tab.page.expect_navigation():
        tab.page.get_by_role("button", name="Werkgevers zoeken").click()
    assert tab.page.url == tab.site.url(f"/werkzoekenden/{number}/werkgevers")
    expect(tab.page.locator("h1")).to_contain_text(number)


def test_every_page_loads_for_an_admin(tab: Tab) -> None:
    tab.login("admin-demo")
    for path in ("/vacatures", "/witte-vlekken", "/evaluatie", "/import"):
        tab.goto(path)
        assert tab.page.locator("h1").count() == 1
        current = tab.page.locator('.main-nav a[aria-current="page"]')
        assert current.get_attribute("href") == path
    with tab.page.expect_navigation():
        tab.page.get_by_role("button", name="Uitloggen").click()
    assert tab.page.url == tab.site.url("/login")
    tab.page.goto(tab.site.url("/import"))
    assert "/login?next=/import" in tab.page.url


def test_review_choose_a_concept_and_the_text_leaves_the_queue(tab: Tab) -> None:
    tab.login("am-demo")
    tab.goto("/te-beoordelen")
    items = tab.page.locator("li.review-item")
    assert items.count() >= 1
    tab.shoot("te-beoordelen")
    first = items.first
    item_id, text = first.get_attribute("id"), first.locator("h2").inner_text()
    choice = first.locator(".review-item__choices button").first
    label = choice.inner_text().split(" (")[0].removesuffix("*")  # the mark of a broader label
    choice.click()
    expect(tab.page.locator(f"#{item_id}")).to_contain_text("hele organisatie")
    tab.page.locator(f"#{item_id}").get_by_role("button", name="Ja, opslaan").click()
    expect(tab.page.locator(f"#{item_id}")).to_contain_text("Opgeslagen als synoniem")
    expect(tab.page.locator(f"#{item_id}")).to_contain_text(label)
    tab.goto("/te-beoordelen")
    assert tab.page.locator(f"#{item_id}").count() == 0
    assert text not in tab.page.locator("h2").all_inner_texts()


NARROW = {"width": 390, "height": 844}
PRIMARY_CHIP_TEXTS = """() => [...document.querySelectorAll('.chip')].map(chip => {
    const copy = chip.cloneNode(true);
    copy.querySelectorAll('.chip__en, .chip__near, strong').forEach(e => e.remove());
    return copy.textContent.replace(/^[✓≈✗]\\s*/, '').replace(/ · .*$/, '').trim();
})"""


VACANCY_ROWS = """() => [...document.querySelectorAll('#vacancy-table tbody tr')].map(r => ({
    href: r.querySelector('a').getAttribute('href'),
    suitable: Number(r.querySelector('strong.count')?.textContent ?? 0),
    places: r.querySelector('.muted').textContent.includes('plaatsen')}))"""


def _english_only_labels() -> set[str]:
    """ESCO skill labels that exist in English only (never right as primary text)."""
    from matching.shortlist.labels import load_labels

    labels = load_labels()
    dutch = {*labels.skills_dutch.values(), *labels.skill_groups.values()}
    return {e for uri, e in labels.skills.items() if uri not in labels.skills_dutch} - dutch


def _fits_a_phone(tab: Tab) -> None:
    """No sideways scrolling at 390 px on the page shown now."""
    tab.page.set_viewport_size(NARROW)
    width = tab.page.evaluate("document.documentElement.scrollWidth")
    tab.page.set_viewport_size(VIEWPORT)
    assert width <= NARROW["width"], f"{tab.page.url}: {width} px wide at 390 px"


def _dutch_dates_upload(site: DemoSite, opened: dt.date) -> bytes:
    """vacancies.csv as Dutch Excel writes it: ';' separated, dates as dd-mm-jjjj and d-m-jjjj."""
    with (site.data_dir / "vacancies.csv").open(encoding="utf-8", newline="") as source:
        reader = csv.DictReader(source)
        rows = [dict(r) for r, _ in zip(reader, range(2), strict=False)]
        header = list(reader.fieldnames or [])
    days = (f"{opened:%d-%m-%Y}", f"{opened.day}-{opened.month}-{opened.year}")
    for i, (row, day) in enumerate(zip(rows, days, strict=True), 1):
        row.update(vacancy_id=f"VACWEEK{i}", title=f"Weekvacature {i}", status="open")
        row.update(opened_on=day, closes_on="")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _account_manager(am: Tab) -> None:
    """Open vacancies → a shortlist → propose → a hire refused without, then with a start date
    (the vacancy closes) → the placed candidate's profile → found by search."""
    am.login("am-demo", then="/vacatures")
    rows = am.page.evaluate(VACANCY_ROWS)
    suitable = [r for r in rows if r["suitable"] >= 1]
    assert suitable, "no vacancy with a single geschikte kandidaat"
    am.shoot("vacatures")
    _fits_a_phone(am)
    one_place = next(r for r in suitable if not r["places"])  # a hire fills it
    am.goto(one_place["href"])
    english = _english_only_labels()  # read by the server already (one cache per process)
    chips = am.page.evaluate(PRIMARY_CHIP_TEXTS)
    assert chips and not english.intersection(chips), english.intersection(chips)
    am.shoot("shortlist")
    _fits_a_phone(am)
    top = am.page.locator("input.candidate__pick").first
    candidate = str(top.get_attribute("value"))
    top.check()
    am.page.get_by_role("button", name="Geselecteerde kandidaten voorstellen").click()
    row = am.page.locator(f"#proposal-{candidate}")
    am.expected.append("status of 422")  # the refused hire
    row.get_by_label(f"Besluit voor {candidate}").select_option("hired")
    row.get_by_role("button", name="Besluit opslaan").click()
    expect(am.page.locator("#proposals [role=alert]")).to_contain_text("startdatum nodig")
    row.get_by_label("Startdatum (bij aanname)").fill(dt.date.today().isoformat())
    row.get_by_role("button", name="Besluit opslaan").click()
    saved = am.page.locator("#proposals .notice--ok")
    expect(saved).to_contain_text("aangenomen per")
    expect(saved).to_contain_text("de vacature is vervuld en gesloten")
    assert am.page.locator("#proposals form.decision").count() == 0  # closed: no decisions
    am.page.locator(f"#proposal-{candidate}").get_by_role(
        "link", name=candidate, exact=True
    ).click()
    am.page.wait_for_selector("#matches-heading")
    assert "Geplaatst" in am.page.locator("main").inner_text()
    chips = am.page.evaluate(PRIMARY_CHIP_TEXTS)
    assert chips and not english.intersection(chips), english.intersection(chips)
    am.shoot("kandidaat")
    _fits_a_phone(am)
    am.goto(f"/kandidaten?zoek={candidate}")
    found = am.page.locator("#candidate-table tbody tr")
    assert found.count() == 1 and candidate in found.inner_text()
    am.shoot("kandidaten")
    _fits_a_phone(am)


def _job_hunter(jh: Tab) -> None:
    """White spots that differ in score and in suitable job seekers; the funnel in order."""
    jh.login("jh-demo", then="/witte-vlekken")
    scores = jh.page.locator("[data-score]").all_inner_texts()
    counts = [int(c) for c in jh.page.locator("[data-suitable]").all_inner_texts()]
    assert len(scores) >= 3 and "0,0" not in scores and len(set(scores)) > 1, scores
    assert max(counts) > 0 and len(set(counts)) > 1, counts
    steps = jh.page.locator("#funnel [data-step]").evaluate_all("e => e.map(x => x.dataset.step)")
    assert steps == ["contacted", "written", "appointment", "vacancy", "placement"]
    jh.shoot("witte-vlekken")
    jh.page.set_viewport_size(NARROW)
    jh.shoot("witte-vlekken-telefoon")
    _fits_a_phone(jh)


def _administrator(admin: Tab) -> None:
    """The municipality's own spreadsheet with Dutch dates is imported, the dates read right."""
    today = dt.date.today()
    opened = dt.date(today.year if today >= dt.date(today.year, 2, 3) else today.year - 1, 2, 3)
    admin.login("admin-demo", then="/import")
    csv_file = _dutch_dates_upload(admin.site, opened)
    upload = {"name": "vacatures.csv", "mimeType": "text/csv", "buffer": csv_file}
    admin.page.locator("#files").set_input_files(upload)
    admin.page.get_by_role("button", name="Importeren").click()
    report = admin.page.locator("#import-result .job--done")
    report.wait_for(timeout=15000)
    assert "2 nieuw" in report.inner_text() and "Geen fouten" in report.inner_text()
    with sqlite3.connect(admin.site.settings.var_dir / "werkmatch.db") as db:
        query = "SELECT opened_on FROM vacancies WHERE vacancy_id LIKE 'VACWEEK%'"
        assert db.execute(query).fetchall() == [(opened.isoformat(),)] * 2  # 3 February
    admin.shoot("import")
    _fits_a_phone(admin)


def test_the_week_as_account_manager_and_job_hunter(
    chromium: Any, demo_site: DemoSite, shots: Path
) -> None:
    """Issue #26: the week on the demo as the account manager and the job hunter (and the
    administrator, who imports), at 1366 px with every page also checked at 390 px; no console
    error on any page, and no request to anything but this server."""
    requested: list[str] = []
    tabs = [Tab(chromium, demo_site, shots) for _ in range(3)]
    for tab in tabs:
        tab.context.on("request", lambda request: requested.append(request.url))
    try:
        _account_manager(tabs[0])
        _job_hunter(tabs[1])
        _administrator(tabs[2])
    finally:
        for tab in tabs:
            tab.context.close()
    assert [tab.errors for tab in tabs] == [[], [], []]
    local = (demo_site.base_url + "/", "data:", "blob:")
    assert requested and [url for url in requested if not url.startswith(local)] == []
