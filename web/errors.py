"""Error pages: every failure is a readable page (or JSON under /api), never a traceback."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):  # type: ignore[no-untyped-def]
        if _wants_json():
            from .api.common import api_error
            return api_error(400, f"CSRF check failed: {exc.description}")
        return render_template("error.html", status=400, title=_("The form has expired"),
                               message=_("The page was open too long or was sent without its "
                                         "security token. Go back, reload the page and try "
                                         "again.")), 400

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):  # type: ignore[no-untyped-def]
        if _wants_json():
            from .api.common import api_error
            response = api_error(exc.code or 500, exc.description or exc.name)
            if getattr(exc, "valid_methods", None):
                response.headers["Allow"] = ", ".join(exc.valid_methods)
            return response
        titles = {404: _("Not found"), 403: _("No access"), 405: _("Not allowed"),
                  413: _("Too large"), 400: _("Bad request")}
        messages = {404: _("The page or case does not exist, or you do not have access to it."),
                    403: _("You do not have access to this page."),
                    413: _("What you sent is larger than the system accepts.")}
        code = exc.code or 500
        return render_template("error.html", status=code, title=titles.get(code, exc.name),
                               message=messages.get(code, exc.description)), code

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):  # type: ignore[no-untyped-def]
        log.exception("unexpected error on %s %s", request.method, request.path)
        if _wants_json():
            from .api.common import api_error
            return api_error(500, "internal error; it has been logged")
        return render_template("error.html", status=500, title=_("Something went wrong"),
                               message=_("The error has been logged. Nothing you entered was "
                                         "saved; go back and try again.")), 500
