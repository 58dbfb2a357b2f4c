"""Cases: list what the user may read, start one, read one (logged), its audit trail."""

from __future__ import annotations

import re

from flask import url_for

from engine.access import may_read_case, may_start_case
from engine.errors import NotFound
from engine.roles import STAGES
from engine.types import CaseInfo

from ..extensions import engine, kommune, user
from . import bp
from .common import (
    MAX_OFFSET,
    ApiProblem,
    check_case_id,
    json_body,
    not_found,
    only_keys,
    query_choice,
    query_int,
    query_text,
)
from .serialize import audit_json, case_json

STATUSES = ("active", "closed", "cancelled")
MAX_LIMIT = 500
_PROCESS_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,99}$")


def readable_case(case_id: int) -> CaseInfo:
    """The case if this user may read it; 404 alike for other kommuner and need-to-know."""
    me = user()
    try:
        info = engine().get_case(check_case_id(case_id), kommune=me.kommune)
    except NotFound:
        raise not_found("case", case_id) from None
    if not may_read_case(me, info):
        raise not_found("case", case_id)
    return info


def _names() -> bool:
    """Whether lists show the person's name (not in kommuner that show initials only)."""
    return not kommune().initials_only


@bp.get("/cases", provide_automatic_options=False)
def list_cases():  # type: ignore[no-untyped-def]
    me = user()
    status = query_choice("status", STATUSES)
    stage = query_choice("stage", tuple(STAGES))
    coordinator = query_text("coordinator")
    limit = query_int("limit", 50, 1, MAX_LIMIT)
    offset = query_int("offset", 0, 0, MAX_OFFSET)
    assert limit is not None and offset is not None
    # Need-to-know: the coordinating unit and leaders see the kommune's cases, others the cases
    # they coordinate or have a task in (the same rule as engine.access.may_read_case).
    sees_all = me.has_role("koordinerende_enhet", "leder", "admin")
    found: list[CaseInfo] = engine().list_cases(
        me.kommune, status, stage, coordinator, limit=limit, offset=offset,
        involving=None if sees_all else me.username)
    names = _names()
    return {"cases": [case_json(c, names=names) for c in found], "limit": limit,
            "offset": offset}


@bp.post("/cases", provide_automatic_options=False)
def start_case():  # type: ignore[no-untyped-def]
    me = user()
    body = json_body(required=False)
    only_keys(body, ("process_id",))
    if not may_start_case(me):
        raise ApiProblem(403, "only the coordinating unit starts cases")
    process_id = body.get("process_id", "koordinering")
    if process_id is None:
        process_id = "koordinering"
    if not isinstance(process_id, str) or not _PROCESS_ID.match(process_id):
        raise ApiProblem(400, "process_id must be a process id (letters, digits, _ . -)",
                         fields={"process_id": "not a process id"})
    try:
        info = engine().start_case(me.kommune, actor=me.username, process_id=process_id)
    except NotFound as exc:
        raise ApiProblem(422, str(exc), fields={"process_id": str(exc)}) from None
    response = case_json(info)
    return response, 201, {"Location": url_for("api.get_case", case_id=info.id)}


@bp.get("/cases/<int:case_id>", provide_automatic_options=False)
def get_case(case_id: int):  # type: ignore[no-untyped-def]
    me = user()
    readable_case(case_id)
    info = engine().get_case(case_id, kommune=me.kommune, actor=me.username)  # logs the read
    return case_json(info)


@bp.get("/cases/<int:case_id>/audit", provide_automatic_options=False)
def case_audit(case_id: int):  # type: ignore[no-untyped-def]
    me = user()
    readable_case(case_id)
    events = engine().audit_trail(case_id, kommune=me.kommune)
    return {"case_id": case_id, "events": [audit_json(e) for e in events]}
