"""Explain, element by element, what Koordinator can run of a BPMN or DMN file from another tool.

Process owners upload diagrams drawn in Camunda Modeler, bpmn.io, Signavio and others. Refusing
such a file with one line teaches nothing, so this module reads it (only through
`xmlsafe.parse_xml`) and says for each process, lane, flow node, conditional sequence flow and
decision whether it runs here, needs a change, is ignored or cannot run, and why.

The result is data only: a code and string parameters per element. `web/explain_text.py` turns
them into bokmål, nynorsk or English. Every code is registered in `CODES` (element notes) or
`REASON_CODES` (the file as a whole) with its parameter names, so the texts can be checked
against what this module produces.

The rules mirror `bundle._Linter` (what the engine accepts), but an explanation never stops at
the first problem: every element gets its note. Forms are not checked (a draft gets its forms
later); decisions and called processes in other files are only checked by `explain_bundle`.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from .bundle import (
    BPMN_NS,
    BPMN_SUFFIXES,
    CAMUNDA_NS,
    DMN_SUFFIXES,
    FLOW_NODE_TAGS,
    HUMAN_TASK_TAGS,
    SCOPE_TAGS,
    SPIFF_NS,
    due_delta,
)
from .roles import STAGES, role_for_lane
from .sandbox import check
from .xmlsafe import UnsafeXml, parse_xml

RUNS, NEEDS_CHANGE, IGNORED, UNSUPPORTED = "runs", "needs_change", "ignored", "unsupported"
STATUSES = (RUNS, NEEDS_CHANGE, IGNORED, UNSUPPORTED)
# Which finding speaks for an element: the one that matters most to the process owner.
_SEVERITY = {RUNS: 0, IGNORED: 1, NEEDS_CHANGE: 2, UNSUPPORTED: 3}

#: element code -> (status, parameter names). The web texts must use exactly these parameters.
CODES: dict[str, tuple[str, tuple[str, ...]]] = {
    "element.runs": (RUNS, ()),
    "lane.role": (RUNS, ("lane",)),
    "lane.unknown_role": (NEEDS_CHANGE, ("lane",)),
    "lane.not_a_role": (IGNORED, ("lane",)),
    "process.not_executable": (NEEDS_CHANGE, ("process",)),
    "process.empty": (IGNORED, ("process",)),
    "process.no_start_event": (NEEDS_CHANGE, ("process",)),
    "process.duplicate_in_bundle": (NEEDS_CHANGE, ("process", "file")),
    "participant.black_box": (IGNORED, ("participant",)),
    "message_flow.ignored": (IGNORED, ()),
    "data_store.unsupported": (UNSUPPORTED, ()),
    "choreography.unsupported": (UNSUPPORTED, ()),
    "task.no_type": (NEEDS_CHANGE, ()),
    "user_task.no_form": (NEEDS_CHANGE, ()),
    "user_task.camunda_form": (NEEDS_CHANGE, ("tool", "form")),
    "user_task.generated_form": (NEEDS_CHANGE, ("tool", "fields")),
    "user_task.no_lane": (NEEDS_CHANGE, ()),
    "user_task.lane_not_role": (NEEDS_CHANGE, ("lane",)),
    "user_task.no_stage": (NEEDS_CHANGE, ()),
    "user_task.unknown_stage": (NEEDS_CHANGE, ("stage",)),
    "user_task.bad_due": (NEEDS_CHANGE, ("due",)),
    "user_task.assignee_ignored": (IGNORED, ("tool", "assignee")),
    "user_task.candidates_ignored": (IGNORED, ("tool", "candidates")),
    "user_task.due_date_ignored": (IGNORED, ("tool", "due")),
    "script.not_python": (NEEDS_CHANGE, ("format",)),
    "script.external": (NEEDS_CHANGE, ("tool", "resource")),
    "script.empty": (NEEDS_CHANGE, ()),
    "script.refused": (NEEDS_CHANGE, ("reason",)),
    "service_task.java_class": (UNSUPPORTED, ("tool", "class")),
    "service_task.expression": (UNSUPPORTED, ("tool", "expression")),
    "service_task.delegate_expression": (UNSUPPORTED, ("tool", "expression")),
    "service_task.external": (UNSUPPORTED, ("tool", "topic")),
    "service_task.connector": (UNSUPPORTED, ("tool", "connector")),
    "service_task.job_worker": (UNSUPPORTED, ("tool", "type")),
    "service_task.spiff_operator": (UNSUPPORTED, ("operator",)),
    "service_task.no_implementation": (UNSUPPORTED, ()),
    "message.send_task": (UNSUPPORTED, ("message",)),
    "message.receive_task": (UNSUPPORTED, ("message",)),
    "business_rule.camunda_decision_ref": (NEEDS_CHANGE, ("tool", "decision")),
    "business_rule.no_decision": (NEEDS_CHANGE, ()),
    "business_rule.decision_missing": (NEEDS_CHANGE, ("decision",)),
    "call_activity.no_target": (NEEDS_CHANGE, ()),
    "call_activity.target_missing": (NEEDS_CHANGE, ("process",)),
    "call_activity.global_task": (UNSUPPORTED, ("target",)),
    "call_activity.mapping_ignored": (IGNORED, ("tool",)),
    "subprocess.start_events": (NEEDS_CHANGE, ("count",)),
    "subprocess.no_end_event": (NEEDS_CHANGE, ()),
    "subprocess.transaction_unsupported": (UNSUPPORTED, ()),
    "subprocess.ad_hoc_unsupported": (UNSUPPORTED, ()),
    "activity.multi_instance_camunda": (NEEDS_CHANGE, ("tool", "collection")),
    "activity.multi_instance_incomplete": (NEEDS_CHANGE, ()),
    "activity.loop_unsupported": (UNSUPPORTED, ()),
    "gateway.event_based_unsupported": (UNSUPPORTED, ()),
    "gateway.complex_unsupported": (UNSUPPORTED, ()),
    "event.message_unsupported": (UNSUPPORTED, ("message",)),
    "event.conditional_unsupported": (UNSUPPORTED, ()),
    "event.compensation_unsupported": (UNSUPPORTED, ()),
    "event.escalation_unsupported": (UNSUPPORTED, ()),
    "event.error_unsupported": (UNSUPPORTED, ()),
    "event.link_unsupported": (UNSUPPORTED, ()),
    "event.cancel_unsupported": (UNSUPPORTED, ()),
    "event.multiple_unsupported": (UNSUPPORTED, ()),
    "event.catch_without_trigger": (NEEDS_CHANGE, ()),
    "timer.no_value": (NEEDS_CHANGE, ()),
    "timer.unquoted_iso": (NEEDS_CHANGE, ("value",)),
    "timer.invalid_iso": (NEEDS_CHANGE, ("value",)),
    "timer.refused": (NEEDS_CHANGE, ("reason",)),
    "expression.juel": (NEEDS_CHANGE, ("expression",)),
    "expression.feel": (NEEDS_CHANGE, ("expression",)),
    "condition.not_python": (NEEDS_CHANGE, ("language",)),
    "condition.refused": (NEEDS_CHANGE, ("reason",)),
    "flow.missing_condition": (NEEDS_CHANGE, ()),
    "flow.condition_not_on_gateway": (NEEDS_CHANGE, ()),
    "flow.dangling_ref": (NEEDS_CHANGE, ("ref",)),
    "flow.implicit_split": (NEEDS_CHANGE, ("count",)),
    "listener.ignored": (IGNORED, ("tool", "listener")),
    "io_mapping.ignored": (IGNORED, ("tool",)),
    "decision.no_table": (UNSUPPORTED, ()),
    "decision.extra_in_file": (NEEDS_CHANGE, ()),
    "decision.input_missing": (NEEDS_CHANGE, ("input",)),
    "decision.feel_input": (NEEDS_CHANGE, ("expression",)),
    "decision.feel_cells": (NEEDS_CHANGE, ("count", "example")),
    "decision.hit_policy": (NEEDS_CHANGE, ("policy",)),
    "decision.duplicate_in_bundle": (NEEDS_CHANGE, ("decision", "file")),
}

#: file reason code -> parameter names (why the file as a whole cannot be read or run).
REASON_CODES: dict[str, tuple[str, ...]] = {
    "xml.unsafe": ("message",),
    "bpmn.not_bpmn": ("root",),
    "bpmn.missing_namespace": (),
    "bpmn.duplicate_ids": ("ids",),
    "bpmn.no_process": (),
    "file.collaboration_only": (),
    "file.choreography_only": (),
    "process.not_executable": ("process",),  # also an element code, with the same parameter
    "process.several_entries": ("processes",),
    "dmn.no_decision": (),
    "file.unsupported_elements": ("count",),
    "file.needs_changes": ("count",),
    "file.explain_failed": ("error",),
}

# Extension namespaces of other engines, with the name a process owner knows them by.
ZEEBE_NS = "http://camunda.org/schema/zeebe/1.0"
_ENGINE_NAMESPACES = {
    CAMUNDA_NS: "Camunda",
    "http://activiti.org/bpmn": "Activiti",
    "http://flowable.org/bpmn": "Flowable",
    "http://www.jboss.org/drools": "jBPM",
}
_TOOLS = {**_ENGINE_NAMESPACES, ZEEBE_NS: "Camunda 8"}
_PYTHON_FORMATS = {"", "python", "python3", "text/x-python", "text/python"}
_ISO_LIKE = re.compile(r"^(R\d*/)?P[0-9YMWDTHS.,]+$|^\d{4}-\d{2}-\d{2}(T.*)?$")
_EVENT_TAGS = {"startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent",
               "boundaryEvent"}
_CONDITIONAL_GATEWAYS = {"exclusiveGateway", "inclusiveGateway"}
_GATEWAYS = _CONDITIONAL_GATEWAYS | {"parallelGateway", "eventBasedGateway", "complexGateway"}
_ACTIVITY_TAGS = FLOW_NODE_TAGS - _EVENT_TAGS - _GATEWAYS
_CHOREOGRAPHY_TAGS = {"choreographyTask", "subChoreography", "callChoreography"}
_PARAM_MAX = 120
# SpiffWorkflow's DMN engine returns the first matching rule for every hit policy but COLLECT
# (a list, without aggregation): these policies would silently give another answer.
_DIFFERENT_HIT_POLICIES = {"RULE ORDER", "OUTPUT ORDER", "PRIORITY"}


@dataclass(frozen=True)
class Finding:
    """One thing said about an element: a code from `CODES` and its parameters."""

    code: str
    params: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # A wrong code or parameter is a bug here, not in the file: the texts could not render.
        if self.code not in CODES or set(self.params) != set(CODES[self.code][1]):
            raise ValueError(f"explain: bad finding {self.code} {sorted(self.params)}")

    @property
    def status(self) -> str:
        return CODES[self.code][0]


@dataclass(frozen=True)
class ElementNote:
    """What Koordinator makes of one element. `code`/`params` are the finding that matters most;
    `also` holds the element's other findings, most important first."""

    element_id: str
    kind: str
    name: str
    status: str
    code: str
    params: dict[str, str] = field(default_factory=dict)
    also: tuple[Finding, ...] = ()

    @property
    def findings(self) -> tuple[Finding, ...]:
        return (Finding(self.code, self.params), *self.also)


@dataclass(frozen=True)
class FileExplanation:
    name: str
    kind: str  # "bpmn" | "dmn" | "unknown"
    readable: bool
    runnable: bool
    reason_code: str | None
    reason_params: dict[str, str] = field(default_factory=dict)
    elements: list[ElementNote] = field(default_factory=list)


@dataclass
class _BundleContext:
    """What other files of a bundle define; None fields mean "only this file is known"."""

    processes: dict[str, str] | None = None  # process id -> file
    decisions: dict[str, str] | None = None  # decision id -> file
    called: set[str] = field(default_factory=set)
    entries: list[str] = field(default_factory=list)  # entry processes of the whole bundle


# --- small helpers -------------------------------------------------------------------------------


def _local(tag: Any) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _ns(tag: Any) -> str | None:
    return etree.QName(tag).namespace if isinstance(tag, str) else None


def _q(tag: str, ns: str = BPMN_NS) -> str:
    return f"{{{ns}}}{tag}"


def _short(value: Any) -> str:
    text = " ".join(str(value or "").split())
    return text if len(text) <= _PARAM_MAX else text[: _PARAM_MAX - 1] + "…"


def _text(el: Any) -> str:
    return (el.text or "").strip() if el is not None else ""


def _kind_from_name(name: str) -> str:
    lower = name.lower()
    if lower.endswith(BPMN_SUFFIXES):
        return "bpmn"
    if lower.endswith(DMN_SUFFIXES):
        return "dmn"
    return "unknown"


def _is_dmn_ns(ns: str | None) -> bool:
    return bool(ns) and re.match(r"^https?://www\.omg\.org/spec/DMN/", ns or "") is not None


def _engine_attr(el: Any, name: str, namespaces: dict[str, str] = _ENGINE_NAMESPACES
                 ) -> tuple[str, str] | None:
    """(tool, value) of an engine-specific attribute such as camunda:class, or None."""
    for ns, tool in namespaces.items():
        value = el.get(_q(name, ns))
        if value:
            return tool, value
    return None


def _extensions(el: Any) -> list[Any]:
    """Children of the element's own extensionElements (not those of nested elements)."""
    ext = el.find(_q("extensionElements"))
    return [c for c in ext if isinstance(c.tag, str)] if ext is not None else []


def _spiff_properties(el: Any) -> dict[str, str]:
    props: dict[str, str] = {}
    for child in _extensions(el):
        if child.tag == _q("properties", SPIFF_NS):
            for prop in child.findall(_q("property", SPIFF_NS)):
                if prop.get("name"):
                    props[prop.get("name")] = prop.get("value") or ""
    return props


def _ext_child(el: Any, local: str, namespaces: dict[str, str] = _TOOLS) -> tuple[str, Any] | None:
    for child in _extensions(el):
        if _local(child.tag) == local and _ns(child.tag) in namespaces:
            return namespaces[_ns(child.tag)], child
    return None


def _ordered(findings: list[Finding]) -> list[Finding]:
    unique = list({(f.code, tuple(sorted(f.params.items()))): f for f in findings}.values())
    return sorted(unique, key=lambda f: -_SEVERITY[f.status])


def _note(el: Any, findings: list[Finding], kind: str | None = None) -> ElementNote:
    ordered = _ordered(findings) or [Finding("element.runs")]
    first = ordered[0]
    return ElementNote(el.get("id") or "", kind or _local(el.tag), _short(el.get("name")),
                       first.status, first.code, dict(first.params), tuple(ordered[1:]))


def _expression_findings(expr: str) -> list[Finding]:
    """JUEL and FEEL are named as such: their fix is to rewrite them, not a sandbox detail."""
    if "${" in expr or "#{" in expr:
        return [Finding("expression.juel", {"expression": _short(expr)})]
    if expr.startswith("="):
        return [Finding("expression.feel", {"expression": _short(expr)})]
    return []


# --- BPMN ----------------------------------------------------------------------------------------


class _BpmnExplainer:
    def __init__(self, name: str, root: Any, ctx: _BundleContext | None):
        self.name = name
        self.root = root
        self.ctx = ctx
        self.notes: list[ElementNote] = []
        self.tags: dict[str, str] = {}  # id -> local tag, for every element of the file
        self.outgoing: dict[str, list[Any]] = {}
        self.defaults: set[str] = set()
        self.messages = {m.get("id"): m.get("name") or m.get("id") or ""
                         for m in root.iter(_q("message"))}
        for el in root.iter():
            if isinstance(el.tag, str) and el.get("id") and _ns(el.tag) == BPMN_NS:
                self.tags.setdefault(el.get("id"), _local(el.tag))
            if _local(el.tag) in _GATEWAYS | _ACTIVITY_TAGS and el.get("default"):
                self.defaults.add(el.get("default"))
        for flow in root.iter(_q("sequenceFlow")):
            self.outgoing.setdefault(flow.get("sourceRef") or "", []).append(flow)
        self.processes = [p for p in root if p.tag == _q("process")]
        self.process_ids = {p.get("id") for p in self.processes}
        self.called = {c.get("calledElement") for c in root.iter(_q("callActivity"))}

    # The walk follows document order, so the notes read like the file.
    def run(self) -> list[ElementNote]:
        for child in self.root:
            tag = _local(child.tag)
            if tag == "collaboration":
                self._collaboration(child)
            elif tag == "process":
                self._process(child)
            elif tag == "dataStore":
                self.notes.append(_note(child, [Finding("data_store.unsupported")]))
            elif tag == "choreography":
                for el in child.iter():
                    if _local(el.tag) in _CHOREOGRAPHY_TAGS:
                        self.notes.append(_note(el, [Finding("choreography.unsupported")]))
        return self.notes

    def _collaboration(self, coll: Any) -> None:
        for child in coll:
            tag = _local(child.tag)
            if tag == "participant" and not child.get("processRef"):
                self.notes.append(_note(child, [Finding(
                    "participant.black_box",
                    {"participant": _short(child.get("name") or child.get("id"))})]))
            elif tag == "messageFlow":
                self.notes.append(_note(child, [Finding("message_flow.ignored")]))

    def _process(self, proc: Any) -> None:
        pid = proc.get("id") or ""
        label = _short(proc.get("name") or pid)
        findings = self._common(proc)
        has_nodes = any(_local(c.tag) in FLOW_NODE_TAGS for c in proc)
        if (proc.get("isExecutable") or "").lower() != "true":
            code = "process.not_executable" if has_nodes else "process.empty"
            findings.append(Finding(code, {"process": label}))
        elif not any(c.tag == _q("startEvent") for c in proc):
            findings.append(Finding("process.no_start_event", {"process": label}))
        if self.ctx and self.ctx.processes is not None:
            other = self.ctx.processes.get(pid)
            if other is not None and other != self.name:
                findings.append(Finding("process.duplicate_in_bundle",
                                        {"process": label, "file": other}))
        self.notes.append(_note(proc, findings))
        lanes: dict[str, str] = {}
        for lane in proc.iter(_q("lane")):  # child lanes come later, so the innermost one wins
            for ref in lane.findall(_q("flowNodeRef")):
                if ref.text:
                    lanes[ref.text.strip()] = lane.get("name") or ""
        self._scope(proc, lanes, None)

    def _scope(self, scope: Any, lanes: dict[str, str], inherited: str | None) -> None:
        for child in scope:
            tag = _local(child.tag)
            if _ns(child.tag) != BPMN_NS:
                continue
            if tag == "laneSet":
                for lane in child.iter(_q("lane")):
                    self.notes.append(self._lane(lane))
            elif tag in FLOW_NODE_TAGS:
                lane = lanes.get(child.get("id") or "", inherited)
                self.notes.append(_note(child, self._flow_node(child, tag, lane)))
                if tag in SCOPE_TAGS:
                    self._scope(child, lanes, lane)
            elif tag == "sequenceFlow":
                findings = self._sequence_flow(child)
                if findings is not None:
                    self.notes.append(_note(child, findings))
            elif tag == "dataStoreReference":
                self.notes.append(_note(child, [Finding("data_store.unsupported")]))

    def _lane(self, lane: Any) -> ElementNote:
        name = lane.get("name") or ""
        if role_for_lane(name):
            return _note(lane, [Finding("lane.role", {"lane": _short(name)})])
        name = name or lane.get("id") or ""
        refs = {_text(r) for r in lane.findall(_q("flowNodeRef"))}
        human = any(self.tags.get(r) in HUMAN_TASK_TAGS for r in refs)
        code = "lane.unknown_role" if human else "lane.not_a_role"
        return _note(lane, [Finding(code, {"lane": _short(name)})])

    # --- flow nodes ---

    def _flow_node(self, el: Any, tag: str, lane: str | None) -> list[Finding]:
        findings = self._common(el)
        if tag not in _GATEWAYS:
            outgoing = self.outgoing.get(el.get("id") or "", [])
            if len(outgoing) > 1:
                findings.append(Finding("flow.implicit_split", {"count": str(len(outgoing))}))
        if tag in _ACTIVITY_TAGS:
            multi = el.find(_q("multiInstanceLoopCharacteristics"))
            if multi is not None:
                findings.extend(self._multi_instance(multi))
            if el.find(_q("standardLoopCharacteristics")) is not None:
                findings.append(Finding("activity.loop_unsupported"))
        handler = getattr(self, f"_node_{tag}", None)
        if handler is not None:
            findings.extend(handler(el, lane))
        elif tag in _EVENT_TAGS:
            findings.extend(self._event(el, tag))
        elif tag in HUMAN_TASK_TAGS:
            findings.extend(self._human_task(el, lane))
        return findings

    def _multi_instance(self, multi: Any) -> list[Finding]:
        """The engine runs an activity once per item of a list in the case data, or N times
        (SpiffWorkflow: exactly one of loopDataInputRef and loopCardinality)."""
        collection = _engine_attr(multi, "collection")
        zeebe = _ext_child(multi, "loopCharacteristics", {ZEEBE_NS: "Camunda 8"})
        if collection or zeebe:
            tool, value = collection or (zeebe[0], zeebe[1].get("inputCollection") or "")
            return [Finding("activity.multi_instance_camunda",
                            {"tool": tool, "collection": _short(value)})]
        data_in = _text(multi.find(_q("loopDataInputRef")))
        cardinality = _text(multi.find(_q("loopCardinality")))
        if bool(data_in) == bool(cardinality):
            return [Finding("activity.multi_instance_incomplete")]
        findings = []
        for expr in (cardinality, _text(multi.find(_q("completionCondition")))):
            if expr:
                findings.extend(_expression_findings(expr) or [
                    Finding("condition.refused", {"reason": _short(r)})
                    for r in check(expr, "eval")[:1]])
        return findings

    def _common(self, el: Any) -> list[Finding]:
        """Findings any element can carry: listeners, variable mappings, pre/post scripts."""
        findings = []
        for child in _extensions(el):
            tool = _TOOLS.get(_ns(child.tag) or "")
            local = _local(child.tag)
            if tool and local in ("executionListener", "taskListener"):
                what = (child.get("class") or child.get("expression")
                        or child.get("delegateExpression") or "")
                script = child.find(_q("script", _ns(child.tag) or ""))
                if not what and script is not None:
                    what = script.get("scriptFormat") or "script"
                findings.append(Finding("listener.ignored", {"tool": tool, "listener": _short(what)}))
            elif tool and local in ("inputOutput", "ioMapping"):
                findings.append(Finding("io_mapping.ignored", {"tool": tool}))
            elif child.tag in (_q("preScript", SPIFF_NS), _q("postScript", SPIFF_NS)):
                for reason in check(_text(child), "exec")[:1]:
                    findings.append(Finding("script.refused", {"reason": _short(reason)}))
        return findings

    def _human_task(self, el: Any, lane: str | None) -> list[Finding]:
        findings: list[Finding] = []
        props = _spiff_properties(el)
        camunda_form = _engine_attr(el, "formKey")
        zeebe_form = _ext_child(el, "formDefinition", {ZEEBE_NS: "Camunda 8"})
        generated = _ext_child(el, "formData")
        if props.get("formKey"):
            pass
        elif camunda_form:
            findings.append(Finding("user_task.camunda_form",
                                    {"tool": camunda_form[0], "form": _short(camunda_form[1])}))
        elif zeebe_form:
            form = zeebe_form[1].get("formKey") or zeebe_form[1].get("formId") or ""
            findings.append(Finding("user_task.camunda_form", {"tool": zeebe_form[0],
                                                               "form": _short(form)}))
        elif generated:
            names = [f.get("label") or f.get("id") or "" for f in generated[1]
                     if isinstance(f.tag, str)]
            findings.append(Finding("user_task.generated_form",
                                    {"tool": generated[0], "fields": _short(", ".join(names))}))
        else:
            findings.append(Finding("user_task.no_form"))
        if not lane:
            findings.append(Finding("user_task.no_lane"))
        elif role_for_lane(lane) is None:
            findings.append(Finding("user_task.lane_not_role", {"lane": _short(lane)}))
        stage = props.get("stage")
        if not stage:
            findings.append(Finding("user_task.no_stage"))
        elif stage not in STAGES:
            findings.append(Finding("user_task.unknown_stage", {"stage": _short(stage)}))
        due = props.get("dueIn")
        if due is not None and due_delta(due) is None:
            findings.append(Finding("user_task.bad_due", {"due": _short(due)}))
        assignee = _engine_attr(el, "assignee")
        zeebe_assign = _ext_child(el, "assignmentDefinition", {ZEEBE_NS: "Camunda 8"})
        if assignee:
            findings.append(Finding("user_task.assignee_ignored",
                                    {"tool": assignee[0], "assignee": _short(assignee[1])}))
        elif zeebe_assign and zeebe_assign[1].get("assignee"):
            findings.append(Finding("user_task.assignee_ignored", {
                "tool": zeebe_assign[0], "assignee": _short(zeebe_assign[1].get("assignee"))}))
        groups = [v for v in (_engine_attr(el, "candidateGroups"), _engine_attr(el, "candidateUsers"))
                  if v]
        if zeebe_assign and (zeebe_assign[1].get("candidateGroups")
                             or zeebe_assign[1].get("candidateUsers")):
            groups.append((zeebe_assign[0], zeebe_assign[1].get("candidateGroups")
                           or zeebe_assign[1].get("candidateUsers")))
        for tool, value in groups[:1]:
            findings.append(Finding("user_task.candidates_ignored",
                                    {"tool": tool, "candidates": _short(value)}))
        due_date = _engine_attr(el, "dueDate")
        if due_date:
            findings.append(Finding("user_task.due_date_ignored",
                                    {"tool": due_date[0], "due": _short(due_date[1])}))
        return findings

    def _node_task(self, el: Any, lane: str | None) -> list[Finding]:
        return [Finding("task.no_type")]

    def _node_scriptTask(self, el: Any, lane: str | None) -> list[Finding]:
        fmt = (el.get("scriptFormat") or "").strip()
        if fmt.lower() not in _PYTHON_FORMATS:
            return [Finding("script.not_python", {"format": _short(fmt)})]
        script = el.find(_q("script"))
        resource = _engine_attr(el, "resource")
        if (script is None or not _text(script)) and resource:
            return [Finding("script.external", {"tool": resource[0], "resource": _short(resource[1])})]
        if script is None or not _text(script):
            return [Finding("script.empty")]
        return [Finding("script.refused", {"reason": _short(r)})
                for r in check(script.text or "", "exec")[:1]]

    def _implementation(self, el: Any) -> list[Finding]:
        """How a service-like task is implemented in the tool it came from."""
        found = []
        for attr, code in (("class", "service_task.java_class"),
                           ("delegateExpression", "service_task.delegate_expression"),
                           ("expression", "service_task.expression")):
            hit = _engine_attr(el, attr)
            if hit:
                key = "class" if attr == "class" else "expression"
                found.append(Finding(code, {"tool": hit[0], key: _short(hit[1])}))
        kind = _engine_attr(el, "type")
        if kind and kind[1] == "external":
            topic = _engine_attr(el, "topic")
            found.append(Finding("service_task.external",
                                 {"tool": kind[0], "topic": _short(topic[1] if topic else "")}))
        connector = _ext_child(el, "connector")
        if connector:
            cid = connector[1].find(_q("connectorId", _ns(connector[1].tag) or ""))
            found.append(Finding("service_task.connector",
                                 {"tool": connector[0], "connector": _short(_text(cid))}))
        job = _ext_child(el, "taskDefinition", {ZEEBE_NS: "Camunda 8"})
        if job:
            found.append(Finding("service_task.job_worker",
                                 {"tool": job[0], "type": _short(job[1].get("type"))}))
        operator = _ext_child(el, "serviceTaskOperator", {SPIFF_NS: "SpiffWorkflow"})
        if operator:
            found.append(Finding("service_task.spiff_operator",
                                 {"operator": _short(operator[1].get("id"))}))
        return found

    def _node_serviceTask(self, el: Any, lane: str | None) -> list[Finding]:
        return self._implementation(el) or [Finding("service_task.no_implementation")]

    def _message_name(self, el: Any) -> str:
        """The message's name, else its id, else the element's own name."""
        ref = el.get("messageRef") or ""
        return _short(self.messages.get(ref, ref) or el.get("name"))

    def _node_sendTask(self, el: Any, lane: str | None) -> list[Finding]:
        return [Finding("message.send_task", {"message": self._message_name(el)}),
                *self._implementation(el)]

    def _node_receiveTask(self, el: Any, lane: str | None) -> list[Finding]:
        return [Finding("message.receive_task", {"message": self._message_name(el)})]

    def _node_businessRuleTask(self, el: Any, lane: str | None) -> list[Finding]:
        called = ""
        for child in _extensions(el):
            if child.tag == _q("calledDecisionId", SPIFF_NS):
                called = _text(child)
        if called:
            known = self.ctx.decisions if self.ctx else None
            if known is not None and called not in known:
                return [Finding("business_rule.decision_missing", {"decision": _short(called)})]
            return []
        ref = _engine_attr(el, "decisionRef")
        zeebe = _ext_child(el, "calledDecision", {ZEEBE_NS: "Camunda 8"})
        if ref:
            return [Finding("business_rule.camunda_decision_ref",
                            {"tool": ref[0], "decision": _short(ref[1])})]
        if zeebe:
            return [Finding("business_rule.camunda_decision_ref",
                            {"tool": zeebe[0], "decision": _short(zeebe[1].get("decisionId"))})]
        return [Finding("business_rule.no_decision"), *self._implementation(el)]

    def _node_callActivity(self, el: Any, lane: str | None) -> list[Finding]:
        findings = []
        if _ext_child(el, "in") or _ext_child(el, "out"):
            findings.append(Finding("call_activity.mapping_ignored",
                                    {"tool": (_ext_child(el, "in") or _ext_child(el, "out"))[0]}))
        target = el.get("calledElement") or ""
        zeebe = _ext_child(el, "calledElement", {ZEEBE_NS: "Camunda 8"})
        if not target and zeebe:
            target = zeebe[1].get("processId") or ""
        if not target:
            return [Finding("call_activity.no_target"), *findings]
        juel = _expression_findings(target)
        if juel:
            return juel + findings
        if self.tags.get(target, "").startswith("global"):
            return [Finding("call_activity.global_task", {"target": _short(target)}), *findings]
        known = (set(self.ctx.processes) if self.ctx and self.ctx.processes is not None
                 else self.process_ids)
        if target not in known:
            findings.append(Finding("call_activity.target_missing", {"process": _short(target)}))
        return findings

    def _node_subProcess(self, el: Any, lane: str | None) -> list[Finding]:
        starts = [c for c in el if c.tag == _q("startEvent")]
        if (el.get("triggeredByEvent") or "").lower() == "true":
            return []  # an event sub-process starts from its own start event's trigger
        findings = []
        if len(starts) != 1:
            findings.append(Finding("subprocess.start_events", {"count": str(len(starts))}))
        if not any(c.tag == _q("endEvent") for c in el):
            findings.append(Finding("subprocess.no_end_event"))
        return findings

    def _node_transaction(self, el: Any, lane: str | None) -> list[Finding]:
        return [Finding("subprocess.transaction_unsupported")]

    def _node_adHocSubProcess(self, el: Any, lane: str | None) -> list[Finding]:
        return [Finding("subprocess.ad_hoc_unsupported")]

    def _node_eventBasedGateway(self, el: Any, lane: str | None) -> list[Finding]:
        return [Finding("gateway.event_based_unsupported")]

    def _node_complexGateway(self, el: Any, lane: str | None) -> list[Finding]:
        return [Finding("gateway.complex_unsupported")]

    def _event(self, el: Any, tag: str) -> list[Finding]:
        definitions = [c for c in el if _local(c.tag).endswith("EventDefinition")
                       or _local(c.tag) == "eventDefinitionRef"]
        if not definitions:
            if tag in ("intermediateCatchEvent", "boundaryEvent"):
                return [Finding("event.catch_without_trigger")]
            return []
        if len(definitions) > 1:
            return [Finding("event.multiple_unsupported")]
        definition = definitions[0]
        kind = _local(definition.tag)
        if kind == "timerEventDefinition":
            return self._timer(definition)
        if kind in ("signalEventDefinition", "terminateEventDefinition"):
            return []
        if kind == "messageEventDefinition":
            name = self._message_name(definition) or _short(el.get("name"))
            return [Finding("event.message_unsupported", {"message": name})]
        code = {
            "conditionalEventDefinition": "event.conditional_unsupported",
            "compensateEventDefinition": "event.compensation_unsupported",
            "escalationEventDefinition": "event.escalation_unsupported",
            "errorEventDefinition": "event.error_unsupported",
            "linkEventDefinition": "event.link_unsupported",
            "cancelEventDefinition": "event.cancel_unsupported",
        }.get(kind, "event.multiple_unsupported")
        return [Finding(code)]

    def _timer(self, definition: Any) -> list[Finding]:
        present = [(k, definition.find(_q(k))) for k in ("timeDuration", "timeDate", "timeCycle")]
        present = [(k, e) for k, e in present if e is not None and _text(e)]
        if not present:
            return [Finding("timer.no_value")]
        kind, el = present[0]
        expr = _text(el)
        special = _expression_findings(expr)
        if special:
            return special
        if _ISO_LIKE.match(expr):
            return [Finding("timer.unquoted_iso", {"value": _short(expr)})]
        refused = check(expr, "eval")
        if refused:
            return [Finding("timer.refused", {"reason": _short(refused[0])})]
        tree = ast.parse(expr.strip(), mode="eval").body
        if not isinstance(tree, ast.Constant):
            return []  # an expression over the case data, checked when it runs
        parse = {"timeDuration": TimerEventDefinition.parse_iso_duration,
                 "timeDate": TimerEventDefinition.parse_time_or_duration,
                 "timeCycle": TimerEventDefinition.parse_iso_recurring_interval}[kind]
        if not isinstance(tree.value, str):
            return [Finding("timer.invalid_iso", {"value": _short(expr)})]
        try:
            parse(tree.value)
        except Exception:  # noqa: BLE001 - SpiffWorkflow raises several types for bad values
            return [Finding("timer.invalid_iso", {"value": _short(expr)})]
        return []

    # --- sequence flows ---

    def _sequence_flow(self, flow: Any) -> list[Finding] | None:
        """Findings of a flow, or None when the flow is plain and needs no note."""
        findings = self._common(flow)
        for ref in (flow.get("sourceRef") or "", flow.get("targetRef") or ""):
            if self.tags.get(ref) not in FLOW_NODE_TAGS:
                findings.append(Finding("flow.dangling_ref", {"ref": _short(ref)}))
        source_tag = self.tags.get(flow.get("sourceRef") or "")
        cond = flow.find(_q("conditionExpression"))
        expr = _text(cond)
        if not expr:
            siblings = self.outgoing.get(flow.get("sourceRef") or "", [])
            if (source_tag in _CONDITIONAL_GATEWAYS and len(siblings) > 1
                    and flow.get("id") not in self.defaults):
                findings.append(Finding("flow.missing_condition"))
            return findings or None
        if source_tag not in _CONDITIONAL_GATEWAYS:
            findings.append(Finding("flow.condition_not_on_gateway"))
        language = (cond.get("language") or "").strip()
        resource = _engine_attr(cond, "resource")
        special = _expression_findings(expr)
        if special:
            findings.extend(special)
        elif language.lower() not in _PYTHON_FORMATS or resource:
            findings.append(Finding("condition.not_python",
                                    {"language": _short(language or "script")}))
        else:
            findings.extend(Finding("condition.refused", {"reason": _short(r)})
                            for r in check(expr, "eval")[:1])
        return findings


def _duplicate_ids(root: Any) -> list[str]:
    seen: set[str] = set()
    dup: list[str] = []
    for el in root.iter():
        eid = el.get("id") if isinstance(el.tag, str) else None
        if eid and eid in seen and eid not in dup:
            dup.append(eid)
        elif eid:
            seen.add(eid)
    return dup


def _entries(root: Any, called: set[str]) -> list[str]:
    return [p.get("id") or "" for p in root if p.tag == _q("process")
            and (p.get("isExecutable") or "").lower() == "true" and p.get("id") not in called]


def _explain_bpmn(name: str, root: Any, ctx: _BundleContext | None) -> FileExplanation:
    explainer = _BpmnExplainer(name, root, ctx)
    notes = explainer.run()
    reason: tuple[str, dict[str, str]] | None = None
    processes = explainer.processes
    executable = [p for p in processes if (p.get("isExecutable") or "").lower() == "true"]
    with_nodes = [p for p in processes if any(_local(c.tag) in FLOW_NODE_TAGS for c in p)]
    dup = _duplicate_ids(root)
    entries = ctx.entries if ctx else _entries(root, explainer.called)
    own_entries = [e for e in entries if e in explainer.process_ids]
    if dup:
        reason = ("bpmn.duplicate_ids", {"ids": _short(", ".join(dup))})
    elif not with_nodes and root.find(_q("collaboration")) is not None:
        reason = ("file.collaboration_only", {})
    elif not with_nodes and root.find(_q("choreography")) is not None:
        reason = ("file.choreography_only", {})
    elif not with_nodes:
        reason = ("bpmn.no_process", {})
    elif not executable:
        names = ", ".join(p.get("name") or p.get("id") or "" for p in with_nodes)
        reason = ("process.not_executable", {"process": _short(names)})
    elif len(entries) > 1 and own_entries:
        reason = ("process.several_entries", {"processes": _short(", ".join(entries))})
    else:
        reason = _element_reason(notes)
    return _result(name, "bpmn", reason, notes)


def _element_reason(notes: list[ElementNote]) -> tuple[str, dict[str, str]] | None:
    blocked = [n for n in notes if n.status == UNSUPPORTED]
    if blocked:
        return "file.unsupported_elements", {"count": str(len(blocked))}
    changes = [n for n in notes if n.status == NEEDS_CHANGE]
    if changes:
        return "file.needs_changes", {"count": str(len(changes))}
    return None


def _result(name: str, kind: str, reason: tuple[str, dict[str, str]] | None,
            notes: list[ElementNote]) -> FileExplanation:
    code, params = reason if reason else (None, {})
    return FileExplanation(name, kind, True, reason is None, code, params, notes)


# --- DMN -----------------------------------------------------------------------------------------


def _feel_cell(text: str) -> bool:
    """True when a rule cell is not a Python test the engine can evaluate (as bundle._read_dmn)."""
    msgs = check(text, "eval")
    if msgs and msgs[0].startswith("syntax error"):
        msgs = check(f"value {text}".replace("?", "value"), "eval")
    return bool(msgs)


def _explain_dmn(name: str, root: Any, ctx: _BundleContext | None) -> FileExplanation:
    ns = _ns(root.tag) or ""
    notes = []
    decisions = root.findall(_q("decision", ns))
    for index, decision in enumerate(decisions):
        findings: list[Finding] = []
        did = decision.get("id") or ""
        if ctx and ctx.decisions is not None and ctx.decisions.get(did, name) != name:
            findings.append(Finding("decision.duplicate_in_bundle",
                                    {"decision": _short(did), "file": ctx.decisions[did]}))
        if index > 0:
            findings.append(Finding("decision.extra_in_file"))
        table = decision.find(_q("decisionTable", ns))
        if table is None:
            findings.append(Finding("decision.no_table"))
        else:
            for inp in table.findall(_q("input", ns)):
                expr = _text(inp.find(f"{_q('inputExpression', ns)}/{_q('text', ns)}"))
                if not expr:
                    findings.append(Finding("decision.input_missing",
                                            {"input": _short(inp.get("label") or inp.get("id"))}))
                elif check(expr, "eval"):
                    findings.append(Finding("decision.feel_input", {"expression": _short(expr)}))
            cells = [_text(e.find(_q("text", ns))) for rule in table.findall(_q("rule", ns))
                     for e in rule.findall(_q("inputEntry", ns)) + rule.findall(_q("outputEntry", ns))]
            policy = " ".join((table.get("hitPolicy") or "UNIQUE").upper().split())
            if policy in _DIFFERENT_HIT_POLICIES or (policy == "COLLECT"
                                                     and table.get("aggregation")):
                label = f"{policy} {table.get('aggregation') or ''}".strip()
                findings.append(Finding("decision.hit_policy", {"policy": _short(label)}))
            feel = [c for c in cells if c and c != "-" and _feel_cell(c)]
            if feel:
                findings.append(Finding("decision.feel_cells",
                                        {"count": str(len(feel)), "example": _short(feel[0])}))
        notes.append(_note(decision, findings))
    reason = ("dmn.no_decision", {}) if not decisions else _element_reason(notes)
    return _result(name, "dmn", reason, notes)


# --- entry points --------------------------------------------------------------------------------


def _parse(name: str, data: bytes) -> tuple[Any, FileExplanation | None]:
    """The root element, or the explanation of why the file cannot be read."""
    try:
        root = parse_xml(data).getroot()
    except UnsafeXml as exc:
        return None, FileExplanation(name, _kind_from_name(name), False, False, "xml.unsafe",
                                     {"message": str(exc)}, [])
    ns, local = _ns(root.tag), _local(root.tag)
    if local == "definitions" and (ns == BPMN_NS or _is_dmn_ns(ns)):
        return root, None
    if local == "definitions" and not ns:
        return None, FileExplanation(name, _kind_from_name(name), False, False,
                                     "bpmn.missing_namespace", {}, [])
    return None, FileExplanation(name, "unknown", False, False, "bpmn.not_bpmn",
                                 {"root": _short(etree.QName(root.tag).text
                                                 if isinstance(root.tag, str) else "")}, [])


def _explain_root(name: str, root: Any, ctx: _BundleContext | None) -> FileExplanation:
    try:
        if _ns(root.tag) == BPMN_NS:
            return _explain_bpmn(name, root, ctx)
        return _explain_dmn(name, root, ctx)
    except Exception as exc:  # noqa: BLE001 - an upload page must get an answer, never a 500
        return FileExplanation(name, "bpmn" if _ns(root.tag) == BPMN_NS else "dmn", True, False,
                               "file.explain_failed", {"error": _short(f"{type(exc).__name__}: "
                                                                       f"{exc}")}, [])


def explain_file(name: str, data: bytes) -> FileExplanation:
    """Explain one file on its own. Call activities are checked against the processes of this
    file; decisions (which live in DMN files) only by `explain_bundle`."""
    root, refused = _parse(name, data)
    if refused is not None:
        return refused
    return _explain_root(name, root, None)


def explain_bundle(files: dict[str, bytes]) -> list[FileExplanation]:
    """Explain the files of one bundle together: call activities may call a process of another
    file, business rule tasks name decisions of the DMN files, and the bundle needs exactly one
    executable process that nothing calls."""
    parsed: dict[str, Any] = {}
    results: dict[str, FileExplanation] = {}
    for name, data in files.items():
        root, refused = _parse(name, data)
        if refused is not None:
            results[name] = refused
        else:
            parsed[name] = root
    ctx = _BundleContext(processes={}, decisions={})
    assert ctx.processes is not None and ctx.decisions is not None
    for name, root in parsed.items():
        if _ns(root.tag) == BPMN_NS:
            for proc in root.findall(_q("process")):
                ctx.processes.setdefault(proc.get("id") or "", name)
            ctx.called |= {c.get("calledElement") for c in root.iter(_q("callActivity"))}
        else:
            for decision in root.findall(_q("decision", _ns(root.tag) or "")):
                ctx.decisions.setdefault(decision.get("id") or "", name)
    ctx.entries = [e for name, root in parsed.items() if _ns(root.tag) == BPMN_NS
                   for e in _entries(root, ctx.called)]
    for name, root in parsed.items():
        results[name] = _explain_root(name, root, ctx)
    return [results[name] for name in files]
