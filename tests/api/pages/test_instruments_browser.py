"""Recording an instrument in Chromium on the served demo region: the account manager proposes
the top candidate of a vacancy, opens the candidate's instruments from the proposal, lets a
suggestion fill the kind in one click, records the instrument and ends it."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.api.pages.test_browser import Tab, shots, tab  # noqa: F401  (the shared fixtures)

pytestmark = pytest.mark.browser


def test_an_account_manager_records_and_ends_an_instrument(tab: Tab) -> None:  # noqa: F811
    tab.login("am-demo", then="/vacatures")
    tab.page.locator("#vacancy-table tbody tr a").first.click()
    tab.page.wait_for_selector("#shortlist-heading")
    top = tab.page.locator("input.candidate__pick").first
    candidate = str(top.get_attribute("value"))
    top.check()
    tab.page.get_by_role("button", name="Geselecteerde kandidaten voorstellen").click()
    row = tab.page.locator(f"#proposal-{candidate}")
    with tab.page.expect_navigation():
        row.get_by_role("link", name="instrumenten").click()
    expect(tab.page.locator("h1")).to_contain_text(f"Instrumenten: kandidaat {candidate}")
    form = tab.page.locator("#record-form")
    chips = tab.page.locator("#vastleggen a.chip")
    if chips.count():  # a suggestion that fits: one click fills the kind
        label = chips.first.inner_text().strip()
        with tab.page.expect_navigation():
            chips.first.click()
        expect(form.get_by_label("Soort instrument").locator("option:checked")).to_have_text(label)
    else:
        label = "Jobcoaching"
        form.get_by_label("Soort instrument").select_option(label=label)
    assert form.get_by_label("Hoort bij").locator("option:checked").inner_text() == "het voorstel"
    form.get_by_label("Bedrag in euro's (als van toepassing)").fill("1.250")
    with tab.page.expect_navigation():
        form.get_by_role("button", name="Vastleggen").click()
    expect(tab.page.get_by_role("status")).to_have_text("Het instrument is vastgelegd.")
    used = tab.page.locator("#used-instruments tbody tr", has_text=label)
    expect(used).to_contain_text("€ 1.250")
    expect(used).to_contain_text("loopt")
    tab.shoot("instrument-vastgelegd")
    end = dt.date.today() + dt.timedelta(days=90)
    used.get_by_label(f"Einddatum van {label.lower()}").fill(end.isoformat())
    with tab.page.expect_navigation():
        used.get_by_role("button", name="Beëindigen").click()
    expect(tab.page.get_by_role("status")).to_have_text("Het instrument is beëindigd.")
    expect(tab.page.locator("#used-instruments tbody tr", has_text=label)).to_contain_text(
        end.strftime("%d-%m-%Y")
    )
