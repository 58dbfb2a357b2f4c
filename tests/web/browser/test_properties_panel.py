"""The properties panel changes what the engine reads: a timer's value, a flow's condition and
the gateway's default way, and a business rule task's table (with a link to edit it)."""

from __future__ import annotations

from engine.drafts import Drafts
from tests.web.browser.casework_pages import open_draft, owner_with_draft

SELECT = "id => { const m = window.koordinatorModeler; " \
         "m.get('selection').select(m.get('elementRegistry').get(id)); }"


UNDO_REDO = """() => {
    const m = window.koordinatorModeler, stack = m.get('commandStack');
    const reg = m.get('elementRegistry');
    const look = () => {
        const gw = reg.get('Gateway_rett').businessObject;
        const flow = reg.get('Flow_rett_ja').businessObject;
        return [gw.default ? gw.default.id : null,
                flow.conditionExpression ? flow.conditionExpression.body : null];
    };
    stack.undo();
    const afterUndo = look();
    stack.redo();
    return { afterUndo: afterUndo, afterRedo: look() };
}"""


def _choose(page, element_id: str) -> None:  # type: ignore[no-untyped-def]
    page.evaluate(SELECT, element_id)
    page.wait_for_selector(f'#properties[data-element="{element_id}"]')


def _change(page, selector: str, value: str) -> None:  # type: ignore[no-untyped-def]
    page.fill(selector, value)
    page.locator(selector).dispatch_event("change")


def test_panel_edits_timer_condition_default_and_table(app, engine, page, live_server_factory,
                                                       vendor_assets):
    base, draft = owner_with_draft(page, app, live_server_factory)
    open_draft(page, base, draft.id)

    _choose(page, "Timer_forelopig_svar")
    assert page.input_value('#properties input[name="timerValue"]') == "P1M"
    _change(page, '#properties input[name="timerValue"]', "P3W")

    # "Ja" gets a new condition; then "Ja" becomes the default way and "Nei" gets the condition.
    _choose(page, "Flow_rett_ja")
    assert page.input_value('#properties textarea[name="condition"]') == \
        "rett_til_koordinator == True"
    _change(page, '#properties textarea[name="condition"]', "rett_til_koordinator")
    _choose(page, "Flow_rett_nei")
    assert page.is_checked('#properties input[name="default"]')
    page.uncheck('#properties input[name="default"]')
    _change(page, '#properties textarea[name="condition"]', "not rett_til_koordinator")
    _choose(page, "Flow_rett_ja")
    page.check('#properties input[name="default"]')
    # One undo takes back both halves of "make this the default": the default and the
    # dropped condition; redo does both again.
    state = page.evaluate(UNDO_REDO)
    assert state == {"afterUndo": [None, "rett_til_koordinator"],
                     "afterRedo": ["Flow_rett_ja", None]}

    # The role is the lane: choosing the leader moves the task into the leader's lane.
    _choose(page, "Task_avslag")
    roles = page.locator('#properties select[name="role"] option').all_inner_texts()
    assert "" not in roles and "Leder" in roles  # in a lane already: no "no lane" choice
    page.select_option('#properties select[name="role"]', "Leder")

    _choose(page, "Task_dmn_kapasitet")
    assert page.locator('#properties select[name="calledDecisionId"]').input_value() == \
        "koordinator_kapasitet"
    link = page.locator("#properties a.edit-table")
    assert link.get_attribute("href").endswith("fil=koordinator_kapasitet.dmn")

    page.click("#save-draft")
    page.wait_for_selector('#modeler[data-saved-version="2"]')
    saved = Drafts(engine).get("lund", draft.id)
    xml = saved.files["koordinering.bpmn"]
    assert '"P3W"</bpmn:timeDuration>' in xml
    assert 'default="Flow_rett_ja"' in xml
    assert "not rett_til_koordinator</bpmn:conditionExpression>" in xml
    assert "rett_til_koordinator == True" not in xml  # the default way carries no condition
    assert "<spiffworkflow:calledDecisionId>koordinator_kapasitet" in xml
    leader_lane = xml[xml.index('<bpmn:lane id="Lane_leder"'):]
    assert "<bpmn:flowNodeRef>Task_avslag</bpmn:flowNodeRef>" in \
        leader_lane[:leader_lane.index("</bpmn:lane>")]
    assert saved.problems == [], [str(p) for p in saved.problems]

    # The edited table opens in dmn-js from the panel's link.
    with page.expect_navigation():
        link.click()
    page.wait_for_selector('#modeler[data-ready="true"]')
    assert page.locator('td[data-element-id="Rule_1_under_fem_saker"]').count() == 1
    assert page.page_errors == []
