"""A plan can run for decades: a case keeps working, and stays small, after 1,000 evaluations."""

from __future__ import annotations

from datetime import timedelta

import pytest

from .casework import Casework, evaluation, plan


@pytest.mark.slow
def test_thousand_evaluation_loops_still_wait_for_the_next(sqlite_url, clock):
    from engine.service import Koordinator
    from tests.conftest import STANDARD

    engine = Koordinator(sqlite_url, clock=clock)
    engine.deploy(STANDARD, kommune="lund", actor="prosesseier")
    work = Casework(engine)
    work.through_appointment(clock)
    work.do("Task_utarbeid_plan", plan(clock, next_in_days=1), actor="ola.koordinator")
    sizes = {}
    for loop in range(1, 1001):
        clock.set(work.case.next_timer_due + timedelta(minutes=1))
        assert len(engine.fire_due_timers()) == 1, f"loop {loop}"
        work.refresh()
        work.do("Task_evaluer", evaluation(clock, next_in_days=1), actor="ola.koordinator")
        if loop in (1, 10, 100, 1000):
            sizes[loop] = work.case.state_bytes
    case = work.refresh()
    assert case.status == "active" and case.stage == "evaluation"
    assert case.next_timer_due is not None and case.open_tasks == []
    waiting = [t for t in engine.timers(case.id) if t["state"] == "waiting"]
    assert [t["bpmn_id"] for t in waiting] == ["Timer_evaluering"]
    assert sizes[1000] <= 1.5 * sizes[1], sizes
    # and it can still be closed normally
    clock.set(case.next_timer_due + timedelta(minutes=1))
    engine.fire_due_timers()
    work.refresh()
    work.do("Task_evaluer", evaluation(clock, go_on=False), actor="ola.koordinator")
    assert work.open == ["Task_meld_avslutning"]
    engine.close()
