"""Driving one case of a kommune's process by the ids of its open tasks."""

from __future__ import annotations

from typing import Any

from engine.service import Koordinator


class VariantCase:
    """A new case in `kommune` (set by a subclass), completed task by task."""

    kommune = ""

    def __init__(self, engine: Koordinator, clock):  # type: ignore[no-untyped-def]
        self.engine, self.clock = engine, clock
        self.info = engine.start_case(self.kommune, actor="kari.ke")

    @property
    def open(self) -> list[str]:
        return sorted(t.bpmn_id for t in self.info.open_tasks)

    def do(self, bpmn_id: str, data: dict[str, Any], actor: str = "kari.ke") -> None:
        task = self.info.task(bpmn_id)
        self.info = self.engine.complete_task(task.id, data, actor=actor, kommune=self.kommune)
