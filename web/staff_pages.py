"""Pages about the kommune's people and settings: each coordinator's load, the settings."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from engine.staff import StaffError

from .extensions import engine, kommune, staff, user

bp = Blueprint("staff_pages", __name__)


@bp.route("/koordinatorer")
@login_required
def coordinators():  # type: ignore[no-untyped-def]
    me = user()
    if not me.has_role("koordinerende_enhet", "leder", "admin"):
        abort(403)
    loads = engine().coordinator_loads(me.kommune)
    people = [u for u in staff().users(me.kommune) if "koordinator" in u.roles]
    known = {u.username for u in people}
    rows = [(u.username, u.full_name, loads.get(u.username, 0), u.absent) for u in people]
    # Coordinators named in a form without an account still carry cases: show them too.
    rows += [(name, name, n, False) for name, n in loads.items() if name not in known]
    rows.sort(key=lambda r: (-r[2], r[1]))
    return render_template("coordinators.html", rows=rows, kommune=kommune())


SETTINGS_TEXT = ("name", "number", "coordinator_term", "unit_name", "unit_contact",
                 "evaluation_interval")


@bp.route("/kommune", methods=["GET", "POST"])
@login_required
def settings():  # type: ignore[no-untyped-def]
    """The kommune's settings; admins change them."""
    me = user()
    if not me.has_role("admin"):
        abort(403)
    current = staff().kommune(me.kommune)
    errors: dict[str, str] = {}
    values = current
    if request.method == "POST":
        form = request.form
        changes = {k: (form.get(k, "").strip()[:300] or None) for k in SETTINGS_TEXT}
        changes["name"] = changes["name"] or ""
        values = replace(current, **changes, language=form.get("language", ""),
                         initials_only=form.get("initials_only") == "ja")
        try:
            staff().save_kommune(values)
        except StaffError as exc:
            message = FIELD_MESSAGES.get(exc.field or "")
            errors[exc.field or "_form"] = message() if message else str(exc)
        else:
            flash(_("The settings are saved."), "success")
            return redirect(url_for("staff_pages.settings"))
    return render_template("kommune_settings.html", values=values, errors=errors,
                           kommune=kommune()), 422 if errors else 200


FIELD_MESSAGES = {
    "name": lambda: _("Write the kommune's name."),
    "number": lambda: _("The kommune number has four digits, for example 1515."),
    "language": lambda: _("Choose bokmål or nynorsk."),
    "evaluation_interval": lambda: _("Write the interval as an ISO 8601 duration, for example "
                                     "P6M for six months or P3M for three."),
}
