"""The coordinating unit's view of its coordinators: how many cases each has, who is away."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import login_required

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
