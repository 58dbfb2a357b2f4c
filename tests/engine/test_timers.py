"""Timers: stored due times, missed timers after a stop, and exactly-once firing."""

from __future__ import annotations

import multiprocessing
from datetime import datetime, timedelta

import pytest

from engine.clock import FixedClock
from engine.service import Koordinator

from .casework import Casework, plan, referral


def _planned_case(engine: Koordinator, clock, n: int = 0) -> Casework:  # type: ignore[no-untyped-def]
    coordinator = f"koordinator{n}"  # one each: five cases would need a leader's approval
    work = Casework(engine)
    work.through_appointment(clock, coordinator=coordinator)
    work.do("Task_utarbeid_plan", plan(clock, next_in_days=30), actor=coordinator)
    return work


def test_due_time_is_stored_from_the_agreed_date(deployed, clock):
    work = _planned_case(deployed, clock)
    timers = [t for t in deployed.timers(work.case.id) if t["state"] == "waiting"]
    assert [t["bpmn_id"] for t in timers] == ["Timer_evaluering"]
    due = timers[0]["due_at"]
    # 08:00 in Oslo on the agreed date is 07:00 or 06:00 UTC
    expected = (clock.today_oslo() + timedelta(days=30))
    assert due.date() == expected and due.hour in (6, 7)
    assert work.refresh().next_timer_due == due


def test_timer_missed_while_stopped_fires_once_on_the_next_pass(database_url, clock):
    first = Koordinator(database_url, clock=clock)
    from tests.conftest import STANDARD

    first.deploy(STANDARD, kommune="lund", actor="prosesseier")
    work = _planned_case(first, clock)
    first.close()  # the scheduler "stops"; time passes well beyond the due date
    later = FixedClock(clock.now() + timedelta(days=45))
    restarted = Koordinator(database_url, clock=later)
    assert len(restarted.fire_due_timers()) == 1
    assert restarted.fire_due_timers() == []
    case = restarted.get_case(work.case.id)
    assert [t.bpmn_id for t in case.open_tasks] == ["Task_evaluer"]
    fired = [e for e in restarted.audit_trail(case.id) if e.kind == "timer_fired"]
    assert len(fired) == 1 and fired[0].actor == "scheduler"
    restarted.close()


def test_timer_not_yet_due_does_not_fire(deployed, clock):
    _planned_case(deployed, clock)
    clock.advance(days=29)
    assert deployed.fire_due_timers() == []


def _fire_in_process(url: str, now: datetime, start, results) -> None:  # type: ignore[no-untyped-def]
    engine = Koordinator(url, clock=FixedClock(now))
    start.wait(30)
    fired = engine.fire_due_timers()
    results.put(fired)
    engine.close()


@pytest.mark.postgres
def test_two_schedulers_at_once_fire_each_timer_once(postgres_url, clock):
    from tests.conftest import STANDARD

    engine = Koordinator(postgres_url, clock=clock)
    engine.deploy(STANDARD, kommune="lund", actor="prosesseier")
    cases = [_planned_case(engine, clock, n).case.id for n in range(12)]
    engine.close()
    when = clock.now() + timedelta(days=31)
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_fire_in_process, args=(postgres_url, when, start, results))
             for _ in range(2)]
    for p in procs:
        p.start()
    start.set()
    fired = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    all_fired = fired[0] + fired[1]
    print("timers fired per scheduler:", [len(f) for f in fired])
    assert len(all_fired) == len(set(all_fired)) == len(cases)
    check = Koordinator(postgres_url, clock=FixedClock(when))
    for case_id in cases:
        trail = check.audit_trail(case_id)
        assert sum(e.kind == "timer_fired" for e in trail) == 1
        assert [t.bpmn_id for t in check.get_case(case_id).open_tasks] == ["Task_evaluer"]
    check.close()


def test_two_schedulers_on_sqlite_fire_each_timer_once(sqlite_url, clock):
    from tests.conftest import STANDARD

    engine = Koordinator(sqlite_url, clock=clock)
    engine.deploy(STANDARD, kommune="lund", actor="prosesseier")
    cases = [_planned_case(engine, clock, n).case.id for n in range(6)]
    engine.close()
    when = clock.now() + timedelta(days=31)
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_fire_in_process, args=(sqlite_url, when, start, results))
             for _ in range(2)]
    for p in procs:
        p.start()
    start.set()
    fired = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(60)
    all_fired = fired[0] + fired[1]
    assert len(all_fired) == len(set(all_fired)) == len(cases)


def test_a_duration_counts_from_the_engines_clock_not_the_wall_clock(deployed, clock):
    # A tried draft jumps its clock; so do tests. A timer started after the jump is due one
    # duration after the engine's now, not after the wall clock's.
    clock.advance(days=200)
    work = Casework(deployed)
    work.do("Task_registrer_henvendelse", referral(clock))
    timers = [t for t in deployed.timers(work.case.id) if t["state"] == "waiting"]
    assert [t["bpmn_id"] for t in timers] == ["Timer_forelopig_svar"]  # "P1M" on the assessment
    due = timers[0]["due_at"]
    assert clock.now() + timedelta(days=27) < due < clock.now() + timedelta(days=32)
    assert deployed.fire_due_timers() == []  # nothing is due at the engine's now
    clock.advance(days=32)
    assert len(deployed.fire_due_timers()) == 1


def test_a_cycle_fires_once_a_round_and_never_blocks_other_timers(database_url, clock,
                                                                  tmp_path):
    from tests.conftest import STANDARD, standard_variant

    cycle = standard_variant(tmp_path, {
        '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"P1M"</bpmn:timeDuration>':
        '<bpmn:timeCycle xsi:type="bpmn:tFormalExpression">"R3/PT1H"</bpmn:timeCycle>'})
    engine = Koordinator(database_url, clock=clock)
    v1 = engine.deploy(cycle, kommune="lund", actor="prosesseier")
    v2 = engine.deploy(STANDARD, kommune="lund", actor="prosesseier")
    first = Casework(engine)
    first.case = engine.start_case("lund", actor="kari.ke", version_id=v1.id)
    first.do("Task_registrer_henvendelse", referral(clock))
    other = Casework(engine)
    other.case = engine.start_case("lund", actor="kari.ke", version_id=v2.id)
    other.do("Task_registrer_henvendelse", referral(clock))
    reminders = []
    for _ in range(4):  # three rounds, one hour apart, then nothing
        clock.advance(hours=1, minutes=1)
        engine.fire_due_timers()
        reminders.append(sum(t.bpmn_id == "Task_forelopig_svar"
                             for t in engine.get_case(first.case.id).open_tasks))
    assert reminders == [1, 2, 3, 3]
    clock.advance(days=40)  # the other case's month passes: its timer fires too
    engine.fire_due_timers()
    assert [t["state"] for t in engine.timers(other.case.id)] == ["fired"]
    engine.close()
