"""Sign-in, sign-out and the choice of language."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user

from .extensions import WebUser, staff
from .i18n import LANGUAGES

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
    """Only a path on this site; anything else goes to the worklist."""
    if target and target.startswith("/") and not target.startswith("//") \
            and not urlsplit(target).netloc:
        return target
    return url_for("worklist.index")


@bp.route("/logg-inn", methods=["GET", "POST"])
def login():  # type: ignore[no-untyped-def]
    error = None
    username = ""
    if request.method == "POST":
        username = request.form.get("username", "")[:200]
        info = staff().authenticate(username, request.form.get("password", "")[:500])
        if info is None:
            error = _("Wrong user name or password.")
        else:
            session.clear()
            login_user(WebUser(info))
            return redirect(safe_next(request.args.get("next")))
    return render_template("login.html", error=error, username=username), 401 if error else 200


@bp.route("/logg-ut", methods=["POST"])
@login_required
def logout():  # type: ignore[no-untyped-def]
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/sprak", methods=["POST"])
def language():  # type: ignore[no-untyped-def]
    chosen = request.form.get("lang", "")
    if chosen in LANGUAGES:
        session["lang"] = chosen
    elif chosen == "kommune":
        session.pop("lang", None)
    return redirect(safe_next(request.form.get("next")))
