"""JSON responses, errors and input parsing shared by the API's endpoints.

Every failure under /api/v1 is a JSON body `{"error": {"status", "message", ...}}`: raise
`ApiProblem` (or let an engine error through: they are mapped here) and never build HTML.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import jsonify, request

from engine.errors import (
    BundleInvalid,
    Conflict,
    EngineError,
    FormRejected,
    InvalidTransition,
    NotFound,
    ProcessError,
)
from engine.forms import LANGUAGES

from . import bp

#: ids are SQLite/PostgreSQL bigints; anything larger cannot exist (and would overflow a query)
MAX_ID = 2**63 - 1
MAX_OFFSET = 10**9
MAX_JSON_BYTES = 1024 * 1024
_TASK_ID = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?"
                      r"[0-9a-fA-F]{12}$")
_INT = re.compile(r"^[0-9]{1,19}$")


def api_error(status: int, message: str, **extra: Any):  # type: ignore[no-untyped-def]
    body = {"error": {"status": status, "message": message, **extra}}
    response = jsonify(body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="koordinator"'
    return response


class ApiProblem(Exception):
    """Raised inside a view: answered as `api_error(status, message, **extra)`."""

    def __init__(self, status: int, message: str, **extra: Any):
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra


@bp.errorhandler(ApiProblem)
def _problem(exc: ApiProblem):  # type: ignore[no-untyped-def]
    return api_error(exc.status, exc.message, **exc.extra)


@bp.errorhandler(EngineError)
def _engine_error(exc: EngineError):  # type: ignore[no-untyped-def]
    if isinstance(exc, NotFound):
        return api_error(404, str(exc))
    if isinstance(exc, FormRejected):
        return api_error(422, "the data does not fit the task's form", fields=exc.errors)
    if isinstance(exc, (Conflict, InvalidTransition)):
        return api_error(409, str(exc))
    if isinstance(exc, ProcessError):
        return api_error(422, str(exc), element_id=exc.element_id)
    if isinstance(exc, BundleInvalid):
        return api_error(422, "the process is not valid",
                         problems=[p.as_dict() for p in exc.problems])
    return api_error(400, str(exc))


# --- input ------------------------------------------------------------------------------------


def not_found(kind: str, ident: object) -> ApiProblem:
    text = str(ident)
    if len(text) > 60:
        text = text[:59] + "…"
    return ApiProblem(404, f"{kind} {text} does not exist")


def check_case_id(case_id: int) -> int:
    if case_id < 1 or case_id > MAX_ID:
        raise not_found("case", case_id)
    return case_id


def check_task_id(task_id: str) -> str:
    """Task ids are UUIDs; anything else is a task that does not exist."""
    if not _TASK_ID.match(task_id):
        raise not_found("task", task_id)
    raw = task_id.replace("-", "").lower()
    return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"


def json_body(required: bool = True) -> dict[str, Any]:
    """The request's JSON object; 415 for another content type, 400 for broken JSON."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        if required:
            raise ApiProblem(400, "send a JSON object as the request body")
        return {}
    if not request.is_json:
        raise ApiProblem(415, "the request body must be JSON (Content-Type: application/json)")
    if len(raw) > MAX_JSON_BYTES:
        raise ApiProblem(413, f"the JSON body is larger than {MAX_JSON_BYTES // 1024} KB")
    try:
        body = json.loads(raw, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        detail = exc.msg if isinstance(exc, json.JSONDecodeError) else "too deeply nested"
        raise ApiProblem(400, f"the body is not valid JSON: {detail}") from None
    if not isinstance(body, dict):
        raise ApiProblem(400, "the JSON body must be an object")
    return body


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def only_keys(body: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = [k for k in body if k not in allowed]
    if unknown:
        raise ApiProblem(400, f"unknown key {unknown[0][:60]!r} in the body; allowed: "
                         f"{', '.join(allowed)}")


def query_int(name: str, default: int | None, minimum: int, maximum: int) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not _INT.match(raw.strip()):
        raise ApiProblem(400, f"the query parameter '{name}' must be a whole number")
    value = int(raw.strip())
    if not minimum <= value <= maximum:
        raise ApiProblem(400, f"the query parameter '{name}' must be between {minimum} and "
                         f"{maximum}")
    return value


def query_choice(name: str, choices: tuple[str, ...] | list[str]) -> str | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if raw not in choices:
        raise ApiProblem(400, f"the query parameter '{name}' must be one of: "
                         f"{', '.join(choices)}")
    return raw


def query_text(name: str, max_length: int = 100) -> str | None:
    """A free-text filter (such as a user name), bounded."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if len(raw) > max_length:
        raise ApiProblem(400, f"the query parameter '{name}' is longer than {max_length}")
    return raw


def query_bool(name: str) -> bool | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    word = raw.strip().lower()
    if word in ("true", "1", "yes", "ja"):
        return True
    if word in ("false", "0", "no", "nei"):
        return False
    raise ApiProblem(400, f"the query parameter '{name}' must be true or false")


def language() -> str:
    """The language of messages and labels: ?lang=, else Accept-Language, else the kommune's."""
    chosen = query_choice("lang", LANGUAGES)
    if chosen:
        return chosen
    if request.headers.get("Accept-Language"):
        best = request.accept_languages.best_match(["nb", "nn", "en", "no"])
        if best:
            return "nb" if best == "no" else best
    from ..extensions import kommune
    return kommune().language if kommune().language in LANGUAGES else "nb"
