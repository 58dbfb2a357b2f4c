"""A process owner tries a draft on a test case: fills a form, jumps the clock to the next
timer and watches the path on the diagram. No real case is made."""

from __future__ import annotations

from tests.engine.casework import referral
from tests.web.browser.casework_pages import fill_form, open_draft, owner_with_draft


def test_owner_tries_the_draft_and_no_real_case_is_touched(app, engine, web_clock, page,
                                                           live_server_factory, vendor_assets):
    base, draft = owner_with_draft(page, app, live_server_factory)
    open_draft(page, base, draft.id)
    with page.expect_navigation():
        page.click("#try")
    with page.expect_navigation():
        page.click("#start-trial")
    page.wait_for_selector('.bpmn-diagram[data-ready="true"]')
    assert page.locator('g.djs-element.k-active[data-element-id="Task_registrer_henvendelse"]') \
        .count() == 1

    with page.expect_navigation():
        page.locator("ul.open-tasks a", has_text="Registrer henvendelse").click()
    fill_form(page, referral(web_clock))
    with page.expect_navigation():
        page.click("form.task-form button[type=submit].primary")
    page.wait_for_selector('.bpmn-diagram[data-ready="true"]')
    assert page.locator('g.djs-element.k-completed[data-element-id="Task_registrer_henvendelse"]') \
        .count() == 1
    assert page.locator('g.djs-element.k-active[data-element-id="Task_vurder_rett"]').count() == 1
    assert page.locator('g.djs-element.k-waiting[data-element-id="Timer_forelopig_svar"]') \
        .count() == 1

    # A month without a decision: the clock jumps, the reminder task opens.
    with page.expect_navigation():
        page.click("#jump-timer")
    page.wait_for_selector('.bpmn-diagram[data-ready="true"]')
    assert page.locator("ul.open-tasks", has_text="Send foreløpig svar").count() == 1
    assert page.locator('g.djs-element.k-completed[data-element-id="Timer_forelopig_svar"]') \
        .count() == 1

    # Nothing of it is real: no case, no task, no timer in the kommune's own database.
    assert engine.list_cases("lund") == []
    listed = engine.worklist("lund", "kari.ke", ["koordinerende_enhet"])
    assert listed.mine == [] and listed.available == []
    assert page.page_errors == []
