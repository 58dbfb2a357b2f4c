"""A process owner edits a DMN table of a draft in dmn-js, and compares two versions on their
diagrams."""

from __future__ import annotations

from engine.drafts import Drafts
from tests.conftest import standard_variant
from tests.web.browser.casework_pages import open_draft, owner_with_draft, sign_in


def test_owner_edits_a_decision_table_and_saves_it(app, engine, page, live_server_factory,
                                                   vendor_assets):
    base, draft = owner_with_draft(page, app, live_server_factory)
    open_draft(page, base, draft.id, "koordinator_kapasitet.dmn")
    cell = page.locator('td[data-element-id="Rule_1_under_fem_saker"]')
    assert cell.inner_text().strip() == "< 5"
    cell.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("< 4")
    page.locator("h1").click()  # leave the cell
    page.click("#save-draft")
    page.wait_for_selector('#modeler[data-saved-version="2"]')
    saved = Drafts(engine).get("lund", draft.id)
    assert "&lt; 4" in saved.files["koordinator_kapasitet.dmn"]
    assert saved.files["koordinering.bpmn"] == draft.files["koordinering.bpmn"]
    assert saved.problems == []
    assert page.page_errors == []


def test_two_versions_are_compared_on_their_diagrams(app, engine, page, live_server_factory,
                                                     vendor_assets, tmp_path):
    changed = standard_variant(tmp_path, {'name="Registrer henvendelse"':
                                          'name="Registrer henvendelsen"'})
    engine.deploy(changed, kommune="lund", actor="pia.prosess", note="nytt navn")
    v1, v2 = engine.versions("lund")
    base = live_server_factory(app)
    sign_in(page, base, "pia.prosess")
    page.goto(f"{base}/prosess?fra={v1.id}&til={v2.id}")
    page.wait_for_selector('#diff-1[data-ready="true"]')
    page.wait_for_selector('#diff-2[data-ready="true"]')
    for side in ("#diff-1", "#diff-2"):
        marked = page.locator(f'{side} g.djs-element.k-changed')
        assert marked.count() == 1
        assert marked.get_attribute("data-element-id") == "Task_registrer_henvendelse"
    assert page.locator(".bjs-powered-by").first.is_visible()
    assert page.page_errors == []
