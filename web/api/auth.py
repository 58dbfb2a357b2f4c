"""Who is asking: a bearer token (`Authorization: Bearer kt_...`) or the signed-in session.

Session requests that change something must carry the CSRF token (`X-CSRFToken` header);
token requests need none (a browser never adds the header by itself).
"""

from __future__ import annotations

from flask import g, request
from flask_login import current_user

from ..extensions import csrf, staff
from . import bp
from .common import api_error

PUBLIC_ENDPOINTS = {"api.openapi"}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
MAX_TOKEN_LENGTH = 200


@bp.before_request
def authenticate():  # type: ignore[no-untyped-def]
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _, token = header.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or len(token) > MAX_TOKEN_LENGTH:
            return api_error(401, "use 'Authorization: Bearer <token>'")
        info = staff().user_for_token(token)
        if info is None:
            return api_error(401, "the API token is unknown or revoked")
        g.api_user = info
        return None
    if not current_user.is_authenticated:
        return api_error(401, "sign in or send an API token (Authorization: Bearer ...)")
    if request.method in UNSAFE_METHODS:
        csrf.protect()  # raises CSRFError → 400 JSON (web.errors)
    return None
