"""Staff accounts, API tokens, kommune settings and the worklist query, on the engine alone."""

from __future__ import annotations

import pytest

from engine.errors import Conflict, InvalidTransition, NotFound
from engine.staff import Staff, StaffError, check_password, hash_password
from engine.types import KommuneInfo


@pytest.fixture
def staff(engine):  # type: ignore[no-untyped-def]
    return Staff(db=engine.db, clock=engine.clock)


def test_passwords_are_salted_scrypt_hashes():
    first, second = hash_password("hemmelig-1"), hash_password("hemmelig-1")
    assert first.startswith("scrypt$") and first != second and "hemmelig" not in first
    assert check_password(first, "hemmelig-1") and not check_password(first, "hemmelig-2")
    assert not check_password(None, "x") and not check_password("md5$abc", "x")


def test_users_sign_in_and_tokens_identify_them(staff):
    staff.add_user("kari.ke", "lund", ["koordinerende_enhet"], password="passord-123")
    assert staff.authenticate("kari.ke", "passord-123").kommune == "lund"
    assert staff.authenticate("KARI.KE ", "passord-123") is not None
    assert staff.authenticate("kari.ke", "feil") is None
    assert staff.authenticate("ingen", "passord-123") is None
    token = staff.create_token("kari.ke")
    assert staff.user_for_token(token).username == "kari.ke"
    assert staff.user_for_token(token + "x") is None
    with pytest.raises(StaffError, match="already exists"):
        staff.add_user("kari.ke", "lund", ["leder"])
    with pytest.raises(StaffError, match="unknown role"):
        staff.add_user("ny.bruker", "lund", ["sjef"])
    with pytest.raises(StaffError, match="user name"):
        staff.add_user("Æ Ø", "lund", ["leder"])
    with pytest.raises(NotFound):
        staff.create_token("ingen")


def test_kommune_settings_default_and_saved(staff):
    assert staff.kommune("lund").language == "nb"
    staff.save_kommune(KommuneInfo(code="heroy", name="Herøy", language="nn", initials_only=True))
    assert staff.kommune("heroy").initials_only is True
    with pytest.raises(StaffError):
        staff.save_kommune(KommuneInfo(code="x", name="X", language="sv"))


def test_worklist_claim_and_release_stay_inside_the_kommune(deployed, clock):
    engine = deployed
    engine.deploy("processes/standard", kommune="heroy", actor="test")
    lund = engine.start_case("lund", actor="kari.ke")
    engine.start_case("heroy", actor="hanne.ke")
    task = lund.open_tasks[0]
    work = engine.worklist("lund", "kari.ke", ("koordinerende_enhet",))
    assert [t.id for t in work.available] == [task.id] and work.mine == []
    assert task.due_at is not None and task.due_at > clock.now()
    with pytest.raises(NotFound):
        engine.claim_task(task.id, "hanne.ke", ("koordinerende_enhet",), "heroy")
    with pytest.raises(InvalidTransition):
        engine.claim_task(task.id, "ola", ("koordinator",), "lund")
    engine.claim_task(task.id, "kari.ke", ("koordinerende_enhet",), "lund")
    with pytest.raises(Conflict):
        engine.claim_task(task.id, "kim.ke", ("koordinerende_enhet",), "lund")
    work = engine.worklist("lund", "kari.ke", ("koordinerende_enhet",))
    assert [t.id for t in work.mine] == [task.id] and work.available == []
    assert engine.worklist("lund", "kim.ke", ("koordinerende_enhet",)).available == []
    with pytest.raises(InvalidTransition):
        engine.release_task(task.id, "kim.ke", "lund")
    engine.release_task(task.id, "kari.ke", "lund")
    clock.advance(days=8)
    assert engine.worklist("lund", "kari.ke", ("koordinerende_enhet",),
                           due="overdue").overdue_count == 1


def test_an_absent_coordinator_hands_their_tasks_to_the_secondary(deployed, clock, staff):
    from tests.engine.casework import Casework, plan

    engine = deployed
    for name, roles in (("ola.koordinator", ["koordinator"]), ("lise.leder", ["leder"])):
        staff.add_user(name, "lund", roles)
    work = Casework(engine)
    work.through_appointment(clock)  # coordinator ola, secondary lise.leder
    task = work.case.task("Task_utarbeid_plan")
    assert task.assignee == "ola.koordinator"
    assert work.case.secondary_coordinator == "lise.leder"
    assert engine.set_absent("lund", "ola.koordinator", True, actor="kari.ke") == 1
    assert engine.get_task(task.id).assignee == "lise.leder"
    mine = engine.worklist("lund", "lise.leder", ("leder",)).mine
    assert [t.id for t in mine] == [task.id]
    # Work that comes up while the coordinator is away goes to the secondary as well.
    case = engine.complete_task(task.id, plan(clock), actor="lise.leder", kommune="lund")
    clock.advance(days=91)
    engine.fire_due_timers()
    evaluation = engine.get_case(case.id).task("Task_evaluer")
    assert evaluation.assignee == "lise.leder"
    assert engine.set_absent("lund", "ola.koordinator", False, actor="kari.ke") == 1
    assert engine.get_task(evaluation.id).assignee == "ola.koordinator"
    moves = [e.data for e in engine.audit_trail(case.id) if e.kind == "task_reassigned"]
    assert [m["to"] for m in moves] == ["lise.leder", "ola.koordinator"]
    with pytest.raises(NotFound):
        engine.set_absent("heroy", "ola.koordinator", True, actor="x")


def test_kommune_settings_are_checked_and_set_from_the_command_line(sqlite_url):
    from engine.db import upgrade
    from web.cli import main

    upgrade(sqlite_url)
    assert main(["--database-url", sqlite_url, "kommune", "set", "heroy", "--name", "Herøy",
                 "--number", "1515", "--malform", "nn", "--initials", "yes",
                 "--evaluation-interval", "P6M"]) == 0
    saved = Staff(sqlite_url).kommune("heroy")
    assert (saved.language, saved.initials_only, saved.evaluation_interval) == ("nn", True, "P6M")
    assert main(["--database-url", sqlite_url, "kommune", "set", "heroy",
                 "--evaluation-interval", "om et halvt år"]) == 1
    assert main(["--database-url", sqlite_url, "kommune", "set", "heroy", "--number", "15"]) == 1
    assert Staff(sqlite_url).kommune("heroy").number == "1515"


def test_planner_statistics_can_be_refreshed(deployed):
    deployed.start_case("lund", actor="kari.ke")
    deployed.optimize()
    assert deployed.worklist("lund", "kari.ke", ("koordinerende_enhet",)).available_count == 1


def test_cases_involving_a_person(deployed, clock):
    from tests.engine.casework import Casework

    engine = deployed
    coordinated = Casework(engine).through_appointment(clock, coordinator="ola.koordinator")
    claimed = engine.start_case("lund", actor="kari.ke")
    engine.claim_task(claimed.open_tasks[0].id, "ola.koordinator", ("koordinerende_enhet",),
                      "lund")
    engine.start_case("lund", actor="kari.ke")  # nothing to do with ola
    found = engine.list_cases("lund", involving="ola.koordinator")
    assert [c.id for c in found] == [claimed.id, coordinated.id]
    assert found[1].state_bytes > 0 and found[1].coordinator == "ola.koordinator"
    assert engine.list_cases("heroy", involving="ola.koordinator") == []
