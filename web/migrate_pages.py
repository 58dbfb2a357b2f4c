"""Moving running cases onto a newer process version: the process owner's list and choice."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from engine.errors import Conflict, InvalidTransition, NotFound, ProcessError
from engine.migrate import migrate_cases, migration_candidates

from .extensions import engine, kommune
from .processes import process_owner

bp = Blueprint("migrate", __name__)


@bp.route("/prosess/versjon/<int:version_id>/flytt", methods=["GET", "POST"])
@login_required
def page(version_id: int):  # type: ignore[no-untyped-def]
    """Running cases that could move onto this version, and moving the chosen ones together."""
    me = process_owner()
    target = next((v for v in engine().versions(me.kommune) if v.id == version_id), None)
    if target is None:
        abort(404)
    status = 200
    if request.method == "POST":
        chosen: dict[int, int] = {}
        # "Move all": every movable case of the page, as listed (with the versions seen).
        field = "listed" if request.form.get("all") else "case"
        for raw in request.form.getlist(field):
            case_id, _sep, seen = raw.partition(":")
            if case_id.isdigit() and seen.isdigit():
                chosen[int(case_id)] = int(seen)
        if not chosen:
            flash(_("Choose the cases to move."), "warning")
        else:
            try:
                moved = migrate_cases(engine(), me.kommune, list(chosen), version_id,
                                      actor=me.username, expected_versions=chosen)
            except Conflict:
                flash(_("A case was changed while you chose. Nothing was moved; the list "
                        "below is up to date, choose again."), "error")
                status = 409
            except (InvalidTransition, NotFound, ProcessError) as exc:
                flash(_("Nothing was moved: %(reason)s", reason=str(exc)), "error")
                status = 422
            else:
                flash(ngettext("%(num)s case moved to version %(v)s. Its history says so.",
                               "%(num)s cases moved to version %(v)s. Their history says so.",
                               moved, v=target.number), "success")
                return redirect(url_for("migrate.page", version_id=version_id))
    after = request.args.get("etter", "")
    candidates = migration_candidates(engine(), me.kommune, version_id,
                                      after_case_id=int(after) if after.isdigit() else 0,
                                      limit=MIGRATE_PAGE + 1)
    more = len(candidates) > MIGRATE_PAGE
    candidates = candidates[:MIGRATE_PAGE]
    names = {}
    for c in candidates:
        if c.from_version_id not in names:
            names[c.from_version_id] = engine().version_elements(c.from_version_id,
                                                                 kommune=me.kommune)
    return render_template("migrate.html", target=target, candidates=candidates, names=names,
                           next_after=candidates[-1].case_id if more else None,
                           kommune=kommune()), status


#: cases checked per page of the move list (each check opens the case's state)
MIGRATE_PAGE = 200
