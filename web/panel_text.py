"""The labels of the modeler's properties panel, translated here so the catalogs hold them."""

from __future__ import annotations

from flask_babel import gettext as _


def panel_texts() -> dict[str, str]:
    return {
        "nothing": _("Choose an element in the diagram to see what the engine reads from it."),
        "name": _("Name"),
        "unknown": _("not known here"),
        "form": _("Form"),
        "form_hint": _("The form the task shows. Without a form the task cannot be done."),
        "stage": _("Stage"),
        "stage_hint": _("Which of the eight stages the case is in while the task waits."),
        "due": _("Deadline"),
        "due_hint": _("How long the task may wait, as an ISO 8601 duration: P7D is 7 days, "
                      "P1M one month."),
        "role": _("Role (lane)"),
        "role_hint": _("Who does the task. Choosing a role moves the task into its lane."),
        "no_lane": _("No lane"),
        "timer_kind": _("Timer"),
        "timeDuration": _("After a duration"),
        "timeDate": _("At a date"),
        "timeCycle": _("Repeating"),
        "timer_value": _("When"),
        "timer_hint": _("P14D is 14 days, 2027-01-31 a date, R/P1M every month. An expression "
                        "over the case's fields also works."),
        "condition": _("Condition"),
        "condition_hint": _("When the case takes this way, over the fields of earlier forms, "
                            "e.g. godkjent == True"),
        "default_flow": _("The way taken when no condition holds (default)"),
        "decision": _("Decision table (DMN)"),
        "decision_hint": _("The table that decides; its results are fields of the case."),
        "edit_table": _("Edit the table in"),
        "script": _("Script"),
        "script_hint": _("Python in the engine's sandbox: no imports, no files, no network."),
    }
