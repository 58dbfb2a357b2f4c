"""With JavaScript off, staff can still read their work and complete a task, rows included."""

from __future__ import annotations

from tests.engine.casework import referral
from tests.web.browser.casework_pages import fill_form, open_task, sign_in, submit


def test_complete_a_task_with_javascript_off(app, engine, web_clock, browser,
                                              live_server_factory):
    base = live_server_factory(app)
    engine.start_case("lund", actor="kari.ke")
    context = browser.new_context(java_script_enabled=False, locale="nb-NO")
    page = context.new_page()
    sign_in(page, base, "kari.ke")
    open_task(page, base, "Registrer henvendelse")
    fill_form(page, referral(web_clock))
    submit(page)
    assert page.locator(".flash-success").is_visible()
    case = engine.list_cases("lund")[0]
    assert [t.bpmn_id for t in case.open_tasks] == ["Task_vurder_rett"]
    page.goto(f"{base}/saker/{case.id}")
    assert page.locator(".bpmn-fallback").is_visible()
    assert "Kari Nordmann" in page.locator("h1").inner_text()
    context.close()
