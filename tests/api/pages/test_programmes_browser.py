"""The page "Programma's" in Chromium: a project leader enrols a candidate from the worklist
(by exception when a rule is missed) and moves a trajectory to its next phase."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.api.pages.test_browser import Tab, shots, tab  # noqa: F401  (the shared fixtures)

pytestmark = pytest.mark.browser


def test_a_project_leader_enrols_from_the_worklist_and_moves_a_phase(tab: Tab) -> None:  # noqa: F811
    tab.login("ev-demo", then="/programmas")
    tab.page.get_by_role("link", name="Leiden Werkt").click()
    tab.page.wait_for_url("**/programmas/leiden-werkt")
    assert "Doelen en voortgang" in tab.page.locator("h2").all_inner_texts()
    assert tab.page.locator("#voortgang tbody tr").count() >= 7  # participants, outflow, 6 phases
    tab.shoot("programma")
    row = tab.page.locator("#worklist tbody tr").first
    candidate = row.locator("td").first.inner_text().strip()
    reason = row.get_by_label("Reden voor de uitzondering")
    if reason.count():
        reason.fill("past in de groep, uren groeien (test)")
    with tab.page.expect_navigation():
        row.get_by_role("button").click()
    enrolled = tab.page.locator("#trajectories tr", has_text=candidate)
    assert "intake" in enrolled.inner_text()
    enrolled.get_by_label("Nieuwe fase").select_option("werving en selectie")
    with tab.page.expect_navigation():
        enrolled.get_by_role("button", name="Fase wijzigen").click()
    moved = tab.page.locator("#trajectories tr", has_text=candidate)
    assert "werving en selectie" in moved.locator("td").nth(3).inner_text()
    tab.page.get_by_label("Evaluatiemoment").select_option(index=1)
    with tab.page.expect_navigation():
        tab.page.get_by_role("button", name="Tonen").click()
    assert "moment=1" in tab.page.url
    expect(tab.page.locator("#moment-stand")).to_contain_text("evaluatiemoment")
    expect(tab.page.locator("h2#doelen")).to_contain_text("Doelen en voortgang op evaluatiemoment")
