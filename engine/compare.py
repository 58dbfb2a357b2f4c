"""What differs between two process bundles or versions, element by element.

Elements are matched by their diagram id (variants keep the standard's ids where the step is
the same), so the answer reads as a process owner would: added, removed, changed, and what
changed (name, lane, form, stage, due time, kind). Decision tables are compared by file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

COMPARED = ("kind", "name", "role", "form", "stage", "due")


@dataclass
class Comparison:
    added: dict[str, dict[str, Any]] = field(default_factory=dict)
    removed: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: element id -> {attribute: (before, after)}
    changed: dict[str, dict[str, tuple[Any, Any]]] = field(default_factory=dict)
    #: files (DMN tables, forms) present in only one side or with other content
    files_changed: list[str] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return not (self.added or self.removed or self.changed or self.files_changed)

    def lines(self) -> list[str]:
        out = [f"+ {eid} ({e.get('kind')}: {e.get('name')})" for eid, e in sorted(self.added.items())]
        out += [f"- {eid} ({e.get('kind')}: {e.get('name')})"
                for eid, e in sorted(self.removed.items())]
        for eid, diffs in sorted(self.changed.items()):
            parts = "; ".join(f"{k}: {a!r} -> {b!r}" for k, (a, b) in diffs.items())
            out.append(f"~ {eid}: {parts}")
        out += [f"~ file {name}" for name in self.files_changed]
        return out


def compare_elements(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]],
                     files_before: dict[str, str] | None = None,
                     files_after: dict[str, str] | None = None) -> Comparison:
    result = Comparison()
    for eid in after.keys() - before.keys():
        result.added[eid] = after[eid]
    for eid in before.keys() - after.keys():
        result.removed[eid] = before[eid]
    for eid in before.keys() & after.keys():
        diffs = {k: (before[eid].get(k), after[eid].get(k)) for k in COMPARED
                 if before[eid].get(k) != after[eid].get(k)}
        if diffs:
            result.changed[eid] = diffs
    if files_before is not None and files_after is not None:
        names = sorted(files_before.keys() | files_after.keys())
        result.files_changed = [n for n in names if not n.endswith(".bpmn")
                                and files_before.get(n) != files_after.get(n)]
    return result
