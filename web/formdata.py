"""Between HTML forms and the engine's form data: flat field names in, nested values out.

A group's cells are named `<group>-<row>-<column>` (`tiltak-0-frist`); rows the user left empty
are dropped here, so the row numbers in the engine's error paths (`tiltak[1].frist`) match the
rows shown again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from engine.forms import FormDefinition, FormField

_CELL = re.compile(r"^(?P<group>[A-Za-z_][A-Za-z0-9_]*)-(?P<row>\d{1,3})-(?P<col>[A-Za-z_][A-Za-z0-9_]*)$")
_ERROR_PATH = re.compile(r"^(?P<group>\w+)\[(?P<row>\d+)\]\.(?P<col>\w+)$")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def from_request(form: FormDefinition, posted: Mapping[str, str]) -> dict[str, Any]:
    """The submitted values as the engine takes them (strings; the engine converts)."""
    data: dict[str, Any] = {}
    groups: dict[str, dict[int, dict[str, str]]] = {}
    for key in posted:
        match = _CELL.match(key)
        if match:
            groups.setdefault(match["group"], {}).setdefault(int(match["row"]), {})[
                match["col"]] = posted[key]
    for f in form.fields:
        if f.type == "group":
            rows = [groups.get(f.name, {})[i] for i in sorted(groups.get(f.name, {}))]
            columns = {c.name for c in f.fields}
            data[f.name] = [{k: v for k, v in row.items() if k in columns} for row in rows
                            if not all(_blank(v) for v in row.values())]
        elif f.name in posted:
            data[f.name] = posted[f.name]
    return data


def initial_values(form: FormDefinition) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in form.fields:
        if f.type == "group":
            values[f.name] = []
        elif f.default is not None:
            values[f.name] = _as_text(f, f.default)
    return values


def _as_text(f: FormField, value: Any) -> str:
    if f.type == "boolean" and isinstance(value, bool):
        return "ja" if value else "nei"
    return "" if value is None else str(value)


def rows_to_show(f: FormField, values: dict[str, Any], extra: int = 0) -> list[dict[str, Any]]:
    """The rows of a group to render: those entered, at least `min_items` (or one), plus `extra`."""
    rows = list(values.get(f.name) or [])
    least = max(f.min_items or 0, 1)
    while len(rows) < least:
        rows.append({})
    rows.extend({} for _ in range(extra))
    return rows


def split_errors(errors: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Errors by HTML field id: field errors keyed `<name>` and cell errors `<group>-<row>-<col>`."""
    by_id: dict[str, str] = {}
    for path, message in errors.items():
        match = _ERROR_PATH.match(path)
        by_id[f"{match['group']}-{match['row']}-{match['col']}" if match else path] = message
    general = {k: v for k, v in by_id.items() if k.startswith("_")}
    return by_id, general


def error_list(form: FormDefinition, errors: Mapping[str, str], lang: str) -> list[tuple[str, str]]:
    """(field id, "Label: message") for the error summary, in the form's order."""
    labels: dict[str, str] = {}
    for f in form.fields:
        labels[f.name] = f.label(lang)
        for c in f.fields:
            for key in errors:
                match = _CELL.match(key)
                if match and match["group"] == f.name and match["col"] == c.name:
                    labels[key] = f"{f.label(lang)} {int(match['row']) + 1} – {c.label(lang)}"
    order = {name: i for i, name in enumerate(labels)}
    items = [(key, f"{labels[key]}: {message}" if key in labels else message)
             for key, message in errors.items() if not key.startswith("_")]
    return sorted(items, key=lambda item: order.get(item[0], len(order)))
