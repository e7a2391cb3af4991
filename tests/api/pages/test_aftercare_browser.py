"""Nazorg and the instruments of a match in Chromium, on the served demo region: the account
manager records a check-in with one click (a form with the session's CSRF token), and opens
the instruments of a shortlisted candidate from the vacancy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.api.pages.conftest import DemoSite
from tests.api.pages.test_browser import Tab

pytestmark = pytest.mark.browser


@pytest.fixture
def tab(chromium: Any, demo_site: DemoSite, tmp_path: Path) -> Iterator[Tab]:
    opened = Tab(chromium, demo_site, tmp_path)
    yield opened
    opened.close()


def test_nazorg_check_in_and_the_instruments_of_a_match(tab: Tab) -> None:
    tab.login("am-demo")
    tab.goto("/nazorg")
    expect(tab.page.locator("h1")).to_have_text("Nazorg")
    buttons = tab.page.get_by_role("button", name="Contact gehad")
    before = buttons.count()
    assert before >= 1, "the demo has running placements without check-ins"
    row = buttons.first.locator("xpath=ancestor::tr")
    row_id = row.get_attribute("id")
    row.get_by_label("Notitie").fill("Gebeld, gaat goed")
    with tab.page.expect_navigation():
        buttons.first.click()
    expect(tab.page.get_by_role("status")).to_have_text("Het contact is vastgelegd.")
    assert tab.page.locator(f"#{row_id}").count() == 0
    tab.goto("/vacatures")
    tab.page.locator("#vacancy-table tbody tr a").first.click()
    link = tab.page.locator("a.candidate__instruments").first
    with tab.page.expect_navigation():
        link.click()
    expect(tab.page.locator("h1")).to_contain_text("Instrumenten: kandidaat")
    expect(tab.page.get_by_role("heading", name="Mogelijke instrumenten")).to_be_visible()
