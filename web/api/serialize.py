"""Engine values as JSON: datetimes in ISO 8601 UTC with 'Z', forms in the asker's language."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from engine.forms import FormDefinition, FormField
from engine.types import AuditInfo, CaseInfo, TaskInfo, VersionInfo


def iso(value: datetime | None) -> str | None:
    """Naive UTC (as the engine stores it) or aware → `2026-01-31T12:00:00Z`."""
    if value is None:
        return None
    if value.tzinfo is not None:
        from datetime import UTC
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat() + "Z"


def task_json(t: TaskInfo, *, names: bool = True, **extra: Any) -> dict[str, Any]:
    """A task; `names=False` leaves out the person's full name (kommuner that show initials)."""
    out: dict[str, Any] = {
        "id": t.id, "case_id": t.case_id, "kommune": t.kommune, "bpmn_id": t.bpmn_id,
        "name": t.name, "role": t.role, "form_key": t.form_key, "stage": t.stage,
        "state": t.state, "assignee": t.assignee, "claimed_by": t.claimed_by,
        "created_at": iso(t.created_at), "due_at": iso(t.due_at),
        "completed_at": iso(t.completed_at), "completed_by": t.completed_by,
        "person_label": t.person_label, "person_name": t.person_name if names else None,
    }
    out.update(extra)
    return out


def case_json(c: CaseInfo, *, names: bool = True) -> dict[str, Any]:
    return {
        "id": c.id, "kommune": c.kommune, "status": c.status, "stage": c.stage,
        "coordinator": c.coordinator, "person_label": c.person_label,
        "person_name": c.person_name if names else None,
        "process_id": c.process_id, "version_number": c.version_number,
        "process_version_id": c.process_version_id, "version": c.version,
        "created_at": iso(c.created_at), "updated_at": iso(c.updated_at),
        "closed_at": iso(c.closed_at), "next_timer_due": iso(c.next_timer_due),
        "open_tasks": [task_json(t, names=names) for t in c.open_tasks],
    }


def audit_json(a: AuditInfo) -> dict[str, Any]:
    return {"at": iso(a.at), "actor": a.actor, "kind": a.kind, "task_id": a.task_id,
            "bpmn_id": a.bpmn_id, "stage": a.stage, "data": a.data}


def version_json(v: VersionInfo) -> dict[str, Any]:
    return {"id": v.id, "kommune": v.kommune, "process_id": v.process_id, "number": v.number,
            "name": v.name, "created_at": iso(v.created_at), "created_by": v.created_by,
            "note": v.note}


def field_json(f: FormField, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": f.name, "type": f.type, "label": f.label(lang),
        "help": f.help(lang) if f.help else None, "required": f.required,
        "required_if": ({"field": f.required_if.field, "equals": f.required_if.equals}
                        if f.required_if else None),
        "default": f.default,
    }
    if f.type == "choice":
        out["choices"] = [{"value": c.value, "label": c.label(lang)} for c in f.choices]
    if f.type == "integer":
        out.update(min=f.min, max=f.max)
    if f.type in ("text", "textarea"):
        out["max_length"] = f.text_limit
    if f.type == "boolean":
        out["must_be"] = f.must_be
    if f.type == "group":
        out["min_items"] = f.min_items
        out["fields"] = [field_json(c, lang) for c in f.fields]
    return out


def form_json(form: FormDefinition, lang: str) -> dict[str, Any]:
    return {"key": form.key, "lang": lang, "title": form.title(lang),
            "intro": form.intro(lang) if form.intro else None,
            "fields": [field_json(f, lang) for f in form.fields]}
