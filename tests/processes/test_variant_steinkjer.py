"""Steinkjer's variant (processes/steinkjer) on the persisted engine, SQLite only.

What Steinkjer adds to the standard process (see processes/steinkjer/README.md):
- an expectation clarification (forventningsavklaring) with the person before any planning;
- a half-year meeting and activity plan written with the person; a script task makes the
  meeting dates of the half year from it, and a timer before each meeting gives the
  coordinator a task to remind the partners; when the half year is over, the coordinator
  writes the plan for the next one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from lxml import etree

from engine.clock import OSLO
from engine.errors import FormRejected
from engine.service import Koordinator
from tests.conftest import ROOT
from tests.engine.casework import (
    Casework,
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

BUNDLE = ROOT / "processes" / "steinkjer"
KOMMUNE = "steinkjer"
KOORDINATOR = "ola.koordinator"


@pytest.fixture
def engine(deploy_variant, clock):  # type: ignore[no-untyped-def]
    # noon in Oslo today, so that "N days on" is past 08:00 on the day a timer is due
    clock.set(datetime.combine(clock.today_oslo(), time(12, 0), tzinfo=OSLO)
              .astimezone(UTC).replace(tzinfo=None))
    return deploy_variant(BUNDLE, KOMMUNE)


NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
      "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
      "dc": "http://www.omg.org/spec/DD/20100524/DC"}
FLOW_NODES = {"startEvent", "endEvent", "intermediateCatchEvent", "boundaryEvent", "userTask",
              "businessRuleTask", "scriptTask", "exclusiveGateway", "parallelGateway",
              "subProcess"}


def xpath(node, path: str) -> list[Any]:  # type: ignore[no-untyped-def]
    return node.xpath(path, namespaces=NS)


def bounds(shape) -> tuple[float, float, float, float]:  # type: ignore[no-untyped-def]
    b = xpath(shape, "dc:Bounds")[0]
    x, y, w, h = (float(b.get(k)) for k in ("x", "y", "width", "height"))
    return x, y, x + w, y + h


def inside(inner: tuple[float, ...], outer: tuple[float, ...]) -> bool:
    return (inner[0] >= outer[0] and inner[1] >= outer[1] and inner[2] <= outer[2]
            and inner[3] <= outer[3])


def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    if inside(a, b) or inside(b, a):  # a sub-process and what it holds
        return False
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# ------------------------------------------------------------------ answers a caseworker gives


def clarification(clock) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {"avklaringsdato": in_days(clock, 0),
            "brukers_behov": "Trygg hverdag hjemme og en fast kontaktperson.",
            "parorendes_behov": "Avlastning i koordineringen.",
            "hva_trengs_av_koordinator": "Beskjed tidlig når noe endrer seg.",
            "forventninger_bruker": "Koordinator holder trådene og kaller inn til møter.",
            "forventninger_tjenesten": "Familien deltar på møtene og sier fra om behov.",
            "koordinatorrolle": "individuell_plan", "ikke_eneansvar_avklart": True}


def half_year(clock, first_in_days: int = 30, frequency: str = "hver_maned",  # type: ignore[no-untyped-def]
              reminder_days: int = 7) -> dict[str, Any]:
    return {"aktivitetsplan": [{"aktivitet": "Prøve ut dagsenter to dager i uka",
                                "ansvarlig": "Dagsenteret", "tidspunkt": in_days(clock, 45)}],
            "skrevet_sammen_med_bruker": True, "forste_mote": in_days(clock, first_in_days),
            "motefrekvens": frequency, "paminnelse_dager_for": reminder_days}


def steinkjer_plan(clock, next_in_days: int = 400, **kwargs: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {**plan(clock, next_in_days=next_in_days), **half_year(clock, **kwargs)}


def reminder() -> dict[str, Any]:
    return {"paminnelse_sendt": True,
            "sendt_til": [{"navn": "Fastlege Berg", "instans": "Fastlegekontoret"}],
            "sakliste": "Status i planen", "gjoremal": "Bestille møterom."}


def add_months(start: date, months: int) -> date:
    """The same day `months` later, or the last day of that month when it is shorter."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(start.day, last))


def at_eight_utc(day: date) -> datetime:
    """08:00 Europe/Oslo on `day`, as the naive UTC time the timer table stores."""
    return datetime.combine(day, time(8, 0), tzinfo=OSLO).astimezone(UTC).replace(tzinfo=None)


def waiting(engine, case_id: int, bpmn_id: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    return [t for t in engine.timers(case_id) if t["bpmn_id"] == bpmn_id
            and t["state"] == "waiting"]


def to_planning(engine, clock, **consent_kwargs: Any) -> Casework:  # type: ignore[no-untyped-def]
    work = Casework(engine, kommune=KOMMUNE)
    work.do("Task_registrer_henvendelse", referral(clock))
    work.do("Task_vurder_rett", assessment())
    work.do("Task_samtykke", consent(clock, **consent_kwargs))
    work.do("Task_oppnevn", appointment(KOORDINATOR))
    return work


# ------------------------------------------------------------------ the bundle


def test_bundle_validates_and_keeps_the_process_id():
    assert Koordinator.validate(BUNDLE) == []
    tree = etree.parse(str(BUNDLE / "koordinering.bpmn"))
    assert xpath(tree, "/bpmn:definitions/bpmn:process/@id") == ["koordinering"]


def test_standard_elements_are_kept_and_new_ones_are_drawn():
    standard = etree.parse(str(ROOT / "processes" / "standard" / "koordinering.bpmn"))
    tree = etree.parse(str(BUNDLE / "koordinering.bpmn"))
    ids = set(xpath(tree, "//bpmn:*/@id"))
    assert set(xpath(standard, "//bpmn:*/@id")) <= ids
    assert {"Task_forventningsavklaring", "Task_lag_motedatoer", "SubProcess_paminnelser",
            "Timer_paminnelse", "Task_send_paminnelse", "Task_ny_halvarsplan"} <= ids
    shapes = {s.get("bpmnElement"): bounds(s) for s in xpath(tree, "//bpmndi:BPMNShape")}
    edges = set(xpath(tree, "//bpmndi:BPMNEdge/@bpmnElement"))
    process = xpath(tree, "/bpmn:definitions/bpmn:process")[0]
    for node in process.iter():
        if not isinstance(node.tag, str):
            continue
        kind = etree.QName(node).localname
        if kind == "sequenceFlow":
            assert node.get("id") in edges, node.get("id")
        elif kind in FLOW_NODES:
            assert node.get("id") in shapes, node.get("id")
            parent = node.getparent()
            if etree.QName(parent).localname == "subProcess":
                assert inside(shapes[node.get("id")], shapes[parent.get("id")]), node.get("id")
    # no two shapes in the same container overlap
    for container in [process, *xpath(process, ".//bpmn:subProcess")]:
        children = [c.get("id") for c in container
                    if isinstance(c.tag, str) and etree.QName(c).localname in FLOW_NODES
                    and etree.QName(c).localname != "boundaryEvent"]
        for i, a in enumerate(children):
            for b in children[i + 1:]:
                assert not overlap(shapes[a], shapes[b]), (a, b)
    # lanes hold their nodes
    for lane in xpath(tree, "//bpmn:lane"):
        for ref in xpath(lane, "bpmn:flowNodeRef/text()"):
            assert inside(shapes[ref], shapes[lane.get("id")]), ref


# ------------------------------------------------------------------ expectation clarification


def test_expectation_clarification_comes_before_planning(engine, clock):
    work = to_planning(engine, clock)
    assert work.open == ["Task_forventningsavklaring"]
    task = work.case.task("Task_forventningsavklaring")
    assert (task.role, task.form_key, task.stage, task.assignee) == (
        "koordinator", "forventningsavklaring", "planning", KOORDINATOR)
    # the coordinator must confirm that coordinating is not theirs alone
    with pytest.raises(FormRejected):
        engine.complete_task(task.id, {**clarification(clock), "ikke_eneansvar_avklart": False},
                             actor=KOORDINATOR, kommune=KOMMUNE)
    assert work.refresh() and work.open == ["Task_forventningsavklaring"]

    work.do("Task_forventningsavklaring", clarification(clock), actor=KOORDINATOR)
    assert work.open == ["Task_utarbeid_plan"]
    assert work.case.task("Task_utarbeid_plan").form_key == "planlegging"

    completed = [a.bpmn_id for a in engine.audit_trail(work.case.id)
                 if a.kind == "task_completed"]
    assert completed.index("Task_forventningsavklaring") == completed.index("Task_oppnevn") + 1
    assert engine.case_data(work.case.id)["koordinatorrolle"] == "individuell_plan"


def test_clarification_also_comes_first_without_ip(engine, clock):
    work = to_planning(engine, clock, wants_ip=False)
    assert work.open == ["Task_forventningsavklaring"]
    work.do("Task_forventningsavklaring", clarification(clock), actor=KOORDINATOR)
    assert work.open == ["Task_planlegg_oppfolging"]


# ------------------------------------------------------------------ the half-year plan


def test_the_plan_needs_the_half_year_plan(engine, clock):
    work = to_planning(engine, clock)
    work.do("Task_forventningsavklaring", clarification(clock), actor=KOORDINATOR)
    task = work.case.task("Task_utarbeid_plan")
    with pytest.raises(FormRejected) as rejected:
        engine.complete_task(task.id, plan(clock), actor=KOORDINATOR, kommune=KOMMUNE)
    assert {"aktivitetsplan", "forste_mote"} <= set(rejected.value.errors)


def test_half_year_plan_makes_monthly_meeting_dates_and_reminder_timers(engine, clock):
    work = to_planning(engine, clock)
    work.do("Task_forventningsavklaring", clarification(clock), actor=KOORDINATOR)
    work.do("Task_utarbeid_plan", steinkjer_plan(clock, first_in_days=30), actor=KOORDINATOR)
    case_id = work.case.id

    first = clock.today_oslo() + timedelta(days=30)
    meetings = [add_months(first, k) for k in range(6)]
    data = engine.case_data(case_id)
    assert [m["dato"] for m in data["halvarsplan_moter"]] == [d.isoformat() for d in meetings]
    assert [m["paminnelse"] for m in data["halvarsplan_moter"]] == [
        (d - timedelta(days=7)).isoformat() for d in meetings]
    assert (data["halvar_fra"], data["halvar_til"]) == (meetings[0].isoformat(),
                                                         meetings[-1].isoformat())
    steps = [a.bpmn_id for a in engine.audit_trail(case_id) if a.kind == "engine_step"]
    assert "Task_lag_motedatoer" in steps

    # one reminder timer a week before each meeting, beside the evaluation timer
    reminders = waiting(engine, case_id, "Timer_paminnelse")
    assert sorted(t["due_at"] for t in reminders) == [
        at_eight_utc(d - timedelta(days=7)) for d in meetings]
    assert len(waiting(engine, case_id, "Timer_evaluering")) == 1
    assert work.refresh() and work.open == []


def test_every_other_week_gives_thirteen_meetings_in_the_half_year(engine, clock):
    work = to_planning(engine, clock)
    work.do("Task_forventningsavklaring", clarification(clock), actor=KOORDINATOR)
    work.do("Task_utarbeid_plan", steinkjer_plan(clock, first_in_days=10,
                                                 frequency="annenhver_uke", reminder_days=3),
            actor=KOORDINATOR)
    first = clock.today_oslo() + timedelta(days=10)
    meetings = [first + timedelta(days=14 * k) for k in range(13)]
    data = engine.case_data(work.case.id)
    assert [m["dato"] for m in data["halvarsplan_moter"]] == [d.isoformat() for d in meetings]
    assert sorted(t["due_at"] for t in waiting(engine, work.case.id, "Timer_paminnelse")) == [
        at_eight_utc(d - timedelta(days=3)) for d in meetings]


def planned_every_other_month(engine, clock) -> Casework:  # type: ignore[no-untyped-def]
    """A case whose half-year plan meets every other month, the first meeting in 30 days."""
    work = to_planning(engine, clock)
    work.do("Task_forventningsavklaring", clarification(clock), actor=KOORDINATOR)
    work.do("Task_utarbeid_plan", steinkjer_plan(clock, first_in_days=30,
                                                 frequency="annenhver_maned"),
            actor=KOORDINATOR)
    return work


def test_reminders_reach_the_coordinator_and_a_new_half_year_follows(engine, clock):
    work = planned_every_other_month(engine, clock)
    case_id = work.case.id
    assert len(waiting(engine, case_id, "Timer_paminnelse")) == 3

    # nothing before the first reminder date
    clock.advance(days=22)
    assert engine.fire_due_timers() == []
    clock.advance(days=1)
    assert len(engine.fire_due_timers()) == 1
    work.refresh()
    assert work.open == ["Task_send_paminnelse"]
    task = work.case.task("Task_send_paminnelse")
    assert (task.role, task.form_key, task.stage, task.assignee) == (
        "koordinator", "paminnelse", "planning", KOORDINATOR)
    work.do("Task_send_paminnelse", reminder(), actor=KOORDINATOR)
    assert work.open == [] and len(waiting(engine, case_id, "Timer_paminnelse")) == 2

    for _ in range(2):
        clock.advance(days=62)
        assert len(engine.fire_due_timers()) == 1
        work.refresh()
        work.do("Task_send_paminnelse", reminder(), actor=KOORDINATOR)
    # the half year is over: the coordinator writes the next one with the person
    assert engine.case_data(case_id)["paminnelser_sendt"] == [True, True, True]
    assert work.open == ["Task_ny_halvarsplan"]
    assert work.case.task("Task_ny_halvarsplan").form_key == "halvarsplan"
    work.do("Task_ny_halvarsplan", half_year(clock, first_in_days=14), actor=KOORDINATOR)
    first = clock.today_oslo() + timedelta(days=14)
    data = engine.case_data(case_id)
    assert data["halvar_fra"] == first.isoformat()
    assert len(data["halvarsplan_moter"]) == 6
    assert len(waiting(engine, case_id, "Timer_paminnelse")) == 6
    assert len(waiting(engine, case_id, "Timer_evaluering")) == 1


# ------------------------------------------------------------------ referral to closure


def test_case_runs_from_referral_to_closure(engine, clock):
    work = to_planning(engine, clock)
    work.do("Task_forventningsavklaring", clarification(clock), actor=KOORDINATOR)
    work.do("Task_utarbeid_plan", steinkjer_plan(clock, next_in_days=90, first_in_days=30),
            actor=KOORDINATOR)
    case_id = work.case.id

    # the first reminder comes before the evaluation
    clock.advance(days=23)
    assert len(engine.fire_due_timers()) == 1
    work.refresh()
    work.do("Task_send_paminnelse", reminder(), actor=KOORDINATOR)

    clock.advance(days=68)  # past the evaluation date and two more reminder dates
    engine.fire_due_timers()
    work.refresh()
    assert work.open == ["Task_evaluer", "Task_send_paminnelse", "Task_send_paminnelse"]
    work.do("Task_evaluer", evaluation(clock, go_on=False), actor=KOORDINATOR)
    # ending the plan work ends the open reminders and the remaining timers with it
    assert work.open == ["Task_meld_avslutning"]
    assert waiting(engine, case_id, "Timer_paminnelse") == []
    work.do("Task_meld_avslutning", closing_report(), actor=KOORDINATOR)
    work.do("Task_avslutt", closing(clock))
    assert work.case.status == "closed" and work.open == []
    assert [t for t in engine.timers(case_id) if t["state"] == "waiting"] == []


def test_a_case_moved_mid_reminders_still_gets_its_next_half_year(engine, clock):
    # The reminders are a multi-instance part beside the plan work; moving the case onto a new
    # version of the same process keeps what follows them (found in review: it was lost).
    work = planned_every_other_month(engine, clock)
    clock.advance(days=23)
    assert len(engine.fire_due_timers()) == 1
    v2 = engine.deploy(BUNDLE, kommune=KOMMUNE, actor="test", note="samme")
    [candidate] = engine.migration_candidates(KOMMUNE, v2.id)
    assert candidate.movable, candidate.problems
    engine.migrate_cases(KOMMUNE, [work.case.id], v2.id, actor="test")
    work.refresh()
    assert work.case.version_number == 2 and work.open == ["Task_send_paminnelse"]
    work.do("Task_send_paminnelse", reminder(), actor=KOORDINATOR)
    for _ in range(2):
        clock.advance(days=62)
        assert len(engine.fire_due_timers()) == 1
        work.refresh()
        work.do("Task_send_paminnelse", reminder(), actor=KOORDINATOR)
    assert engine.case_data(work.case.id)["paminnelser_sendt"] == [True, True, True]
    assert work.open == ["Task_ny_halvarsplan"]
