"""A process owner changes the process in the browser: a draft from the newest version, edited
in bpmn-js, checked on save with the problem marked on the element, fixed, and published."""

from __future__ import annotations

from tests.web.browser.casework_pages import open_new_draft, sign_in


def test_edit_check_fix_and_publish_a_draft(app, engine, page, live_server_factory,
                                            vendor_assets):
    base = live_server_factory(app)
    sign_in(page, base, "pia.prosess")
    open_new_draft(page, base)
    assert page.locator("#no-problems").is_visible()

    # Add a user task with no form, stage or lane, through the modeler's own API.
    page.evaluate("""() => {
        const m = window.koordinatorModeler;
        const factory = m.get('elementFactory'), modeling = m.get('modeling');
        const pool = m.get('elementRegistry').get('Participant_koordinerende_enhet');
        const task = m.get('bpmnFactory').create('bpmn:UserTask', { id: 'Task_ny_oppgave' });
        const shape = factory.createShape({ type: 'bpmn:UserTask', businessObject: task });
        modeling.createShape(shape, { x: pool.x + pool.width - 80, y: pool.y + 50 }, pool);
    }""")
    page.click("#save-draft")
    page.wait_for_selector('#problems li[data-element="Task_ny_oppgave"]')
    assert page.locator('g.djs-element.k-problem[data-element-id="Task_ny_oppgave"]').count() == 1
    assert [v.number for v in engine.versions("lund")] == [1]

    # Remove it again: the draft is clean and can be published.
    page.evaluate("""() => {
        const m = window.koordinatorModeler;
        m.get('modeling').removeElements([m.get('elementRegistry').get('Task_ny_oppgave')]);
    }""")
    page.click("#save-draft")
    page.wait_for_selector('#modeler[data-saved-version="3"]')
    assert page.locator("#problems li").all_inner_texts() == []
    assert page.locator("#no-problems").is_visible()
    page.fill("#note", "Ingen endring i praksis")
    with page.expect_navigation():
        page.click("#publish")
    assert [v.number for v in engine.versions("lund")] == [1, 2]
    assert engine.versions("lund")[1].created_by == "pia.prosess"
    assert page.locator(".flash-success").is_visible()
    assert page.page_errors == []
