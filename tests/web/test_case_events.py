"""Events a case's diagram waits for, raised from the case page (Rakkestad's escalation to
the coordinating unit): offered to the coordinating unit and the case's coordinator only."""

from __future__ import annotations

from tests.conftest import ROOT
from tests.engine.casework import Casework
from tests.web.conftest import PASSWORD, login
from tests.web.pages import csrf_token, text

RAKKESTAD = ROOT / "processes" / "rakkestad"


def _case_in_planning(engine, web_clock):  # type: ignore[no-untyped-def]
    engine.deploy(RAKKESTAD, kommune="lund", actor="pia.prosess", note="Rakkestads prosess")
    work = Casework(engine)
    work.through_appointment(web_clock, coordinator="ola.koordinator")
    assert [t.bpmn_id for t in work.case.open_tasks] == ["Task_utarbeid_plan"]
    return work.case


def test_the_coordinator_escalates_from_the_case_page(app, engine, client, web_clock):
    case = _case_in_planning(engine, web_clock)
    login(client, "ola.koordinator")
    page = client.get(f"/saker/{case.id}")
    html = page.get_data(as_text=True)
    assert 'data-signal="eskaler_til_ke"' in html and "Utfordring meldt til KE" in html
    assert 'data-signal="skifte_koordinator"' not in html  # its own button, for the unit only
    answer = client.post(f"/saker/{case.id}/hendelse", follow_redirects=True, data={
        "csrf_token": csrf_token(page), "signal": "eskaler_til_ke",
        "_case_version": engine.get_case(case.id).version})
    assert "«Utfordring meldt til KE» er registrert" in text(answer)
    assert "Utfordring meldt til KE" in text(answer).split("Tidslinje")[-1]
    ke = engine.worklist("lund", "kari.ke", ["koordinerende_enhet"])
    assert [t.bpmn_id for t in ke.available if t.case_id == case.id] == ["Task_behandle_eskalering"]


def test_only_events_the_diagram_waits_for_and_only_by_those_who_may(app, engine, client,
                                                                   web_clock):
    case = _case_in_planning(engine, web_clock)
    login(client, "ola.koordinator")
    page = client.get(f"/saker/{case.id}")
    answer = client.post(f"/saker/{case.id}/hendelse", follow_redirects=True, data={
        "csrf_token": csrf_token(page), "signal": "skifte_koordinator"})
    assert "kan ikke ta imot den hendelsen" in text(answer)
    assert [e for e in engine.audit_trail(case.id) if e.kind == "signal"] == []
    # A leader who reads every case but is not this case's secondary coordinator raises nothing.
    app.extensions["koordinator_staff"].add_user("leif.leder", "lund", ["leder"],
                                                 full_name="Leif Leder", password=PASSWORD)
    login(client, "leif.leder")
    page = client.get(f"/saker/{case.id}")
    assert 'data-signal="eskaler_til_ke"' not in page.get_data(as_text=True)
    answer = client.post(f"/saker/{case.id}/hendelse", data={
        "csrf_token": csrf_token(page), "signal": "eskaler_til_ke"})
    assert answer.status_code == 403


def test_the_standard_process_offers_no_extra_events(app, engine, client):
    case = engine.start_case("lund", actor="kari.ke")
    login(client, "kari.ke")
    assert "case-events" not in client.get(f"/saker/{case.id}").get_data(as_text=True)
