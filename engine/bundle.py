"""Process bundles: read BPMN, DMN and forms from disk, check them, and build the runnable spec.

Every problem is reported as `file:element-id: message`, so a process owner can find it in the
modeler. Checks run in this order, each on what the previous one accepted: safe XML (no DTD,
size limit), BPMN/DMN schema, our structural lint (lanes, forms, stages, timers, conditions and
scripts in the sandbox, reachability, fields that no earlier form provides), and finally
SpiffWorkflow's own parser.
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
from .errors import Problem
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
            bundle.problems.append(Problem(f"forms/{path.name}", None, str(exc.message)))
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
            bundle.problems.append(Problem(root.name, None, "the folder holds no .bpmn or .dmn file"))
        local_forms = root / "forms"
    elif root.is_file():
        candidates = [root]
        local_forms = root.parent / "forms"
    else:
        bundle.problems.append(Problem(str(path), None, "no such file or folder"))
        return bundle
    for file in candidates[:MAX_BUNDLE_FILES]:
        try:
            bundle.files[file.name] = file.read_bytes()
        except OSError as exc:
            bundle.problems.append(Problem(file.name, None, f"cannot read the file: {exc.strerror}"))
    if len(candidates) > MAX_BUNDLE_FILES:
        bundle.problems.append(Problem(root.name, None, f"more than {MAX_BUNDLE_FILES} files"))
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


def _read_model(file: str, root: Any) -> _Model:
    model = _Model(file)
    for proc in root.iter(_q("process")):
        pid = proc.get("id") or ""
        model.processes.append(pid)
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


def _check_timer(file: str, node_id: str, definition: Any) -> list[Problem]:
    kinds = [(k, definition.find(_q(k))) for k in ("timeDuration", "timeDate", "timeCycle")]
    present = [(k, el) for k, el in kinds if el is not None]
    if not present:
        return [Problem(file, node_id, "timer has no timeDuration, timeDate or timeCycle value")]
    kind, el = present[0]
    expr = _text(el)
    if not expr:
        return [Problem(file, node_id, f"timer {kind} is empty")]
    if expr.startswith("${") or _ISO_LIKE.match(expr):
        return [Problem(file, node_id,
                        f"timer {kind} '{expr}' must be a Python expression: write an ISO 8601 "
                        f"value in quotes, e.g. \"{expr.strip('${}')}\"")]
    refused = check(expr, "eval")
    if refused:
        return [Problem(file, node_id, f"timer expression refused: {'; '.join(refused)}")]
    tree = ast.parse(expr, mode="eval").body
    if isinstance(tree, ast.Constant):
        if not isinstance(tree.value, str):
            return [Problem(file, node_id, f"timer {kind} must be an ISO 8601 text, not {expr}")]
        try:
            if kind == "timeDuration":
                TimerEventDefinition.parse_iso_duration(tree.value)
            elif kind == "timeDate":
                TimerEventDefinition.parse_time_or_duration(tree.value)
            else:
                TimerEventDefinition.parse_iso_recurring_interval(tree.value)
        except Exception:  # noqa: BLE001 - SpiffWorkflow raises several types for bad values
            return [Problem(file, node_id,
                            f"timer {kind} '{tree.value}' is not a valid ISO 8601 value")]
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
        problems.append(Problem(file, decisions[1].get("id"),
                                f"the file holds {len(decisions)} decisions; the engine reads one "
                                "decision per DMN file: put each decision in a file of its own"))
    out = []
    for decision in decisions[:1]:
        did = decision.get("id") or ""
        table = decision.find(f"{{{ns}}}decisionTable")
        if table is None:
            problems.append(Problem(file, did, "the decision has no decision table"))
            continue
        inputs, outputs = [], []
        for inp in table.findall(f"{{{ns}}}input"):
            expr_el = inp.find(f"{{{ns}}}inputExpression/{{{ns}}}text")
            expr = _text(expr_el)
            inputs.append(expr)
            if not expr:
                problems.append(Problem(file, inp.get("id"), "DMN input has no expression"))
                continue
            for msg in check(expr, "eval"):
                problems.append(Problem(file, inp.get("id"), f"DMN input expression refused: {msg}"))
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
                    problems.append(Problem(file, entry.get("id") or rule.get("id"),
                                            f"DMN cell refused: {msg}"))
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

    def add(self, node_or_file: str, element: str | None, message: str) -> None:
        self.problems.append(Problem(node_or_file, element, message))

    def run(self) -> None:
        self.check_references()
        for node in self.nodes.values():
            self.check_node(node)
        for fid, (_, _, el) in self.flows.items():
            cond = el.find(_q("conditionExpression"))
            if cond is not None and _text(cond):
                expr = _text(cond)
                if "${" in expr or "#{" in expr:
                    self.add(self._file_of(fid), fid,
                             f"condition '{expr}' is a JUEL/Camunda expression: conditions here "
                             "are Python expressions over the form fields, e.g. approved == True")
                    continue
                for msg in check(expr, "eval"):
                    self.add(self._file_of(fid), fid, f"condition refused by the sandbox: {msg}")
        self.check_reachability()
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
                    self.add(self._file_of(fid), fid,
                             f"sequence flow {end} '{ref}' is not an element of the diagram")
        for node in self.nodes.values():
            if node.attached_to and node.attached_to not in self.nodes:
                self.add(node.file, node.id,
                         f"boundary event is attached to '{node.attached_to}', which does not exist")

    def check_node(self, node: _Node) -> None:
        el, file = node.el, node.file
        if node.tag in HUMAN_TASK_TAGS:
            props = _spiff_properties(el)
            form = props.get("formKey") or el.get(_q("formKey", CAMUNDA_NS))
            if not form:
                self.add(file, node.id, "user task has no form: set the formKey property")
            elif form not in self.bundle.forms:
                self.add(file, node.id, f"form '{form}' does not exist in forms/")
            elif not props.get("formKey"):
                self.add(file, node.id, "camunda:formKey is not read by this engine: set the "
                                        "spiffworkflow formKey property instead")
            stage = props.get("stage")
            if not stage:
                self.add(file, node.id, "user task has no stage: set the stage property "
                                        f"({', '.join(STAGES)})")
            elif stage not in STAGES:
                self.add(file, node.id, f"stage '{stage}' is unknown ({', '.join(STAGES)})")
            due = props.get("dueIn")
            if due is not None and due_delta(due) is None:
                self.add(file, node.id, f"dueIn '{due}' is not an ISO 8601 duration such as P14D "
                                        "or P1M")
            if not node.lane:
                self.add(file, node.id, "user task is in no lane: put it in the lane of the role "
                                        "that does it")
            elif role_for_lane(node.lane) is None:
                self.add(file, node.id, f"lane '{node.lane}' is not a known role (Koordinerende "
                                        "enhet, Koordinator, Leder)")
        elif node.tag == "task":
            self.add(file, node.id, "task has no type: make it a user task with a form, or a "
                                    "script task")
        elif node.tag == "businessRuleTask":
            called = _text(el.find(f"{_q('extensionElements')}/{_q('calledDecisionId', SPIFF_NS)}"))
            if not called and el.get(_q("decisionRef", CAMUNDA_NS)):
                self.add(file, node.id, "camunda:decisionRef is not read by this engine: set "
                                        "spiffworkflow:calledDecisionId instead")
            elif not called:
                self.add(file, node.id, "business rule task names no decision (calledDecisionId)")
            elif called not in self.decisions:
                self.add(file, node.id, f"DMN table '{called}' is missing from the bundle")
        if node.tag == "scriptTask":
            for msg in check(_text(el.find(_q("script"))), "exec"):
                self.add(file, node.id, f"script refused by the sandbox: {msg}")
        for tag in ("preScript", "postScript"):
            for script_el in el.iter(_q(tag, SPIFF_NS)):
                for msg in check(_text(script_el), "exec"):
                    self.add(file, node.id, f"{tag} refused by the sandbox: {msg}")
        for timer in el.findall(_q("timerEventDefinition")):
            self.problems.extend(_check_timer(file, node.id, timer))

    def _starts(self, scope: str) -> list[str]:
        return [n for n in self.scopes.get(scope, []) if self.nodes[n].tag == "startEvent"]

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
                self.add(node.file, nid, "element cannot be reached from a start event")

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
            self._require(fid, src, names_read(_text(cond)) - known, "condition")
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
            self._require(node.id, node.id, needed - known, f"DMN table '{called}'")

    def _require(self, element: str, anchor: str, needed: set[str], what: str) -> None:
        if not needed:
            return
        provided: set[str] = set()
        upstream = self._upstream(anchor)
        if self.nodes[anchor].tag != "businessRuleTask":
            upstream.add(anchor)  # a gateway's own source task runs before its condition
        for nid in upstream:
            provided |= self._provides(self.nodes[nid])
        for name in sorted(needed - provided):
            self.add(self._file_of(element), element,
                     f"{what} reads '{name}', which no earlier form or decision provides")


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
            problems.append(Problem(name, None, str(exc)))
            continue
        root = tree.getroot()
        ns = etree.QName(root.tag).namespace
        if ns == BPMN_NS and _local(root.tag) == "definitions":
            try:
                VALIDATOR.validate(root, name)
            except ValidationException as exc:
                problems.append(Problem(name, None, _schema_message(exc)))
                continue
            bpmn_trees[name] = root
        elif ns in DMN_NAMESPACES and _local(root.tag) == "definitions":
            dmn_trees[name] = root
        else:
            problems.append(Problem(name, None,
                                    f"not a BPMN 2.0 or DMN file (root element is "
                                    f"'{etree.QName(root.tag).text}')"))
    if not bpmn_trees:
        if not dmn_trees and not problems:
            problems.append(Problem(bundle.name, None, "the bundle has no BPMN diagram"))
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
                problems.append(Problem(name, None, f"the engine cannot read this decision: "
                                                    f"{_spiff_message(exc)}"))
        return ValidationResult(problems)  # a DMN file alone is fine, but not deployable

    decisions: dict[str, _Decision] = {}
    for name, root in dmn_trees.items():
        for decision in _read_dmn(name, root, problems):
            if decision.id in decisions:
                problems.append(Problem(name, decision.id,
                                        f"decision id also used in {decisions[decision.id].file}"))
            decisions[decision.id] = decision

    models = [_read_model(name, root) for name, root in bpmn_trees.items()]
    executable = [(m.file, pid) for m in models for pid in m.executable]
    called = set().union(*(m.called for m in models))
    entries = [(f, pid) for f, pid in executable if pid not in called]
    if not executable:
        for m in models:
            problems.append(Problem(m.file, m.processes[0] if m.processes else None,
                                    "no executable process: this diagram only describes a process "
                                    "(isExecutable is not true) and cannot be run"))
        return ValidationResult(problems)
    if len(entries) != 1:
        problems.append(Problem(bundle.name, None,
                                "the bundle must have exactly one executable process that no call "
                                f"activity calls; found {len(entries)}: "
                                + ", ".join(pid for _, pid in entries)))
        return ValidationResult(problems)

    linter = _Linter(bundle, models, decisions)
    linter.run()
    problems.extend(linter.problems)
    if any(p.message.startswith("sequence flow") or "boundary event is attached" in p.message
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
        problems.append(Problem(exc.file_name or entry_file, exc.id or None, _spiff_message(exc)))
        return ValidationResult(problems)
    except Exception as exc:  # noqa: BLE001 - SpiffWorkflow raises bare KeyError/AttributeError
        problems.append(Problem(entry_file, None,
                                f"the engine cannot read this process: {type(exc).__name__}: {exc}"))
        return ValidationResult(problems)
    if problems:
        return ValidationResult(problems)
    index = _element_index(linter)
    return ValidationResult([], BuiltProcess(entry_id, spec, subprocess_specs, index))


def _schema_message(exc: ValidationException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else "schema validation failed"
    text = re.sub(r"\{http://www\.omg\.org/spec/BPMN/20100524/MODEL\}", "bpmn:", text)
    return f"not valid BPMN 2.0: {text}"


def _spiff_message(exc: Exception) -> str:
    msg = str(exc).split(". [tag=")[0].strip()
    msg = re.sub(r"<Element [^>]+>", "an element", msg)
    return msg or "the engine cannot read this process"
