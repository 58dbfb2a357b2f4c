"""The task page: the task's form, checked by the engine, with every typed value kept on error."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from engine.access import may_work_task
from engine.errors import Conflict, FormRejected, InvalidTransition, NotFound, ProcessError
from engine.suggest import suggested_values

from . import formdata
from .extensions import engine, kommune, user
from .i18n import lang

bp = Blueprint("tasks", __name__)


@bp.route("/oppgaver/<task_id>", methods=["GET", "POST"])
@login_required
def task(task_id: str):  # type: ignore[no-untyped-def]
    me = user()
    try:
        info = engine().get_task(task_id, kommune=me.kommune)
        case = engine().get_case(info.case_id, kommune=me.kommune, actor=me.username)
    except NotFound:
        abort(404)
    if info.state != "ready":
        return render_template("task_done.html", task=info, case=case), 409 \
            if request.method == "POST" else 200
    if not may_work_task(me, info):
        return render_template("task_not_yours.html", task=info, case=case), 403
    form = engine().form_for_task(task_id, kommune=me.kommune)
    values = {**formdata.initial_values(form),
              **suggested_values(form, kommune(), engine().clock.today_oslo())}
    errors: dict[str, str] = {}
    general: dict[str, str] = {}
    extra_rows: dict[str, int] = {}
    status = 200
    if request.method == "POST":
        values = formdata.from_request(form, request.form)
        added = request.form.get("_add_row")
        if added:
            extra_rows[added] = 1
        else:
            expected = request.form.get("_case_version", "")
            try:
                engine().complete_task(
                    task_id, values, actor=me.username, kommune=me.kommune,
                    expected_case_version=int(expected) if expected.isdigit() else None,
                    lang=lang())
            except FormRejected as exc:
                errors, general = formdata.split_errors(exc.errors)
                status = 422
            except Conflict:
                fresh = engine().get_task(task_id, kommune=me.kommune)
                if fresh.state != "ready":
                    return render_template("task_done.html", task=fresh, case=case), 409
                general = {"_conflict": _("The case was changed by someone else while you "
                                          "worked. Your answers are still here: check them and "
                                          "send again.")}
                case = engine().get_case(info.case_id, kommune=me.kommune)
                status = 409
            except (ProcessError, InvalidTransition) as exc:
                general = {"_process": _("The process could not go on: %(reason)s",
                                         reason=str(exc))}
                status = 422
            else:
                flash(_("“%(name)s” is done for case %(case)s.", name=info.name, case=case.id),
                      "success")
                return redirect(url_for("worklist.index"))
    return render_template("task.html", task=info, case=case, form=form, values=values,
                           errors=errors, general=general, extra_rows=extra_rows,
                           kommune=kommune()), status
