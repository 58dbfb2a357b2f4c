"""Moving running cases onto a newly published version of their process."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from engine import migrate
from engine.errors import Conflict, InvalidTransition, NotFound
from engine.models import Case
from engine.service import Koordinator
from tests.conftest import STANDARD

from .casework import (
    Casework,
    assessment,
    closing,
    closing_report,
    evaluation,
    handover,
    plan,
    referral,
    transfer,
)

NEW_PLAN_NAME = "Utarbeid individuell plan sammen med personen"

# A quality check between the coordinator's closing report and the archiving, in the unit's lane.
_QUALITY_TASK = """
    <bpmn:userTask id="Task_kvalitetssikre" name="Kvalitetssikre avslutningen">
      <bpmn:extensionElements>
        <spiffworkflow:properties>
          <spiffworkflow:property name="formKey" value="avslutning_melding" />
          <spiffworkflow:property name="stage" value="closure" />
          <spiffworkflow:property name="dueIn" value="P7D" />
        </spiffworkflow:properties>
      </bpmn:extensionElements>
      <bpmn:incoming>Flow_meld_avslutt</bpmn:incoming>
      <bpmn:outgoing>Flow_kvalitet_avslutt</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="Flow_kvalitet_avslutt" sourceRef="Task_kvalitetssikre" """ \
    """targetRef="Task_avslutt" />
    <bpmn:userTask id="Task_avslutt" """


def _bundle(tmp_path: Path, name: str, edit) -> Path:  # type: ignore[no-untyped-def]
    bundle = tmp_path / name
    shutil.copytree(STANDARD, bundle)
    bpmn = bundle / "koordinering.bpmn"
    bpmn.write_text(edit(bpmn.read_text(encoding="utf-8")), encoding="utf-8")
    return bundle


def _replace(text: str, old: str, new: str, count: int = 1) -> str:
    assert text.count(old) == count, old
    return text.replace(old, new)


def improved_bundle(tmp_path: Path) -> Path:
    """The standard with the planning task renamed and due sooner, and a task added at the end."""
    def edit(xml: str) -> str:
        start = xml.index('<bpmn:userTask id="Task_utarbeid_plan"')
        end = xml.index("</bpmn:userTask>", start)
        task = xml[start:end]
        task = _replace(task, 'name="Utarbeid individuell plan"', f'name="{NEW_PLAN_NAME}"')
        task = _replace(task, 'name="dueIn" value="P1M"', 'name="dueIn" value="P14D"')
        xml = xml[:start] + task + xml[end:]
        xml = _replace(xml, 'sourceRef="Task_meld_avslutning" targetRef="Task_avslutt"',
                       'sourceRef="Task_meld_avslutning" targetRef="Task_kvalitetssikre"')
        xml = _replace(xml, "<bpmn:incoming>Flow_meld_avslutt</bpmn:incoming>\n"
                            "      <bpmn:outgoing>Flow_avslutt_slutt</bpmn:outgoing>",
                       "<bpmn:incoming>Flow_kvalitet_avslutt</bpmn:incoming>\n"
                       "      <bpmn:outgoing>Flow_avslutt_slutt</bpmn:outgoing>")
        xml = _replace(xml, '\n    <bpmn:userTask id="Task_avslutt" ', _QUALITY_TASK)
        return _replace(xml, "<bpmn:flowNodeRef>Task_avslutt</bpmn:flowNodeRef>",
                        "<bpmn:flowNodeRef>Task_kvalitetssikre</bpmn:flowNodeRef>\n"
                        "        <bpmn:flowNodeRef>Task_avslutt</bpmn:flowNodeRef>")
    return _bundle(tmp_path, "improved", edit)


def renamed_plan_bundle(tmp_path: Path) -> Path:
    """The standard where the planning task got a new id: cases waiting there cannot move."""
    return _bundle(tmp_path, "renamed", lambda xml: xml.replace("Task_utarbeid_plan",
                                                                 "Task_lag_plan"))


def at_planning(engine: Koordinator, clock) -> Casework:  # type: ignore[no-untyped-def]
    work = at_planning_in(engine, clock, "lund")
    assert work.open == ["Task_utarbeid_plan"] and work.case.stage == "planning"
    return work


def at_planning_in(engine: Koordinator, clock, kommune: str) -> Casework:  # type: ignore[no-untyped-def]
    work = Casework(engine, kommune=kommune)
    work.through_appointment(clock)
    return work


def _resume(engine: Koordinator, case) -> Casework:  # type: ignore[no-untyped-def]
    """Casework on a case that already exists (Casework() starts a new one)."""
    work = Casework.__new__(Casework)
    work.engine, work.kommune, work.case = engine, case.kommune, case
    return work


def finish(engine: Koordinator, clock, work: Casework) -> list[str]:  # type: ignore[no-untyped-def]
    """Plan, one evaluation that ends the work, then close; returns the closing tasks seen."""
    work.do("Task_utarbeid_plan", plan(clock, next_in_days=30), actor="ola.koordinator")
    case = work.refresh()
    assert case.open_tasks == [] and case.next_timer_due is not None
    clock.set(case.next_timer_due + timedelta(minutes=1))
    assert len(engine.fire_due_timers()) == 1
    work.refresh()
    work.do("Task_evaluer", evaluation(clock, go_on=False), actor="ola.koordinator")
    seen = []
    while work.case.status == "active":
        (task,) = work.case.open_tasks
        seen.append(task.bpmn_id)
        data = closing(clock) if task.bpmn_id == "Task_avslutt" else closing_report()
        work.do(task.bpmn_id, data, actor="ola.koordinator")
    assert work.case.status == "closed"
    return seen


def test_a_planning_case_moves_to_the_new_version_and_closes_on_it(deployed, clock, tmp_path):
    engine = deployed
    v1 = engine.versions("lund")[0]
    moving, staying = at_planning(engine, clock), at_planning(engine, clock)
    old_task = moving.case.task("Task_utarbeid_plan")
    v2 = engine.deploy(improved_bundle(tmp_path), kommune="lund", actor="pia.prosess")

    candidates = {c.case_id: c for c in engine.migration_candidates("lund", v2.id)}
    assert set(candidates) == {moving.case.id, staying.case.id}
    listed = candidates[moving.case.id]
    assert listed.movable and listed.missing == [] and listed.problems == []
    assert listed.from_version_id == v1.id and listed.from_version_number == 1
    assert listed.waiting == ["SubProcess_plan", "Task_utarbeid_plan"]
    assert listed.stage == "planning" and listed.person_label == "KN"

    clock.advance(hours=2)
    moved = engine.migrate_cases("lund", [moving.case.id], v2.id, actor="pia.prosess",
                                 expected_versions={moving.case.id: listed.version})
    assert moved == 1
    case = moving.refresh()
    assert (case.process_version_id, case.version_number) == (v2.id, 2)
    assert case.version == listed.version + 1 and case.stage == "planning"
    task = case.task("Task_utarbeid_plan")
    # the same task (id, assignee) with the new version's name and due date
    assert task.id == old_task.id and task.assignee == "ola.koordinator"
    assert task.name == NEW_PLAN_NAME
    assert task.due_at == old_task.created_at + timedelta(days=14)
    migrated = [e for e in engine.audit_trail(case.id) if e.kind == "case_migrated"]
    assert len(migrated) == 1 and migrated[0].actor == "pia.prosess"
    assert migrated[0].data["from_version"] == 1 and migrated[0].data["to_version"] == 2

    # the moved case runs the new version's flow (with its added task) to the end
    assert finish(engine, clock, moving) == ["Task_meld_avslutning", "Task_kvalitetssikre",
                                             "Task_avslutt"]
    # the case not chosen stays on version 1, keeps working and closes the old way
    other = staying.refresh()
    assert other.version_number == 1 and other.task("Task_utarbeid_plan").name != NEW_PLAN_NAME
    assert finish(engine, clock, staying) == ["Task_meld_avslutning", "Task_avslutt"]
    assert "case_migrated" not in [e.kind for e in engine.audit_trail(staying.case.id)]
    assert engine.migration_candidates("lund", v2.id) == []


def test_a_case_whose_waiting_task_is_gone_cannot_move_and_blocks_the_batch(deployed, clock,
                                                                             tmp_path):
    engine = deployed
    planning = at_planning(engine, clock)
    fresh = Casework(engine)  # waiting at the referral, which the new version still has
    v3 = engine.deploy(renamed_plan_bundle(tmp_path), kommune="lund", actor="pia.prosess")

    candidates = {c.case_id: c for c in engine.migration_candidates("lund", v3.id)}
    blocked = candidates[planning.case.id]
    assert not blocked.movable and blocked.missing == ["Task_utarbeid_plan"]
    assert any("Task_utarbeid_plan" in p for p in blocked.problems)
    assert candidates[fresh.case.id].movable
    assert candidates[fresh.case.id].waiting == ["Task_registrer_henvendelse"]

    before = {c.id: c.version for c in engine.list_cases("lund")}
    with pytest.raises(InvalidTransition) as refused:
        engine.migrate_cases("lund", [fresh.case.id, planning.case.id], v3.id, actor="pia")
    assert f"case {planning.case.id}" in str(refused.value)
    assert "Task_utarbeid_plan" in str(refused.value)
    for case in engine.list_cases("lund"):
        assert case.version_number == 1 and case.version == before[case.id]
        assert "case_migrated" not in [e.kind for e in engine.audit_trail(case.id)]

    # alone, the movable case moves, and goes on along the new version
    assert engine.migrate_cases("lund", [fresh.case.id], v3.id, actor="pia") == 1
    fresh.refresh()
    fresh.through_appointment(clock)
    assert fresh.case.version_number == 2 and fresh.open == ["Task_lag_plan"]


def test_cases_of_another_kommune_are_never_listed_or_moved(deployed, clock, tmp_path):
    engine = deployed
    engine.deploy(STANDARD, kommune="heroy", actor="prosesseier")
    theirs = at_planning_in(engine, clock, "heroy")
    ours = at_planning(engine, clock)
    v2 = engine.deploy(improved_bundle(tmp_path), kommune="lund", actor="pia.prosess")

    assert [c.case_id for c in engine.migration_candidates("lund", v2.id)] == [ours.case.id]
    with pytest.raises(NotFound):
        engine.migration_candidates("heroy", v2.id)
    with pytest.raises(NotFound):
        engine.migrate_cases("heroy", [theirs.case.id], v2.id, actor="pia")
    with pytest.raises(NotFound):
        engine.migrate_cases("lund", [ours.case.id, theirs.case.id], v2.id, actor="pia")
    assert engine.get_case(theirs.case.id).version_number == 1
    assert engine.get_case(ours.case.id).version_number == 1


def test_a_case_changed_since_the_list_was_made_moves_nothing(deployed, clock, tmp_path):
    engine = deployed
    first, second = at_planning(engine, clock), Casework(engine)
    v2 = engine.deploy(improved_bundle(tmp_path), kommune="lund", actor="pia.prosess")
    seen = {c.case_id: c.version for c in engine.migration_candidates("lund", v2.id)}
    second.do("Task_registrer_henvendelse", referral(clock))  # someone works on meanwhile

    with pytest.raises(Conflict):
        engine.migrate_cases("lund", [first.case.id, second.case.id], v2.id, actor="pia",
                             expected_versions=seen)
    assert [c.version_number for c in engine.list_cases("lund")] == [1, 1]
    assert engine.get_case(first.case.id).version == seen[first.case.id]


def test_a_change_committed_during_the_move_moves_nothing(deployed, clock, tmp_path,
                                                          monkeypatch):
    engine = deployed
    first, second = at_planning(engine, clock), at_planning(engine, clock)
    v2 = engine.deploy(improved_bundle(tmp_path), kommune="lund", actor="pia.prosess")
    real = migrate._rebound_state

    def racing(eng, s, case, old, new):  # type: ignore[no-untyped-def]
        result = real(eng, s, case, old, new)
        if case.id == second.case.id:  # another request saved the case after we read it
            s.execute(update(Case).where(Case.id == case.id).values(version=Case.version + 1)
                      .execution_options(synchronize_session=False))
        return result

    monkeypatch.setattr(migrate, "_rebound_state", racing)
    with pytest.raises(Conflict):
        engine.migrate_cases("lund", [first.case.id, second.case.id], v2.id, actor="pia")
    monkeypatch.undo()
    assert [(c.version_number, c.version) for c in engine.list_cases("lund")] == [
        (1, second.case.version), (1, first.case.version)]
    assert engine.get_case(first.case.id).task("Task_utarbeid_plan").name != NEW_PLAN_NAME


def test_a_moved_case_reloads_from_the_database(database_url, clock, tmp_path):
    engine = Koordinator(database_url, clock=clock)
    engine.deploy(STANDARD, kommune="lund", actor="prosesseier")
    work = at_planning(engine, clock)
    v2 = engine.deploy(improved_bundle(tmp_path), kommune="lund", actor="pia.prosess")
    engine.migrate_cases("lund", [work.case.id], v2.id, actor="pia")
    engine.close()

    fresh = Koordinator(database_url, clock=clock)  # no cached specs, nothing in memory
    try:
        case = fresh.get_case(work.case.id)
        assert case.version_number == 2
        assert case.task("Task_utarbeid_plan").name == NEW_PLAN_NAME
        assert fresh.case_data(work.case.id)["koordinator"] == "ola.koordinator"
        assert finish(fresh, clock, _resume(fresh, case)) == [
            "Task_meld_avslutning", "Task_kvalitetssikre", "Task_avslutt"]
    finally:
        fresh.close()


def test_a_case_waiting_for_its_evaluation_date_keeps_the_date(deployed, clock, tmp_path):
    engine = deployed
    work = at_planning(engine, clock)
    work.do("Task_utarbeid_plan", plan(clock, next_in_days=30), actor="ola.koordinator")
    due = work.case.next_timer_due
    assert due is not None and work.case.stage == "evaluation"
    (timer,) = [t for t in engine.timers(work.case.id) if t["state"] == "waiting"]
    v2 = engine.deploy(improved_bundle(tmp_path), kommune="lund", actor="pia.prosess")
    (listed,) = engine.migration_candidates("lund", v2.id)
    assert listed.movable and listed.waiting == ["SubProcess_plan", "Timer_evaluering"]
    clock.advance(days=3)
    engine.migrate_cases("lund", [work.case.id], v2.id, actor="pia")
    case = work.refresh()
    assert case.version_number == 2 and case.next_timer_due == due
    waiting = [t for t in engine.timers(case.id) if t["state"] == "waiting"]
    assert [(t["id"], t["bpmn_id"], t["due_at"]) for t in waiting] == [
        (timer["id"], "Timer_evaluering", due)]
    clock.set(due + timedelta(minutes=1))
    assert len(engine.fire_due_timers()) == 1
    work.refresh()
    work.do("Task_evaluer", evaluation(clock, go_on=False), actor="ola.koordinator")
    assert work.open == ["Task_meld_avslutning"]
    work.do("Task_meld_avslutning", closing_report(), actor="ola.koordinator")
    assert work.open == ["Task_kvalitetssikre"]


def test_a_case_in_a_handover_moves_with_it(deployed, clock, tmp_path):
    engine = deployed
    work = at_planning(engine, clock)
    work.case = engine.send_signal(work.case.id, "skifte_koordinator", actor="kari.ke")
    v2 = engine.deploy(improved_bundle(tmp_path), kommune="lund", actor="pia.prosess")
    (listed,) = engine.migration_candidates("lund", v2.id)
    assert listed.movable
    assert listed.waiting == ["SubProcess_plan", "SubProcess_skifte", "Task_ny_koordinator",
                              "Task_utarbeid_plan"]
    engine.migrate_cases("lund", [work.case.id], v2.id, actor="pia")
    work.refresh()
    work.do("Task_ny_koordinator", handover(clock, new="per.koordinator"))
    work.do("Task_overlapp", transfer(), actor="per.koordinator")
    assert work.open == ["Task_utarbeid_plan"] and work.case.version_number == 2
    # the next case on the new version is not held open by this one's handover
    other = Casework(engine)
    assert other.case.version_number == 2
    other.do("Task_registrer_henvendelse", referral(clock))
    other.do("Task_vurder_rett", assessment())
    assert other.open == ["Task_samtykke"]


def test_a_case_with_an_attached_timer_moves_and_the_timer_still_fires(deployed, clock,
                                                                        tmp_path):
    engine = deployed
    work = Casework(engine)
    work.do("Task_registrer_henvendelse", referral(clock))  # a month to decide, or a reply
    v2 = engine.deploy(improved_bundle(tmp_path), kommune="lund", actor="pia.prosess")
    (listed,) = engine.migration_candidates("lund", v2.id)
    assert listed.movable and listed.waiting == ["Task_vurder_rett", "Timer_forelopig_svar"]
    engine.migrate_cases("lund", [work.case.id], v2.id, actor="pia")
    clock.advance(days=32)
    assert len(engine.fire_due_timers()) == 1
    work.refresh()
    assert work.open == ["Task_forelopig_svar", "Task_vurder_rett"]
    work.do("Task_forelopig_svar", {"arsak": "Venter på opplysninger fra fastlege.",
                                    "forventet_svar_dato": "15.01.2027"})
    work.do("Task_vurder_rett", assessment())
    assert work.open == ["Task_samtykke"] and work.case.version_number == 2


def test_migrate_on_the_command_line(database_url, clock, tmp_path, capsys):
    from engine.cli import main

    engine = Koordinator(database_url, clock=clock)
    engine.deploy(STANDARD, kommune="lund", actor="prosesseier")
    planning, fresh = at_planning(engine, clock), Casework(engine)
    v3 = engine.deploy(renamed_plan_bundle(tmp_path), kommune="lund", actor="pia.prosess")
    engine.close()
    base = ["--database-url", database_url, "migrate", "--kommune", "lund", "--to", str(v3.id)]

    assert main(base + ["--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "NOT movable" in out and "Task_utarbeid_plan" in out
    assert main(base + ["--case", str(planning.case.id)]) == 1
    assert "Task_utarbeid_plan" in capsys.readouterr().err
    assert main(base) == 0  # every movable case: the fresh one
    assert "moved 1 case(s)" in capsys.readouterr().out

    check = Koordinator(database_url, clock=clock)
    try:
        assert check.get_case(fresh.case.id).version_number == 2
        assert check.get_case(planning.case.id).version_number == 1
    finally:
        check.close()


def _parallel(tmp_path, branches: list[str], name: str):  # type: ignore[no-untyped-def]
    """A process: T0, then the branches side by side between a split and a join, then T9."""
    def task(i: str) -> str:
        return (f'<bpmn:userTask id="{i}" name="{i}"><bpmn:extensionElements>'
                '<spiffworkflow:properties><spiffworkflow:property name="formKey" '
                'value="avslutning_melding"/><spiffworkflow:property name="stage" '
                'value="closure"/></spiffworkflow:properties></bpmn:extensionElements>'
                "</bpmn:userTask>")

    def flow(f: str, a: str, b: str) -> str:
        return f'<bpmn:sequenceFlow id="{f}" sourceRef="{a}" targetRef="{b}"/>'

    ids = ["T0", "T9", *branches]
    body = ('<bpmn:laneSet id="ls"><bpmn:lane id="L" name="Koordinerende enhet">'
            + "".join(f"<bpmn:flowNodeRef>{i}</bpmn:flowNodeRef>" for i in ids)
            + "</bpmn:lane></bpmn:laneSet>"
            '<bpmn:startEvent id="start"/><bpmn:parallelGateway id="split"/>'
            '<bpmn:parallelGateway id="join"/><bpmn:endEvent id="end"/>'
            + task("T0") + task("T9") + flow("f0", "start", "T0") + flow("f1", "T0", "split")
            + flow("f9", "join", "T9") + flow("fe", "T9", "end"))
    for b in branches:
        body += task(b) + flow(f"s_{b}", "split", b) + flow(f"j_{b}", b, "join")
    folder = tmp_path / name
    folder.mkdir()
    (folder / "p.bpmn").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions '
        'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d" '
        'targetNamespace="urn:test"><bpmn:process id="p" isExecutable="true">'
        + body + "</bpmn:process></bpmn:definitions>", encoding="utf-8")
    return folder


def test_a_case_inside_a_changed_parallel_part_cannot_move(database_url, clock, tmp_path):
    from tests.engine.casework import closing_report

    engine = Koordinator(database_url, clock=clock)
    engine.deploy(_parallel(tmp_path, ["A", "B"], "v1"), kommune="lund", actor="t")
    inside = engine.start_case("lund", "t", process_id="p")
    before = engine.start_case("lund", "t", process_id="p")

    def do(case, bpmn_id):  # type: ignore[no-untyped-def]
        task = next(t for t in case.open_tasks if t.bpmn_id == bpmn_id)
        return engine.complete_task(task.id, closing_report(), actor="t")

    inside = do(do(inside, "T0"), "A")  # A is done, B waits: the join expects A and B
    v2 = engine.deploy(_parallel(tmp_path, ["A", "B", "C"], "v2"), kommune="lund", actor="t")
    listed = {c.case_id: c for c in engine.migration_candidates("lund", v2.id)}
    assert not listed[inside.id].movable
    assert any("join" in p for p in listed[inside.id].problems)
    with pytest.raises(InvalidTransition):
        engine.migrate_cases("lund", [inside.id, before.id], v2.id, actor="t")
    assert engine.get_case(inside.id).version_number == 1
    # A case that has not reached the split yet moves, and takes all three ways.
    assert listed[before.id].movable
    engine.migrate_cases("lund", [before.id], v2.id, actor="t")
    case = do(engine.get_case(before.id), "T0")
    assert sorted(t.bpmn_id for t in case.open_tasks) == ["A", "B", "C"]
    for b in ("A", "B", "C"):
        case = do(case, b)
    assert do(case, "T9").status == "closed"
    engine.close()
