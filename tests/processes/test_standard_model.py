"""The standard bundle (processes/standard) checked on SpiffWorkflow alone, without the engine.

What `processes/README.md` promises about the diagram and the decision tables is checked here:
the files parse with XSD validation, every element the contract names is there with its lane,
form and stage, the drawing is complete and sane, the decisions give the right answers, and a
case can be driven through the process from referral to closure.
"""

from __future__ import annotations

from datetime import date
from itertools import combinations, pairwise
from pathlib import Path
from types import SimpleNamespace

import pytest
from lxml import etree
from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.spiff.specs.event_definitions import SignalEventDefinition
from SpiffWorkflow.util.task import TaskState

from engine.bundle import due_delta

BUNDLE = Path(__file__).resolve().parents[2] / "processes" / "standard"
BPMN_FILE = BUNDLE / "koordinering.bpmn"
DMN_FILES = {
    "rett_til_ip_og_koordinator": BUNDLE / "rett_til_ip_og_koordinator.dmn",
    "hvem_samtykker": BUNDLE / "hvem_samtykker.dmn",
    "koordinator_kapasitet": BUNDLE / "koordinator_kapasitet.dmn",
}

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
    "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core",
    "dmn": "https://www.omg.org/spec/DMN/20191111/MODEL/",
}

KE, KOORDINATOR, LEDER = "Koordinerende enhet", "Koordinator", "Leder"

# The user tasks of processes/README.md: id -> (lane, formKey, stage).
USER_TASKS = {
    "Task_registrer_henvendelse": (KE, "henvendelse", "referral"),
    "Task_vurder_rett": (KE, "vurdering", "entitlement"),
    "Task_forelopig_svar": (KE, "forelopig_svar", "entitlement"),
    "Task_avslag": (KE, "avslag", "entitlement"),
    "Task_samtykke": (KE, "samtykke", "consent"),
    "Task_oppnevn": (KE, "oppnevning", "appointment"),
    "Task_godkjenn_kapasitet": (LEDER, "kapasitet_godkjenning", "appointment"),
    "Task_utarbeid_plan": (KOORDINATOR, "planlegging", "planning"),
    "Task_planlegg_oppfolging": (KOORDINATOR, "planlegging", "planning"),
    "Task_evaluer": (KOORDINATOR, "evaluering", "evaluation"),
    "Task_forny_samtykke": (KOORDINATOR, "samtykke_fornyelse", "evaluation"),
    "Task_meld_avslutning": (KOORDINATOR, "avslutning_melding", "closure"),
    "Task_avslutt": (KE, "avslutning", "closure"),
    "Task_ny_koordinator": (KE, "skifte", "handover"),
    "Task_overlapp": (KOORDINATOR, "overforing", "handover"),
}

BUSINESS_RULE_TASKS = {
    "Task_dmn_rett": "rett_til_ip_og_koordinator",
    "Task_dmn_samtykke": "hvem_samtykker",
    "Task_dmn_kapasitet": "koordinator_kapasitet",
}

# Every other element the contract names, by its BPMN tag.
OTHER_ELEMENTS = {
    "StartEvent_henvendelse": "startEvent",
    "Timer_forelopig_svar": "boundaryEvent",
    "End_forelopig_svar": "endEvent",
    "Gateway_rett": "exclusiveGateway",
    "End_avslag": "endEvent",
    "Gateway_samtykke": "exclusiveGateway",
    "End_uten_samtykke": "endEvent",
    "Gateway_kapasitet": "exclusiveGateway",
    "Gateway_godkjent": "exclusiveGateway",
    "SubProcess_plan": "subProcess",
    "End_avsluttet": "endEvent",
    "Start_plan": "startEvent",
    "Gateway_ip": "exclusiveGateway",
    "Gateway_plan_merge": "exclusiveGateway",
    "Gateway_evaluering_merge": "exclusiveGateway",
    "Timer_evaluering": "intermediateCatchEvent",
    "Gateway_deltakere": "exclusiveGateway",
    "Gateway_deltakere_merge": "exclusiveGateway",
    "Gateway_videre": "exclusiveGateway",
    "End_plan": "endEvent",
    "SubProcess_skifte": "subProcess",
    "Start_skifte": "startEvent",
    "End_skifte": "endEvent",
}

# Gateways with conditions: gateway -> ({target: condition}, default target).
GATEWAYS = {
    "Gateway_rett": ({"Task_dmn_samtykke": "rett_til_koordinator == True"}, "Task_avslag"),
    "Gateway_samtykke": (
        {
            "End_uten_samtykke": "samtykke_koordinator == False",
            "Task_samtykke": (
                "samtykke_koordinator == True and len(samtykke_gitt_av) < antall_samtykker"
            ),
        },
        "Task_oppnevn",
    ),
    "Gateway_kapasitet": ({"SubProcess_plan": "kapasitet_ok == True"}, "Task_godkjenn_kapasitet"),
    "Gateway_godkjent": ({"SubProcess_plan": "godkjent == True"}, "Task_oppnevn"),
    "Gateway_ip": ({"Task_utarbeid_plan": "onsker_ip == True"}, "Task_planlegg_oppfolging"),
    "Gateway_deltakere": (
        {"Task_forny_samtykke": "deltakere_endret == True"},
        "Gateway_deltakere_merge",
    ),
    "Gateway_videre": ({"Gateway_evaluering_merge": 'videre == "fortsett"'}, "End_plan"),
}

FLOW_NODE_TAGS = {
    "startEvent",
    "endEvent",
    "intermediateCatchEvent",
    "intermediateThrowEvent",
    "boundaryEvent",
    "userTask",
    "businessRuleTask",
    "scriptTask",
    "serviceTask",
    "manualTask",
    "task",
    "exclusiveGateway",
    "parallelGateway",
    "inclusiveGateway",
    "eventBasedGateway",
    "subProcess",
    "callActivity",
}

# Cases per coordinator for the stand-in of saker_for_koordinator.
SAKER = {"ola.hansen": 2, "travel.koordinator": 5}


def _alder(dato: str) -> int:
    fodt, today = date.fromisoformat(dato), date.today()
    return today.year - fodt.year - ((today.month, today.day) < (fodt.month, fodt.day))


def _evalueringstidspunkt(dato: str) -> str:
    return f"{dato}T08:00:00+01:00"


def _saker_for_koordinator(brukernavn: str) -> int:
    return SAKER.get(brukernavn, 0)


def script_engine() -> PythonScriptEngine:
    """Plain SpiffWorkflow expressions with stand-ins for the engine's helpers."""
    return PythonScriptEngine(
        environment=TaskDataEnvironment(
            {
                "alder": _alder,
                "evalueringstidspunkt": _evalueringstidspunkt,
                "saker_for_koordinator": _saker_for_koordinator,
            }
        )
    )


def fodt_for(years: int) -> str:
    """A birth date that makes the person exactly `years` old today."""
    today = date.today()
    return date(today.year - years, today.month, min(today.day, 28)).isoformat()


def tag(element) -> str:
    return etree.QName(element).localname


@pytest.fixture(scope="module")
def parser() -> SpiffBpmnParser:
    parser = SpiffBpmnParser(validator=VALIDATOR)
    parser.add_bpmn_file(str(BPMN_FILE))
    parser.add_dmn_files([str(path) for path in DMN_FILES.values()])
    return parser


@pytest.fixture(scope="module")
def specs(parser):
    return parser.get_spec("koordinering"), parser.get_subprocess_specs("koordinering")


@pytest.fixture(scope="module")
def tree():
    return etree.parse(str(BPMN_FILE))


def xpath(node, path):
    return node.xpath(path, namespaces=NS)


# ------------------------------------------------------------------ parsing and the contract


def test_bundle_parses_with_xsd_validation(parser, specs):
    spec, subprocess_specs = specs
    assert "koordinering" in parser.get_process_ids()
    assert spec.name == "koordinering"
    assert set(subprocess_specs) == {"SubProcess_plan", "SubProcess_skifte"}
    assert parser.get_dependencies() == set(DMN_FILES)


def test_process_collaboration_and_lanes(tree):
    process = xpath(tree, "/bpmn:definitions/bpmn:process")
    assert len(process) == 1
    assert process[0].get("id") == "koordinering"
    assert process[0].get("isExecutable") == "true"
    assert process[0].get("name") == "Koordinator og individuell plan"
    participants = xpath(tree, "//bpmn:collaboration/bpmn:participant")
    assert [(p.get("name"), p.get("processRef")) for p in participants] == [
        ("Koordinerende enhet i kommunen", "koordinering")
    ]
    assert [lane.get("name") for lane in xpath(tree, "//bpmn:laneSet/bpmn:lane")] == [
        KE,
        KOORDINATOR,
        LEDER,
    ]


def test_every_contract_element_exists_with_its_kind(tree):
    expected = {task_id: "userTask" for task_id in USER_TASKS}
    expected.update({task_id: "businessRuleTask" for task_id in BUSINESS_RULE_TASKS})
    expected.update(OTHER_ELEMENTS)
    for element_id, kind in expected.items():
        found = xpath(tree, f"//bpmn:*[@id='{element_id}']")
        assert len(found) == 1, element_id
        assert tag(found[0]) == kind, element_id


def test_every_flow_node_has_a_bokmal_name(tree):
    for node in xpath(tree, "//bpmn:process//bpmn:*"):
        if tag(node) in FLOW_NODE_TAGS:
            assert (node.get("name") or "").strip(), node.get("id")


def test_user_tasks_have_form_stage_and_lane(specs):
    spec, subprocess_specs = specs
    task_specs = {}
    for process_spec in (spec, *subprocess_specs.values()):
        task_specs.update(process_spec.task_specs)
    user_tasks = {
        name for name, task_spec in task_specs.items() if type(task_spec).__name__ == "UserTask"
    }
    assert user_tasks == set(USER_TASKS)
    for task_id, (lane, form, stage) in USER_TASKS.items():
        task_spec = task_specs[task_id]
        assert task_spec.lane == lane, task_id
        props = task_spec.extensions["properties"]
        assert {k: props[k] for k in ("formKey", "stage")} == {"formKey": form, "stage": stage}
        assert due_delta(props["dueIn"]) is not None, task_id


def test_business_rule_tasks_call_their_decisions(tree, specs):
    spec, _ = specs
    for task_id, decision_id in BUSINESS_RULE_TASKS.items():
        called = xpath(
            tree, f"//bpmn:businessRuleTask[@id='{task_id}']//spiffworkflow:calledDecisionId"
        )
        assert [c.text for c in called] == [decision_id]
        assert spec.task_specs[task_id].lane == KE


def test_gateway_conditions_and_defaults(tree):
    for gateway_id, (conditions, default_target) in GATEWAYS.items():
        gateway = xpath(tree, f"//bpmn:exclusiveGateway[@id='{gateway_id}']")[0]
        flows = xpath(tree, f"//bpmn:sequenceFlow[@sourceRef='{gateway_id}']")
        by_target = {flow.get("targetRef"): flow for flow in flows}
        assert set(by_target) == set(conditions) | {default_target}, gateway_id
        default = by_target[default_target]
        assert gateway.get("default") == default.get("id"), gateway_id
        assert not xpath(default, "bpmn:conditionExpression"), gateway_id
        for target, condition in conditions.items():
            assert [c.text for c in xpath(by_target[target], "bpmn:conditionExpression")] == [
                condition
            ]
        for flow in flows:
            assert (flow.get("name") or "").strip(), flow.get("id")


def test_timers_and_signal(tree):
    boundary = xpath(tree, "//bpmn:boundaryEvent[@id='Timer_forelopig_svar']")[0]
    assert boundary.get("attachedToRef") == "Task_vurder_rett"
    assert boundary.get("cancelActivity") == "false"
    assert [d.text for d in xpath(boundary, ".//bpmn:timeDuration")] == ['"P1M"']
    flow = xpath(tree, "//bpmn:sequenceFlow[@sourceRef='Timer_forelopig_svar']")[0]
    assert flow.get("targetRef") == "Task_forelopig_svar"

    timer = xpath(tree, "//bpmn:intermediateCatchEvent[@id='Timer_evaluering']")[0]
    assert [d.text for d in xpath(timer, ".//bpmn:timeDate")] == [
        "evalueringstidspunkt(neste_evaluering)"
    ]

    signal = xpath(tree, "/bpmn:definitions/bpmn:signal")
    assert [(s.get("id"), s.get("name")) for s in signal] == [
        ("Signal_skifte_koordinator", "skifte_koordinator")
    ]
    skifte = xpath(tree, "/bpmn:definitions/bpmn:process/bpmn:subProcess[@id='SubProcess_skifte']")
    assert skifte[0].get("triggeredByEvent") == "true"
    start = xpath(skifte[0], "bpmn:startEvent[@id='Start_skifte']")[0]
    assert start.get("isInterrupting") == "false"
    assert xpath(start, "bpmn:signalEventDefinition/@signalRef") == ["Signal_skifte_koordinator"]

    plan = xpath(tree, "/bpmn:definitions/bpmn:process/bpmn:subProcess[@id='SubProcess_plan']")
    assert plan[0].get("triggeredByEvent") in (None, "false")


# ------------------------------------------------------------------ the drawing


def _bounds(shape):
    b = xpath(shape, "dc:Bounds")[0]
    x, y, w, h = (float(b.get(k)) for k in ("x", "y", "width", "height"))
    return x, y, x + w, y + h


def _shapes(tree):
    return {s.get("bpmnElement"): s for s in xpath(tree, "//bpmndi:BPMNShape")}


def _lane_ids(tree):
    return [lane.get("id") for lane in xpath(tree, "//bpmn:lane")]


def test_every_flow_node_and_sequence_flow_has_di(tree):
    shapes = _shapes(tree)
    edges = {e.get("bpmnElement") for e in xpath(tree, "//bpmndi:BPMNEdge")}
    nodes = [n.get("id") for n in xpath(tree, "//bpmn:process//bpmn:*") if tag(n) in FLOW_NODE_TAGS]
    flows = [f.get("id") for f in xpath(tree, "//bpmn:sequenceFlow")]
    assert len(nodes) > 40 and len(flows) > 40
    assert [n for n in nodes if n not in shapes] == []
    assert [f for f in flows if f not in edges] == []
    for element_id in ("Participant_koordinerende_enhet", *_lane_ids(tree)):
        assert element_id in shapes
    for edge in xpath(tree, "//bpmndi:BPMNEdge"):
        assert len(xpath(edge, "di:waypoint")) >= 2, edge.get("bpmnElement")
    plane = xpath(tree, "//bpmndi:BPMNPlane")[0]
    assert plane.get("bpmnElement") == "Collaboration_koordinering"


def test_no_di_points_at_a_missing_element(tree):
    ids = set(xpath(tree, "//@id"))
    for di in xpath(tree, "//bpmndi:*[@bpmnElement]"):
        assert di.get("bpmnElement") in ids, di.get("id")
    # and the sub-processes are drawn expanded
    shapes = _shapes(tree)
    for sub in ("SubProcess_plan", "SubProcess_skifte"):
        assert shapes[sub].get("isExpanded") == "true"


def test_layout_is_sane(tree):
    shapes = _shapes(tree)
    bounds = {element: _bounds(shape) for element, shape in shapes.items()}
    assert all(min(b) >= 0 for b in bounds.values())

    def inside(inner, outer):
        return (
            inner[0] >= outer[0]
            and inner[1] >= outer[1]
            and inner[2] <= outer[2]
            and inner[3] <= outer[3]
        )

    participant = bounds["Participant_koordinerende_enhet"]
    lanes = xpath(tree, "//bpmn:lane")
    lane_bounds = [bounds[lane.get("id")] for lane in lanes]
    # lanes are stacked KE, Koordinator, Leder and fill the participant
    for upper, lower in pairwise(lane_bounds):
        assert upper[3] == lower[1]
    assert all(inside(b, participant) for b in lane_bounds)
    assert lane_bounds[0][1] == participant[1] and lane_bounds[-1][3] == participant[3]
    # every node listed in a lane lies in that lane
    for lane in lanes:
        for ref in xpath(lane, "bpmn:flowNodeRef/text()"):
            assert inside(bounds[ref], bounds[lane.get("id")]), (ref, lane.get("name"))
    # every node lies within the participant; nodes in a sub-process within its shape
    for node in xpath(tree, "//bpmn:process//bpmn:*"):
        if tag(node) not in FLOW_NODE_TAGS:
            continue
        assert inside(bounds[node.get("id")], participant), node.get("id")
        parent = node.getparent()
        if tag(parent) == "subProcess":
            assert inside(bounds[node.get("id")], bounds[parent.get("id")]), node.get("id")
    # no two flow nodes overlap, except a container and its content, and the boundary event
    containers = {
        node.get("id"): {n.get("id") for n in xpath(node, ".//bpmn:*[@id]")}
        for node in xpath(tree, "//bpmn:subProcess")
    }
    node_ids = [
        n.get("id") for n in xpath(tree, "//bpmn:process//bpmn:*") if tag(n) in FLOW_NODE_TAGS
    ]
    for a, b in combinations(node_ids, 2):
        if b in containers.get(a, ()) or a in containers.get(b, ()):
            continue
        if {a, b} == {"Timer_forelopig_svar", "Task_vurder_rett"}:
            continue
        ba, bb = bounds[a], bounds[b]
        overlap = ba[0] < bb[2] and bb[0] < ba[2] and ba[1] < bb[3] and bb[1] < ba[3]
        assert not overlap, (a, b)
    # the boundary timer sits on the lower border of its task
    timer, task = bounds["Timer_forelopig_svar"], bounds["Task_vurder_rett"]
    assert (timer[1] + timer[3]) / 2 == task[3] and task[0] <= timer[0] and timer[2] <= task[2]


def _runs_through(start, end, box):
    """Whether an orthogonal segment passes through the inside of a box."""
    (x1, y1), (x2, y2) = start, end
    if y1 == y2:
        return box[1] < y1 < box[3] and min(x1, x2) < box[2] and box[0] < max(x1, x2)
    return box[0] < x1 < box[2] and min(y1, y2) < box[3] and box[1] < max(y1, y2)


def test_edges_are_orthogonal_and_touch_their_ends(tree):
    shapes = _shapes(tree)
    bounds = {element: _bounds(shape) for element, shape in shapes.items()}

    def on_border(point, box):
        x, y = point
        within = box[0] <= x <= box[2] and box[1] <= y <= box[3]
        return within and (x in (box[0], box[2]) or y in (box[1], box[3]))

    nodes = [
        n.get("id")
        for n in xpath(tree, "//bpmn:process//bpmn:*")
        if tag(n) in FLOW_NODE_TAGS and tag(n) != "subProcess"
    ]
    for flow in xpath(tree, "//bpmn:sequenceFlow"):
        edge = xpath(tree, f"//bpmndi:BPMNEdge[@bpmnElement='{flow.get('id')}']")[0]
        points = [(float(p.get("x")), float(p.get("y"))) for p in xpath(edge, "di:waypoint")]
        for (x1, y1), (x2, y2) in pairwise(points):
            assert x1 == x2 or y1 == y2, flow.get("id")
        assert on_border(points[0], bounds[flow.get("sourceRef")]), flow.get("id")
        assert on_border(points[-1], bounds[flow.get("targetRef")]), flow.get("id")
        # no segment runs through a task, event or gateway other than its own two ends
        ends = {flow.get("sourceRef"), flow.get("targetRef")}
        for start, end in pairwise(points):
            for node_id in nodes:
                if node_id not in ends:
                    assert not _runs_through(start, end, bounds[node_id]), (flow.get("id"), node_id)


# ------------------------------------------------------------------ the decision tables


def decide(parser, decision_id, **data):
    """Run a decision table through SpiffWorkflow's DMN engine with the helper stand-ins."""
    engine = parser.get_engine(decision_id, None)
    task = SimpleNamespace(data=dict(data), workflow=SimpleNamespace(script_engine=script_engine()))
    return engine.result(task)


def test_decision_files_have_one_first_hit_table_with_ids_everywhere():
    for decision_id, path in DMN_FILES.items():
        doc = etree.parse(str(path))
        decisions = xpath(doc, "/dmn:definitions/dmn:decision")
        assert [d.get("id") for d in decisions] == [decision_id]
        tables = xpath(decisions[0], "dmn:decisionTable")
        assert len(tables) == 1 and tables[0].get("hitPolicy") == "FIRST"
        for element in xpath(tables[0], ".//dmn:*"):
            if tag(element) not in ("text", "description"):
                assert element.get("id"), (decision_id, tag(element))
        rules = xpath(tables[0], "dmn:rule")
        for rule in rules:
            assert (xpath(rule, "dmn:description/text()") or [""])[0].strip()
        # the last row catches everything, so every output is always set
        assert {e for e in xpath(rules[-1], "dmn:inputEntry/dmn:text/text()")} == {"-"}


@pytest.mark.parametrize(
    ("antall", "langvarig", "andre", "rett"),
    [
        (2, True, False, True),
        (5, True, True, True),
        (1, True, True, True),
        (1, True, False, False),
        (3, False, True, False),
        (0, True, True, False),
        (0, False, False, False),
    ],
)
def test_rett_til_ip_og_koordinator(parser, antall, langvarig, andre, rett):
    result = decide(
        parser,
        "rett_til_ip_og_koordinator",
        antall_tjenester=antall,
        langvarig_behov=langvarig,
        andre_sektorer=andre,
    )
    assert result == {
        "rett_til_ip": rett,
        "rett_til_koordinator": rett,
        "klageinstans": "Statsforvalteren",
        "klagefrist_uker": 4,
    }


@pytest.mark.parametrize(
    ("kompetent", "alder", "foreldreansvar", "fra", "antall", "grunnlag"),
    [
        (False, 40, "ikke_aktuelt", "verge", 1, "pbrl. § 4-7 (verge eller nærmeste pårørende)"),
        (False, 12, "felles", "verge", 1, "pbrl. § 4-7 (verge eller nærmeste pårørende)"),
        (
            True,
            16,
            "felles",
            "personen",
            1,
            "pbrl. § 4-3 første ledd (helserettslig myndig fra 16 år)",
        ),
        (
            True,
            67,
            "ikke_aktuelt",
            "personen",
            1,
            "pbrl. § 4-3 første ledd (helserettslig myndig fra 16 år)",
        ),
        (
            True,
            15,
            "felles",
            "begge_foreldre",
            2,
            "pbrl. § 4-4 (foreldre med felles foreldreansvar)",
        ),
        (True, 9, "en_forelder", "forelder", 1, "pbrl. § 4-4"),
        (True, 9, "ikke_aktuelt", "verge", 1, "pbrl. § 4-4 femte ledd"),
    ],
)
def test_hvem_samtykker(parser, kompetent, alder, foreldreansvar, fra, antall, grunnlag):
    result = decide(
        parser,
        "hvem_samtykker",
        samtykkekompetent=kompetent,
        fodselsdato=fodt_for(alder),
        foreldreansvar=foreldreansvar,
    )
    assert result == {
        "samtykke_fra": fra,
        "antall_samtykker": antall,
        "rettsgrunnlag_samtykke": grunnlag,
    }


@pytest.mark.parametrize(
    ("koordinator", "ok"),
    [("ny.koordinator", True), ("ola.hansen", True), ("travel.koordinator", False)],
)
def test_koordinator_kapasitet(parser, koordinator, ok):
    result = decide(parser, "koordinator_kapasitet", koordinator=koordinator)
    assert result == {"kapasitet_ok": ok, "maks_saker": 5}


def test_koordinator_kapasitet_limit_is_five(parser, monkeypatch):
    monkeypatch.setitem(SAKER, "grense", 4)
    assert decide(parser, "koordinator_kapasitet", koordinator="grense")["kapasitet_ok"] is True
    monkeypatch.setitem(SAKER, "grense", 5)
    assert decide(parser, "koordinator_kapasitet", koordinator="grense")["kapasitet_ok"] is False


# ------------------------------------------------------------------ running the process

HENVENDELSE = {
    "person_navn": "Kari Nordmann",
    "person_initialer": "KN",
    "fodselsdato": fodt_for(34),
    "henvendelse_fra": "parorende",
    "henvendelse_dato": "2025-01-06",
    "beskrivelse": "Trenger hjelp til å samordne tjenestene etter hjerneslag.",
    "samtykkekompetent": True,
    "foreldreansvar": "ikke_aktuelt",
}
VURDERING_RETT = {
    "antall_tjenester": 3,
    "langvarig_behov": True,
    "andre_sektorer": False,
    "tjenester": "Hjemmesykepleie, fysioterapi, praktisk bistand",
    "vurdering_notat": "Langvarig og koordinert behov.",
}
SAMTYKKE = {
    "samtykke_gitt_av": [{"navn": "Kari Nordmann", "rolle": "personen"}],
    "samtykke_koordinator": True,
    "onsker_ip": True,
    "deler_med": [{"navn": "Per Lege", "instans": "fastlege"}],
    "samtykkedato": "2025-01-20",
}
OPPNEVNING = {
    "koordinator": "ola.hansen",
    "sekundar_koordinator": "lise.leder",
    "personens_onsker": "Ønsker en hun kjenner fra hjemmetjenesten.",
    "barnekoordinator": False,
}
PLAN = {
    "verktoy": "individuell_plan",
    "mal": [{"beskrivelse": "Bo hjemme", "livsomrade": "bolig"}],
    "tiltak": [
        {"beskrivelse": "Hjemmesykepleie", "ansvarlig": "Hjemmetjenesten", "frist": "2025-03-01"}
    ],
    "deltakere": [{"navn": "Kari Nordmann", "rolle": "planeier", "instans": ""}],
    "moter": [],
    "neste_evaluering": "2999-01-04",
}


def evaluering(videre, deltakere_endret=False, neste="2999-06-01"):
    data = {
        "mal_nadd": "delvis",
        "tjenester_fungerer": "ja",
        "arbeidsform_god": "ja",
        "planeiers_erfaring": "Godt samarbeid.",
        "endringer": "",
        "deltakere_endret": deltakere_endret,
        "videre": videre,
    }
    if videre == "fortsett":
        data["neste_evaluering"] = neste
    return data


def start() -> BpmnWorkflow:
    parser = SpiffBpmnParser(validator=VALIDATOR)
    parser.add_bpmn_file(str(BPMN_FILE))
    parser.add_dmn_files([str(path) for path in DMN_FILES.values()])
    workflow = BpmnWorkflow(
        parser.get_spec("koordinering"),
        parser.get_subprocess_specs("koordinering"),
        script_engine=script_engine(),
    )
    workflow.do_engine_steps()
    return workflow


def ready(workflow) -> list[str]:
    return sorted(t.task_spec.name for t in workflow.get_tasks(state=TaskState.READY))


def complete(workflow, task_id, data):
    task = workflow.get_next_task(state=TaskState.READY, spec_name=task_id)
    assert task is not None, f"{task_id} is not READY; READY: {ready(workflow)}"
    task.set_data(**data)
    task.run()
    workflow.do_engine_steps()
    return task


def fire_timer(workflow, timer_id):
    timer = workflow.get_next_task(state=TaskState.WAITING, spec_name=timer_id)
    assert timer is not None, f"{timer_id} is not WAITING"
    timer.internal_data["event_fired"] = True
    workflow.refresh_timers()
    workflow.do_engine_steps()


def reached(workflow, end_id) -> bool:
    return any(
        t.task_spec.name == end_id and t.state == TaskState.COMPLETED for t in workflow.get_tasks()
    )


def to_planning(workflow, oppnevning=OPPNEVNING):
    complete(workflow, "Task_registrer_henvendelse", HENVENDELSE)
    complete(workflow, "Task_vurder_rett", VURDERING_RETT)
    assert workflow.last_task.data["rett_til_koordinator"] is True
    complete(workflow, "Task_samtykke", SAMTYKKE)
    complete(workflow, "Task_oppnevn", oppnevning)


def test_a_case_runs_from_referral_to_closure():
    workflow = start()
    assert ready(workflow) == ["Task_registrer_henvendelse"]
    to_planning(workflow)
    assert ready(workflow) == ["Task_utarbeid_plan"]
    complete(workflow, "Task_utarbeid_plan", PLAN)

    # the evaluation waits for its date; fire it
    assert ready(workflow) == []
    timer = workflow.get_next_task(state=TaskState.WAITING, spec_name="Timer_evaluering")
    assert timer.internal_data["event_value"] == "2999-01-04T08:00:00+01:00"
    fire_timer(workflow, "Timer_evaluering")
    assert ready(workflow) == ["Task_evaluer"]
    complete(workflow, "Task_evaluer", evaluering("fortsett"))

    # round two: participants changed, so consent is renewed; then the plan work ends
    fire_timer(workflow, "Timer_evaluering")
    complete(workflow, "Task_evaluer", evaluering("avslutt", deltakere_endret=True))
    assert ready(workflow) == ["Task_forny_samtykke"]
    complete(
        workflow,
        "Task_forny_samtykke",
        {
            "samtykke_gitt_av": SAMTYKKE["samtykke_gitt_av"],
            "deler_med": [{"navn": "Nav", "instans": "Nav"}],
            "samtykkedato": "2999-06-02",
        },
    )
    assert ready(workflow) == ["Task_meld_avslutning"]
    complete(
        workflow,
        "Task_meld_avslutning",
        {"arsak_avslutning": "mal_nadd", "oppsummering": "Målene er nådd."},
    )
    assert ready(workflow) == ["Task_avslutt"]
    complete(workflow, "Task_avslutt", {"avsluttet_dato": "2999-06-10", "arkivert": True})
    assert workflow.is_completed()
    assert reached(workflow, "End_avsluttet")


def test_no_right_ends_in_avslag():
    workflow = start()
    complete(workflow, "Task_registrer_henvendelse", HENVENDELSE)
    complete(workflow, "Task_vurder_rett", {**VURDERING_RETT, "antall_tjenester": 1})
    assert workflow.last_task.data["rett_til_koordinator"] is False
    assert ready(workflow) == ["Task_avslag"]
    complete(
        workflow,
        "Task_avslag",
        {
            "begrunnelse": "Behovet er ikke koordinert.",
            "vedtaksdato": "2025-02-01",
            "klageinformasjon_gitt": True,
        },
    )
    assert workflow.is_completed()
    assert reached(workflow, "End_avslag")


def test_preliminary_reply_after_a_month_does_not_stop_the_assessment():
    workflow = start()
    complete(workflow, "Task_registrer_henvendelse", HENVENDELSE)
    timer = workflow.get_next_task(state=TaskState.WAITING, spec_name="Timer_forelopig_svar")
    assert timer is not None
    fire_timer(workflow, "Timer_forelopig_svar")
    assert ready(workflow) == ["Task_forelopig_svar", "Task_vurder_rett"]
    complete(
        workflow,
        "Task_forelopig_svar",
        {"arsak": "Venter på opplysninger.", "forventet_svar_dato": "2025-03-01"},
    )
    assert reached(workflow, "End_forelopig_svar")
    complete(workflow, "Task_vurder_rett", VURDERING_RETT)
    assert ready(workflow) == ["Task_samtykke"]


def test_no_consent_ends_the_case():
    workflow = start()
    complete(workflow, "Task_registrer_henvendelse", HENVENDELSE)
    complete(workflow, "Task_vurder_rett", VURDERING_RETT)
    complete(workflow, "Task_samtykke", {**SAMTYKKE, "samtykke_koordinator": False})
    assert workflow.is_completed()
    assert reached(workflow, "End_uten_samtykke")


def test_a_child_with_shared_custody_needs_both_parents():
    workflow = start()
    complete(
        workflow,
        "Task_registrer_henvendelse",
        {**HENVENDELSE, "fodselsdato": fodt_for(10), "foreldreansvar": "felles"},
    )
    complete(workflow, "Task_vurder_rett", VURDERING_RETT)
    assert workflow.last_task.data["antall_samtykker"] == 2
    mor = {"navn": "Mor", "rolle": "forelder"}
    complete(workflow, "Task_samtykke", {**SAMTYKKE, "samtykke_gitt_av": [mor]})
    assert ready(workflow) == ["Task_samtykke"]
    far = {"navn": "Far", "rolle": "forelder"}
    complete(workflow, "Task_samtykke", {**SAMTYKKE, "samtykke_gitt_av": [mor, far]})
    assert ready(workflow) == ["Task_oppnevn"]


def test_a_full_coordinator_needs_the_leaders_approval():
    workflow = start()
    to_planning(workflow, {**OPPNEVNING, "koordinator": "travel.koordinator"})
    assert ready(workflow) == ["Task_godkjenn_kapasitet"]
    complete(workflow, "Task_godkjenn_kapasitet", {"godkjent": False, "kommentar": "Ta en annen."})
    assert ready(workflow) == ["Task_oppnevn"]
    complete(workflow, "Task_oppnevn", {**OPPNEVNING, "koordinator": "travel.koordinator"})
    complete(workflow, "Task_godkjenn_kapasitet", {"godkjent": True, "kommentar": "Midlertidig."})
    assert ready(workflow) == ["Task_utarbeid_plan"]


def test_follow_up_without_ip():
    workflow = start()
    complete(workflow, "Task_registrer_henvendelse", HENVENDELSE)
    complete(workflow, "Task_vurder_rett", VURDERING_RETT)
    complete(workflow, "Task_samtykke", {**SAMTYKKE, "onsker_ip": False})
    complete(workflow, "Task_oppnevn", OPPNEVNING)
    assert ready(workflow) == ["Task_planlegg_oppfolging"]
    complete(workflow, "Task_planlegg_oppfolging", {**PLAN, "verktoy": "ansvarsgruppe"})
    fire_timer(workflow, "Timer_evaluering")
    complete(workflow, "Task_evaluer", evaluering("avslutt"))
    assert ready(workflow) == ["Task_meld_avslutning"]


def test_signal_starts_a_change_of_coordinator_during_planning():
    workflow = start()
    to_planning(workflow)
    assert ready(workflow) == ["Task_utarbeid_plan"]
    signal = BpmnEvent(SignalEventDefinition("skifte_koordinator"), {})
    workflow.send_event(signal)
    workflow.do_engine_steps()
    assert ready(workflow) == ["Task_ny_koordinator", "Task_utarbeid_plan"]
    complete(
        workflow,
        "Task_ny_koordinator",
        {
            "koordinator": "kari.ny",
            "sekundar_koordinator": "lise.leder",
            "arsak_skifte": "permisjon",
            "personens_onsker": "",
            "overlapp_til": "2025-05-01",
        },
    )
    assert ready(workflow) == ["Task_overlapp", "Task_utarbeid_plan"]
    complete(workflow, "Task_overlapp", {"informasjon_overfort": True, "notat_til_ke": ""})
    assert reached(workflow, "End_skifte")
    assert ready(workflow) == ["Task_utarbeid_plan"]
    # the change can happen again while the case runs
    workflow.send_event(signal)
    workflow.do_engine_steps()
    assert ready(workflow) == ["Task_ny_koordinator", "Task_utarbeid_plan"]
    assert not workflow.is_completed()
