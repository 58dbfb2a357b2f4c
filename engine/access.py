"""Who may see and work what: need-to-know within one kommune.

The coordinating unit, leaders and admins of a kommune see its cases; a coordinator sees the
cases they coordinate or have a task in. Nobody sees another kommune's cases; the queries of
`engine.service` filter by kommune as well, so this is a second fence, not the only one.
"""

from __future__ import annotations

from .types import CaseInfo, TaskInfo, UserInfo

CASE_READERS = ("koordinerende_enhet", "leder", "admin")


def may_read_case(user: UserInfo, case: CaseInfo) -> bool:
    if user.kommune != case.kommune:
        return False
    if user.has_role(*CASE_READERS):
        return True
    if case.coordinator == user.username:
        return True
    return any(user.username in (t.assignee, t.claimed_by) for t in case.open_tasks)


def may_work_task(user: UserInfo, task: TaskInfo) -> bool:
    """The user may fill in the task's form now (it is theirs or their role's and unclaimed)."""
    if user.kommune != task.kommune or task.state != "ready":
        return False
    if task.claimed_by is not None:
        return task.claimed_by == user.username
    if task.assignee is not None:
        return task.assignee == user.username
    return task.role in user.roles


def may_raise_signals(user: UserInfo, case: CaseInfo) -> bool:
    """The coordinating unit and the case's coordinators may tell the case that something
    happened (an escalation, say); which events exist is the diagram's business."""
    if user.kommune != case.kommune or case.status != "active":
        return False
    return user.has_role("koordinerende_enhet", "admin") or user.username in (
        case.coordinator, case.secondary_coordinator)


def may_start_case(user: UserInfo) -> bool:
    return user.has_role("koordinerende_enhet", "admin")
