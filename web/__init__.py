"""The staff web app: a Flask application factory over the engine.

The web layer holds no process rules: it signs people in, shows what the engine returns and
hands form data back to it. `create_app(config)` takes `DATABASE_URL`, `SECRET_KEY`, `CLOCK`
(an engine clock, for tests) and the usual Flask settings.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from engine.db import default_database_url
from engine.service import Koordinator
from engine.staff import Staff

from . import (
    auth,
    cases,
    errors,
    i18n,
    migrate_pages,
    processes,
    staff_pages,
    tasks,
    trial,
    users_pages,
    worklist,
)
from .extensions import csrf, login_manager


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_path=os.environ.get("KOORDINATOR_INSTANCE"),
                instance_relative_config=False)
    app.config.update(
        DATABASE_URL=None,
        SECRET_KEY=None,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=6 * 1024 * 1024,
    )
    app.config.update(config or {})
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.config["DATABASE_URL"] = app.config["DATABASE_URL"] or default_database_url()
    app.config["SECRET_KEY"] = app.config["SECRET_KEY"] or _secret_key(app)
    if os.environ.get("KOORDINATOR_SECURE_COOKIES") == "1":
        app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)

    engine = Koordinator(app.config["DATABASE_URL"], clock=app.config.get("CLOCK"))
    app.extensions["koordinator"] = engine
    app.extensions["koordinator_staff"] = Staff(db=engine.db, clock=engine.clock)

    csrf.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    for module in (auth, worklist, tasks, cases, staff_pages, processes, trial, migrate_pages,
                   users_pages):
        app.register_blueprint(module.bp)
    from .api import bp as api_bp
    csrf.exempt(api_bp)
    app.register_blueprint(api_bp)
    app.after_request(_security_headers)
    return app


# bpmn-js sets inline styles on its SVG and loads its font as a data: URI.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
                           "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")


def _security_headers(response):  # type: ignore[no-untyped-def]
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    if not response.headers.get("Cache-Control") and response.mimetype != "text/css" \
            and response.mimetype != "text/javascript":
        # Pages and API answers carry health data: never keep them in a shared or disk cache.
        headers["Cache-Control"] = "no-store"
    return response


def _secret_key(app: Flask) -> str:
    """A key kept in the instance folder, so sessions survive a restart without configuration."""
    env = os.environ.get("KOORDINATOR_SECRET_KEY")
    if env:
        return env
    path = Path(app.instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key
