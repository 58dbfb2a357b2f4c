"""Functions that diagram expressions may call (listed in processes/README.md).

They are built per request, bound to the engine's clock and the case being run, and are never
written into task data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from .clock import OSLO, SystemClock


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if "." in text:  # dd.mm.yyyy
        d, m, y = text.split(".")
        return date(int(y), int(m), int(d))
    return date.fromisoformat(text[:10])


def make_helpers(clock: SystemClock,
                 caseload: Callable[[str], int]) -> dict[str, Callable[..., Any]]:
    def alder(fodselsdato: Any) -> int:
        born = _as_date(fodselsdato)
        today = clock.today_oslo()
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    def evalueringstidspunkt(dato: Any) -> str:
        return datetime.combine(_as_date(dato), time(8, 0), tzinfo=OSLO).isoformat()

    def saker_for_koordinator(brukernavn: Any) -> int:
        return caseload(str(brukernavn or ""))

    return {
        "alder": alder,
        "evalueringstidspunkt": evalueringstidspunkt,
        "saker_for_koordinator": saker_for_koordinator,
    }
