"""Process bundles: read BPMN, DMN and forms from disk, check them, and build the runnable spec.

Every problem is reported as `file:element-id: message`, so a process owner can find it in the
modeler. Checks run in this order, each on what the previous one accepted: safe XML (no DTD,
size limit), BPMN/DMN schema, our structural lint (lanes, forms, stages, timers, conditions and
scripts in the sandbox, gateways' conditions and default flows, reachability, an end event that
every run can reach, fields that no earlier form provides), and finally SpiffWorkflow's own parser.

Each problem also carries a stable code and its values (`engine.errors.PROBLEM_CODES`), from
which web/problem_text.py tells the process owner in Norwegian what is wrong and what to do.
"""

from __future__ import annotations

import ast
import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser

from . import forms as form_defs
from .errors import PROBLEM_CODES, Problem
from .roles import STAGES, role_for_lane
from .sandbox import SAFE_BUILTINS, check, names_read
from .xmlsafe import UnsafeXml, parse_xml

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
DMN_NAMESPACES = {
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd",
    "http://www.omg.org/spec/DMN/20180521/MODEL/",
    "https://www.omg.org/spec/DMN/20191111/MODEL/",
    "https://www.omg.org/spec/DMN/20230324/MODEL/",
}
BPMN_SUFFIXES = (".bpmn", ".bpmn20.xml", ".bpmn2")
DMN_SUFFIXES = (".dmn",)
MAX_BUNDLE_FILES = 50

# Helpers the engine offers to expressions (see processes/README.md); names they read are not
# form fields.
HELPER_NAMES = frozenset({"alder", "evalueringstidspunkt", "saker_for_koordinator"})

FLOW_NODE_TAGS = {
    "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
    "task", "userTask", "manualTask", "scriptTask", "serviceTask", "businessRuleTask", "sendTask",
    "receiveTask", "callActivity", "subProcess", "transaction", "adHocSubProcess",
    "exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway",
    "complexGateway",
}
HUMAN_TASK_TAGS = {"userTask", "manualTask"}
CHOICE_GATEWAYS = {"exclusiveGateway": "exclusive", "inclusiveGateway": "inclusive"}
SCOPE_TAGS = {"subProcess", "transaction", "adHocSubProcess"}
_ISO_LIKE = re.compile(r"^(R\d*/)?P[0-9YMWDTHS.,]+$|^\d{4}-\d{2}-\d{2}(T.*)?$")


def _q(tag: str, ns: str = BPMN_NS) -> str:
    return f"{{{ns}}}{tag}"


def _local(tag: Any) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


@dataclass
class Bundle:
    """The files of one process bundle as read from disk (or uploaded)."""

    name: str
    files: dict[str, bytes]
    forms: dict[str, form_defs.FormDefinition] = field(default_factory=dict)
    form_sources: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class BuiltProcess:
    """A validated bundle: the parsed spec and what the engine indexes about its elements."""

    process_id: str
    spec: Any
    subprocess_specs: dict[str, Any]
    elements: dict[str, dict[str, Any]]  # bpmn id -> {name, kind, role, form, stage, due}


@dataclass
class ValidationResult:
    problems: list[Problem]
    built: BuiltProcess | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and self.built is not None


def _read_forms(forms_dir: Path, bundle: Bundle) -> None:
    for path in sorted(forms_dir.glob("*.yaml")):
        try:
            definition = form_defs.load_form(path)
        except form_defs.FormDefinitionError as exc:
            bundle.problems.append(Problem(f"forms/{path.name}", None, str(exc.message),
                                           "form.invalid", {"form": path.name,
                                                            "field": exc.field or "",
                                                            "detail": exc.detail}))
            continue
        bundle.forms[definition.key] = definition
        bundle.form_sources[definition.key] = path.read_text(encoding="utf-8")


def load_bundle(path: str | Path, forms_dir: str | Path | None = None) -> Bundle:
    """Read a bundle folder (or a single BPMN/DMN file) with its forms."""
    root = Path(path)
    bundle = Bundle(name=root.name, files={})
    if root.is_dir():
        candidates = sorted(p for p in root.iterdir() if p.is_file()
                            and p.name.lower().endswith(BPMN_SUFFIXES + DMN_SUFFIXES))
        if not candidates:
            bundle.problems.append(Problem.coded(root.name, None, "bundle.no_files"))
        local_forms = root / "forms"
    elif root.is_file():
        candidates = [root]
        local_forms = root.parent / "forms"
    else:
        bundle.problems.append(Problem.coded(str(path), None, "bundle.not_found"))
        return bundle
    for file in candidates[:MAX_BUNDLE_FILES]:
        try:
            bundle.files[file.name] = file.read_bytes()
        except OSError as exc:
            bundle.problems.append(Problem.coded(file.name, None, "file.unreadable",
                                                 reason=exc.strerror))
    if len(candidates) > MAX_BUNDLE_FILES:
        bundle.problems.append(Problem.coded(root.name, None, "bundle.too_many_files",
                                             max=MAX_BUNDLE_FILES))
    chosen = Path(forms_dir) if forms_dir else (local_forms if local_forms.is_dir()
                                                  else form_defs.FORMS_DIR)
    _read_forms(chosen, bundle)
    return bundle


# --- reading the XML -----------------------------------------------------------------------


@dataclass
class _Node:
    id: str
    tag: str
    el: Any
    scope: str  # id of the process or sub-process that holds it
    file: str
    lane: str | None = None
    attached_to: str | None = None
    event_subprocess: bool = False


@dataclass
class _Model:
    file: str
    nodes: dict[str, _Node] = field(default_factory=dict)
    flows: dict[str, tuple[str, str, Any]] = field(default_factory=dict)  # id -> (src, tgt, el)
    scopes: dict[str, list[str]] = field(default_factory=dict)  # scope id -> node ids
    executable: list[str] = field(default_factory=list)
    processes: list[str] = field(default_factory=list)
    called: set[str] = field(default_factory=set)
    process_els: list[Any] = field(default_factory=list)


def _read_model(file: str, root: Any) -> _Model:
    model = _Model(file)
    for proc in root.iter(_q("process")):
        pid = proc.get("id") or ""
        model.processes.append(pid)
        model.process_els.append(proc)
        if (proc.get("isExecutable") or "").lower() == "true":
            model.executable.append(pid)
        lanes: dict[str, str] = {}
        for lane in proc.iter(_q("lane")):
            for ref in lane.findall(_q("flowNodeRef")):
                if ref.text:
                    lanes[ref.text.strip()] = lane.get("name") or lane.get("id") or ""
        _read_scope(model, proc, pid, lanes, None)
    for call in root.iter(_q("callActivity")):
        if call.get("calledElement"):
            model.called.add(call.get("calledElement"))
    return model


def _read_scope(model: _Model, scope_el: Any, scope_id: str, lanes: dict[str, str],
                inherited_lane: str | None) -> None:
    model.scopes.setdefault(scope_id, [])
    for child in scope_el:
        tag = _local(child.tag)
        cid = child.get("id") or ""
        if tag == "sequenceFlow":
            cid = cid or f"{scope_id}:flow-{len(model.flows) + 1}"  # the id is optional in BPMN
            model.flows[cid] = (child.get("sourceRef") or "", child.get("targetRef") or "", child)
        elif tag in FLOW_NODE_TAGS:
            node = _Node(cid, tag, child, scope_id, model.file, lanes.get(cid, inherited_lane),
                         child.get("attachedToRef"),
                         tag in SCOPE_TAGS and (child.get("triggeredByEvent") or "") == "true")
            model.nodes[cid] = node
            model.scopes[scope_id].append(cid)
            if tag in SCOPE_TAGS:
                _read_scope(model, child, cid, lanes, node.lane)


def due_delta(duration: str) -> dict[str, float] | None:
    """The parts of an ISO 8601 duration (`P14D`, `P1M`), or None if it is not one."""
    text = duration.strip()
    try:
        parsed = TimerEventDefinition.parse_iso_duration(text)
    except Exception:  # noqa: BLE001 - Spiff raises bare exceptions for bad input
        return None
    if not text.startswith("P") or not any(parsed.values()):
        return None
    return parsed


def _spiff_properties(el: Any) -> dict[str, str]:
    props = {}
    for prop in el.iter(_q("property", SPIFF_NS)):
        if prop.get("name"):
            props[prop.get("name")] = prop.get("value") or ""
    return props


def _text(el: Any) -> str:
    return (el.text or "").strip() if el is not None else ""


# --- checks --------------------------------------------------------------------------------


def _check_timer(file: str, node_id: str, definition: Any, name: str | None = None) -> list[Problem]:
    def problem(code: str, **params: object) -> list[Problem]:
        return [Problem.coded(file, node_id, code, name=name or node_id, **params)]

    kinds = [(k, definition.find(_q(k))) for k in ("timeDuration", "timeDate", "timeCycle")]
    present = [(k, el) for k, el in kinds if el is not None]
    if not present:
        return problem("timer.no_value")
    kind, el = present[0]
    expr = _text(el)
    if not expr:
        return problem("timer.empty", kind=kind)
    if expr.startswith("${") or _ISO_LIKE.match(expr):
        return problem("timer.not_expression", kind=kind, value=expr,
                       suggestion=expr.strip("${}"))
    refused = check(expr, "eval")
    if refused:
        return problem("timer.refused", reason="; ".join(refused))
    tree = ast.parse(expr, mode="eval").body
    if isinstance(tree, ast.Constant):
        if not isinstance(tree.value, str):
            return problem("timer.not_text", kind=kind, value=expr)
        try:
            if kind == "timeDuration":
                TimerEventDefinition.parse_iso_duration(tree.value)
            elif kind == "timeDate":
                TimerEventDefinition.parse_time_or_duration(tree.value)
            else:
                TimerEventDefinition.parse_iso_recurring_interval(tree.value)
        except Exception:  # noqa: BLE001 - SpiffWorkflow raises several types for bad values
            return problem("timer.invalid_iso", kind=kind, value=tree.value)
    return []


def _assigned_names(script: str) -> set[str]:
    try:
        tree = ast.parse(script)
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


@dataclass
class _Decision:
    id: str
    file: str
    inputs: list[str]
    outputs: list[str]


def _read_dmn(file: str, root: Any, problems: list[Problem]) -> list[_Decision]:
    ns = etree.QName(root.tag).namespace
    decisions = root.findall(f"{{{ns}}}decision")
    if len(decisions) > 1:
        problems.append(Problem.coded(file, decisions[1].get("id"), "dmn.several_decisions",
                                      count=len(decisions)))
    out = []
    for decision in decisions[:1]:
        did = decision.get("id") or ""
        table = decision.find(f"{{{ns}}}decisionTable")
        if table is None:
            problems.append(Problem.coded(file, did, "dmn.no_table",
                                          name=decision.get("name") or did))
            continue
        inputs, outputs = [], []
        for inp in table.findall(f"{{{ns}}}input"):
            expr_el = inp.find(f"{{{ns}}}inputExpression/{{{ns}}}text")
            expr = _text(expr_el)
            inputs.append(expr)
            if not expr:
                problems.append(Problem.coded(file, inp.get("id"), "dmn.input_no_expression",
                                              name=inp.get("label") or inp.get("id")))
                continue
            for msg in check(expr, "eval"):
                problems.append(Problem.coded(file, inp.get("id"), "dmn.input_refused",
                                              expression=expr, reason=msg))
        for output in table.findall(f"{{{ns}}}output"):
            outputs.append(output.get("name") or "")
        for rule in table.findall(f"{{{ns}}}rule"):
            for entry in rule.findall(f"{{{ns}}}inputEntry") + rule.findall(f"{{{ns}}}outputEntry"):
                text = _text(entry.find(f"{{{ns}}}text"))
                if not text or text == "-":
                    continue
                msgs = check(text, "eval")
                if msgs and msgs[0].startswith("syntax error"):
                    msgs = check(f"value {text}".replace("?", "value"), "eval") or []
                for msg in msgs:
                    problems.append(Problem.coded(file, entry.get("id") or rule.get("id"),
                                                  "dmn.cell_refused", text=text, reason=msg))
        out.append(_Decision(did, file, inputs, outputs))
    return out


class _Linter:
    """Structural checks over all BPMN models of a bundle."""

    def __init__(self, bundle: Bundle, models: list[_Model], decisions: dict[str, _Decision]):
        self.bundle = bundle
        self.models = models
        self.decisions = decisions
        self.problems: list[Problem] = []
        self.nodes: dict[str, _Node] = {}
        self.flows: dict[str, tuple[str, str, Any]] = {}
        self.scopes: dict[str, list[str]] = {}
        for m in models:
            self.nodes.update(m.nodes)
            self.flows.update(m.flows)
            self.scopes.update(m.scopes)
        self.out_edges: dict[str, list[str]] = {}
        self.in_edges: dict[str, list[str]] = {}
        for src, tgt, _ in self.flows.values():
            self.out_edges.setdefault(src, []).append(tgt)
            self.in_edges.setdefault(tgt, []).append(src)
        self.boundary: dict[str, list[str]] = {}
        for node in self.nodes.values():
            if node.attached_to:
                self.boundary.setdefault(node.attached_to, []).append(node.id)

    def add(self, file: str, element: str | None, code: str, **params: object) -> None:
        """Record a problem; `name` (the element's name in the modeler) is filled in if needed."""
        if "name" in PROBLEM_CODES[code][1] and "name" not in params:
            params["name"] = self._name(element)
        self.problems.append(Problem.coded(file, element, code, **params))

    def _name(self, element_id: str | None) -> str:
        """The name a process owner sees on the element (on one line), or its id."""
        name = None
        if element_id in self.nodes:
            name = self.nodes[element_id].el.get("name")
        elif element_id in self.flows:
            name = self.flows[element_id][2].get("name")
        else:
            name = next((el.get("name") for m in self.models for el in m.process_els
                         if el.get("id") == element_id), None)
        return " ".join((name or "").split()) or element_id or ""

    def run(self) -> None:
        self.check_references()
        dangling = bool(self.problems)  # then "no end reached" would only repeat it
        for node in self.nodes.values():
            self.check_node(node)
        for fid, (_, _, el) in self.flows.items():
            cond = el.find(_q("conditionExpression"))
            if cond is not None and _text(cond):
                expr = _text(cond)
                if "${" in expr or "#{" in expr:
                    self.add(self._file_of(fid), fid, "condition.juel", condition=expr)
                    continue
                for msg in check(expr, "eval"):
                    self.add(self._file_of(fid), fid, "condition.refused", condition=expr,
                             reason=msg)
        self.check_gateways()
        self.check_reachability()
        if not dangling:
            self.check_end_reachable()
        self.check_fields_provided()

    def _file_of(self, element_id: str) -> str:
        for m in self.models:
            if element_id in m.nodes or element_id in m.flows:
                return m.file
        return "-"

    def check_references(self) -> None:
        for fid, (src, tgt, _) in self.flows.items():
            for end, ref in (("source", src), ("target", tgt)):
                if ref not in self.nodes:
                    self.add(self._file_of(fid), fid, f"flow.unknown_{end}", ref=ref)
        for node in self.nodes.values():
            if node.attached_to and node.attached_to not in self.nodes:
                self.add(node.file, node.id, "boundary.unknown_host", ref=node.attached_to)

    def check_node(self, node: _Node) -> None:
        el, file = node.el, node.file
        if node.tag in HUMAN_TASK_TAGS:
            props = _spiff_properties(el)
            form = props.get("formKey") or el.get(_q("formKey", CAMUNDA_NS))
            if not form:
                self.add(file, node.id, "user_task.no_form")
            elif form not in self.bundle.forms:
                self.add(file, node.id, "user_task.unknown_form", form=form)
            elif not props.get("formKey"):
                self.add(file, node.id, "user_task.camunda_form", form=form)
            stage = props.get("stage")
            if not stage:
                self.add(file, node.id, "user_task.no_stage", stages=", ".join(STAGES))
            elif stage not in STAGES:
                self.add(file, node.id, "user_task.unknown_stage", stage=stage,
                         stages=", ".join(STAGES))
            due = props.get("dueIn")
            if due is not None and due_delta(due) is None:
                self.add(file, node.id, "user_task.bad_due", due=due)
            if not node.lane:
                self.add(file, node.id, "user_task.no_lane")
            elif role_for_lane(node.lane) is None:
                self.add(file, node.id, "user_task.unknown_lane", lane=node.lane)
        elif node.tag == "task":
            self.add(file, node.id, "task.no_type")
        elif node.tag == "businessRuleTask":
            called = _text(el.find(f"{_q('extensionElements')}/{_q('calledDecisionId', SPIFF_NS)}"))
            if not called and el.get(_q("decisionRef", CAMUNDA_NS)):
                self.add(file, node.id, "rule_task.camunda_decision",
                         decision=el.get(_q("decisionRef", CAMUNDA_NS)))
            elif not called:
                self.add(file, node.id, "rule_task.no_decision")
            elif called not in self.decisions:
                self.add(file, node.id, "rule_task.missing_decision", decision=called)
        if node.tag == "scriptTask":
            for msg in check(_text(el.find(_q("script"))), "exec"):
                self.add(file, node.id, "script.refused", reason=msg)
        for tag in ("preScript", "postScript"):
            for script_el in el.iter(_q(tag, SPIFF_NS)):
                for msg in check(_text(script_el), "exec"):
                    self.add(file, node.id, "script.hook_refused", hook=tag, reason=msg)
        for timer in el.findall(_q("timerEventDefinition")):
            self.problems.extend(_check_timer(file, node.id, timer, self._name(node.id)))

    def _condition(self, flow_id: str) -> str:
        return _text(self.flows[flow_id][2].find(_q("conditionExpression")))

    def check_gateways(self) -> None:
        """Every way out of an exclusive or inclusive gateway is a condition or the default flow.

        SpiffWorkflow refuses an exclusive gateway's flow that has neither (with a confusing
        message), takes an inclusive gateway's bare flow only when nothing else matches (BPMN
        says always), and stops the case with an error when no condition holds and there is no
        default flow. So: each bare flow is reported, and a gateway whose flows all carry
        conditions needs a default flow unless two conditions are plainly each other's opposite.
        """
        outgoing: dict[str, list[str]] = {}
        for fid, (src, _, _) in self.flows.items():
            outgoing.setdefault(src, []).append(fid)
        for node in self.nodes.values():
            kind = CHOICE_GATEWAYS.get(node.tag)
            if kind is None:
                continue
            flows = outgoing.get(node.id, [])
            default = node.el.get("default")
            if default and default not in flows:
                self.add(node.file, node.id, "gateway.default_not_outgoing",
                         flow=self._name(default))
                default = None
            if not flows or (len(flows) == 1 and not self._condition(flows[0])):
                continue  # a merge, or a single unconditional way on (Spiff's implicit default)
            bare = [f for f in flows if f != default and not self._condition(f)]
            for fid in bare:
                self.add(self._file_of(fid), fid, "gateway.flow_without_condition",
                         name=self._name(node.id), kind=kind, flow=self._name(fid))
            if not bare and not default and not _exhaustive([self._condition(f) for f in flows]):
                self.add(node.file, node.id, "gateway.no_default", kind=kind)

    def _starts(self, scope: str) -> list[str]:
        return [n for n in self.scopes.get(scope, []) if self.nodes[n].tag == "startEvent"]

    def _run_scopes(self) -> list[str]:
        """Executable (or called) processes and every sub-process they hold, outermost first."""
        called = set().union(*(m.called for m in self.models))
        out = [pid for m in self.models for pid in m.processes if pid in m.executable or pid in called]
        i = 0
        while i < len(out):
            out.extend(n for n in self.scopes.get(out[i], []) if self.nodes[n].tag in SCOPE_TAGS)
            i += 1
        return out

    def _interruptible(self, scope: str) -> bool:
        """Whether an event can end this scope from outside its own flow.

        An interrupting boundary event on the sub-process (or on one that holds it) or an
        interrupting event sub-process around it may be the designed way out of a loop such as
        "follow up every month until the person moves".
        """
        current: str | None = scope
        inside: str | None = None  # an interrupting event sub-process does not end itself
        while current is not None:
            for nid in self.scopes.get(current, []):
                if nid != inside and self.nodes[nid].event_subprocess and any(
                        self.nodes[s].el.get("isInterrupting") != "false"
                        for s in self._starts(nid)):
                    return True
            holder = self.nodes.get(current)
            if holder is None:
                return False
            if any(self.nodes[b].el.get("cancelActivity") != "false"
                   for b in self.boundary.get(current, [])):
                return True
            inside, current = current, holder.scope
        return False

    def check_end_reachable(self) -> None:
        """Every run of a process can finish: an end event is reachable, and no loop traps a case.

        SpiffWorkflow lets a path stop at an element without outgoing flow (an implicit end), so
        only two things are reported: a process or sub-process whose start reaches no end event
        at all, and the first element of a part of the flow that a case can enter but never
        leave (a loop whose every way out leads back into it). Boundary events count as ways
        out of the element they sit on; event sub-processes are checked as scopes of their own.
        """
        for scope in self._run_scopes():
            if not self._interruptible(scope):
                self._check_scope_ends(scope)

    def _check_scope_ends(self, scope: str) -> None:
        members = set(self.scopes.get(scope, []))

        def nexts(nid: str) -> list[str]:
            return [n for n in self.out_edges.get(nid, []) + self.boundary.get(nid, [])
                    if n in members]

        order = _walk(self._starts(scope), nexts)
        if not order:
            return  # no start event: SpiffWorkflow's parser says so
        # An element with no way on ends its path (an implicit end), like an end event.
        ends = [n for n in order if self.nodes[n].tag == "endEvent" or not nexts(n)]
        if not ends:
            file = self.nodes[scope].file if scope in self.nodes else self._process_file(scope)
            self.add(file, scope, "process.end_never_reached")
            return
        if any(self.nodes[n].el.find(_q("terminateEventDefinition")) is not None for n in ends):
            return  # a terminate end event ends every other path too
        preds: dict[str, list[str]] = {}
        for nid in order:
            for nxt in nexts(nid):
                preds.setdefault(nxt, []).append(nid)
        can_finish = set(_walk(ends, lambda n: preds.get(n, [])))
        trapped: set[str] = set()
        for nid in order:
            if nid in can_finish or nid in trapped:
                continue
            self.add(self.nodes[nid].file, nid, "flow.no_exit")
            trapped.update(_walk([nid], nexts))

    def _process_file(self, process_id: str) -> str:
        return next((m.file for m in self.models if process_id in m.processes), "-")

    def check_reachability(self) -> None:
        reached: set[str] = set()
        queue: deque[str] = deque()

        def enter_scope(scope: str) -> None:
            for start in self._starts(scope):
                if start not in reached:
                    reached.add(start)
                    queue.append(start)
            for nid in self.scopes.get(scope, []):
                if self.nodes[nid].event_subprocess and nid not in reached:
                    reached.add(nid)
                    queue.append(nid)

        for m in self.models:
            for pid in m.executable or m.processes:
                enter_scope(pid)
        while queue:
            nid = queue.popleft()
            node = self.nodes.get(nid)
            if node is None:
                continue
            if node.tag in SCOPE_TAGS:
                enter_scope(nid)
            for nxt in self.out_edges.get(nid, []) + self.boundary.get(nid, []):
                if nxt not in reached and nxt in self.nodes:
                    reached.add(nxt)
                    queue.append(nxt)
        for nid, node in self.nodes.items():
            if nid not in reached:
                self.add(node.file, nid, "element.unreachable")

    def _provides(self, node: _Node) -> set[str]:
        names: set[str] = set()
        if node.tag in HUMAN_TASK_TAGS:
            form = self.bundle.forms.get(_spiff_properties(node.el).get("formKey", ""))
            if form is not None:
                names |= form.field_names()
        elif node.tag == "businessRuleTask":
            called = _text(node.el.find(
                f"{_q('extensionElements')}/{_q('calledDecisionId', SPIFF_NS)}"))
            if called in self.decisions:
                names |= {o.split(".")[0] for o in self.decisions[called].outputs}
        elif node.tag == "scriptTask":
            names |= _assigned_names(_text(node.el.find(_q("script"))))
        for tag in ("preScript", "postScript"):
            for script_el in node.el.iter(_q(tag, SPIFF_NS)):
                names |= _assigned_names(_text(script_el))
        return names

    def _upstream(self, start: str) -> set[str]:
        """Every element that can have run before `start` (not `start` itself)."""
        seen: set[str] = set()
        queue = deque([start])
        while queue:
            nid = queue.popleft()
            node = self.nodes.get(nid)
            preds: list[tuple[str, bool]] = [(p, True) for p in self.in_edges.get(nid, [])]
            if node is not None:
                if node.attached_to:
                    preds.append((node.attached_to, False))
                if node.tag == "startEvent" and node.scope in self.nodes:
                    scope_node = self.nodes[node.scope]
                    if scope_node.event_subprocess:  # may start at any time in its parent
                        preds.extend((p, True) for p in self.scopes.get(scope_node.scope, []))
                    else:  # entered from outside: what ran before the sub-process itself
                        preds.append((node.scope, False))
            for pred, finished in preds:
                if pred in seen or pred not in self.nodes:
                    continue
                seen.add(pred)
                queue.append(pred)
                if finished and self.nodes[pred].tag in SCOPE_TAGS:
                    seen.update(self._inner(pred))  # a finished sub-process ran all it holds
        return seen

    def _inner(self, scope: str) -> list[str]:
        out = []
        for nid in self.scopes.get(scope, []):
            out.append(nid)
            if self.nodes[nid].tag in SCOPE_TAGS:
                out.extend(self._inner(nid))
        return out

    def check_fields_provided(self) -> None:
        known = set(SAFE_BUILTINS) | HELPER_NAMES
        for fid, (src, _, el) in self.flows.items():
            cond = el.find(_q("conditionExpression"))
            if cond is None or not _text(cond) or src not in self.nodes:
                continue
            self._require(fid, src, names_read(_text(cond)) - known, "condition.field_not_provided",
                          condition=_text(cond))
        for node in self.nodes.values():
            if node.tag != "businessRuleTask":
                continue
            called = _text(node.el.find(
                f"{_q('extensionElements')}/{_q('calledDecisionId', SPIFF_NS)}"))
            decision = self.decisions.get(called)
            if decision is None:
                continue
            needed: set[str] = set()
            for expr in decision.inputs:
                needed |= names_read(expr)
            self._require(node.id, node.id, needed - known, "dmn.field_not_provided",
                          decision=called)

    def _require(self, element: str, anchor: str, needed: set[str], code: str,
                 **params: object) -> None:
        if not needed:
            return
        provided: set[str] = set()
        upstream = self._upstream(anchor)
        if self.nodes[anchor].tag != "businessRuleTask":
            upstream.add(anchor)  # a gateway's own source task runs before its condition
        for nid in upstream:
            provided |= self._provides(self.nodes[nid])
        for name in sorted(needed - provided):
            self.add(self._file_of(element), element, code, field=name, **params)


def _walk(starts: list[str], nexts: Any) -> list[str]:
    """Breadth-first order of everything reachable from `starts` (included) via `nexts(id)`."""
    seen = dict.fromkeys(starts)
    queue = deque(seen)
    while queue:
        for nxt in nexts(queue.popleft()):
            if nxt not in seen:
                seen[nxt] = None
                queue.append(nxt)
    return list(seen)


# Comparisons that are each other's opposite: one of `a == b` and `a != b` always holds.
_OPPOSITE_OPS = {ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.GtE, ast.GtE: ast.Lt,
                 ast.Gt: ast.LtE, ast.LtE: ast.Gt, ast.In: ast.NotIn, ast.NotIn: ast.In,
                 ast.Is: ast.IsNot, ast.IsNot: ast.Is}


def _exhaustive(conditions: list[str]) -> bool:
    """Whether two of the conditions are plainly each other's opposite, so one always holds.

    Only the obvious forms count: `x` and `not x`, or one comparison and its reverse
    (`a == b` / `a != b`, `a < b` / `a >= b`, `a in b` / `a not in b`). Anything subtler still
    needs a default flow.
    """
    trees = []
    for text in conditions:
        try:
            trees.append(ast.parse(text.strip(), mode="eval").body)
        except (SyntaxError, ValueError):
            continue
    for i, a in enumerate(trees):
        for b in trees[i + 1:]:
            if _opposite(a, b) or _opposite(b, a):
                return True
    return False


#: a comparison read the other way round: `1 < x` is `x > 1`
_MIRRORED_OPS: dict[type, type] = {ast.Eq: ast.Eq, ast.NotEq: ast.NotEq, ast.Lt: ast.Gt,
                                   ast.Gt: ast.Lt, ast.LtE: ast.GtE, ast.GtE: ast.LtE}


def _opposite(a: ast.expr, b: ast.expr) -> bool:
    if isinstance(b, ast.UnaryOp) and isinstance(b.op, ast.Not):
        return ast.dump(b.operand) == ast.dump(a)
    if isinstance(a, ast.Compare) and isinstance(b, ast.Compare) and len(a.ops) == len(b.ops) == 1:
        left, op, right = a.left, type(a.ops[0]), a.comparators[0]
        readings = [(b.left, type(b.ops[0]), b.comparators[0])]
        if type(b.ops[0]) in _MIRRORED_OPS:
            readings.append((b.comparators[0], _MIRRORED_OPS[type(b.ops[0])], b.left))
        return any(_OPPOSITE_OPS.get(op) is other_op
                   and ast.dump(left) == ast.dump(other_left)
                   and ast.dump(right) == ast.dump(other_right)
                   for other_left, other_op, other_right in readings)
    return False


def _element_index(linter: _Linter) -> dict[str, dict[str, Any]]:
    """bpmn id -> name, kind, role, form, stage; stage of non-task elements from the nearest task."""
    index: dict[str, dict[str, Any]] = {}
    for nid, node in linter.nodes.items():
        props = _spiff_properties(node.el) if node.tag in HUMAN_TASK_TAGS else {}
        index[nid] = {
            "name": node.el.get("name") or nid,
            "kind": node.tag,
            "role": role_for_lane(node.lane),
            "form": props.get("formKey"),
            "stage": props.get("stage"),
            "due": props.get("dueIn"),
        }
    for nid, info in index.items():
        if info["stage"]:
            continue
        seen, queue = {nid}, deque([nid])
        while queue and not info["stage"]:
            cur = queue.popleft()
            nexts = linter.out_edges.get(cur, []) + linter.boundary.get(cur, [])
            if linter.nodes[cur].tag in SCOPE_TAGS:
                nexts = linter._starts(cur) + nexts
            for nxt in nexts:
                if nxt in seen or nxt not in index:
                    continue
                if index[nxt]["kind"] in HUMAN_TASK_TAGS and index[nxt]["stage"]:
                    info["stage"] = index[nxt]["stage"]
                    break
                seen.add(nxt)
                queue.append(nxt)
    return index


def validate_bundle(bundle: Bundle) -> ValidationResult:
    """Check a bundle and, when it is sound, build its spec."""
    problems = list(bundle.problems)
    bpmn_trees: dict[str, Any] = {}
    dmn_trees: dict[str, Any] = {}
    for name, data in bundle.files.items():
        try:
            tree = parse_xml(data)
        except UnsafeXml as exc:
            problems.append(_xml_problem(name, exc))
            continue
        root = tree.getroot()
        ns = etree.QName(root.tag).namespace
        if ns == BPMN_NS and _local(root.tag) == "definitions":
            try:
                VALIDATOR.validate(root, name)
            except ValidationException as exc:
                problems.append(Problem(name, None, _schema_message(exc), "bpmn.schema",
                                        {"detail": _schema_detail(exc)}))
                continue
            bpmn_trees[name] = root
        elif ns in DMN_NAMESPACES and _local(root.tag) == "definitions":
            dmn_trees[name] = root
        else:
            problems.append(Problem.coded(name, None, "file.not_bpmn_or_dmn",
                                          root=etree.QName(root.tag).text))
    if not bpmn_trees:
        if not dmn_trees and not problems:
            problems.append(Problem.coded(bundle.name, None, "bundle.no_bpmn"))
        for name, root in dmn_trees.items():
            before = len(problems)
            _read_dmn(name, root, problems)
            if len(problems) > before:
                continue
            try:
                dmn_only = SpiffBpmnParser()
                dmn_only.add_dmn_xml(root, filename=name)
                for dmn_parser in dmn_only.dmn_parsers.values():
                    dmn_parser.parse()
            except Exception as exc:  # noqa: BLE001 - SpiffWorkflow's DMN errors vary in type
                problems.append(Problem.coded(name, None, "dmn.unreadable",
                                              detail=_spiff_message(exc)))
        return ValidationResult(problems)  # a DMN file alone is fine, but not deployable

    decisions: dict[str, _Decision] = {}
    for name, root in dmn_trees.items():
        for decision in _read_dmn(name, root, problems):
            if decision.id in decisions:
                problems.append(Problem.coded(name, decision.id, "dmn.duplicate_id",
                                              decision=decision.id,
                                              other_file=decisions[decision.id].file))
            decisions[decision.id] = decision

    models = [_read_model(name, root) for name, root in bpmn_trees.items()]
    executable = [(m.file, pid) for m in models for pid in m.executable]
    called = set().union(*(m.called for m in models))
    entries = [(f, pid) for f, pid in executable if pid not in called]
    if not executable:
        for m in models:
            problems.append(Problem.coded(m.file, m.processes[0] if m.processes else None,
                                          "process.not_executable"))
        return ValidationResult(problems)
    if len(entries) != 1:
        problems.append(Problem.coded(bundle.name, None, "bundle.entry_count", count=len(entries),
                                      processes=", ".join(pid for _, pid in entries)))
        return ValidationResult(problems)

    linter = _Linter(bundle, models, decisions)
    linter.run()
    problems.extend(linter.problems)
    if any(p.code in {"flow.unknown_source", "flow.unknown_target", "boundary.unknown_host"}
           for p in linter.problems):
        return ValidationResult(problems)  # SpiffWorkflow's messages for these mislead

    entry_file, entry_id = entries[0]
    parser = SpiffBpmnParser()
    try:
        for name, root in bpmn_trees.items():
            parser.add_bpmn_xml(root, filename=name)
        for name, root in dmn_trees.items():
            parser.add_dmn_xml(root, filename=name)
        spec = parser.get_spec(entry_id)
        subprocess_specs = parser.get_subprocess_specs(entry_id)
    except ValidationException as exc:
        problems.append(Problem.coded(exc.file_name or entry_file, exc.id or None,
                                      "engine.rejected", detail=_spiff_message(exc)))
        return ValidationResult(problems)
    except Exception as exc:  # noqa: BLE001 - SpiffWorkflow raises bare KeyError/AttributeError
        problems.append(Problem.coded(entry_file, None, "engine.unreadable",
                                      detail=f"{type(exc).__name__}: {exc}"))
        return ValidationResult(problems)
    if problems:
        return ValidationResult(problems)
    index = _element_index(linter)
    return ValidationResult([], BuiltProcess(entry_id, spec, subprocess_specs, index))


def _schema_detail(exc: ValidationException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else "schema validation failed"
    return re.sub(r"\{http://www\.omg\.org/spec/BPMN/20100524/MODEL\}", "bpmn:", text)


def _schema_message(exc: ValidationException) -> str:
    return f"not valid BPMN 2.0: {_schema_detail(exc)}"


# UnsafeXml says why in English only; its wording (engine/xmlsafe.py) tells the cases apart.
_XML_CODES = (("larger than", "xml.too_large"), ("DOCTYPE", "xml.doctype"),
              ("not an XML file", "xml.not_xml"))
_BROKEN_XML = "the XML is broken: "


def _xml_problem(file: str, exc: UnsafeXml) -> Problem:
    text = str(exc)
    if text.startswith(_BROKEN_XML):
        return Problem.coded(file, None, "xml.broken", detail=text[len(_BROKEN_XML):])
    code = next((c for marker, c in _XML_CODES if marker in text), "xml.unsafe")
    return Problem.coded(file, None, code, detail=text)


def _spiff_message(exc: Exception) -> str:
    msg = str(exc).split(". [tag=")[0].strip()
    msg = re.sub(r"<Element [^>]+>", "an element", msg)
    return msg or "the engine cannot read this process"
