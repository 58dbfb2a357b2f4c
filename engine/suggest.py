"""Values a form suggests before the user types: from the kommune's settings.

The standard contract (processes/README.md) names `neste_evaluering` as the date the evaluation
timer waits for; a kommune with a default evaluation interval gets that date filled in, and the
user may change it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from .bundle import due_delta
from .clock import add_duration
from .forms import FormDefinition
from .types import KommuneInfo

EVALUATION_DATE_FIELD = "neste_evaluering"


def suggested_values(form: FormDefinition, settings: KommuneInfo, today: date) -> dict[str, Any]:
    values: dict[str, Any] = {}
    parts = due_delta(settings.evaluation_interval) if settings.evaluation_interval else None
    if parts and EVALUATION_DATE_FIELD in form.field_names() \
            and form.field(EVALUATION_DATE_FIELD).type == "date":
        start = datetime(today.year, today.month, today.day)
        values[EVALUATION_DATE_FIELD] = add_duration(start, parts).date().isoformat()
    return values
