"""The OpenAPI 3.1 document of the API, served without authentication at /api/v1/openapi.json."""

from __future__ import annotations

import copy
from typing import Any

from flask import jsonify

from engine.forms import FIELD_TYPES, LANGUAGES
from engine.roles import STAGES

from . import bp

VERSION = "1.0.0"


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` or null (OpenAPI 3.1 / JSON Schema 2020-12)."""
    return {"anyOf": [schema, {"type": "null"}]}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


STR = {"type": "string"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
DATETIME = {"type": "string", "format": "date-time"}
N_STR = _nullable(STR)
N_DATETIME = _nullable(DATETIME)
STAGE = {"type": "string", "enum": list(STAGES)}
ID = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {
            "type": "object",
            "required": ["status", "message"],
            "properties": {
                "status": {"type": "integer", "minimum": 400, "maximum": 599},
                "message": STR,
                "fields": {
                    "type": "object", "additionalProperties": STR,
                    "description": "Field path (`tiltak[1].frist`; `_form` for the whole "
                                   "submission) → message in the request's language."},
                "element_id": N_STR,
                "problems": {"type": "array", "items": _ref("Problem")},
            },
        }},
    },
    "Task": {
        "type": "object",
        "required": ["id", "case_id", "kommune", "bpmn_id", "name", "state", "created_at"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "case_id": INT, "kommune": STR,
            "bpmn_id": {**STR, "description": "The user task's id in the diagram."},
            "name": STR, "role": N_STR, "form_key": N_STR, "stage": _nullable(STAGE),
            "state": {"type": "string", "enum": ["ready", "completed", "cancelled"]},
            "assignee": N_STR, "claimed_by": N_STR,
            "created_at": DATETIME, "due_at": N_DATETIME, "completed_at": N_DATETIME,
            "completed_by": N_STR, "person_label": N_STR,
            "person_name": {**N_STR, "description": "Left out (null) in lists of kommuner that "
                                                     "show initials only."},
            "mine": {**BOOL, "description": "In the worklist: claimed by or assigned to you."},
            "may_work": {**BOOL, "description": "You may fill in the task's form now."},
        },
    },
    "Case": {
        "type": "object",
        "required": ["id", "kommune", "status", "process_id", "version", "created_at",
                     "updated_at", "open_tasks"],
        "properties": {
            "id": INT, "kommune": STR,
            "status": {"type": "string", "enum": ["active", "closed", "cancelled"]},
            "stage": _nullable(STAGE), "coordinator": N_STR, "person_label": N_STR,
            "person_name": N_STR, "process_id": STR, "version_number": INT,
            "process_version_id": INT,
            "version": {**INT, "description": "Optimistic-lock version: send it back as "
                                              "`case_version` to detect changes made meanwhile."},
            "created_at": DATETIME, "updated_at": DATETIME, "closed_at": N_DATETIME,
            "next_timer_due": N_DATETIME,
            "open_tasks": {"type": "array", "items": _ref("Task")},
        },
    },
    "CaseList": {
        "type": "object", "required": ["cases", "limit", "offset"],
        "properties": {"cases": {"type": "array", "items": _ref("Case")}, "limit": INT,
                       "offset": INT},
    },
    "Worklist": {
        "type": "object",
        "required": ["tasks", "mine_count", "available_count", "overdue_count"],
        "properties": {"tasks": {"type": "array", "items": _ref("Task")}, "mine_count": INT,
                       "available_count": INT, "overdue_count": INT},
    },
    "AuditEvent": {
        "type": "object", "required": ["at", "actor", "kind"],
        "properties": {"at": DATETIME, "actor": STR,
                       "kind": {**STR, "examples": ["case_started", "case_read",
                                                    "task_completed", "engine_step",
                                                    "timer_fired", "signal", "case_closed"]},
                       "task_id": N_STR, "bpmn_id": N_STR, "stage": N_STR,
                       "data": {"description": "What was submitted or decided (any JSON)."}},
    },
    "AuditTrail": {
        "type": "object", "required": ["case_id", "events"],
        "properties": {"case_id": INT, "events": {"type": "array", "items": _ref("AuditEvent")}},
    },
    "FormField": {
        "type": "object", "required": ["name", "type", "label", "required"],
        "properties": {
            "name": STR, "type": {"type": "string", "enum": list(FIELD_TYPES)},
            "label": STR, "help": N_STR, "required": BOOL,
            "required_if": _nullable({
                "type": "object", "required": ["field", "equals"],
                "properties": {"field": STR, "equals": {"type": ["string", "integer",
                                                                  "boolean"]}}}),
            "default": {"type": ["string", "integer", "boolean", "null"]},
            "choices": {"type": "array", "items": {
                "type": "object", "required": ["value", "label"],
                "properties": {"value": STR, "label": STR}}},
            "min": _nullable(INT), "max": _nullable(INT), "max_length": _nullable(INT),
            "must_be": _nullable(BOOL), "min_items": _nullable(INT),
            "fields": {"type": "array", "items": _ref("FormField"),
                       "description": "The columns of a group (one object per row)."},
        },
    },
    "Form": {
        "type": "object", "required": ["task_id", "key", "lang", "title", "fields"],
        "properties": {"task_id": STR, "key": STR,
                       "lang": {"type": "string", "enum": list(LANGUAGES)},
                       "title": STR, "intro": N_STR,
                       "fields": {"type": "array", "items": _ref("FormField")}},
    },
    "Version": {
        "type": "object",
        "required": ["id", "kommune", "process_id", "number", "name", "created_at"],
        "properties": {"id": INT, "kommune": STR, "process_id": STR, "number": INT,
                       "name": STR, "created_at": DATETIME, "created_by": STR, "note": STR},
    },
    "VersionList": {
        "type": "object", "required": ["versions"],
        "properties": {"versions": {"type": "array", "items": _ref("Version")}},
    },
    "Problem": {
        "type": "object", "required": ["file", "message"],
        "properties": {"file": STR, "element_id": N_STR, "message": STR, "code": N_STR,
                       "params": {"type": "object", "additionalProperties": STR}},
    },
    "ValidationResult": {
        "type": "object", "required": ["valid", "problems"],
        "properties": {"valid": BOOL, "problems": {"type": "array", "items": _ref("Problem")}},
    },
    "StartCase": {
        "type": "object", "additionalProperties": False,
        "properties": {"process_id": {"type": "string", "default": "koordinering",
                                      "pattern": "^[A-Za-z_][A-Za-z0-9_.-]{0,99}$"}},
    },
    "CompleteTask": {
        "type": "object", "required": ["data"], "additionalProperties": False,
        "properties": {
            "data": {"type": "object", "description": "The form's fields (see the task's "
                     "form): text, whole numbers, true/false, dates as YYYY-MM-DD, groups as "
                     "lists of objects."},
            "case_version": {**ID, "description": "The case's `version` when you read it; a "
                             "stale version answers 409 and changes nothing."},
        },
    },
}


def _error(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": _ref("Error")}}}


def _ok(schema: str, description: str = "OK") -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": _ref(schema)}}}


def _param(name: str, where: str, schema: dict[str, Any], description: str,
           required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required or where == "path",
            "schema": schema, "description": description}


CASE_ID = _param("case_id", "path", ID, "The case's number.")
TASK_ID = _param("task_id", "path", {"type": "string", "format": "uuid"}, "The task's id.")
LANG = _param("lang", "query", {"type": "string", "enum": list(LANGUAGES)},
              "Language of labels and field messages (else Accept-Language, else the "
              "kommune's målform).")

COMMON_ERRORS = {"400": _error("Bad input"), "401": _error("No or unknown credentials")}
ID_ERRORS = {**COMMON_ERRORS, "404": _error("No such case or task, or not visible to you")}
WRITE_ERRORS = {**ID_ERRORS, "403": _error("Not yours to do"),
                "409": _error("Conflict: already done, claimed, or the case changed")}

PATHS: dict[str, Any] = {
    "/cases": {
        "get": {
            "operationId": "listCases", "tags": ["cases"],
            "summary": "The kommune's cases that you may read, newest first",
            "parameters": [
                _param("status", "query", {"type": "string",
                                           "enum": ["active", "closed", "cancelled"]},
                       "Only cases with this status."),
                _param("stage", "query", STAGE, "Only cases in this stage."),
                _param("coordinator", "query", {"type": "string", "maxLength": 100},
                       "Only cases with this coordinator (user name)."),
                _param("limit", "query", {"type": "integer", "minimum": 1, "maximum": 500,
                                          "default": 50}, "At most this many cases."),
                _param("offset", "query", {"type": "integer", "minimum": 0,
                                           "maximum": 10**9, "default": 0},
                       "Skip this many cases."),
            ],
            "responses": {"200": _ok("CaseList"), **COMMON_ERRORS},
        },
        "post": {
            "operationId": "startCase", "tags": ["cases"],
            "summary": "Start a case on the kommune's newest version (coordinating unit, admin)",
            "requestBody": {"required": False, "content": {
                "application/json": {"schema": _ref("StartCase")}}},
            "responses": {"201": _ok("Case", "The new case, run to its first task"),
                          **COMMON_ERRORS, "403": _error("Only the coordinating unit starts "
                                                         "cases"),
                          "415": _error("The body is not JSON"),
                          "422": _error("No such process is deployed")},
        },
    },
    "/cases/{case_id}": {
        "get": {
            "operationId": "getCase", "tags": ["cases"],
            "summary": "A case with its open tasks (the read is logged in the audit trail)",
            "parameters": [CASE_ID],
            "responses": {"200": _ok("Case"), **ID_ERRORS},
        },
    },
    "/cases/{case_id}/audit": {
        "get": {
            "operationId": "getCaseAudit", "tags": ["cases"],
            "summary": "Who did what in a case, and when",
            "parameters": [CASE_ID],
            "responses": {"200": _ok("AuditTrail"), **ID_ERRORS},
        },
    },
    "/tasks": {
        "get": {
            "operationId": "worklist", "tags": ["tasks"],
            "summary": "Your worklist: your tasks and the unclaimed tasks of your roles",
            "parameters": [
                _param("mine", "query", BOOL, "true: only your own tasks; false: only the "
                       "unclaimed tasks of your roles; absent: both."),
                _param("stage", "query", STAGE, "Only tasks in this stage."),
                _param("case_id", "query", ID, "Only tasks of this case."),
                _param("due", "query", {"type": "string", "enum": ["overdue", "week"]},
                       "overdue: past the due date; week: due within seven days."),
                _param("limit", "query", {"type": "integer", "minimum": 1, "maximum": 500,
                                          "default": 200}, "At most this many of each kind."),
            ],
            "responses": {"200": _ok("Worklist"), **COMMON_ERRORS},
        },
    },
    "/tasks/{task_id}": {
        "get": {
            "operationId": "getTask", "tags": ["tasks"], "summary": "One task",
            "parameters": [TASK_ID],
            "responses": {"200": _ok("Task"), **ID_ERRORS},
        },
    },
    "/tasks/{task_id}/form": {
        "get": {
            "operationId": "getTaskForm", "tags": ["tasks"],
            "summary": "The task's form: fields, types, labels, choices, group columns",
            "parameters": [TASK_ID, LANG],
            "responses": {"200": _ok("Form"), **ID_ERRORS},
        },
    },
    "/tasks/{task_id}/claim": {
        "post": {
            "operationId": "claimTask", "tags": ["tasks"],
            "summary": "Take an unclaimed task of your role",
            "parameters": [TASK_ID],
            "responses": {"200": _ok("Task"), **WRITE_ERRORS},
        },
    },
    "/tasks/{task_id}/release": {
        "post": {
            "operationId": "releaseTask", "tags": ["tasks"],
            "summary": "Give a task you claimed back to its role",
            "parameters": [TASK_ID],
            "responses": {"200": _ok("Task"), **WRITE_ERRORS},
        },
    },
    "/tasks/{task_id}/complete": {
        "post": {
            "operationId": "completeTask", "tags": ["tasks"],
            "summary": "Complete a task with its form data; the case runs to its next tasks",
            "parameters": [TASK_ID, LANG],
            "requestBody": {"required": True, "content": {
                "application/json": {"schema": _ref("CompleteTask")}}},
            "responses": {"200": _ok("Case", "The case after the task"), **WRITE_ERRORS,
                          "415": _error("The body is not JSON"),
                          "422": _error("The data does not fit the form (`fields` says "
                                        "where), or the process could not go on")},
        },
    },
    "/versions": {
        "get": {
            "operationId": "listVersions", "tags": ["processes"],
            "summary": "The kommune's deployed process versions",
            "responses": {"200": _ok("VersionList"), **COMMON_ERRORS},
        },
    },
    "/validate": {
        "post": {
            "operationId": "validateProcess", "tags": ["processes"],
            "summary": "Check a BPMN or DMN file (or several, as one bundle) without deploying",
            "parameters": [_param("filename", "query", {"type": "string", "maxLength": 100},
                                  "Name of the file sent as the raw body (a .dmn name marks "
                                  "a decision table).")],
            "requestBody": {"required": True, "content": {
                "application/xml": {"schema": {"type": "string"}},
                "text/xml": {"schema": {"type": "string"}},
                "multipart/form-data": {"schema": {
                    "type": "object", "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}}}},
            }},
            "responses": {"200": _ok("ValidationResult", "Valid or not, with the problems"),
                          **COMMON_ERRORS, "413": _error("Larger than 5 MB"),
                          "415": _error("Not XML or multipart")},
        },
    },
    "/openapi.json": {
        "get": {
            "operationId": "openapi", "tags": ["meta"], "summary": "This document",
            "security": [],
            "responses": {"200": {"description": "The OpenAPI document",
                                  "content": {"application/json": {"schema": {
                                      "type": "object"}}}}},
        },
    },
}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Koordinator API",
        "version": VERSION,
        "description": (
            "Cases and tasks of the coordinating unit (koordinerende enhet). Authenticate with "
            "`Authorization: Bearer <token>` (`koordinator user token NAME`), or with the "
            "signed-in session cookie; session requests that change something must send the "
            "page's CSRF token in the `X-CSRFToken` header. Every error is JSON: "
            "`{\"error\": {\"status\", \"message\", ...}}`. A case or task you may not see "
            "answers 404, exactly like one that does not exist."),
        "license": {"name": "AGPL-3.0-or-later",
                    "identifier": "AGPL-3.0-or-later"},
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearerAuth": []}, {"cookieAuth": []}],
    "tags": [{"name": "cases"}, {"name": "tasks"}, {"name": "processes"}, {"name": "meta"}],
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "securitySchemes": {
            "bearerAuth": {"type": "http", "scheme": "bearer",
                           "description": "An API token from `koordinator user token NAME`."},
            "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "session",
                           "description": "The web app's session; unsafe methods also need "
                                          "the `X-CSRFToken` header."},
        },
    },
}


def document() -> dict[str, Any]:
    return copy.deepcopy(DOCUMENT)


@bp.get("/openapi.json", provide_automatic_options=False)
def openapi():  # type: ignore[no-untyped-def]
    return jsonify(document())
