"""Trying a draft: a process owner runs a test case on the draft, fills its forms, jumps the
clock to the next timer and sees the path on the diagram. A trial never touches real cases
(engine/trial.py keeps it in a database of its own); the owner plays every role in it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from engine.clock import FixedClock
from engine.drafts import DraftInfo, Drafts
from engine.errors import (
    BundleInvalid,
    Conflict,
    FormRejected,
    InvalidTransition,
    NotFound,
    ProcessError,
)
from engine.suggest import suggested_values
from engine.trial import NoTrial, TrialInfo, TrialOutdated, Trials

from . import formdata
from .downloads import xml_download
from .extensions import engine, kommune
from .i18n import lang, oslo_datetime
from .problem_text import describe_all
from .processes import process_owner

bp = Blueprint("trial", __name__)


def _trials() -> Trials:
    return Trials(engine())


def _draft(kommune_code: str, draft_id: int) -> DraftInfo:
    try:
        return Drafts(engine()).get(kommune_code, draft_id)
    except NotFound:
        abort(404)


def _back(draft_id: int, **args: Any):  # type: ignore[no-untyped-def]
    return redirect(url_for("trial.page", draft_id=draft_id, **args))


def _outdated_message() -> str:
    return _("The draft was saved after this test case started. Start again to try the saved "
             "draft.")


@bp.route("/prosess/utkast/<int:draft_id>/proev")
@login_required
def page(draft_id: int):  # type: ignore[no-untyped-def]
    me = process_owner()
    draft = _draft(me.kommune, draft_id)
    try:
        trial = _trials().get(me.kommune, draft_id, me.username)
    except TrialOutdated:
        flash(_("The test case could not be read, because the system was updated after it "
                "started. Start again."), "warning")
        trial = None
    return _render(draft, trial, request.args.get("oppgave"))


def _render(draft: DraftInfo, trial: TrialInfo | None, task_id: str | None,
            values: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
            general: dict[str, str] | None = None, extra_rows: dict[str, int] | None = None,
            status: int = 200):  # type: ignore[no-untyped-def]
    """The trial page; one task's form is open at a time (field ids are unique on the page)."""
    task = form = None
    if trial is not None and not trial.outdated and trial.tasks:
        task = next((t for t in trial.tasks if t.id == task_id), trial.tasks[0])
        form = trial.forms.get(task.form_key or "")
    if form is not None and values is None:
        today = FixedClock(trial.clock_at).today_oslo()  # type: ignore[union-attr]
        values = {**formdata.initial_values(form), **suggested_values(form, kommune(), today)}
    return render_template("trial.html", draft=draft, trial=trial, task=task, form=form,
                           values=values or {}, errors=errors or {}, general=general or {},
                           extra_rows=extra_rows or {}, kommune=kommune(),
                           problems=describe_all(draft.problems, lang())), status


@bp.route("/prosess/utkast/<int:draft_id>/proev/start", methods=["POST"])
@login_required
def start(draft_id: int):  # type: ignore[no-untyped-def]
    """Start a test case, or start again (the user's earlier test case of the draft goes)."""
    me = process_owner()
    try:
        _trials().start(me.kommune, draft_id, me.username)
    except NotFound:
        abort(404)
    except BundleInvalid:
        flash(_("The draft has problems, so it cannot be tried. Fix them in the draft first."),
              "warning")
    except ProcessError as exc:
        flash(_("The test case could not start: %(reason)s", reason=str(exc)), "warning")
    except Conflict:
        flash(_("The test case was started in another window at the same time. Look again."),
              "warning")
    else:
        flash(_("A test case is started. Real cases are not affected."), "success")
    return _back(draft_id)


@bp.route("/prosess/utkast/<int:draft_id>/proev/oppgave/<task_id>", methods=["POST"])
@login_required
def complete(draft_id: int, task_id: str):  # type: ignore[no-untyped-def]
    me = process_owner()
    draft = _draft(me.kommune, draft_id)
    try:
        trial = _trials().get(me.kommune, draft_id, me.username)
    except TrialOutdated:
        trial = None
    if trial is None:
        flash(_("There is no test case of this draft. Start one."), "warning")
        return _back(draft_id)
    if trial.outdated:
        flash(_outdated_message(), "warning")
        return _back(draft_id)
    task = next((t for t in trial.tasks if t.id == task_id), None)
    if task is None:
        flash(_("That task is no longer open in the test case."), "warning")
        return _back(draft_id)
    form = trial.forms.get(task.form_key or "")
    values = formdata.from_request(form, request.form) if form is not None else {}
    added = request.form.get("_add_row")
    if added:
        return _render(draft, trial, task_id, values=values, extra_rows={added: 1})
    try:
        _trials().complete(me.kommune, draft_id, me.username, task_id, values, lang=lang())
    except FormRejected as exc:
        errors, general = formdata.split_errors(exc.errors)
        return _render(draft, trial, task_id, values=values, errors=errors, general=general,
                       status=422)
    except (ProcessError, InvalidTransition) as exc:
        return _render(draft, trial, task_id, values=values, status=422, general={
            "_process": _("The process could not go on: %(reason)s", reason=str(exc))})
    except TrialOutdated:
        flash(_outdated_message(), "warning")
        return _back(draft_id)
    except (NoTrial, Conflict):
        flash(_("The test case was changed in another window meanwhile. Look again."),
              "warning")
        return _back(draft_id)
    except NotFound:
        flash(_("That task is no longer open in the test case."), "warning")
        return _back(draft_id)
    flash(_("“%(name)s” is done in the test case.", name=task.name), "success")
    return _back(draft_id)


@bp.route("/prosess/utkast/<int:draft_id>/proev/tidtaker", methods=["POST"])
@login_required
def jump(draft_id: int):  # type: ignore[no-untyped-def]
    """Move the test case's clock to its next timer and let the timer fire."""
    me = process_owner()
    try:
        when = _trials().jump_to_next_timer(me.kommune, draft_id, me.username)
    except TrialOutdated:
        flash(_outdated_message(), "warning")
    except NoTrial:
        flash(_("There is no test case of this draft. Start one."), "warning")
    except NotFound:
        abort(404)
    except InvalidTransition:
        flash(_("No timer is waiting in the test case."), "warning")
    except ProcessError as exc:
        flash(_("The process could not go on: %(reason)s", reason=str(exc)), "warning")
    except Conflict:
        flash(_("The test case was changed in another window meanwhile. Look again."),
              "warning")
    else:
        flash(_("The clock of the test case is now %(when)s.", when=oslo_datetime(when)),
              "success")
    return _back(draft_id)


@bp.route("/prosess/utkast/<int:draft_id>/proev/avslutt", methods=["POST"])
@login_required
def discard(draft_id: int):  # type: ignore[no-untyped-def]
    me = process_owner()
    try:
        _trials().discard(me.kommune, draft_id, me.username)
    except NotFound:
        abort(404)
    flash(_("The test case is deleted."), "success")
    return redirect(url_for("processes.draft", draft_id=draft_id))


@bp.route("/prosess/utkast/<int:draft_id>/proev/markering")
@login_required
def marks(draft_id: int):  # type: ignore[no-untyped-def]
    """The test case's path for diagram.js: completed, active and waiting elements."""
    me = process_owner()
    try:
        trial = _trials().get(me.kommune, draft_id, me.username)
    except (NotFound, TrialOutdated):
        abort(404)
    if trial is None:
        abort(404)
    return trial.marks


@bp.route("/prosess/utkast/<int:draft_id>/proev/diagram")
@login_required
def diagram(draft_id: int):  # type: ignore[no-untyped-def]
    """The diagram the test case runs: the draft as it was when the test case started."""
    me = process_owner()
    try:
        bpmn = _trials().diagram(me.kommune, draft_id, me.username)
    except (NotFound, TrialOutdated):
        abort(404)
    if bpmn is None:
        abort(404)
    return xml_download(f"utkast-{draft_id}.bpmn", bpmn)
