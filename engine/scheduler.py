"""The ticker: APScheduler calls `fire_due_timers` every few seconds.

The timer table is the source of truth; APScheduler only decides when to look. Several tickers
may run at once (see `Koordinator.fire_due_timers`), and the first tick runs at start-up so that
timers missed while nothing ran fire straight away.
"""

from __future__ import annotations

import logging
from datetime import datetime

from apscheduler.schedulers.blocking import BlockingScheduler

from .service import Koordinator

log = logging.getLogger(__name__)


def tick(engine: Koordinator) -> int:
    fired = engine.fire_due_timers()
    if fired:
        log.info("fired %d timer(s)", len(fired))
    return len(fired)


def run_forever(engine: Koordinator, interval_seconds: float = 10.0) -> None:
    scheduler = BlockingScheduler(timezone="UTC")
    scheduler.add_job(tick, "interval", args=[engine], seconds=interval_seconds,
                      next_run_time=datetime.now().astimezone(), max_instances=1, coalesce=True,
                      id="fire_due_timers")
    scheduler.add_job(engine.optimize, "interval", hours=6, next_run_time=datetime.now().astimezone(),
                      max_instances=1, coalesce=True, id="optimize")
    log.info("scheduler started: checking for due timers every %s s", interval_seconds)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        log.info("scheduler stopped")
