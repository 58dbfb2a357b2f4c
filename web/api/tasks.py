"""Tasks: the user's worklist, one task and its form, claim, release and complete."""

from __future__ import annotations

from engine.access import may_read_case, may_work_task
from engine.errors import InvalidTransition, NotFound
from engine.roles import STAGES
from engine.types import TaskInfo

from ..extensions import engine, kommune, user
from . import bp
from .common import (
    MAX_ID,
    ApiProblem,
    check_task_id,
    json_body,
    language,
    not_found,
    only_keys,
    query_bool,
    query_choice,
    query_int,
)
from .serialize import case_json, form_json, task_json

DUE_FILTERS = ("overdue", "week")


def visible_task(task_id: str) -> TaskInfo:
    """The task if the user may work it or read its case; 404 alike for everything else."""
    me = user()
    tid = check_task_id(task_id)
    try:
        task = engine().get_task(tid, kommune=me.kommune)
        if may_work_task(me, task):
            return task
        case = engine().get_case(task.case_id, kommune=me.kommune)
    except NotFound:
        raise not_found("task", task_id) from None
    if not may_read_case(me, case):
        raise not_found("task", task_id)
    return task


def _task_out(task: TaskInfo):  # type: ignore[no-untyped-def]
    return task_json(task, may_work=may_work_task(user(), task))


@bp.get("/tasks", provide_automatic_options=False)
def worklist():  # type: ignore[no-untyped-def]
    me = user()
    mine = query_bool("mine")
    stage = query_choice("stage", tuple(STAGES))
    due = query_choice("due", DUE_FILTERS)
    case_id = query_int("case_id", None, 1, MAX_ID)
    limit = query_int("limit", 200, 1, 500)
    assert limit is not None
    work = engine().worklist(me.kommune, me.username, me.roles, stage=stage, case_id=case_id,
                             due=due, limit=limit)
    names = not kommune().initials_only
    tasks = []
    if mine is not False:
        tasks += [task_json(t, names=names, mine=True, may_work=True) for t in work.mine]
    if mine is not True:
        tasks += [task_json(t, names=names, mine=False, may_work=True) for t in work.available]
    return {"tasks": tasks, "mine_count": work.mine_count,
            "available_count": work.available_count, "overdue_count": work.overdue_count}


@bp.get("/tasks/<task_id>", provide_automatic_options=False)
def get_task(task_id: str):  # type: ignore[no-untyped-def]
    return _task_out(visible_task(task_id))


@bp.get("/tasks/<task_id>/form", provide_automatic_options=False)
def task_form(task_id: str):  # type: ignore[no-untyped-def]
    task = visible_task(task_id)
    lang = language()
    form = engine().form_for_task(task.id, kommune=user().kommune)
    return {"task_id": task.id, **form_json(form, lang)}


@bp.post("/tasks/<task_id>/claim", provide_automatic_options=False)
def claim(task_id: str):  # type: ignore[no-untyped-def]
    me = user()
    task = visible_task(task_id)
    try:
        task = engine().claim_task(task.id, me.username, me.roles, me.kommune)
    except InvalidTransition as exc:
        raise ApiProblem(403, str(exc)) from None
    return _task_out(task)


@bp.post("/tasks/<task_id>/release", provide_automatic_options=False)
def release(task_id: str):  # type: ignore[no-untyped-def]
    me = user()
    task = visible_task(task_id)
    if task.state != "ready":
        raise ApiProblem(409, f"the task '{task.name}' is already {task.state}")
    if task.claimed_by != me.username:
        raise ApiProblem(403, f"the task '{task.name}' is not claimed by you")
    try:
        task = engine().release_task(task.id, me.username, me.kommune)
    except InvalidTransition as exc:
        raise ApiProblem(409, str(exc)) from None
    return _task_out(task)


@bp.post("/tasks/<task_id>/complete", provide_automatic_options=False)
def complete(task_id: str):  # type: ignore[no-untyped-def]
    me = user()
    body = json_body()
    only_keys(body, ("data", "case_version"))
    data = body.get("data")
    if not isinstance(data, dict):
        raise ApiProblem(400, "'data' must be an object with the form's fields")
    expected = body.get("case_version")
    if expected is not None and (isinstance(expected, bool) or not isinstance(expected, int)
                                 or not 1 <= expected <= MAX_ID):
        raise ApiProblem(400, "'case_version' must be a positive whole number")
    lang = language()
    task = visible_task(task_id)
    if task.state != "ready":
        who = f" by {task.completed_by}" if task.completed_by else ""
        raise ApiProblem(409, f"the task '{task.name}' is already {task.state}{who}")
    if not may_work_task(me, task):
        raise ApiProblem(403, f"the task '{task.name}' is not yours to do")
    case = engine().complete_task(task.id, data, actor=me.username, kommune=me.kommune,
                                  expected_case_version=expected, lang=lang)
    return case_json(case)
