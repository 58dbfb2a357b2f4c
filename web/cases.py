"""Cases: the list, starting one, and the case page with diagram, timeline and plan."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from engine.access import may_raise_signals, may_read_case, may_start_case
from engine.errors import Conflict, InvalidTransition, NotFound, ProcessError
from engine.roles import STAGE_ORDER, STAGES
from engine.types import CaseInfo

from .downloads import xml_download
from .extensions import engine, kommune, staff, user

bp = Blueprint("cases", __name__)

#: timeline entries; reads are listed apart, as an access log
TIMELINE_KINDS = ("case_started", "task_completed", "engine_step", "timer_fired", "signal",
                  "task_reassigned", "case_cancelled", "case_closed", "case_migrated")
PAGE_SIZE = 50
#: the signal of a change of coordinator (processes/README.md: every process catches it)
HANDOVER_SIGNAL = "skifte_koordinator"


def _readable_case(case_id: int, log_read: bool = True) -> CaseInfo:
    me = user()
    try:
        case = engine().get_case(case_id, kommune=me.kommune)
    except NotFound:
        abort(404)
    if not may_read_case(me, case):
        abort(404)
    if log_read:
        case = engine().get_case(case_id, kommune=me.kommune, actor=me.username)
    return case


@bp.route("/saker")
@login_required
def index():  # type: ignore[no-untyped-def]
    me = user()
    status = request.args.get("status") or "active"
    stage = request.args.get("stage") or None
    if status not in ("active", "closed", "cancelled", "all") or stage not in (None, *STAGES):
        abort(400)
    page = max(int(request.args["page"]) if request.args.get("page", "").isdigit() else 1, 1)
    mine_only = not me.has_role("koordinerende_enhet", "leder", "admin")
    cases = engine().list_cases(me.kommune, status=None if status == "all" else status,
                                stage=stage, involving=me.username if mine_only else None,
                                limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    return render_template("cases.html", cases=cases[:PAGE_SIZE], more=len(cases) > PAGE_SIZE,
                           page=page, status=status, stage=stage, stages=STAGES,
                           may_start=may_start_case(me), kommune=kommune())


@bp.route("/saker/ny", methods=["POST"])
@login_required
def start():  # type: ignore[no-untyped-def]
    me = user()
    if not may_start_case(me):
        abort(403)
    case = engine().start_case(me.kommune, actor=me.username)
    flash(_("Case %(id)s is started. Register the referral.", id=case.id), "success")
    mine = [t for t in case.open_tasks if t.role in me.roles]
    if mine:
        return redirect(url_for("tasks.task", task_id=mine[0].id))
    return redirect(url_for("cases.show", case_id=case.id))


@bp.route("/saker/<int:case_id>")
@login_required
def show(case_id: int):  # type: ignore[no-untyped-def]
    me = user()
    case = _readable_case(case_id)
    trail = engine().audit_trail(case_id, kommune=me.kommune)
    elements = engine().version_elements(case.process_version_id, kommune=me.kommune)
    forms = engine().version_forms(case.process_version_id, kommune=me.kommune)
    timeline = [e for e in trail if e.kind in TIMELINE_KINDS]
    reads = [e for e in trail if e.kind == "case_read"]
    # The newest answers to each form (the plan as it stands), planning first, then the case's
    # earlier steps; and every answer given in the evaluation stage, oldest first.
    latest: dict[str, Any] = {}
    evaluations = []
    for event in timeline:
        element = elements.get(event.bpmn_id or "", {})
        if event.kind == "task_completed" and element.get("form") in forms:
            latest[element["form"]] = event
            if element.get("stage") == "evaluation":
                evaluations.append((element["form"], event))
    rank = {stage: i for i, stage in enumerate(["planning", *reversed(STAGE_ORDER)])}
    sections = sorted(latest.items(), key=lambda item: rank.get(item[1].stage or "", 99))
    waiting = [t for t in engine().timers(case_id, kommune=me.kommune)
               if t["state"] == "waiting"]
    next_evaluation = min((t["due_at"] for t in waiting
                           if elements.get(t["bpmn_id"], {}).get("stage") == "evaluation"),
                          default=None)
    # The handover has its own button (coordinating unit only); the rest come from the diagram.
    signals = [sig for sig in engine().case_signals(case_id, kommune=me.kommune)
               if sig.signal != HANDOVER_SIGNAL] if may_raise_signals(me, case) else []
    return render_template("case.html", case=case, timeline=timeline, reads=reads,
                           signals=signals,
                           elements=elements, forms=forms, sections=sections,
                           evaluations=evaluations, timers=waiting,
                           next_evaluation=next_evaluation, kommune=kommune(),
                           names={u.username: u.full_name for u in staff().users(me.kommune)},
                           may_change_coordinator=bool(case.coordinator) and case.status == "active"
                           and me.has_role("koordinerende_enhet", "admin"))


@bp.route("/saker/<int:case_id>/diagram")
@login_required
def diagram(case_id: int):  # type: ignore[no-untyped-def]
    case = _readable_case(case_id, log_read=False)
    files = engine().version_files(case.process_version_id, kommune=case.kommune)
    bpmn = next((text for name, text in sorted(files.items()) if name.endswith(".bpmn")), None)
    if bpmn is None:
        abort(404)
    return xml_download(f"sak-{case_id}.bpmn", bpmn)


@bp.route("/saker/<int:case_id>/diagram/markering")
@login_required
def marks(case_id: int):  # type: ignore[no-untyped-def]
    me = user()
    case = _readable_case(case_id, log_read=False)
    done = {e.bpmn_id for e in engine().audit_trail(case_id, kommune=me.kommune)
            if e.bpmn_id and e.kind in ("task_completed", "engine_step", "timer_fired")}
    active = {t.bpmn_id for t in case.open_tasks}
    waiting = {t["bpmn_id"] for t in engine().timers(case_id, kommune=me.kommune)
               if t["state"] == "waiting"}
    return {"completed": sorted(done - active - waiting), "active": sorted(active),
            "waiting": sorted(waiting)}


@bp.route("/saker/<int:case_id>/hendelse", methods=["POST"])
@login_required
def raise_signal(case_id: int):  # type: ignore[no-untyped-def]
    """Tell the case something happened that its diagram waits for (e.g. an escalation)."""
    me = user()
    case = _readable_case(case_id, log_read=False)
    if not may_raise_signals(me, case):
        abort(403)
    wanted = request.form.get("signal", "")
    offered = {sig.signal: sig for sig in engine().case_signals(case_id, kommune=me.kommune)
               if sig.signal != HANDOVER_SIGNAL}
    version = request.form.get("_case_version", "")
    if wanted not in offered:
        flash(_("The case cannot take that event now."), "warning")
        return redirect(url_for("cases.show", case_id=case_id))
    try:
        engine().send_signal(case_id, wanted, actor=me.username, kommune=me.kommune,
                             expected_case_version=int(version) if version.isdigit() else None)
    except Conflict:
        flash(_("The case was changed by someone else meanwhile; look again and retry."),
              "warning")
    except (InvalidTransition, ProcessError):
        flash(_("The case cannot take that event now."), "warning")
    else:
        flash(_("“%(event)s” is recorded; what follows is in the worklist.",
                event=offered[wanted].label), "success")
    return redirect(url_for("cases.show", case_id=case_id))


@bp.route("/saker/<int:case_id>/skifte-koordinator", methods=["POST"])
@login_required
def change_coordinator(case_id: int):  # type: ignore[no-untyped-def]
    """Ask for a new coordinator: the diagram's handover event takes it from here."""
    me = user()
    case = _readable_case(case_id, log_read=False)
    if not me.has_role("koordinerende_enhet", "admin") or not case.coordinator:
        abort(403)
    version = request.form.get("_case_version", "")
    try:
        engine().send_signal(case_id, HANDOVER_SIGNAL, actor=me.username,
                             kommune=me.kommune,
                             expected_case_version=int(version) if version.isdigit() else None)
    except Conflict:
        flash(_("The case was changed by someone else meanwhile; look again and retry."),
              "warning")
    except InvalidTransition:
        flash(_("The case cannot change coordinator now."), "warning")
    else:
        flash(_("A change of coordinator is started; the task is in the worklist."), "success")
    return redirect(url_for("cases.show", case_id=case_id))
