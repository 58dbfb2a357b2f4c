"""A process owner changes the kommune's process in the browser and runs the change.

The owner opens the standard diagram, adds a user task, sees the problems marked on it, gives
it a form, a stage and a role in the properties panel, publishes, starts a case on the new
version and completes the new task; a case started before stays on its version.
"""

from __future__ import annotations

from tests.engine.casework import in_days, referral
from tests.web.browser.casework_pages import fill_form, open_new_draft, open_task, sign_in, submit
from tests.web.conftest import PASSWORD

ADD_TASK_AFTER_REGISTRATION = """() => {
    const m = window.koordinatorModeler;
    const registry = m.get('elementRegistry'), modeling = m.get('modeling');
    const lane = registry.get('Lane_koordinerende_enhet');
    const before = registry.get('Task_registrer_henvendelse');
    const after = registry.get('Task_vurder_rett');
    const task = m.get('bpmnFactory').create('bpmn:UserTask', { id: 'Task_ring_personen' });
    const shape = m.get('elementFactory').createShape({ type: 'bpmn:UserTask', businessObject: task });
    const x = (before.x + before.width + after.x) / 2;
    const created = modeling.createShape(shape, { x: x, y: lane.y + lane.height - 50 }, lane.parent);
    modeling.reconnectEnd(registry.get('Flow_registrer_vurder'), created,
                          { x: created.x, y: created.y + created.height / 2 });
    modeling.connect(created, after);
}"""


def test_owner_adds_a_task_with_a_form_and_a_new_case_does_it(app, engine, web_clock, page,
                                                              live_server_factory,
                                                              vendor_assets):
    # A process owner who also works in the coordinating unit, as in a small kommune.
    app.extensions["koordinator_staff"].add_user(
        "siri.eier", "lund", ["prosesseier", "koordinerende_enhet"], full_name="Siri Eier",
        password=PASSWORD)
    old_case = engine.start_case("lund", actor="kari.ke")
    base = live_server_factory(app)
    sign_in(page, base, "siri.eier")
    open_new_draft(page, base)

    page.evaluate(ADD_TASK_AFTER_REGISTRATION)
    page.click("#save-draft")
    page.wait_for_selector('#problems li[data-element="Task_ring_personen"]')
    assert page.locator('g.djs-element.k-problem[data-element-id="Task_ring_personen"]').count() == 1
    problems = page.locator('#problems li[data-element="Task_ring_personen"]').all_inner_texts()
    assert any("skjema" in p for p in problems), problems  # in Norwegian, saying what is missing

    # The properties panel gives the task a name, a form and a stage; its lane is its role.
    page.click('#problems li[data-element="Task_ring_personen"] button.show >> nth=0')
    page.wait_for_selector('#properties[data-element="Task_ring_personen"]')
    assert page.locator('#properties select[name="role"]').input_value() == "Koordinerende enhet"
    page.fill('#properties input[name="name"]', "Ring personen")
    page.locator('#properties input[name="name"]').dispatch_event("change")
    page.select_option('#properties select[name="formKey"]', "forelopig_svar")
    page.select_option('#properties select[name="stage"]', "referral")
    page.click("#save-draft")
    page.wait_for_selector('#modeler[data-saved-version="3"]')
    assert page.locator("#problems li").all_inner_texts() == []
    assert page.locator('g.djs-element.k-problem').count() == 0

    page.fill("#note", "Ring personen før vurderingen")
    with page.expect_navigation():
        page.click("#publish")
    assert [v.number for v in engine.versions("lund")] == [1, 2]
    new_version = engine.versions("lund")[1]

    # She starts a case: it runs on the new version and comes to the new task.
    ke = page
    ke.goto(f"{base}/saker")
    with ke.expect_navigation():
        ke.click('form[action="/saker/ny"] button')
    fill_form(ke, referral(web_clock))
    submit(ke)
    case = max(engine.list_cases("lund"), key=lambda c: c.id)
    assert case.process_version_id == new_version.id
    assert [t.bpmn_id for t in engine.get_case(case.id).open_tasks] == ["Task_ring_personen"]
    open_task(ke, base, "Ring personen")
    fill_form(ke, {"arsak": "Venter på svar fra fastlegen", "forventet_svar_dato": in_days(web_clock, 14)})
    submit(ke)
    assert [t.bpmn_id for t in engine.get_case(case.id).open_tasks] == ["Task_vurder_rett"]

    # The case started before publishing stays on its version and keeps its task.
    before = engine.get_case(old_case.id)
    assert before.process_version_id == engine.versions("lund")[0].id
    assert [t.bpmn_id for t in before.open_tasks] == ["Task_registrer_henvendelse"]
    assert page.page_errors == []
