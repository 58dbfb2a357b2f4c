"""The start page: my tasks and the unclaimed tasks of my roles; claim and release."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from engine.errors import Conflict, InvalidTransition, NotFound
from engine.roles import STAGES

from .auth import safe_next
from .extensions import engine, kommune, staff, user

bp = Blueprint("worklist", __name__)

DUE_FILTERS = ("overdue", "week")
#: rows per group on the page; the counts say how many there are in all
PAGE_ROWS = 50


@bp.route("/")
@login_required
def index():  # type: ignore[no-untyped-def]
    me = user()
    stage = request.args.get("stage") or None
    due = request.args.get("due") or None
    case_arg = request.args.get("case", "").strip()
    case_id = int(case_arg) if case_arg.isdigit() else None
    if stage not in (None, *STAGES) or due not in (None, *DUE_FILTERS):
        abort(400)
    work = engine().worklist(me.kommune, me.username, me.roles, stage=stage, case_id=case_id,
                             due=due, limit=PAGE_ROWS)
    absent = staff().get_user(me.id).absent if me.has_role("koordinator") else None
    return render_template("worklist.html", work=work, stage=stage, due=due, case_arg=case_arg,
                           stages=STAGES, now=engine().clock.now(), kommune=kommune(),
                           absent=absent)


def _task_action(task_id: str, action: str):  # type: ignore[no-untyped-def]
    me = user()
    try:
        if action == "claim":
            task = engine().claim_task(task_id, me.username, me.roles, me.kommune)
            flash(_("You took the task “%(name)s”.", name=task.name), "success")
        else:
            task = engine().release_task(task_id, me.username, me.kommune)
            flash(_("You gave the task “%(name)s” back.", name=task.name), "info")
    except NotFound:
        abort(404)
    except Conflict:
        flash(_("Someone else has just taken or completed this task."), "warning")
    except InvalidTransition:
        flash(_("This task is not for your role."), "warning")
    return redirect(safe_next(request.form.get("next")))


@bp.route("/oppgaver/<task_id>/ta", methods=["POST"])
@login_required
def claim(task_id: str):  # type: ignore[no-untyped-def]
    return _task_action(task_id, "claim")


@bp.route("/oppgaver/<task_id>/slipp", methods=["POST"])
@login_required
def release(task_id: str):  # type: ignore[no-untyped-def]
    return _task_action(task_id, "release")


@bp.route("/fravaer", methods=["POST"])
@login_required
def absence():  # type: ignore[no-untyped-def]
    """A coordinator reports being away (or back): their tasks go to each case's secondary."""
    me = user()
    away = request.form.get("absent") == "ja"
    moved = engine().set_absent(me.kommune, me.username, away, actor=me.username)
    if away:
        flash(_("You are registered as away. %(n)s task(s) went to the secondary coordinators.",
                n=moved), "info")
    else:
        flash(_("Welcome back. %(n)s task(s) came back to you.", n=moved), "info")
    return redirect(url_for("worklist.index"))
