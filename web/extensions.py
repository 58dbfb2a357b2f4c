"""Flask extensions shared by the blueprints, and the request's engine, staff and user."""

from __future__ import annotations

from typing import Any

from flask import current_app, g
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf.csrf import CSRFProtect

from engine.service import Koordinator
from engine.staff import Staff
from engine.types import KommuneInfo, UserInfo

csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.session_protection = "strong"


class WebUser(UserMixin):
    """Flask-Login's view of an engine user."""

    def __init__(self, info: UserInfo):
        self.info = info

    def get_id(self) -> str:
        return str(self.info.id)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.info, name)


@login_manager.user_loader
def _load_user(user_id: str) -> WebUser | None:
    try:
        info = staff().get_user(int(user_id))
    except ValueError:
        return None
    return WebUser(info) if info else None


@login_manager.unauthorized_handler
def _unauthorized():  # type: ignore[no-untyped-def]
    from flask import redirect, request, url_for
    if request.path.startswith("/api/"):
        from .api.common import api_error
        return api_error(401, "sign in or send an API token (Authorization: Bearer ...)")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def engine() -> Koordinator:
    return current_app.extensions["koordinator"]


def staff() -> Staff:
    return current_app.extensions["koordinator_staff"]


def user() -> UserInfo:
    """The signed-in user (by session or API token)."""
    api_user = g.get("api_user")
    if api_user is not None:
        return api_user
    return current_user.info


def kommune() -> KommuneInfo:
    if "kommune" not in g:
        g.kommune = staff().kommune(user().kommune)
    return g.kommune
