"""The one place that talks to SpiffWorkflow: parse, build, load and dump workflows.

Specs are parsed once per deployed version and stored as JSON beside the version; a case's
stored state holds only its tasks and data (the spec is rebuilt from the version's JSON and
cached per thread). SpiffWorkflow's serializer keeps shared mutable state, so every thread gets
its own serializer and spec cache.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import WorkflowConverter
from SpiffWorkflow.bpmn.serializer.helpers.encoder import create_encoder
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

SERIALIZER_VERSION = "1.5"
_SPEC_CACHE_SIZE = 32
_local = threading.local()


def serializer() -> BpmnWorkflowSerializer:
    ser = getattr(_local, "serializer", None)
    if ser is None:
        ser = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
        _local.serializer = ser
        _local.encoder = create_encoder(ser.registry)
        _local.specs = OrderedDict()
    return ser


def _workflow_converter() -> Any:
    # The registry stores partial(_obj_from_dict, bound_from_dict); we want the converter itself
    # so a workflow can be restored around spec objects that are already built.
    from_dict = serializer().registry.convert_from_dict["BpmnWorkflow"]
    return from_dict.args[0].__self__


def dump_specs(spec: Any, subprocess_specs: dict[str, Any]) -> str:
    ser = serializer()
    return json.dumps(
        {
            "spec": ser.to_dict(spec),
            "subprocess_specs": {k: ser.to_dict(v) for k, v in subprocess_specs.items()},
        },
        cls=_local.encoder,
    )


def load_specs(cache_key: Any, specs_json: str) -> tuple[Any, dict[str, Any]]:
    """Rebuild (spec, subprocess_specs) from a version's JSON, cached per thread by `cache_key`.

    The key must name the database as well as the version: two databases both have a version 1.
    """
    serializer()
    cache: OrderedDict = _local.specs
    hit = cache.get(cache_key)
    if hit is not None:
        cache.move_to_end(cache_key)
        return hit[0], hit[1]
    spec, subs = parse_specs(specs_json)
    cache[cache_key] = (spec, subs, _shape(spec, subs))
    while len(cache) > _SPEC_CACHE_SIZE:
        cache.popitem(last=False)
    return spec, subs


def parse_specs(specs_json: str) -> tuple[Any, dict[str, Any]]:
    """A private copy of a version's specs (not cached)."""
    ser = serializer()
    dct = json.loads(specs_json)
    return (ser.from_dict(dct["spec"]),
            {k: ser.from_dict(v) for k, v in dct["subprocess_specs"].items()})


def _shape(spec: Any, subs: dict[str, Any]) -> tuple[int, ...]:
    """How many connections each process spec has: changes when the engine rewires a spec."""
    return tuple(sum(len(t.inputs) + len(t.outputs) for t in s.task_specs.values())
                 for s in (spec, *subs.values()))


def forget_if_changed(cache_key: Any) -> bool:
    """Drop a cached spec that running a workflow has changed; True if it was dropped.

    SpiffWorkflow 3.2 wires an event sub-process into the *spec* when its event fires
    (`BpmnStartTask.trigger_wf`), so a shared spec would make the next case wait for a
    sub-process it never started, and never finish.
    """
    cache: OrderedDict = getattr(_local, "specs", OrderedDict())
    hit = cache.get(cache_key)
    if hit is None or _shape(hit[0], hit[1]) == hit[2]:
        return False
    del cache[cache_key]
    return True


def forget_all_changed() -> int:
    """Drop every cached spec of this thread that running a workflow has changed."""
    cache: OrderedDict = getattr(_local, "specs", OrderedDict())
    changed = [key for key, hit in cache.items() if _shape(hit[0], hit[1]) != hit[2]]
    for key in changed:
        del cache[key]
    return len(changed)


def new_workflow(spec: Any, subprocess_specs: dict[str, Any],
                 script_engine: PythonScriptEngine) -> BpmnWorkflow:
    return BpmnWorkflow(spec, subprocess_specs, script_engine=script_engine)


def dump_workflow(wf: BpmnWorkflow) -> str:
    """The case's state as compact JSON, without the spec."""
    serializer()
    conv = _workflow_converter()
    registry = conv.registry
    dct = WorkflowConverter.to_dict(conv, wf)  # tasks and data only: the spec is stored per version
    dct["subprocesses"] = conv.mapping_to_dict(wf.subprocesses)
    dct["bpmn_events"] = registry.convert(wf.bpmn_events)
    return json.dumps(dct, cls=_local.encoder, separators=(",", ":"))


def _unwired_triggers(spec: Any, subs: dict[str, Any]) -> set[str]:
    """Event sub-processes that the spec has not (yet) wired in, by task spec name."""
    names: set[str] = set()
    for process in (spec, *subs.values()):
        start = process.start
        names.update(n for n in getattr(start, "trigger_specs", [])
                     if process.task_specs.get(n) not in start.outputs)
    return names


def _task_spec_names(dct: dict[str, Any]) -> set[str]:
    names = {t["task_spec"] for t in dct["tasks"].values()}
    for sub in dct.get("subprocesses", {}).values():
        names.update(t["task_spec"] for t in sub["tasks"].values())
    return names


def _wire_triggered(spec: Any, subs: dict[str, Any], present: set[str]) -> None:
    """Connect each event sub-process that a case has started, as SpiffWorkflow did when its
    event fired (`BpmnStartTask.trigger_wf`); a spec read back from JSON lacks that wiring."""
    for process in (spec, *subs.values()):
        start = process.start
        for name in getattr(start, "trigger_specs", []):
            task_spec = process.task_specs.get(name)
            if name in present and task_spec is not None and task_spec not in start.outputs:
                start.connect(task_spec)
                task_spec.connect(process.end)


def load_workflow(state_json: str, spec: Any, subprocess_specs: dict[str, Any],
                  script_engine: PythonScriptEngine,
                  private_specs: Callable[[], tuple[Any, dict[str, Any]]] | None = None
                  ) -> BpmnWorkflow:
    """A case's workflow on the given (shared, cached) specs.

    A case that has started an event sub-process (a handover) needs specs wired for it; those
    are a private copy from `private_specs`, so the shared specs stay as deployed.
    """
    serializer()
    conv = _workflow_converter()
    dct = json.loads(state_json)
    if private_specs is not None:
        present = _task_spec_names(dct)
        if present & _unwired_triggers(spec, subprocess_specs):
            spec, subprocess_specs = private_specs()
            _wire_triggered(spec, subprocess_specs, present)
    wf = conv.target_class(spec, subprocess_specs, deserializing=True)
    wf.tasks = conv.mapping_from_dict(dct["tasks"], UUID, workflow=wf)
    wf.task_tree = wf.tasks.get(UUID(dct["root"]))
    conv.set_default_attributes(wf, dct)
    conv.subprocesses_from_dict(dct["subprocesses"], wf)
    wf.bpmn_events = conv.registry.restore(dct.pop("bpmn_events", []))
    wf.script_engine = script_engine
    return wf
