"""Herøy's variant (processes/heroy): nynorsk, start-up steps, life-phase checklists, the four
evaluation questions, and coordinator change and closure reported to the coordinating unit.

The bundle is checked as files (nynorsk names, kept ids, drawing, forms) and run on the engine
with SQLite from referral to closure.
"""

from __future__ import annotations

from datetime import timedelta
from itertools import combinations
from types import SimpleNamespace
from typing import Any

import pytest
from lxml import etree
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

from engine.bundle import load_bundle
from engine.errors import FormRejected
from engine.forms import FormDefinition, Text
from engine.helpers import make_helpers
from engine.roles import role_for_lane
from engine.service import Koordinator
from tests.conftest import ROOT, STANDARD
from tests.engine.casework import (
    appointment,
    assessment,
    born_years_ago,
    closing_report,
    consent,
    handover,
    in_days,
    plan,
    referral,
    transfer,
)
from tests.processes.layout import assert_drawing_is_clean

HEROY = ROOT / "processes" / "heroy"
BPMN = HEROY / "koordinering.bpmn"
NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core",
}
FLOW_NODES = {"startEvent", "endEvent", "intermediateCatchEvent", "boundaryEvent", "userTask",
              "businessRuleTask", "exclusiveGateway", "subProcess"}
KE, KOORD = "koordinerende_enhet", "koordinator"


def xpath(node, path):
    return node.xpath(path, namespaces=NS)


def local(el) -> str:
    return etree.QName(el).localname


@pytest.fixture(scope="module")
def tree():
    return etree.parse(str(BPMN))


@pytest.fixture
def engine(deploy_variant):  # type: ignore[no-untyped-def]
    return deploy_variant(HEROY, "heroy")


# ------------------------------------------------------------------ answers for Herøy's forms


def startup(clock) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {"plan_registrert": True, "kortnamn": "KN", "planeigar_tilgang": "seinare",
            "personopplysningar_registrert": True, "rolle_informert": True,
            "forventningar_avklart": True, "deltakarar_avklart": True,
            "tilgang_deltakarar": "Fastlegen les berre.", "presentasjon_oppmoda": True,
            "neste_ip_mote": in_days(clock, 14),
            "mote_malsetting": "Oppstartsmøte: mål og tiltak. Inviterer heimetenesta og NAV."}


def checklist(form: FormDefinition) -> dict[str, Any]:
    """Every point of a life-phase checklist ticked as done."""
    return {f.name: "gjort" for f in form.fields if f.type == "choice"} | {
        "merknad_sjekkliste": "Gjennomgått med planeigar."}


def heroy_evaluation(clock, go_on: bool = True, experience: str = "Trygg på planen.") -> dict:  # type: ignore[no-untyped-def]
    data = {"mal_nadd": "delvis", "tjenester_fungerer": "ja", "arbeidsform_god": "ja",
            "planeiers_erfaring": experience, "koordinatorrolle_og_mote": "Gode møte.",
            "endringer": "", "deltakere_endret": False,
            "videre": "fortsett" if go_on else "avslutt"}
    if go_on:
        data["neste_evaluering"] = in_days(clock, 90)
    return data


def closing(clock) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {"avsluttet_dato": in_days(clock, 0), "arkivert": True, "utskrifter_sikra": True}


class Work:
    """One Herøy case, driven task by task."""

    def __init__(self, engine: Koordinator, clock):  # type: ignore[no-untyped-def]
        self.engine = engine
        self.clock = clock
        self.case = engine.start_case("heroy", actor="kari.ke")

    def task(self, bpmn_id: str):  # type: ignore[no-untyped-def]
        return self.case.task(bpmn_id)

    def do(self, bpmn_id: str, data: dict[str, Any], actor: str = "kari.ke"):  # type: ignore[no-untyped-def]
        self.case = self.engine.complete_task(self.task(bpmn_id).id, data, actor=actor,
                                              kommune="heroy")
        return self.case

    @property
    def open(self) -> list[str]:
        return sorted(t.bpmn_id for t in self.case.open_tasks)

    def to_startup(self, clock, age: int, wants_ip: bool = True) -> None:  # type: ignore[no-untyped-def]
        if age < 16:
            self.do("Task_registrer_henvendelse", referral(clock, age=age, parental="en_forelder"))
            given_by = [("Mor Nordmann", "forelder")]
        else:
            self.do("Task_registrer_henvendelse", referral(clock, age=age))
            given_by = None
        self.do("Task_vurder_rett", assessment())
        self.do("Task_samtykke", consent(clock, given_by=given_by, wants_ip=wants_ip))
        self.do("Task_oppnevn", appointment("ola.koordinator"))

    def through_checklist(self) -> str:
        self.do("Task_oppstart", startup(self.clock), actor="ola.koordinator")
        (task,) = self.case.open_tasks
        form = self.engine.form_for_task(task.id, kommune="heroy")
        self.do(task.bpmn_id, checklist(form), actor="ola.koordinator")
        return task.bpmn_id


def wait_for_evaluation(engine: Koordinator, clock, work: Work) -> None:  # type: ignore[no-untyped-def]
    work.case = engine.get_case(work.case.id)
    assert work.case.open_tasks == [] and work.case.next_timer_due is not None
    clock.set(work.case.next_timer_due + timedelta(minutes=1))
    assert len(engine.fire_due_timers()) == 1
    work.case = engine.get_case(work.case.id)


# ------------------------------------------------------------------ the bundle as files


def test_bundle_validates_and_keeps_the_process_id():
    assert Koordinator.validate(HEROY) == []
    processes = xpath(etree.parse(str(BPMN)), "/bpmn:definitions/bpmn:process")
    assert [p.get("id") for p in processes] == ["koordinering"]


def test_lanes_are_nynorsk_and_known_roles(tree):
    lanes = [lane.get("name") for lane in xpath(tree, "//bpmn:laneSet/bpmn:lane")]
    assert lanes == ["Koordinerande eining", "Koordinator", "Leiar"]
    assert [role_for_lane(name) for name in lanes] == [KE, KOORD, "leder"]


BOKMAL_WORDS = ("enhet", "uten ", "hvem", "henvendelse", "oppnevn", "leder", "avsluttet",
                "videre", "ønsker", "foreløpig", "måned", "endrede", "deltakere", "velg ",
                "fra ", "mangler", "saken")


def test_element_names_and_documentation_are_nynorsk(tree):
    texts = []
    for node in xpath(tree, "//bpmn:process//bpmn:*"):
        if local(node) in FLOW_NODES or local(node) in ("sequenceFlow", "lane"):
            if local(node) in FLOW_NODES:
                assert (node.get("name") or "").strip(), node.get("id")
            texts.append((node.get("id"), node.get("name") or ""))
    texts += [(d.getparent().get("id"), d.text) for d in xpath(tree, "//bpmn:documentation")]
    texts += [(p.get("id"), p.get("name")) for p in xpath(tree, "//bpmn:participant")]
    for element_id, text in texts:
        for word in BOKMAL_WORDS:
            assert word not in text.casefold(), (element_id, text, word)


def test_standard_ids_are_kept(tree):
    standard = set(xpath(etree.parse(str(STANDARD / "koordinering.bpmn")), "//bpmn:*/@id"))
    heroy = set(xpath(tree, "//bpmn:*/@id"))
    assert standard <= heroy
    assert {"Task_oppstart", "Task_dmn_livsfase", "Gateway_livsfase", "Task_sjekkliste_barn",
            "Task_sjekkliste_ungdom", "Task_sjekkliste_vaksne_eldre", "Gateway_livsfase_merge"} <= heroy


def _bounds(shape):
    b = xpath(shape, "dc:Bounds")[0]
    x, y, w, h = (float(b.get(k)) for k in ("x", "y", "width", "height"))
    return x, y, x + w, y + h


def test_drawing_is_complete_and_new_shapes_do_not_overlap(tree):
    shapes = {s.get("bpmnElement"): s for s in xpath(tree, "//bpmndi:BPMNShape")}
    edges = {e.get("bpmnElement") for e in xpath(tree, "//bpmndi:BPMNEdge")}
    nodes = {n.get("id"): local(n) for n in xpath(tree, "//bpmn:process//bpmn:*")
             if local(n) in FLOW_NODES}
    assert set(nodes) <= set(shapes)
    assert set(xpath(tree, "//bpmn:sequenceFlow/@id")) == edges
    ids = set(xpath(tree, "//@id"))
    assert all(di.get("bpmnElement") in ids for di in xpath(tree, "//bpmndi:*[@bpmnElement]"))
    # tasks, events and gateways never overlap (a boundary event sits on its task's border)
    boxes = {n: _bounds(shapes[n]) for n, kind in nodes.items()
             if kind not in ("subProcess", "boundaryEvent")}
    for (a, ba), (b, bb) in combinations(boxes.items(), 2):
        apart = ba[2] <= bb[0] or bb[2] <= ba[0] or ba[3] <= bb[1] or bb[3] <= ba[1]
        assert apart, (a, b)
    # every node lies in its lane, and nodes of a sub-process inside its shape
    for lane in xpath(tree, "//bpmn:lane"):
        lb = _bounds(shapes[lane.get("id")])
        for ref in xpath(lane, "bpmn:flowNodeRef/text()"):
            nb = _bounds(shapes[ref])
            assert lb[0] <= nb[0] and lb[1] <= nb[1] and nb[2] <= lb[2] and nb[3] <= lb[3], ref
    for sub in xpath(tree, "//bpmn:subProcess"):
        sb = _bounds(shapes[sub.get("id")])
        for child in sub:
            if local(child) in FLOW_NODES and local(child) != "boundaryEvent":
                cb = _bounds(shapes[child.get("id")])
                assert sb[0] <= cb[0] and sb[1] <= cb[1] and cb[2] <= sb[2] and cb[3] <= sb[3]


def test_drawing_is_clean():
    assert_drawing_is_clean(BPMN)


def _texts(form: FormDefinition):
    yield "title", form.title
    if form.intro:
        yield "intro", form.intro

    def walk(fields, where):
        for f in fields:
            yield f"{where}{f.name}.label", f.label
            if f.help:
                yield f"{where}{f.name}.help", f.help
            for c in f.choices:
                yield f"{where}{f.name}.{c.value}", c.label
            yield from walk(f.fields, f"{where}{f.name}.")

    yield from walk(form.fields, "")


def test_every_form_the_variant_uses_is_there_with_nynorsk_texts(tree):
    used = set(xpath(tree, "//spiffworkflow:property[@name='formKey']/@value"))
    bundle = load_bundle(HEROY)
    assert bundle.problems == []
    assert used == set(bundle.forms), "the bundle's forms folder holds exactly the forms used"
    checked = 0
    for key in sorted(used):
        for where, text in _texts(bundle.forms[key]):
            assert isinstance(text, Text)
            assert text.nn is not None and text.nn.strip(), f"{key}: {where} has no nn text"
            checked += 1
    assert checked > 300


def test_the_four_evaluation_questions_are_required():
    form = load_bundle(HEROY).forms["evaluering"]
    questions = {"mal_nadd": "Er måla nådde?", "tjenester_fungerer": "Fungerer tenestene?",
                 "arbeidsform_god": "Er arbeidsforma god?",
                 "planeiers_erfaring": "Kva erfaring er gjort av planeigaren?"}
    for name, nn in questions.items():
        assert form.field(name).required, name
        assert form.field(name).label("nn") == nn


# ------------------------------------------------------------------ the life-phase table


@pytest.fixture(scope="module")
def dmn_parser():
    parser = SpiffBpmnParser()
    parser.add_dmn_files([str(HEROY / "livsfase_sjekkliste.dmn")])
    return parser


@pytest.mark.parametrize(("age", "phase", "checklist_key"), [
    (0, "barn", "barn"), (12, "barn", "barn"), (13, "ungdom", "ungdom"),
    (21, "ungdom", "ungdom"), (22, "vaksen", "vaksne_eldre"), (66, "vaksen", "vaksne_eldre"),
    (67, "eldre", "vaksne_eldre"), (95, "eldre", "vaksne_eldre")])
def test_life_phase_table_limits(dmn_parser, clock, age, phase, checklist_key):
    helpers = make_helpers(clock, lambda _user: 0)
    script = PythonScriptEngine(environment=TaskDataEnvironment(helpers))
    task = SimpleNamespace(data={"fodselsdato": born_years_ago(clock, age)},
                           workflow=SimpleNamespace(script_engine=script))
    result = dmn_parser.get_engine("livsfase_sjekkliste", None).result(task)
    assert (result["livsfase"], result["sjekkliste"]) == (phase, checklist_key)


@pytest.mark.parametrize(("age", "phase", "task_id", "form_key"), [
    (8, "barn", "Task_sjekkliste_barn", "sjekkliste_barn"),
    (17, "ungdom", "Task_sjekkliste_ungdom", "sjekkliste_ungdom"),
    (40, "vaksen", "Task_sjekkliste_vaksne_eldre", "sjekkliste_vaksne_eldre"),
    (82, "eldre", "Task_sjekkliste_vaksne_eldre", "sjekkliste_vaksne_eldre"),
])
def test_case_gets_the_checklist_of_its_life_phase(engine, clock, age, phase, task_id, form_key):
    work = Work(engine, clock)
    work.to_startup(clock, age, wants_ip=age != 8)
    (startup_task,) = work.case.open_tasks
    assert (startup_task.bpmn_id, startup_task.role, startup_task.form_key, startup_task.stage) \
        == ("Task_oppstart", KOORD, "oppstart", "planning")
    assert startup_task.assignee == "ola.koordinator"
    with pytest.raises(FormRejected) as rejected:  # the start-up steps must be done
        work.do("Task_oppstart", startup(clock) | {"forventningar_avklart": False},
                actor="ola.koordinator")
    assert "forventningar_avklart" in rejected.value.errors
    work.do("Task_oppstart", startup(clock), actor="ola.koordinator")

    (task,) = work.case.open_tasks
    assert (task.bpmn_id, task.form_key, task.role, task.stage) == (
        task_id, form_key, KOORD, "planning")
    decision = next(e for e in engine.audit_trail(work.case.id)
                    if e.bpmn_id == "Task_dmn_livsfase")
    assert decision.data["livsfase"] == phase
    assert engine.case_data(work.case.id)["livsfase"] == phase
    form = engine.form_for_task(task.id, kommune="heroy")
    work.do(task_id, checklist(form), actor="ola.koordinator")
    # then the planning proper, with or without an individual plan
    assert work.open == ["Task_utarbeid_plan" if age != 8 else "Task_planlegg_oppfolging"]


# ------------------------------------------------------------------ cases end to end


def test_case_runs_from_referral_to_closure_reported_to_ke(engine, clock):
    work = Work(engine, clock)
    work.to_startup(clock, 40)
    assert work.through_checklist() == "Task_sjekkliste_vaksne_eldre"
    work.do("Task_utarbeid_plan", plan(clock, next_in_days=60), actor="ola.koordinator")

    wait_for_evaluation(engine, clock, work)
    evaluation_task = work.task("Task_evaluer")
    assert (evaluation_task.role, evaluation_task.form_key) == (KOORD, "evaluering")
    with pytest.raises(FormRejected) as rejected:  # the plan owner's experience is required
        work.do("Task_evaluer", heroy_evaluation(clock, experience=""), actor="ola.koordinator")
    assert "planeiers_erfaring" in rejected.value.errors
    work.do("Task_evaluer", heroy_evaluation(clock), actor="ola.koordinator")

    wait_for_evaluation(engine, clock, work)
    work.do("Task_evaluer", heroy_evaluation(clock, go_on=False), actor="ola.koordinator")
    assert work.open == ["Task_meld_avslutning"]
    assert work.task("Task_meld_avslutning").role == KOORD
    work.do("Task_meld_avslutning", closing_report(), actor="ola.koordinator")

    # closure is reported to the coordinating unit: a KE task stands before the case closes
    (ke_task,) = work.case.open_tasks
    assert (ke_task.bpmn_id, ke_task.role, ke_task.stage) == ("Task_avslutt", KE, "closure")
    assert work.case.status == "active"
    with pytest.raises(FormRejected) as rejected:
        work.do("Task_avslutt", {"avsluttet_dato": in_days(clock, 0), "arkivert": True})
    assert "utskrifter_sikra" in rejected.value.errors
    work.do("Task_avslutt", closing(clock))
    assert work.case.status == "closed" and work.case.open_tasks == []

    done = [e for e in engine.audit_trail(work.case.id) if e.kind == "task_completed"]
    order = [e.bpmn_id for e in done]
    assert order.index("Task_meld_avslutning") < order.index("Task_avslutt") == len(order) - 1
    assert done[-1].actor == "kari.ke" and done[-1].data["utskrifter_sikra"] is True


def test_coordinator_change_is_reported_to_and_made_by_ke(engine, clock):
    work = Work(engine, clock)
    work.to_startup(clock, 17)
    # the need for a change is reported to KE, which appoints the new coordinator
    work.case = engine.send_signal(work.case.id, "skifte_koordinator", actor="kari.ke",
                                   kommune="heroy")
    ke_task = work.task("Task_ny_koordinator")
    assert (ke_task.role, ke_task.form_key, ke_task.stage) == (KE, "skifte", "handover")
    work.do("Task_ny_koordinator", handover(clock, new="per.koordinator") | {
        "arsak_skifte": "livsfase"})
    assert work.case.coordinator == "per.koordinator"
    work.do("Task_overlapp", transfer(), actor="ola.koordinator")
    # after the overlap KE confirms the change; the plan work is open meanwhile
    assert work.open == ["Task_oppstart", "Task_skifte_stadfest"]
    confirm(engine, work)
    assert work.open == ["Task_oppstart"] and work.case.status == "active"
    # the plan work goes on with the new coordinator, through to closure
    work.through_checklist()
    work.do("Task_utarbeid_plan", plan(clock), actor="per.koordinator")
    wait_for_evaluation(engine, clock, work)
    assert work.task("Task_evaluer").assignee == "per.koordinator"
    close_after_evaluation(clock, work)


def test_coordinator_change_while_the_case_waits_for_the_evaluation(engine, clock):
    work = Work(engine, clock)
    work.to_startup(clock, 40)
    work.through_checklist()
    work.do("Task_utarbeid_plan", plan(clock, next_in_days=60), actor="ola.koordinator")
    work.case = engine.get_case(work.case.id)
    assert work.case.open_tasks == [] and work.case.next_timer_due is not None
    due = work.case.next_timer_due
    work.case = engine.send_signal(work.case.id, "skifte_koordinator", actor="kari.ke",
                                   kommune="heroy")
    work.do("Task_ny_koordinator", handover(clock, new="per.koordinator"))
    work.do("Task_overlapp", transfer(), actor="ola.koordinator")
    confirm(engine, work)
    # the handover is over; the case waits for the same evaluation date as before
    assert work.case.open_tasks == [] and work.case.status == "active"
    assert work.case.next_timer_due == due
    wait_for_evaluation(engine, clock, work)
    assert work.task("Task_evaluer").assignee == "per.koordinator"
    close_after_evaluation(clock, work)


def confirm(engine: Koordinator, work: Work) -> None:
    """KE confirms the coordinator change: the task is in the KE lane and worklist, and every
    confirmation is required."""
    task = work.task("Task_skifte_stadfest")
    assert (task.role, task.form_key, task.stage) == (KE, "skifte_stadfesting", "handover")
    assert task.assignee is None
    available = engine.worklist("heroy", "hanne.ke", (KE,)).available
    assert task.id in {t.id for t in available}
    assert task.id not in {t.id for t in engine.worklist(
        "heroy", "per.koordinator", (KOORD,)).available}
    form = engine.form_for_task(task.id, kommune="heroy")
    assert form.title.nn == "Stadfest koordinatorskiftet"
    answers = {"rolle_samspill": True, "tilbod_opplaering": True, "samtykke_oppdatert": True,
               "merknad_skifte": "Opplæring avtalt."}
    for name in ("rolle_samspill", "tilbod_opplaering", "samtykke_oppdatert"):
        with pytest.raises(FormRejected) as rejected:
            work.do("Task_skifte_stadfest", answers | {name: False}, actor="hanne.ke")
        assert name in rejected.value.errors
    work.do("Task_skifte_stadfest", answers, actor="hanne.ke")
    assert "Task_skifte_stadfest" not in work.open
    assert work.case.coordinator == "per.koordinator"
    done = [e for e in engine.audit_trail(work.case.id) if e.kind == "task_completed"]
    assert (done[-1].bpmn_id, done[-1].actor) == ("Task_skifte_stadfest", "hanne.ke")


def close_after_evaluation(clock, work: Work) -> None:  # type: ignore[no-untyped-def]
    work.do("Task_evaluer", heroy_evaluation(clock, go_on=False), actor="per.koordinator")
    work.do("Task_meld_avslutning", closing_report(), actor="per.koordinator")
    work.do("Task_avslutt", closing(clock))
    assert work.case.status == "closed" and work.case.open_tasks == []
