"""Rakkestad's variant (processes/rakkestad): responsibility-group meetings with required minutes,
and escalation to the coordinating unit when a problem cannot be solved at service level.

The seed (Rakkestad's guideline "Koordinator"): "Koordinator skal være møteleder, og sørge for at
det skrives referat. [...] Ved utfordringer som ikke kan løses på tjenestenivå, kan koordinerende
enhet kontaktes."
"""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree

from engine.errors import FormRejected, InvalidTransition
from engine.service import Koordinator
from tests.conftest import ROOT, STANDARD
from tests.engine.casework import (
    appointment,
    assessment,
    closing,
    closing_report,
    consent,
    evaluation,
    in_days,
    plan,
    referral,
)
from tests.processes.layout import NS, assert_drawing_is_clean
from tests.processes.variant import VariantCase

BUNDLE = ROOT / "processes" / "rakkestad"
KOMMUNE = "rakkestad"
KE_ROLES = ("koordinerende_enhet",)
COORDINATOR = "ola.koordinator"

# The only standard element the variant drops: the timer now leads to the meeting.
REPLACED = {"Flow_timer_evaluer"}
NEW_ELEMENTS = {
    "Task_ansvarsgruppemote": "userTask",
    "Gateway_eskalering": "exclusiveGateway",
    "Event_eskaler_til_ke": "intermediateThrowEvent",
    "Gateway_eskalering_merge": "exclusiveGateway",
    "SubProcess_eskalering": "subProcess",
    "Start_eskalering": "startEvent",
    "Task_behandle_eskalering": "userTask",
    "End_eskalering": "endEvent",
}


# ------------------------------------------------------------------ answers a caseworker gives


def meeting(clock, problems: str = "ingen", description: str = "",
            minutes: str = "Gjennomgang av tiltak. Hjemmetjenesten øker til tre besøk i uka.",
            ) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {"mote_dato": in_days(clock, 0),
            "til_stede": [{"navn": "Kari Nordmann", "instans": "planeier"},
                          {"navn": "Hanne Hjem", "instans": "Hjemmetjenesten"}],
            "sakliste": "1. Status på tiltak\n2. Samarbeid med NAV",
            "referat": minutes, "referent": "Hanne Hjem",
            "oppgaver": [{"beskrivelse": "Søke om TT-kort", "ansvarlig": "Hjemmetjenesten",
                          "frist": in_days(clock, 30)}],
            "utfordringer": problems, "utfordring_beskrivelse": description}


def ke_answer(clock) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {"ke_vurdering": "NAV må delta i ansvarsgruppa.", "ke_kontaktet": "Leder NAV Rakkestad",
            "ke_tiltak": "Avtalt at NAV stiller på neste møte.",
            "svar_til_koordinator": "NAV kommer på neste møte.",
            "eskalering_behandlet_dato": in_days(clock, 0)}


# ------------------------------------------------------------------ fixtures and a driver


@pytest.fixture
def engine(deploy_variant):  # type: ignore[no-untyped-def]
    return deploy_variant(BUNDLE, KOMMUNE)


class Case(VariantCase):
    kommune = KOMMUNE

    def through_planning(self) -> None:
        self.do("Task_registrer_henvendelse", referral(self.clock))
        self.do("Task_vurder_rett", assessment())
        self.do("Task_samtykke", consent(self.clock))
        self.do("Task_oppnevn", appointment(COORDINATOR))
        self.do("Task_utarbeid_plan", plan(self.clock, next_in_days=90), actor=COORDINATOR)

    def to_meeting(self, days: int = 91) -> None:
        assert self.open == [] and self.info.stage == "evaluation"
        self.clock.advance(days=days)
        assert len(self.engine.fire_due_timers()) == 1
        self.info = self.engine.get_case(self.info.id, kommune=KOMMUNE)
        assert self.open == ["Task_ansvarsgruppemote"]

    def ke_available(self) -> list[str]:
        worklist = self.engine.worklist(KOMMUNE, "kari.ke", KE_ROLES)
        return [t.bpmn_id for t in worklist.available if t.case_id == self.info.id]


# ------------------------------------------------------------------ the bundle


def test_bundle_validates_and_keeps_the_standard_ids():
    assert Koordinator.validate(BUNDLE) == []
    tree, standard = etree.parse(str(BUNDLE / "koordinering.bpmn")), etree.parse(
        str(STANDARD / "koordinering.bpmn"))
    ids = set(tree.xpath("//@id"))
    assert set(standard.xpath("//bpmn:*/@id", namespaces=NS)) - REPLACED <= ids
    assert tree.xpath("/bpmn:definitions/bpmn:process/@id", namespaces=NS) == ["koordinering"]
    for element_id, kind in NEW_ELEMENTS.items():
        found = tree.xpath(f"//bpmn:*[@id='{element_id}']", namespaces=NS)
        assert [etree.QName(e).localname for e in found] == [kind], element_id
    # the decision tables are the standard's, unchanged
    for dmn in STANDARD.glob("*.dmn"):
        assert (BUNDLE / dmn.name).read_bytes() == dmn.read_bytes()
    # the forms are the shared ones plus the two new ones
    shared = {p.name for p in (ROOT / "forms").glob("*.yaml")}
    local = {p.name for p in (BUNDLE / "forms").glob("*.yaml")}
    assert local == shared | {"ansvarsgruppemote.yaml", "eskalering_behandling.yaml"}


def test_escalation_is_a_non_interrupting_signal_event_sub_process():
    tree = etree.parse(str(BUNDLE / "koordinering.bpmn"))
    sub = tree.xpath("//bpmn:subProcess[@id='SubProcess_eskalering']", namespaces=NS)[0]
    assert sub.get("triggeredByEvent") == "true"
    assert sub.getparent().get("id") == "koordinering"
    start = sub.xpath("bpmn:startEvent", namespaces=NS)[0]
    assert start.get("isInterrupting") == "false"
    assert start.xpath("bpmn:signalEventDefinition/@signalRef", namespaces=NS) == [
        "Signal_eskaler_til_ke"]
    signal = tree.xpath("//bpmn:signal[@id='Signal_eskaler_til_ke']/@name", namespaces=NS)
    assert signal == ["eskaler_til_ke"]
    throw = tree.xpath("//bpmn:intermediateThrowEvent[@id='Event_eskaler_til_ke']",
                       namespaces=NS)[0]
    assert throw.getparent().get("id") == "SubProcess_plan"
    flow = tree.xpath("//bpmn:sequenceFlow[@targetRef='Event_eskaler_til_ke']", namespaces=NS)[0]
    assert flow.get("sourceRef") == "Gateway_eskalering"
    assert flow.xpath("bpmn:conditionExpression/text()", namespaces=NS) == [
        'utfordringer == "ikke_lost"']
    ke_lane = tree.xpath("//bpmn:lane[@name='Koordinerende enhet']/bpmn:flowNodeRef/text()",
                         namespaces=NS)
    assert "Task_behandle_eskalering" in ke_lane


def test_the_drawing_is_complete_and_nothing_overlaps():
    assert_drawing_is_clean(BUNDLE / "koordinering.bpmn")


# ------------------------------------------------------------------ the rules, on the engine


def test_a_meeting_cannot_be_completed_without_minutes(engine, clock):
    case = Case(engine, clock)
    case.through_planning()
    case.to_meeting()
    task = case.info.open_tasks[0]
    assert (task.role, task.form_key, task.stage, task.assignee) == (
        "koordinator", "ansvarsgruppemote", "evaluation", COORDINATOR)
    for minutes in ("", "   "):
        with pytest.raises(FormRejected) as rejected:
            case.do("Task_ansvarsgruppemote", meeting(clock, minutes=minutes), actor=COORDINATOR)
        assert "referat" in rejected.value.errors
    without = meeting(clock)
    del without["referat"]
    with pytest.raises(FormRejected) as rejected:
        case.do("Task_ansvarsgruppemote", without, actor=COORDINATOR)
    assert "referat" in rejected.value.errors
    assert case.open == ["Task_ansvarsgruppemote"]
    case.do("Task_ansvarsgruppemote", meeting(clock), actor=COORDINATOR)
    assert case.open == ["Task_evaluer"], "no problem, so nothing goes to the coordinating unit"
    assert case.ke_available() == []


def test_escalation_reaches_the_coordinating_unit_and_the_case_goes_on(engine, clock):
    case = Case(engine, clock)
    case.through_planning()
    case.to_meeting()
    # an unsolved problem must be described
    with pytest.raises(FormRejected) as rejected:
        case.do("Task_ansvarsgruppemote", meeting(clock, problems="ikke_lost"), actor=COORDINATOR)
    assert set(rejected.value.errors) == {"utfordring_beskrivelse"}
    assert case.ke_available() == []

    case.do("Task_ansvarsgruppemote",
            meeting(clock, problems="ikke_lost", description="NAV møter ikke i ansvarsgruppa."),
            actor=COORDINATOR)
    assert case.open == ["Task_behandle_eskalering", "Task_evaluer"]
    assert case.ke_available() == ["Task_behandle_eskalering"]
    escalation = next(t for t in case.info.open_tasks if t.bpmn_id == "Task_behandle_eskalering")
    assert (escalation.role, escalation.form_key, escalation.assignee) == (
        "koordinerende_enhet", "eskalering_behandling", None)
    # the coordinator does not get it; the problem and the minutes travel with the escalation
    mine = engine.worklist(KOMMUNE, COORDINATOR, ("koordinator",))
    assert [t.bpmn_id for t in mine.mine] == ["Task_evaluer"] and mine.available == []
    assert engine.case_data(case.info.id, kommune=KOMMUNE)["eskalering"] == {
        "utfordring": "NAV møter ikke i ansvarsgruppa.", "mote_dato": in_days(clock, 0),
        "referat": meeting(clock)["referat"]}

    # the coordinating unit handles it; the plan work is not held up meanwhile
    case.do("Task_evaluer", evaluation(clock, go_on=True, next_in_days=60), actor=COORDINATOR)
    assert case.open == ["Task_behandle_eskalering"]
    with pytest.raises(FormRejected):
        case.do("Task_behandle_eskalering", {**ke_answer(clock), "svar_til_koordinator": ""})
    case.do("Task_behandle_eskalering", ke_answer(clock))
    assert case.ke_available() == [] and case.open == []
    assert case.info.status == "active" and case.info.stage == "evaluation"

    # the next meeting solves its problems at service level, and the case runs to closure
    case.to_meeting(days=61)
    case.do("Task_ansvarsgruppemote", meeting(clock, problems="lost"), actor=COORDINATOR)
    assert case.open == ["Task_evaluer"]
    case.do("Task_evaluer", evaluation(clock, go_on=False), actor=COORDINATOR)
    case.do("Task_meld_avslutning", closing_report(), actor=COORDINATOR)
    case.do("Task_avslutt", closing(clock))
    assert case.info.status == "closed" and case.info.open_tasks == []

    trail = engine.audit_trail(case.info.id, kommune=KOMMUNE)
    done = [e.bpmn_id for e in trail if e.kind == "task_completed"]
    assert done.count("Task_ansvarsgruppemote") == 2 and done.count("Task_evaluer") == 2
    handled = next(e for e in trail if e.bpmn_id == "Task_behandle_eskalering"
                   and e.kind == "task_completed")
    assert handled.actor == "kari.ke" and handled.stage == "planning"
    minutes = [e.data["referat"] for e in trail if e.bpmn_id == "Task_ansvarsgruppemote"
               and e.kind == "task_completed"]
    assert all(m.strip() for m in minutes)


def test_escalation_can_be_raised_between_meetings(engine, clock):
    case = Case(engine, clock)
    case.do("Task_registrer_henvendelse", referral(clock))
    case.do("Task_vurder_rett", assessment())
    case.do("Task_samtykke", consent(clock))
    case.do("Task_oppnevn", appointment(COORDINATOR))
    assert case.open == ["Task_utarbeid_plan"]
    case.info = engine.send_signal(case.info.id, "eskaler_til_ke", actor=COORDINATOR,
                                   kommune=KOMMUNE)
    assert case.open == ["Task_behandle_eskalering", "Task_utarbeid_plan"]
    assert case.ke_available() == ["Task_behandle_eskalering"]
    case.do("Task_behandle_eskalering", ke_answer(clock))
    case.do("Task_utarbeid_plan", plan(clock), actor=COORDINATOR)
    case.to_meeting()
    signals = [e.data for e in engine.audit_trail(case.info.id) if e.kind == "signal"]
    assert signals == [{"signal": "eskaler_til_ke", "label": "Utfordring meldt til KE"}]


def test_a_case_without_problems_runs_from_referral_to_closure(engine, clock):
    case = Case(engine, clock)
    assert case.open == ["Task_registrer_henvendelse"]
    case.through_planning()
    for loop in range(2):
        case.to_meeting()
        case.do("Task_ansvarsgruppemote", meeting(clock), actor=COORDINATOR)
        case.do("Task_evaluer", evaluation(clock, go_on=loop == 0), actor=COORDINATOR)
    assert case.open == ["Task_meld_avslutning"] and case.info.stage == "closure"
    case.do("Task_meld_avslutning", closing_report(), actor=COORDINATOR)
    case.do("Task_avslutt", closing(clock))
    assert case.info.status == "closed"
    assert not [e for e in engine.audit_trail(case.info.id)
                if e.bpmn_id == "Task_behandle_eskalering"]


def test_the_case_lists_the_signals_its_diagram_waits_for(engine, clock):
    case = Case(engine, clock)
    signals = engine.case_signals(case.info.id, kommune=KOMMUNE)
    assert [(s.signal, s.element_id, s.label) for s in signals] == [
        ("skifte_koordinator", "Start_skifte", "Skifte av koordinator meldt"),
        ("eskaler_til_ke", "Start_eskalering", "Utfordring meldt til KE"),
    ]
    # A signal the diagram does not wait for is refused, and nothing is recorded.
    with pytest.raises(InvalidTransition):
        engine.send_signal(case.info.id, "finnes_ikke", actor=COORDINATOR, kommune=KOMMUNE)
    assert [e for e in engine.audit_trail(case.info.id) if e.kind == "signal"] == []


def test_a_failed_escalation_leaves_no_wiring_for_the_next_case(sqlite_url, clock, tmp_path):
    # The escalation's first step fails: the signal is refused, and the next case of the same
    # version (same process, same cached spec) still runs to its end.
    import shutil

    from engine.errors import ProcessError
    from tests.engine.casework import closing, closing_report, evaluation

    broken = tmp_path / "broken"
    shutil.copytree(BUNDLE, broken)
    bpmn = broken / "koordinering.bpmn"
    xml = bpmn.read_text(encoding="utf-8")
    start = xml.index('<bpmn:userTask id="Task_behandle_eskalering"')
    end = xml.index("</bpmn:userTask>", start) + len("</bpmn:userTask>")
    bpmn.write_text(xml[:start] + (
        '<bpmn:scriptTask id="Task_behandle_eskalering" name="Behandle">'
        "<bpmn:incoming>Flow_eskalering_start</bpmn:incoming>"
        "<bpmn:outgoing>Flow_eskalering_slutt</bpmn:outgoing>"
        "<bpmn:script>svar = [1][5]</bpmn:script></bpmn:scriptTask>") + xml[end:],
        encoding="utf-8")
    eng = Koordinator(sqlite_url, clock=clock)
    eng.deploy(broken, kommune=KOMMUNE, actor="test")
    first = Case(eng, clock)
    first.through_planning()
    with pytest.raises(ProcessError):
        eng.send_signal(first.info.id, "eskaler_til_ke", actor=COORDINATOR, kommune=KOMMUNE)
    second = Case(eng, clock)
    second.through_planning()
    clock.advance(days=91)
    eng.fire_due_timers()  # both cases' meetings come due
    second.info = eng.get_case(second.info.id, kommune=KOMMUNE)
    assert second.open == ["Task_ansvarsgruppemote"]
    second.do("Task_ansvarsgruppemote", meeting(clock), actor=COORDINATOR)
    second.do("Task_evaluer", evaluation(clock, go_on=False), actor=COORDINATOR)
    second.do("Task_meld_avslutning", closing_report(), actor=COORDINATOR)
    second.do("Task_avslutt", closing(clock))
    assert second.info.status == "closed"
    eng.close()
