"""Language: bokmål by default, nynorsk where the kommune writes it, English by choice.

Message ids are English; `translations/` holds the nb, nn and en catalogs. Times are shown in
Europe/Oslo, dates as 24.11.2026.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask, request, session
from flask_babel import Babel, format_date, format_datetime
from flask_login import current_user

from engine.clock import OSLO
from engine.roles import ROLES, STAGES

from .catalogs import ensure_compiled

LANGUAGES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}


def select_locale() -> str:
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    from flask import g
    api_user = g.get("api_user")
    try:
        if api_user is not None or current_user.is_authenticated:
            from .extensions import kommune
            return kommune().language
    except Exception:  # noqa: BLE001, S110 - outside a request with a user: the default
        pass
    best = request.accept_languages.best_match(["nb", "nn", "no", "en"]) if request else None
    return "nb" if best in (None, "no") else best


def lang() -> str:
    from flask_babel import get_locale
    return str(get_locale() or "nb")[:2]


def oslo_date(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        return format_datetime(value, "dd.MM.yyyy")
    return format_date(value, "dd.MM.yyyy")


def oslo_datetime(value: datetime | None) -> str:
    return format_datetime(value, "dd.MM.yyyy HH:mm") if value else ""


def stage_name(stage: str | None) -> str:
    return STAGES.get(stage or "", {}).get(lang(), stage or "")


def role_name(role: str | None) -> str:
    from flask_babel import gettext as _
    extra = {"prosesseier": _("Process owner"), "admin": _("Administrator")}
    return ROLES.get(role or "", {}).get(lang()) or extra.get(role or "", role or "")


def init_app(app: Flask) -> None:
    ensure_compiled()  # a fresh clone has only the .po files
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "nb")
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", str(OSLO))
    Babel(app, locale_selector=select_locale)
    from .formdata import error_list, rows_to_show
    app.jinja_env.filters.update(date=oslo_date, datetime=oslo_datetime, stage=stage_name,
                                 role=role_name, group_rows=rows_to_show,
                                 error_list=error_list)
    app.jinja_env.globals.update(LANGUAGES=LANGUAGES, lang=lang)
    app.jinja_env.add_extension("jinja2.ext.do")
