"""Keep long-lived cases small: drop the task history that finished loops leave behind.

SpiffWorkflow 3.2 keeps every finished task in the tree and stops seeing new tasks once the tree
is 1,000 deep (about 248 evaluation loops), after which it reports the case as completed. It has
no purge API. After each request, once the audit rows are written, each workflow of the case
(the top level and every sub-process) is re-rooted at the nearest completed task that is an
ancestor of all its unfinished tasks; everything outside that subtree is history we already keep
in the audit table.
"""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.util.task import TaskState


def _path_from_root(task: Any) -> list[Any]:
    path = []
    while task is not None:
        path.append(task)
        task = task.parent
    path.reverse()
    return path


def _compact_one(workflow: Any, top: Any) -> int:
    unfinished = [t for t in workflow.tasks.values() if not t.has_state(TaskState.FINISHED_MASK)]
    if not unfinished:
        return 0
    new_root = None
    for nodes in zip(*(_path_from_root(t) for t in unfinished)):
        first = nodes[0]
        if all(n is first for n in nodes):
            new_root = first
        else:
            break
    while new_root is not None and not new_root.has_state(TaskState.COMPLETED):
        new_root = new_root.parent
    if new_root is None or new_root is workflow.task_tree:
        return 0
    keep: dict[Any, Any] = {}
    stack = [new_root]
    while stack:
        task = stack.pop()
        keep[task.id] = task
        stack.extend(task.children)
    dropped = [tid for tid in workflow.tasks if tid not in keep]
    for tid in dropped:
        if tid in top.subprocesses:
            top.delete_subprocess(workflow.tasks[tid])
    new_root._parent = None
    workflow.tasks = keep
    workflow.task_tree = new_root
    if workflow.last_task is not None and workflow.last_task.id not in keep:
        workflow.last_task = new_root
    return len(dropped)


def compact(wf: Any) -> int:
    """Drop finished history from `wf` and its sub-processes; return how many tasks went."""
    if wf.is_completed():
        return 0
    dropped = _compact_one(wf, wf)
    for sub_id in list(wf.subprocesses):
        sub = wf.subprocesses.get(sub_id)  # compacting one may have deleted a nested one
        if sub is not None:
            dropped += _compact_one(sub, wf)
    return dropped
