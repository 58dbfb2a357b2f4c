"""The signals a case can take now, read from its diagram: who may raise one is the web
layer's question, which signals exist and are awaited is the diagram's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.item_aware_event import SignalEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.util.task import TaskState

from .timers import all_tasks


@dataclass(frozen=True)
class CaseSignal:
    #: the signal's name, what `Koordinator.send_signal` takes
    signal: str
    #: the element that catches it, and its name in the diagram (what a person reads)
    element_id: str
    label: str


def _signals(definition: Any) -> list[str]:
    defs = definition.event_definitions if isinstance(definition, MultipleEventDefinition) \
        else [definition]
    return [d.name for d in defs if isinstance(d, SignalEventDefinition) and d.name]


def catchable_signals(wf: Any) -> list[CaseSignal]:
    """Signals some part of the case waits for: a catch or boundary event that is waiting, or
    an event sub-process of the process that a signal starts."""
    found: dict[str, CaseSignal] = {}
    if wf.is_completed():
        return []
    for task in all_tasks(wf):
        definition = getattr(task.task_spec, "event_definition", None)
        if task.state != TaskState.WAITING or definition is None:
            continue
        for name in _signals(definition):
            spec = task.task_spec
            found.setdefault(name, CaseSignal(name, spec.bpmn_id or spec.name,
                                              spec.bpmn_name or name))
    for sub_name in getattr(wf.spec.start, "trigger_specs", []):
        sub_spec = wf.subprocess_specs.get(sub_name)
        for start in getattr(sub_spec, "bpmn_start_events", []) if sub_spec else []:
            for name in _signals(start.event_definition):
                found.setdefault(name, CaseSignal(name, start.bpmn_id or start.name,
                                                  start.bpmn_name or name))
    return sorted(found.values(), key=lambda c: c.label)
