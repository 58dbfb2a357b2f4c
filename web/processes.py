"""Process versions for process owners: who published what and when, and what changed."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from engine.drafts import Drafts
from engine.errors import BundleInvalid, Conflict, NotFound, Problem
from engine.types import UserInfo

from .extensions import engine, kommune, user

bp = Blueprint("processes", __name__)

PROCESS_ROLES = ("prosesseier", "admin")


@bp.route("/prosess")
@login_required
def versions():  # type: ignore[no-untyped-def]
    me = user()
    if not me.has_role(*PROCESS_ROLES):
        abort(403)
    listed = list(reversed(engine().versions(me.kommune)))
    comparison = before = after = None
    a, b = request.args.get("fra", ""), request.args.get("til", "")
    if a or b:
        if not (a.isdigit() and b.isdigit()):
            abort(400)
        try:
            comparison = engine().compare_versions(int(a), int(b), kommune=me.kommune)
        except NotFound:
            abort(404)
        by_id = {v.id: v for v in listed}
        before, after = by_id.get(int(a)), by_id.get(int(b))
    return render_template("process_versions.html", versions=listed, comparison=comparison,
                           before=before, after=after, drafts=_drafts().list(me.kommune),
                           kommune=kommune())


def _drafts() -> Drafts:
    return Drafts(engine())


def _owner() -> UserInfo:
    me = user()
    if not me.has_role(*PROCESS_ROLES):
        abort(403)
    return me


@bp.route("/prosess/utkast", methods=["POST"])
@login_required
def new_draft():  # type: ignore[no-untyped-def]
    me = _owner()
    version = request.form.get("version_id", "")
    if not version.isdigit():
        abort(400)
    try:
        draft = _drafts().start_from_version(me.kommune, int(version), actor=me.username)
    except NotFound:
        abort(404)
    return redirect(url_for("processes.draft", draft_id=draft.id))


@bp.route("/prosess/utkast/<int:draft_id>")
@login_required
def draft(draft_id: int):  # type: ignore[no-untyped-def]
    me = _owner()
    try:
        info = _drafts().get(me.kommune, draft_id)
    except NotFound:
        abort(404)
    bpmn = next((n for n in sorted(info.files) if n.endswith(".bpmn")), None)
    return render_template("draft.html", draft=info, bpmn=bpmn, kommune=kommune())


@bp.route("/prosess/utkast/<int:draft_id>/fil/<name>")
@login_required
def draft_file(draft_id: int, name: str):  # type: ignore[no-untyped-def]
    me = _owner()
    try:
        files = _drafts().get(me.kommune, draft_id).files
    except NotFound:
        abort(404)
    if name not in files:
        abort(404)
    return Response(files[name], mimetype="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'}
                    if request.args.get("last_ned") else {})


@bp.route("/prosess/utkast/<int:draft_id>/lagre", methods=["POST"])
@login_required
def save_draft(draft_id: int):  # type: ignore[no-untyped-def]
    """Save from the modeler (JSON, with the CSRF token in X-CSRFToken)."""
    me = _owner()
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("files"), dict):
        return {"error": _("The draft could not be read.")}, 400
    expected = body.get("version")
    try:
        # The modeler sends the files it edited; the draft's other files (DMN tables) stay.
        files = {**_drafts().get(me.kommune, draft_id).files, **body["files"]}
        info = _drafts().save(me.kommune, draft_id, files, actor=me.username,
                              expected_version=expected if isinstance(expected, int) else None)
    except NotFound:
        abort(404)
    except Conflict:
        return {"error": _("Someone else saved this draft after you opened it. Reload the page; "
                           "your changes are not saved.")}, 409
    except BundleInvalid as exc:
        return {"error": _("The draft was not saved."), "problems": _problems(exc.problems)}, 422
    return {"version": info.version, "problems": _problems(info.problems)}


@bp.route("/prosess/utkast/<int:draft_id>/publiser", methods=["POST"])
@login_required
def publish_draft(draft_id: int):  # type: ignore[no-untyped-def]
    me = _owner()
    note = request.form.get("note", "").strip()[:1000]
    try:
        version = _drafts().publish(me.kommune, draft_id, actor=me.username, note=note)
    except NotFound:
        abort(404)
    except BundleInvalid:
        flash(_("The draft has problems and was not published. Fix them and try again."),
              "warning")
        return redirect(url_for("processes.draft", draft_id=draft_id))
    flash(_("Version %(n)s is published. New cases start on it.", n=version.number), "success")
    return redirect(url_for("processes.versions"))


def _problems(problems: list[Problem]) -> list[dict[str, str | None]]:
    return [{"file": p.file, "element_id": p.element_id, "message": p.message} for p in problems]
