"""The engine's clock, chosen by the caller so tests can move time without patching."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")


class SystemClock:
    """Wall-clock time, as naive UTC (how the database stores it)."""

    def now(self) -> datetime:
        return datetime.now(UTC).replace(tzinfo=None)

    def today_oslo(self) -> date:
        return self.now().replace(tzinfo=UTC).astimezone(OSLO).date()


class FixedClock(SystemClock):
    """A clock that stands still until told to move (tests, the benchmark, trying a draft)."""

    def __init__(self, start: datetime | None = None):
        self._now = start or SystemClock().now()

    def now(self) -> datetime:
        return self._now

    def advance(self, **kwargs: float) -> datetime:
        self._now += timedelta(**kwargs)
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when


def add_duration(start: datetime, parts: dict[str, float]) -> datetime:
    """`start` plus an ISO 8601 duration's parts; months and years are calendar months."""
    months = int(parts.get("years", 0)) * 12 + int(parts.get("months", 0))
    if months:
        year, month = divmod(start.month - 1 + months, 12)
        year += start.year
        day = min(start.day, calendar.monthrange(year, month + 1)[1])
        start = start.replace(year=year, month=month + 1, day=day)
    return start + timedelta(weeks=parts.get("weeks", 0), days=parts.get("days", 0),
                             hours=parts.get("hours", 0), minutes=parts.get("minutes", 0),
                             seconds=parts.get("seconds", 0))
