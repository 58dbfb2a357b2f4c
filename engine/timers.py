"""Reading and forcing the timers of a workflow, so that our timer table is the clock's source of truth."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.util.task import TaskState


@dataclass(frozen=True)
class WaitingTimer:
    task_id: str
    bpmn_id: str
    due_at: datetime  # naive UTC


def all_tasks(wf: Any) -> Iterator[Any]:
    """Every task of the case, sub-processes included (no depth limit, unlike get_tasks)."""
    yield from wf.tasks.values()
    for sub in wf.subprocesses.values():
        yield from sub.tasks.values()


def _timer_definitions(task: Any) -> list[Any]:
    ed = getattr(task.task_spec, "event_definition", None)
    if ed is None:
        return []
    defs = ed.event_definitions if isinstance(ed, MultipleEventDefinition) else [ed]
    return [d for d in defs if isinstance(d, TimerEventDefinition)]


def _naive_utc(dt: datetime) -> datetime:
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC).replace(tzinfo=None)
    return dt


def _due(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, dict):  # cycle timer
        if value.get("cycles", 0) == 0:
            return None
        return _naive_utc(datetime.fromisoformat(value["next"]))
    text = str(value)
    if text.upper().startswith("P"):
        return None
    return _naive_utc(TimerEventDefinition.parse_time_or_duration(text))


def waiting_timers(wf: Any) -> list[WaitingTimer]:
    out = []
    for task in all_tasks(wf):
        if task.state != TaskState.WAITING or not _timer_definitions(task):
            continue
        due = _due(task.internal_data.get("event_value"))
        if due is not None:
            out.append(WaitingTimer(str(task.id), task.task_spec.bpmn_id or task.task_spec.name, due))
    return out


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def rebase_new_timers(wf: Any, known: set[str], offset: timedelta) -> None:
    """Let durations count from the engine's clock instead of the wall clock SpiffWorkflow uses.

    SpiffWorkflow sets a duration or cycle timer's due time to wall-clock now plus the duration
    when the timer starts. With a clock of its own (a tried draft whose clock was jumped, a test)
    the engine's now differs by `offset`; timers started in this step (not in `known`) move by it.
    Dates stay as they are.
    """
    for task in all_tasks(wf):
        if task.state != TaskState.WAITING or str(task.id) in known:
            continue
        value = task.internal_data.get("event_value")
        for definition in _timer_definitions(task):
            if isinstance(definition, DurationTimerEventDefinition) and isinstance(value, str):
                moved = TimerEventDefinition.get_datetime(value) + offset
                task.internal_data["event_value"] = moved.isoformat()
            elif isinstance(definition, CycleTimerEventDefinition) and isinstance(value, dict) \
                    and value.get("next") and not _DATE.search(str(definition.expression)):
                # (a cycle with its own start date, R3/2027-06-01T08:00Z/P1D, stays put)
                value["next"] = (datetime.fromisoformat(value["next"]) + offset).isoformat()


def force_fire(task: Any) -> Callable[[], None] | None:
    """Mark a waiting timer as due now, whatever SpiffWorkflow's wall clock says.

    Our scheduler decides when a timer is due (with the engine's clock); SpiffWorkflow then only
    has to notice on the next refresh_timers(). For a cycle the answer is a function to call
    after that refresh: SpiffWorkflow reckons the next round from the forced time, and it must
    come one period after the round that fired instead.
    """
    restore = None
    for definition in _timer_definitions(task):
        if isinstance(definition, CycleTimerEventDefinition):
            value = task.internal_data.get("event_value")
            if isinstance(value, dict) and value.get("next"):
                following = (datetime.fromisoformat(value["next"])
                             + timedelta(seconds=float(value.get("duration", 0)))).isoformat()
                value["next"] = datetime(1970, 1, 1, tzinfo=UTC).isoformat()

                def restore(task: Any = task, following: str = following) -> None:
                    again = task.internal_data.get("event_value")
                    if isinstance(again, dict) and again.get("cycles", 0) != 0:
                        again["next"] = following
        else:
            task.internal_data["event_fired"] = True
    return restore
