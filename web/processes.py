"""Process versions for process owners: who published what and when, and what changed."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import login_required

from engine.errors import NotFound

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
                           before=before, after=after, kommune=kommune())
