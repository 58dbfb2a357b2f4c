"""The engine's clock, chosen by the caller so tests can move time without patching."""

from __future__ import annotations

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
