"""One case from referral through an evaluation to closure, only through the pages."""

from __future__ import annotations

from tests.engine.casework import (
    appointment,
    assessment,
    closing,
    closing_report,
    consent,
    evaluation,
    plan,
    referral,
)
from tests.web.browser.casework_pages import fill_form, open_task, sign_in, submit


def _names(engine, case_id: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {t.bpmn_id: t.name for t in engine.get_case(case_id).open_tasks}


def test_a_case_from_referral_to_closure(app, engine, web_clock, browser, page,
                                         live_server_factory, vendor_assets):
    base = live_server_factory(app)
    ke = page
    sign_in(ke, base, "kari.ke")

    # Referral, first with a field forgotten: the error is shown and every value is kept.
    ke.goto(f"{base}/saker")
    with ke.expect_navigation():
        ke.click('form[action="/saker/ny"] button')
    answers = referral(web_clock)
    fill_form(ke, {k: v for k, v in answers.items() if k != "person_navn"})
    submit(ke)
    summary = ke.locator("#error-summary")
    assert summary.is_visible()
    assert ke.locator("#person_navn-error").is_visible()
    assert ke.input_value("#person_initialer") == "KN"
    assert "hjemmesykepleie" in ke.input_value("#beskrivelse")
    ke.fill("#person_navn", answers["person_navn"])
    submit(ke)
    assert ke.url == f"{base}/"
    assert ke.locator(".flash-success").is_visible()
    case_id = engine.list_cases("lund")[0].id

    for bpmn_id, data in (("Task_vurder_rett", assessment()),
                          ("Task_samtykke", consent(web_clock)),
                          ("Task_oppnevn", appointment("ola.koordinator"))):
        open_task(ke, base, _names(engine, case_id)[bpmn_id])
        fill_form(ke, data)
        submit(ke)
        assert ke.locator(".flash-success").is_visible(), bpmn_id

    # The coordinator plans, in a browser of their own.
    context = browser.new_context(locale="nb-NO", timezone_id="Europe/Oslo")
    coordinator = context.new_page()
    sign_in(coordinator, base, "ola.koordinator")
    open_task(coordinator, base, _names(engine, case_id)["Task_utarbeid_plan"])
    fill_form(coordinator, plan(web_clock, next_in_days=90))
    submit(coordinator)

    # The case page shows where the case stands: waiting for the evaluation date.
    coordinator.goto(f"{base}/saker/{case_id}")
    coordinator.wait_for_selector('.bpmn-diagram[data-ready="true"]')
    assert coordinator.locator('g.djs-element.k-waiting[data-element-id="Timer_evaluering"]') \
        .count() == 1
    assert coordinator.locator('g.djs-element.k-completed[data-element-id="Task_samtykke"]') \
        .count() == 1
    assert coordinator.locator("#next-evaluation").inner_text().strip() != "–"

    # The evaluation date comes; the scheduler fires the timer.
    web_clock.advance(days=91)
    assert engine.fire_due_timers()
    evaluation_name = _names(engine, case_id)["Task_evaluer"]
    open_task(coordinator, base, evaluation_name)
    fill_form(coordinator, evaluation(web_clock, go_on=False))
    submit(coordinator)
    open_task(coordinator, base, _names(engine, case_id)["Task_meld_avslutning"])
    fill_form(coordinator, closing_report())
    submit(coordinator)

    open_task(ke, base, _names(engine, case_id)["Task_avslutt"])
    fill_form(ke, closing(web_clock))
    submit(ke)

    assert engine.get_case(case_id).status == "closed"
    ke.goto(f"{base}/saker/{case_id}")
    timeline = ke.locator("ol.timeline").inner_text()
    for name in ("Registrer henvendelse", evaluation_name):
        assert name in timeline
    ke.wait_for_selector('.bpmn-diagram[data-ready="true"]')
    assert ke.locator('g.djs-element.k-completed[data-element-id="Task_avslutt"]').count() == 1
    assert ke.locator(".bjs-powered-by").is_visible()
    context.close()
    assert page.page_errors == []
    assert not [e for e in page.console_errors if "Content Security Policy" in e]
