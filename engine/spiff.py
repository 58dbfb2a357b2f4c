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
    """Rebuild (spec, subprocess_specs) from a version's JSON, cached per thread by `cache_key`."""
    ser = serializer()
    cache: OrderedDict = _local.specs
    hit = cache.get(cache_key)
    if hit is not None:
        cache.move_to_end(cache_key)
        return hit
    dct = json.loads(specs_json)
    spec = ser.from_dict(dct["spec"])
    subs = {k: ser.from_dict(v) for k, v in dct["subprocess_specs"].items()}
    cache[cache_key] = (spec, subs)
    while len(cache) > _SPEC_CACHE_SIZE:
        cache.popitem(last=False)
    return spec, subs


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


def load_workflow(state_json: str, spec: Any, subprocess_specs: dict[str, Any],
                  script_engine: PythonScriptEngine) -> BpmnWorkflow:
    serializer()
    conv = _workflow_converter()
    dct = json.loads(state_json)
    wf = conv.target_class(spec, subprocess_specs, deserializing=True)
    wf.tasks = conv.mapping_from_dict(dct["tasks"], UUID, workflow=wf)
    wf.task_tree = wf.tasks.get(UUID(dct["root"]))
    conv.set_default_attributes(wf, dct)
    conv.subprocesses_from_dict(dct["subprocesses"], wf)
    wf.bpmn_events = conv.registry.restore(dct.pop("bpmn_events", []))
    wf.script_engine = script_engine
    return wf
