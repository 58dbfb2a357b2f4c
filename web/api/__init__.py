"""The JSON API under /api/v1 (token or session authenticated).

Modules: `auth` (who is asking, CSRF for sessions), `cases`, `tasks`, `processes` (versions and
validation), `openapi` (the OpenAPI document at /api/v1/openapi.json); `common` holds errors and
input parsing, `serialize` turns engine values into JSON.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# The modules register their routes and hooks on `bp`; imported after it exists.
from . import auth, cases, common, openapi, processes, tasks  # noqa: F401
