"""Moving running cases onto a newer (or another) version of their process.

A case can move when everything it is waiting at exists in the target version under the same
id and of the same kind: its ready user tasks, waiting timers and events, and the sub-processes
in progress (also inside them). The tasks keep their ids, data and timer due dates; only the
spec they point at changes. What the case has already done is history: finished tasks that the
new version no longer has are dropped from the engine state (the audit table keeps them), unless
the case's waiting tasks descend from them, which makes the case not movable.

SpiffWorkflow's own `bpmn.util.diff.migrate_workflow` resets every READY and WAITING task
(`Task.reset_branch`): that recomputes a waiting timer's due date from the moment of migration
and re-inherits task data, and its alignment may map a removed id onto a different element.
We want "same id, same task, same due date", so the rebinding is done here by name: the case
state is stored by task spec name, so dropping what the target lacks and the predicted
(not yet reached) tasks, then loading the same state on the target's specs rebinds every task;
the predicted tasks are then predicted again from the target's flow.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import UUID

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from . import spiff
from .bundle import due_delta
from .clock import add_duration
from .errors import Conflict, InvalidTransition, NotFound
from .models import Case, HumanTask, ProcessVersion
from .timers import all_tasks

if TYPE_CHECKING:
    from .service import Koordinator

log = logging.getLogger(__name__)

#: reached and not finished: what a case waits at (FUTURE only when its parent is finished)
_ACTIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR
#: what SpiffWorkflow predicts below an unfinished task; rebuilt from the target's flow
_PREDICTED = TaskState.FUTURE | TaskState.PREDICTED_MASK


@dataclass(frozen=True)
class MigrationCandidate:
    """A running case on another version of the process, and whether it can move."""

    case_id: int
    from_version_id: int
    from_version_number: int
    #: the case's optimistic-lock version when listed: pass it back to `migrate_cases`
    version: int
    stage: str | None
    coordinator: str | None
    person_label: str | None
    person_name: str | None
    #: bpmn ids the case waits at: ready user tasks, waiting timers/events, running sub-processes
    waiting: list[str]
    movable: bool
    #: waiting ids that the target version does not have
    missing: list[str] = field(default_factory=list)
    #: why the case cannot move, one sentence per element (empty when movable)
    problems: list[str] = field(default_factory=list)


@dataclass
class _Plan:
    """What moving one case's workflow means, found without changing it."""

    waiting: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: finished tasks (with their subtrees) the target version does not have
    drop_tasks: list[Any] = field(default_factory=list)
    #: finished sub-processes (by their calling task's id) that do not fit the target version
    drop_subprocesses: set[UUID] = field(default_factory=set)


# --- deciding --------------------------------------------------------------------------------


def _is_predicted(task: Any) -> bool:
    parent = task.parent
    return (task.has_state(_PREDICTED) and parent is not None
            and not parent.has_state(TaskState.FINISHED_MASK))


def _is_active(task: Any) -> bool:
    return task.has_state(_ACTIVE) or (task.has_state(_PREDICTED) and not _is_predicted(task))


def _label(task_spec: Any) -> str:
    return task_spec.bpmn_id or task_spec.name


def _kind(task_spec: Any) -> tuple[str, ...]:
    """What a task spec is, beyond its id: its class, its event and its called process."""
    event = getattr(task_spec, "event_definition", None)
    return (type(task_spec).__name__, type(event).__name__ if event is not None else "",
            str(getattr(task_spec, "spec", "") or ""))


def _boundary_events(process: Any, name: str) -> set[str] | None:
    # A task with boundary events sits under a split that the parser names after it.
    split = process.task_specs.get(f"{name}.BoundaryEventSplit")
    return None if split is None else {o.name for o in split.outputs}


def _plan(wf: Any, new_spec: Any, new_subs: dict[str, Any]) -> _Plan:
    """Check every workflow of the case (top level and sub-processes) against the target."""
    plan = _Plan()
    by_id = {t.id: t for t in all_tasks(wf)}
    workflows = [(wf, new_spec)] + [(sub, new_subs.get(sub.spec.name))
                                    for sub in wf.subprocesses.values()]
    for workflow, target in workflows:
        parent_task = by_id.get(getattr(workflow, "parent_task_id", None))
        if parent_task is not None and parent_task.has_state(TaskState.FINISHED_MASK):
            # A sub-process that has finished is history: keep it only if it fits as it is.
            if target is None or any(t.task_spec.name not in target.task_specs
                                     for t in workflow.tasks.values()):
                plan.drop_subprocesses.add(parent_task.id)
            continue
        active = [t for t in workflow.tasks.values() if _is_active(t)]
        ancestors: set[UUID] = set()
        for task in active:
            _check_active(task, workflow.spec, target, plan)
            node = task.parent
            while node is not None and node.id not in ancestors:
                ancestors.add(node.id)
                node = node.parent
        for task in workflow.tasks.values():
            if (not task.has_state(TaskState.FINISHED_MASK)
                    or (target is not None and task.task_spec.name in target.task_specs)):
                continue
            if task.id in ancestors or task.parent is None:
                plan.problems.append(
                    f"{_label(task.task_spec)}: the case has passed this element on its way to "
                    "what it waits at, and the new version does not have it")
            elif target is not None and task.parent.task_spec.name in target.task_specs:
                plan.drop_tasks.append(task)  # the top of a finished branch the target lacks
    plan.waiting = sorted(set(plan.waiting))
    plan.missing = sorted(set(plan.missing))
    plan.problems = list(dict.fromkeys(plan.problems))  # a loop may hold a task twice
    return plan


def _check_active(task: Any, old_process: Any, target: Any, plan: _Plan) -> None:
    spec = task.task_spec
    label = _label(spec)
    if spec.bpmn_id:
        plan.waiting.append(label)
    new = target.task_specs.get(spec.name) if target is not None else None
    if new is None:
        plan.missing.append(label)
        plan.problems.append(f"{label}: the case waits here, and the new version does not have it")
        return
    if _kind(new) != _kind(spec):
        plan.problems.append(f"{label}: the case waits here, and in the new version it is a "
                             f"different kind of element ({type(new).__name__})")
        return
    if _boundary_events(old_process, spec.name) != _boundary_events(target, spec.name):
        plan.problems.append(f"{label}: the events attached to it differ in the new version")
    join = _changed_join_ahead(spec.name, old_process, target)
    if join is not None:
        plan.problems.append(f"{label}: the case is on one of several parallel ways that meet at "
                             f"{join}, and the new version has other ways into it")


def _joins(process: Any) -> dict[str, set[str]]:
    """Parallel and inclusive gateways where ways meet: name -> the names of their inputs."""
    return {name: {i.name for i in ts.inputs} for name, ts in process.task_specs.items()
            if type(ts).__name__ in ("ParallelGateway", "InclusiveGateway") and len(ts.inputs) > 1}


def _changed_join_ahead(name: str, old_process: Any, target: Any) -> str | None:
    """A join whose ways in differ between the versions, that this task reaches before any
    split: the case is inside that parallel part, and a token the target expects (or one it
    no longer expects) would leave the join waiting forever."""
    old_joins, new_joins = _joins(old_process), _joins(target)
    changed = {j for j in old_joins.keys() | new_joins.keys()
               if old_joins.get(j) != new_joins.get(j)}
    if not changed:
        return None
    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen or current not in target.task_specs:
            continue
        seen.add(current)
        spec = target.task_specs[current]
        if current in changed:
            return _label(spec)
        if type(spec).__name__ in ("ParallelGateway", "InclusiveGateway") and current != name \
                and len(spec.outputs) > 1:
            continue  # a split ahead: the parallel part after it starts fresh
        todo.extend(o.name for o in spec.outputs)
    return None


# --- moving ----------------------------------------------------------------------------------


def _strip(wf: Any, plan: _Plan) -> None:
    """Drop from the old workflow what the target cannot hold: predicted tasks and history."""
    dead: set[UUID] = set()

    def remove(workflow: Any, task: Any) -> None:
        if task.id in workflow.tasks:
            dead.update(t.id for t in task)
            workflow._remove_task(task.id)

    for task in plan.drop_tasks:
        remove(task.workflow, task)
    doomed = set(plan.drop_subprocesses)
    while True:  # a sub-process called from a dropped task (or sub-process) goes too
        more = {sid for sid, sub in wf.subprocesses.items()
                if sid not in doomed and (sid in dead or sub.parent_task_id in dead)}
        for sid in doomed | more:
            sub = wf.subprocesses.pop(sid, None)
            if sub is not None:
                dead.update(sub.tasks)
        if not more:
            break
        doomed |= more
    for workflow in (wf, *wf.subprocesses.values()):
        for task in list(workflow.tasks.values()):
            if task.id in workflow.tasks and _is_predicted(task):
                remove(workflow, task)
        if workflow.last_task is not None and workflow.last_task.id not in workflow.tasks:
            workflow.last_task = None


def _predict_again(wf: Any) -> None:
    """Predict each waiting task's way on in the target's flow, as SpiffWorkflow would have.

    A task may have children and still lack its way on: a multi-instance task's children are
    its instances, and stripping took away the prediction of what follows it.
    """
    for task in list(all_tasks(wf)):
        if not _is_active(task):
            continue
        have = {child.task_spec for child in task.children}
        if any(output not in have for output in task.task_spec.outputs):
            task.task_spec._predict(task, mask=task.state | _PREDICTED)


def _rebound_state(engine: Koordinator, s: Session, case: Case, old: ProcessVersion,
                   new: ProcessVersion) -> tuple[Any, _Plan]:
    """The case's workflow on the new version's specs, and the plan that got it there."""
    wf = engine._load_workflow(s, case, old)
    new_spec, new_subs = spiff.load_specs(engine._spec_key(new), new.spec_json)
    plan = _plan(wf, new_spec, new_subs)
    if plan.problems:
        return None, plan
    _strip(wf, plan)
    # The stored state names each task's spec: loading it on the new specs rebinds every task
    # (and wires a started event sub-process into a private copy, as for any case).
    moved = spiff.load_workflow(spiff.dump_workflow(wf), new_spec, new_subs,
                                engine._script_engine(s, case.kommune, case.id),
                                private_specs=lambda: spiff.parse_specs(new.spec_json))
    unbound = [str(t.id) for t in all_tasks(moved) if t.task_spec is None]
    if unbound:  # _plan missed something: never store a case that cannot be loaded
        raise InvalidTransition(f"case {case.id} cannot be moved: tasks {unbound} have no "
                                "element in the new version")
    _predict_again(moved)
    return moved, plan


def _refresh_tasks(s: Session, engine: Koordinator, case: Case, new: ProcessVersion) -> None:
    """Give the case's open user tasks the new version's name, form, role, stage and due date."""
    elements = engine._elements(new)
    coordinator = engine._acting_coordinator(s, case)
    for row in s.scalars(select(HumanTask).where(HumanTask.case_id == case.id,
                                                 HumanTask.state == "ready")):
        info = elements.get(row.bpmn_id, {})
        role = info.get("role")
        if role != row.role:  # another role's task now: its claim and assignment do not carry
            row.claimed_by = None
            row.assignee = coordinator if role == "koordinator" else None
        row.role = role
        row.name = info.get("name") or row.bpmn_id
        row.form_key = info.get("form")
        row.stage = info.get("stage")
        parts = due_delta(info["due"]) if info.get("due") else None
        row.due_at = add_duration(row.created_at, parts) if parts else None


def _target(s: Session, kommune: str, to_version_id: int) -> ProcessVersion:
    target = s.get(ProcessVersion, to_version_id)
    if target is None or target.kommune != kommune:
        raise NotFound(f"process version {to_version_id} does not exist")
    return target


def migration_candidates(engine: Koordinator, kommune: str, to_version_id: int,
                         after_case_id: int = 0,
                         limit: int | None = None) -> list[MigrationCandidate]:
    """The kommune's active cases on other versions of the target's process, each checked.

    Checking opens each case's state, so a page lists `limit` cases after `after_case_id`.
    """
    with engine._read() as s:
        target = _target(s, kommune, to_version_id)
        rows = s.execute(
            select(Case, ProcessVersion)
            .join(ProcessVersion, ProcessVersion.id == Case.process_version_id)
            .where(Case.kommune == kommune, Case.status == "active",
                   ProcessVersion.kommune == kommune,
                   ProcessVersion.process_id == target.process_id,
                   ProcessVersion.id != target.id, Case.id > after_case_id)
            .order_by(Case.id).limit(limit)).all()
        new_spec, new_subs = spiff.load_specs(engine._spec_key(target), target.spec_json)
        result = []
        for case, version in rows:
            try:
                wf = engine._load_workflow(s, case, version)
                plan = _plan(wf, new_spec, new_subs)
            except Exception as exc:  # one unreadable case must not hide the others
                log.exception("case %s could not be checked for migration", case.id)
                plan = _Plan(problems=[f"the case could not be read: {exc}"])
            result.append(MigrationCandidate(
                case_id=case.id, from_version_id=version.id, from_version_number=version.number,
                version=case.version, stage=case.stage, coordinator=case.coordinator,
                person_label=case.person_label, person_name=case.person_name,
                waiting=plan.waiting, movable=not plan.problems, missing=plan.missing,
                problems=plan.problems))
        return result


def migrate_cases(engine: Koordinator, kommune: str, case_ids: Iterable[int], to_version_id: int,
                  actor: str, expected_versions: dict[int, int] | None = None) -> int:
    """Move the chosen cases onto the target version, all or none; return how many moved.

    `expected_versions` maps case id to the case version the caller saw (e.g. a candidate's
    `version`): a case changed since then raises Conflict. A case that cannot move raises
    InvalidTransition naming it and what blocks it. Either way nothing is moved.
    """
    ids = sorted(set(case_ids))
    if not ids:
        return 0
    expected_versions = expected_versions or {}
    try:
        with engine._write() as s, s.begin():
            target = _target(s, kommune, to_version_id)
            for case_id in ids:
                _migrate_one(engine, s, kommune, case_id, target, actor,
                             expected_versions.get(case_id))
            return len(ids)
    except OperationalError as exc:
        raise Conflict("the cases are busy; try again") from exc


def _migrate_one(engine: Koordinator, s: Session, kommune: str, case_id: int,
                 target: ProcessVersion, actor: str, expected: int | None) -> None:
    case = s.get(Case, case_id)
    if case is None or case.kommune != kommune:
        raise NotFound(f"case {case_id} does not exist")
    seen = case.version  # the version whose state we move
    if expected is not None and case.version != expected:
        raise Conflict(f"case {case_id} was changed by someone else since the list was made "
                       f"(version {expected}, now {case.version}); nothing was moved")
    if case.status != "active":
        raise InvalidTransition(f"case {case_id} is {case.status}; nothing was moved")
    old = s.get(ProcessVersion, case.process_version_id)
    if old.id == target.id:
        raise Conflict(f"case {case_id} is already on version {target.number}; nothing was moved")
    if old.process_id != target.process_id:
        raise InvalidTransition(f"case {case_id} runs process '{old.process_id}', not "
                                f"'{target.process_id}'; nothing was moved")
    with engine._engine_errors():
        wf, plan = _rebound_state(engine, s, case, old, target)
    if wf is None:
        raise InvalidTransition(f"case {case_id} cannot move to version {target.number}: "
                                + "; ".join(plan.problems) + "; nothing was moved")
    # Claim the case first: a change committed meanwhile makes this update miss.
    claimed = s.execute(update(Case).where(Case.id == case.id, Case.version == seen)
                        .values(process_version_id=target.id, version=seen + 1)
                        .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        raise Conflict(f"case {case_id} was changed by someone else at the same time; "
                       "nothing was moved")
    _refresh_tasks(s, engine, case, target)
    engine._audit(s, case.id, actor, "case_migrated", stage=case.stage, data={
        "from_version": old.number, "to_version": target.number,
        "from_version_id": old.id, "to_version_id": target.id, "waiting": plan.waiting})
    engine._save(s, case, target, wf, actor, [], expected_version=seen + 1, bump=False)


def describe(candidates: list[MigrationCandidate]) -> list[str]:
    """One line per candidate, for the command line."""
    lines = []
    for c in candidates:
        state = "movable" if c.movable else "NOT movable"
        lines.append(f"case {c.case_id:6}  v{c.from_version_number}  {c.stage or '-':12}  "
                     f"{c.person_label or '-':8}  {state:11}  waits at {', '.join(c.waiting)}")
        lines.extend(f"    {p}" for p in c.problems)
    return lines


__all__ = ["MigrationCandidate", "describe", "migrate_cases", "migration_candidates"]
