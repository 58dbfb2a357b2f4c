"""No engine query hands one kommune's rows to another: every list and every lookup by id."""

from __future__ import annotations

import pytest

from engine.errors import NotFound
from engine.staff import Staff
from tests.conftest import STANDARD
from tests.engine.casework import Casework, referral

ROLES = ("koordinerende_enhet", "koordinator", "leder")


@pytest.fixture
def two_kommuner(deployed, clock):  # type: ignore[no-untyped-def]
    engine = deployed
    engine.deploy(STANDARD, kommune="heroy", actor="test")
    lund = Casework(engine, "lund")
    lund.do("Task_registrer_henvendelse", referral(clock))
    heroy = Casework(engine, "heroy")
    return engine, lund.case, heroy.case


def test_every_list_holds_only_the_kommunes_own_rows(two_kommuner):
    engine, lund, heroy = two_kommuner
    assert {c.kommune for c in engine.list_cases("heroy")} == {"heroy"}
    assert [c.id for c in engine.list_cases("heroy")] == [heroy.id]
    assert engine.count_cases("heroy") == 1
    assert {v.kommune for v in engine.versions("heroy")} == {"heroy"}
    assert {t.kommune for t in engine.ready_tasks("heroy")} == {"heroy"}
    work = engine.worklist("heroy", "hanne.ke", ROLES)
    assert {t.case_id for t in work.mine + work.available} == {heroy.id}
    assert engine.worklist("heroy", "hanne.ke", ROLES, case_id=lund.id).available == []


def test_every_lookup_by_id_refuses_another_kommune(two_kommuner):
    engine, lund, _heroy = two_kommuner
    task = lund.open_tasks[0]
    calls = {
        "get_case": lambda: engine.get_case(lund.id, kommune="heroy"),
        "get_case (logged)": lambda: engine.get_case(lund.id, kommune="heroy", actor="hanne"),
        "audit_trail": lambda: engine.audit_trail(lund.id, kommune="heroy"),
        "case_data": lambda: engine.case_data(lund.id, kommune="heroy"),
        "timers": lambda: engine.timers(lund.id, kommune="heroy"),
        "get_task": lambda: engine.get_task(task.id, kommune="heroy"),
        "form_for_task": lambda: engine.form_for_task(task.id, kommune="heroy"),
        "claim_task": lambda: engine.claim_task(task.id, "hanne", ROLES, "heroy"),
        "release_task": lambda: engine.release_task(task.id, "hanne", "heroy"),
        "complete_task": lambda: engine.complete_task(task.id, {}, "hanne", kommune="heroy"),
        "send_signal": lambda: engine.send_signal(lund.id, "skifte_koordinator", "hanne",
                                                  kommune="heroy"),
        "cancel_case": lambda: engine.cancel_case(lund.id, "hanne", kommune="heroy"),
        "version_files": lambda: engine.version_files(lund.process_version_id, kommune="heroy"),
        "version_elements": lambda: engine.version_elements(lund.process_version_id,
                                                            kommune="heroy"),
        "version_forms": lambda: engine.version_forms(lund.process_version_id, kommune="heroy"),
        "start_case on a version": lambda: engine.start_case(
            "heroy", actor="hanne", version_id=lund.process_version_id),
    }
    for name, call in calls.items():
        with pytest.raises(NotFound):
            call()
            pytest.fail(f"{name} answered for another kommune")
    after = engine.get_case(lund.id)
    assert after.version == lund.version and after.open_tasks[0].claimed_by is None
    assert not [e for e in engine.audit_trail(lund.id) if e.actor == "hanne"]


def test_staff_lists_stay_in_their_kommune(engine):
    staff = Staff(db=engine.db, clock=engine.clock)
    staff.add_user("kari.ke", "lund", ["koordinerende_enhet"])
    staff.add_user("hanne.ke", "heroy", ["koordinerende_enhet"])
    assert [u.username for u in staff.users("heroy")] == ["hanne.ke"]
