"""Lyngdal's variant (processes/lyngdal): the BTI level decides whether and what kind of
coordinator is appointed, and the nearest leader is the secondary coordinator.

The seed (Lyngdal's guideline "Koordinator"): "På Nivå 3 omtales stafettholder som koordinator.
[...] Lyngdal kommune definerer 2 ulike koordinatorroller: Koordinator etter helselovgivningen.
Bruker har et krav på koordinator. / Koordinator fordi det er omfattende arbeid med samordning
av tiltak [...] Brukeren har ikke krav på koordinator etter helselovgivningen." - "Nærmeste leder
opprettes som sekundær-koordinator [...] Dersom koordinator er fraværende, overtar
sekundær-koordinator ansvaret" - "Velges på nivå 3, men der man tidlig ser behovet for
langvarige koordinerte tjenester, kan den velges på nivå 1."
"""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree

from engine.errors import FormRejected
from engine.service import Koordinator
from engine.staff import Staff
from tests.conftest import ROOT, STANDARD
from tests.engine.casework import (
    appointment,
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

BUNDLE = ROOT / "processes" / "lyngdal"
KOMMUNE = "lyngdal"
COORDINATOR, LEADER = "ola.koordinator", "lise.leder"
DECISION_OUTPUTS = ("koordinator_oppnevnes", "koordinator_type", "koordinator_betegnelse",
                    "koordinator_grunnlag")

NEW_ELEMENTS = {"Task_dmn_bti": "businessRuleTask", "Flow_dmn_bti": "sequenceFlow"}
CHANGED_FORMS = {"vurdering.yaml", "oppnevning.yaml", "avslag.yaml"}


# ------------------------------------------------------------------ answers a caseworker gives


def bti_assessment(level: int | str, right: bool, early: bool = False) -> dict[str, Any]:
    """`level` 0-3 (or "ikke_aktuelt"); `right`: the need is long-term and needs two or more
    health and care services, so the standard table gives a statutory right; otherwise one
    service and no other sectors."""
    return {"antall_tjenester": 3 if right else 1, "langvarig_behov": True,
            "andre_sektorer": False,
            "bti_niva": f"niva_{level}" if isinstance(level, int) else level,
            "tidlig_behov": early,
            "tjenester": "Skole, PPT, fysioterapi",
            "vurdering_notat": "Vurdert i BTI-team sammen med foresatte."}


def refusal(clock) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {"begrunnelse": "Behovet kan følges opp i skolen på BTI-nivå 2.",
            "vedtaksdato": in_days(clock, 0), "klageinformasjon_gitt": True,
            "bti_oppfolging": "Kontaktlærer er stafettholder på nivå 2."}


# ------------------------------------------------------------------ fixtures and a driver


@pytest.fixture
def engine(deploy_variant):  # type: ignore[no-untyped-def]
    return deploy_variant(BUNDLE, KOMMUNE)


class Case(VariantCase):
    kommune = KOMMUNE

    @property
    def data(self) -> dict[str, Any]:
        return self.engine.case_data(self.info.id, kommune=KOMMUNE)

    def assess(self, level: int | str, right: bool, early: bool = False) -> dict[str, Any]:
        """Referral and assessment; returns what the BTI decision recorded in the case."""
        self.do("Task_registrer_henvendelse", referral(self.clock, age=17))
        self.do("Task_vurder_rett", bti_assessment(level, right, early))
        data = self.data
        return {name: data[name] for name in DECISION_OUTPUTS}

    def decision_step(self) -> dict[str, Any]:
        steps = [e for e in self.engine.audit_trail(self.info.id, kommune=KOMMUNE)
                 if e.kind == "engine_step" and e.bpmn_id == "Task_dmn_bti"]
        assert len(steps) == 1
        return steps[0].data


# ------------------------------------------------------------------ the bundle


def test_bundle_validates_and_keeps_the_standard_ids():
    assert Koordinator.validate(BUNDLE) == []
    tree = etree.parse(str(BUNDLE / "koordinering.bpmn"))
    standard = etree.parse(str(STANDARD / "koordinering.bpmn"))
    ids = set(tree.xpath("//@id"))
    assert set(standard.xpath("//bpmn:*/@id", namespaces=NS)) <= ids
    assert tree.xpath("/bpmn:definitions/bpmn:process/@id", namespaces=NS) == ["koordinering"]
    for element_id, kind in NEW_ELEMENTS.items():
        found = tree.xpath(f"//bpmn:*[@id='{element_id}']", namespaces=NS)
        assert [etree.QName(e).localname for e in found] == [kind], element_id
    # the BTI decision sits between the statutory decision and the gateway, which reads it
    flow = tree.xpath("//bpmn:sequenceFlow[@id='Flow_dmn_rett']", namespaces=NS)[0]
    assert (flow.get("sourceRef"), flow.get("targetRef")) == ("Task_dmn_rett", "Task_dmn_bti")
    flow = tree.xpath("//bpmn:sequenceFlow[@id='Flow_dmn_bti']", namespaces=NS)[0]
    assert (flow.get("sourceRef"), flow.get("targetRef")) == ("Task_dmn_bti", "Gateway_rett")
    condition = tree.xpath("//bpmn:sequenceFlow[@id='Flow_rett_ja']/bpmn:conditionExpression"
                           "/text()", namespaces=NS)
    assert condition == ["koordinator_oppnevnes == True"]
    ke_lane = tree.xpath("//bpmn:lane[@name='Koordinerende enhet']/bpmn:flowNodeRef/text()",
                         namespaces=NS)
    assert "Task_dmn_bti" in ke_lane
    # the standard decision tables are unchanged, and the BTI table is new
    for dmn in STANDARD.glob("*.dmn"):
        assert (BUNDLE / dmn.name).read_bytes() == dmn.read_bytes()
    assert {p.name for p in BUNDLE.glob("*.dmn")} == (
        {p.name for p in STANDARD.glob("*.dmn")} | {"bti_koordinator.dmn"})
    # every shared form is there; only the three named ones differ
    shared = {p.name for p in (ROOT / "forms").glob("*.yaml")}
    assert {p.name for p in (BUNDLE / "forms").glob("*.yaml")} == shared
    differ = {name for name in shared
              if (BUNDLE / "forms" / name).read_bytes() != (ROOT / "forms" / name).read_bytes()}
    assert differ == CHANGED_FORMS


def test_the_drawing_is_complete_and_nothing_overlaps():
    assert_drawing_is_clean(BUNDLE / "koordinering.bpmn")


# ------------------------------------------------------------------ the rules, on the engine


def test_level_3_with_a_statutory_right_gives_a_statutory_coordinator(engine, clock):
    case = Case(engine, clock)
    decided = case.assess(level=3, right=True)
    assert decided == {"koordinator_oppnevnes": True, "koordinator_type": "lovpalagt",
                       "koordinator_betegnelse": "koordinator",
                       "koordinator_grunnlag": "hol. § 7-2, pbrl. § 2-5 b"}
    assert case.decision_step() == decided
    assert case.data["rett_til_koordinator"] is True
    assert case.open == ["Task_samtykke"] and case.info.stage == "consent"


def test_level_1_with_an_early_seen_need_gives_a_coordination_need_relay_holder(engine, clock):
    case = Case(engine, clock)
    decided = case.assess(level=1, right=False, early=True)
    assert decided["koordinator_oppnevnes"] is True
    assert decided["koordinator_type"] == "koordineringsbehov"
    assert decided["koordinator_betegnelse"] == "stafettholder"
    assert case.data["rett_til_koordinator"] is False, "no right under the health laws"
    assert case.decision_step()["koordinator_type"] == "koordineringsbehov"
    # the relay holder is appointed like a coordinator: consent first, then the appointment
    case.do("Task_samtykke", consent(clock))
    assert case.open == ["Task_oppnevn"]
    case.do("Task_oppnevn", appointment(COORDINATOR))
    assert case.open == ["Task_utarbeid_plan"]
    assert (case.info.coordinator, case.info.secondary_coordinator) == (COORDINATOR, LEADER)
    assert case.data["koordinator_type"] == "koordineringsbehov"


@pytest.mark.parametrize(("level", "right", "early", "kind", "title"), [
    (3, False, False, "koordineringsbehov", "koordinator"),  # level 3 without a right
    (2, False, True, "koordineringsbehov", "stafettholder"),  # seen early, before level 3
    (1, True, False, "lovpalagt", "koordinator"),  # the right does not wait for level 3
    (0, True, False, "lovpalagt", "koordinator"),
    ("ikke_aktuelt", True, False, "lovpalagt", "koordinator"),  # an adult outside BTI
])
def test_the_other_combinations_of_level_and_right(engine, clock, level, right, early, kind,
                                                   title):  # type: ignore[no-untyped-def]
    case = Case(engine, clock)
    decided = case.assess(level=level, right=right, early=early)
    assert (decided["koordinator_oppnevnes"], decided["koordinator_type"],
            decided["koordinator_betegnelse"]) == (True, kind, title)
    assert case.open == ["Task_samtykke"]


@pytest.mark.parametrize(("level", "early"), [(2, False), (1, False), (0, False), (0, True),
                                             ("ikke_aktuelt", True)])
def test_a_lower_level_without_need_gives_no_coordinator_and_a_clear_end(engine, clock, level,
                                                                         early):  # type: ignore[no-untyped-def]
    case = Case(engine, clock)
    decided = case.assess(level=level, right=False, early=early)
    assert decided == {"koordinator_oppnevnes": False, "koordinator_type": "ingen",
                       "koordinator_betegnelse": "", "koordinator_grunnlag": ""}
    assert case.open == ["Task_avslag"]
    task = case.info.task("Task_avslag")
    assert (task.role, task.form_key, task.stage) == ("koordinerende_enhet", "avslag",
                                                      "entitlement")
    case.do("Task_avslag", refusal(clock))
    assert case.info.status == "closed" and case.info.open_tasks == []
    assert case.info.coordinator is None
    trail = engine.audit_trail(case.info.id, kommune=KOMMUNE)
    ends = [e.bpmn_id for e in trail if e.kind == "engine_step" and e.bpmn_id.startswith("End_")]
    assert ends == ["End_avslag"]
    done = [e.bpmn_id for e in trail if e.kind == "task_completed"]
    assert "Task_oppnevn" not in done and "Task_samtykke" not in done
    assert case.data["bti_oppfolging"] == "Kontaktlærer er stafettholder på nivå 2."


def test_the_assessment_takes_a_bti_level_from_0_to_3_or_not_applicable(engine, clock):
    case = Case(engine, clock)
    case.do("Task_registrer_henvendelse", referral(clock))
    answers = bti_assessment(3, right=False)
    for bad in ("niva_4", "3", 3, ""):
        with pytest.raises(FormRejected) as rejected:
            case.do("Task_vurder_rett", {**answers, "bti_niva": bad})
        assert "bti_niva" in rejected.value.errors
    # left out (the standard's answers, an adult): not applicable, and the early-need
    # question counts as no; without a statutory right no coordinator is appointed
    without = dict(answers)
    del without["bti_niva"], without["tidlig_behov"]
    case.do("Task_vurder_rett", without)
    assert (case.data["bti_niva"], case.data["tidlig_behov"]) == ("ikke_aktuelt", False)
    assert case.data["koordinator_type"] == "ingen" and case.open == ["Task_avslag"]


def test_the_appointment_requires_the_nearest_leader_as_secondary_coordinator(engine, clock):
    case = Case(engine, clock)
    case.assess(level=3, right=True)
    case.do("Task_samtykke", consent(clock))
    for missing in ("", None):
        with pytest.raises(FormRejected) as rejected:
            case.do("Task_oppnevn", {**appointment(COORDINATOR), "sekundar_koordinator": missing})
        assert set(rejected.value.errors) == {"sekundar_koordinator"}
    answers = appointment(COORDINATOR)
    del answers["sekundar_koordinator"]
    with pytest.raises(FormRejected):
        case.do("Task_oppnevn", answers)
    assert case.open == ["Task_oppnevn"]
    case.do("Task_oppnevn", appointment(COORDINATOR))
    assert case.info.secondary_coordinator == LEADER


def test_an_absent_coordinator_hands_the_tasks_to_the_secondary(engine, clock):
    staff = Staff(db=engine.db)
    staff.add_user(COORDINATOR, KOMMUNE, ["koordinator"])
    staff.add_user(LEADER, KOMMUNE, ["leder"])
    case = Case(engine, clock)
    case.assess(level=3, right=True)
    case.do("Task_samtykke", consent(clock))
    case.do("Task_oppnevn", appointment(COORDINATOR))
    task = case.info.task("Task_utarbeid_plan")
    assert task.assignee == COORDINATOR

    assert engine.set_absent(KOMMUNE, COORDINATOR, True, actor="kari.ke") == 1
    assert engine.get_task(task.id).assignee == LEADER
    assert [t.id for t in engine.worklist(KOMMUNE, LEADER, ("leder",)).mine] == [task.id]
    # work that comes up while the coordinator is away goes to the secondary as well
    case.do("Task_utarbeid_plan", plan(clock, next_in_days=90), actor=LEADER)
    clock.advance(days=91)
    assert len(engine.fire_due_timers()) == 1
    case.info = engine.get_case(case.info.id, kommune=KOMMUNE)
    assert case.info.task("Task_evaluer").assignee == LEADER

    assert engine.set_absent(KOMMUNE, COORDINATOR, False, actor="kari.ke") == 1
    case.info = engine.get_case(case.info.id, kommune=KOMMUNE)
    assert case.info.task("Task_evaluer").assignee == COORDINATOR
    moves = [e.data for e in engine.audit_trail(case.info.id, kommune=KOMMUNE)
             if e.kind == "task_reassigned"]
    assert [(m["to"], m["reason"]) for m in moves] == [(LEADER, "absent"), (COORDINATOR, "back")]


def test_a_statutory_case_runs_from_referral_to_closure(engine, clock):
    case = Case(engine, clock)
    assert case.open == ["Task_registrer_henvendelse"]
    case.assess(level=3, right=True)
    case.do("Task_samtykke", consent(clock))
    case.do("Task_oppnevn", appointment(COORDINATOR))
    case.do("Task_utarbeid_plan", plan(clock, next_in_days=90), actor=COORDINATOR)
    for loop in range(2):
        clock.advance(days=91)
        assert len(engine.fire_due_timers()) == 1
        case.info = engine.get_case(case.info.id, kommune=KOMMUNE)
        case.do("Task_evaluer", evaluation(clock, go_on=loop == 0), actor=COORDINATOR)
    assert case.open == ["Task_meld_avslutning"] and case.info.stage == "closure"
    case.do("Task_meld_avslutning", closing_report(), actor=COORDINATOR)
    case.do("Task_avslutt", closing(clock))
    assert case.info.status == "closed" and case.info.open_tasks == []
    assert case.data["koordinator_type"] == "lovpalagt"
    done = [e.bpmn_id for e in engine.audit_trail(case.info.id) if e.kind == "task_completed"]
    assert done == ["Task_registrer_henvendelse", "Task_vurder_rett", "Task_samtykke",
                    "Task_oppnevn", "Task_utarbeid_plan", "Task_evaluer", "Task_evaluer",
                    "Task_meld_avslutning", "Task_avslutt"]
