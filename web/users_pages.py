"""The kommune's staff accounts, for its admins: add a person, change roles, stop an account."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from engine.errors import NotFound
from engine.staff import STAFF_ROLES, StaffError
from engine.types import UserInfo

from .extensions import kommune, staff, user

bp = Blueprint("users", __name__)

#: a password set here must be at least this long (people choose their own at first sign-in
#: in a real installation; this is the start password an admin hands over)
MIN_PASSWORD = 10


def _admin() -> UserInfo:
    me = user()
    if not me.has_role("admin"):
        abort(403)
    return me


@bp.route("/brukere", methods=["GET", "POST"])
@login_required
def index():  # type: ignore[no-untyped-def]
    """The accounts of the kommune, and a form to add one."""
    me = _admin()
    errors: dict[str, str] = {}
    values = {"username": "", "full_name": "", "roles": []}
    if request.method == "POST":
        values = {"username": request.form.get("username", "").strip().lower(),
                  "full_name": request.form.get("full_name", "").strip()[:200],
                  "roles": request.form.getlist("roles")}
        password = request.form.get("password", "")
        if len(password) < MIN_PASSWORD:
            errors["password"] = _("The start password needs at least %(n)s characters.",
                                   n=MIN_PASSWORD)
        if not values["full_name"]:
            errors["full_name"] = _("Write the person's name.")
        if not errors:
            try:
                staff().add_user(values["username"], me.kommune, values["roles"],
                                 full_name=values["full_name"], password=password)
            except StaffError as exc:
                errors[exc.field or "username"] = _field_message(exc)
            else:
                flash(_("%(name)s can sign in as %(username)s.", name=values["full_name"],
                        username=values["username"]), "success")
                return redirect(url_for("users.index"))
    return render_template("users.html", people=staff().users(me.kommune), values=values,
                           errors=errors, roles=STAFF_ROLES, kommune=kommune()), \
        422 if errors else 200


@bp.route("/brukere/<username>", methods=["GET", "POST"])
@login_required
def edit(username: str):  # type: ignore[no-untyped-def]
    me = _admin()
    person = next((u for u in staff().users(me.kommune) if u.username == username), None)
    if person is None:
        abort(404)
    errors: dict[str, str] = {}
    if request.method == "POST":
        roles = request.form.getlist("roles")
        active = request.form.get("active") == "ja"
        password = request.form.get("password", "")
        if password and len(password) < MIN_PASSWORD:
            errors["password"] = _("The start password needs at least %(n)s characters.",
                                   n=MIN_PASSWORD)
        if not errors:
            try:
                person = staff().update_user(me.kommune, username, roles,
                                             request.form.get("full_name", "")[:200], active)
                if password:
                    staff().set_password(username, password)
            except StaffError as exc:
                errors[exc.field or "roles"] = _field_message(exc)
            except NotFound:
                abort(404)
            else:
                flash(_("The account of %(name)s is saved.", name=person.full_name), "success")
                return redirect(url_for("users.index"))
    return render_template("user_edit.html", person=person, errors=errors, roles=STAFF_ROLES,
                           kommune=kommune()), 422 if errors else 200


def _field_message(exc: StaffError) -> str:
    if exc.reason == "taken":
        return _("That user name is taken. Choose another.")
    if exc.reason == "format":
        return _("A user name has 2 to 100 small letters, digits, dots or dashes, e.g. "
                 "kari.nordmann.")
    if exc.reason == "last_admin":
        return _("The kommune must keep at least one active administrator.")
    return _("Choose at least one role.")
