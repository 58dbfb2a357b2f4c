"""Plain values the engine hands to its callers (no SpiffWorkflow or SQLAlchemy objects)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class VersionInfo:
    id: int
    kommune: str
    process_id: str
    number: int
    name: str
    created_at: datetime
    created_by: str
    note: str


@dataclass(frozen=True)
class TaskInfo:
    id: str
    case_id: int
    kommune: str
    bpmn_id: str
    name: str
    role: str | None
    form_key: str | None
    stage: str | None
    state: str
    assignee: str | None
    claimed_by: str | None
    created_at: datetime
    completed_at: datetime | None
    completed_by: str | None
    due_at: datetime | None = None
    #: the case's person (initials and name), where the query joined them
    person_label: str | None = None
    person_name: str | None = None


@dataclass(frozen=True)
class CaseInfo:
    id: int
    kommune: str
    status: str
    stage: str | None
    coordinator: str | None
    person_label: str | None
    process_id: str
    version_number: int
    process_version_id: int
    #: the optimistic-lock version: pass it back to detect changes made meanwhile
    version: int
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    next_timer_due: datetime | None
    open_tasks: list[TaskInfo] = field(default_factory=list)
    state_bytes: int = 0
    person_name: str | None = None
    secondary_coordinator: str | None = None

    def task(self, bpmn_id: str) -> TaskInfo:
        """The open task with this diagram id (raises KeyError if there is none)."""
        for t in self.open_tasks:
            if t.bpmn_id == bpmn_id:
                return t
        raise KeyError(f"no open task {bpmn_id} in case {self.id}; open: "
                       f"{[t.bpmn_id for t in self.open_tasks]}")


@dataclass(frozen=True)
class AuditInfo:
    at: datetime
    actor: str
    kind: str
    task_id: str | None
    bpmn_id: str | None
    stage: str | None
    data: Any


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    kommune: str
    full_name: str
    roles: tuple[str, ...]
    active: bool
    absent: bool = False

    def has_role(self, *roles: str) -> bool:
        return any(r in self.roles for r in roles)


@dataclass(frozen=True)
class KommuneInfo:
    code: str
    name: str
    number: str | None = None
    #: nb (bokmål) or nn (nynorsk)
    language: str = "nb"
    initials_only: bool = False
    coordinator_term: str | None = None
    unit_name: str | None = None
    unit_contact: str | None = None
    #: ISO 8601 duration suggesting the next evaluation date (P6M); None = no suggestion
    evaluation_interval: str | None = None


@dataclass(frozen=True)
class Worklist:
    """What waits for one user: their own tasks and the unclaimed tasks of their roles."""

    mine: list[TaskInfo]
    available: list[TaskInfo]
    mine_count: int
    available_count: int
    overdue_count: int
