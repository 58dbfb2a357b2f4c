"""Trying a draft: a test case runs on the draft in a database of its own, kept as one row of
the real database; the real cases, tasks, timers and audit trail never change."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.drafts import Drafts
from engine.errors import BundleInvalid, Conflict, FormRejected, InvalidTransition
from engine.models import AuditEvent, Case, HumanTask, Timer
from engine.service import Koordinator
from engine.trial import TrialOutdated, Trials
from tests.engine.casework import assessment, referral
from tests.engine.test_drafts import NEW_TASK


@pytest.fixture
def draft(deployed):  # type: ignore[no-untyped-def]
    return Drafts(deployed).start_from_version("lund", deployed.versions("lund")[0].id,
                                               actor="pia.prosess")


def _real_rows(engine: Koordinator) -> dict[str, int]:
    with engine._read() as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m))
                for m in (Case, HumanTask, Timer, AuditEvent)}


def _open(info) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(t.bpmn_id for t in info.tasks)


def test_a_trial_goes_through_tasks_and_a_timer_and_touches_no_real_case(deployed, draft,
                                                                          clock):
    engine = deployed
    before, real_time = _real_rows(engine), clock.now()
    trials = Trials(engine)

    info = trials.start("lund", draft.id, actor="pia.prosess")
    assert info.status == "active" and _open(info) == ["Task_registrer_henvendelse"]
    assert info.marks["active"] == ["Task_registrer_henvendelse"]
    assert [e.kind for e in info.timeline] == ["case_started"]
    assert "henvendelse" in info.forms

    # The process owner plays the unit's role here: nobody checks it inside a trial.
    info = trials.complete("lund", draft.id, "pia.prosess", info.tasks[0].id, referral(clock))
    assert _open(info) == ["Task_vurder_rett"]
    assert "Task_registrer_henvendelse" in info.marks["completed"]
    assert info.marks["waiting"] == ["Timer_forelopig_svar"]
    due = info.next_timer_due
    assert due is not None and due > info.clock_at
    assert info.data["person_navn"] == "Kari Nordmann"

    # A month without a decision: jump there and the reminder task appears.
    assert trials.jump_to_next_timer("lund", draft.id, "pia.prosess") == due
    info = trials.get("lund", draft.id, "pia.prosess")
    assert info.clock_at == due
    assert _open(info) == ["Task_forelopig_svar", "Task_vurder_rett"]
    assert "Timer_forelopig_svar" in info.marks["completed"]
    assert info.timeline[-1].kind == "timer_fired" and info.timeline[-1].at == due

    vurder = next(t for t in info.tasks if t.bpmn_id == "Task_vurder_rett")
    info = trials.complete("lund", draft.id, "pia.prosess", vurder.id, assessment())
    assert "Task_samtykke" in _open(info)
    assert [e.kind for e in info.timeline].count("task_completed") == 2

    # Nothing of this reached the real database, and the real clock did not move.
    assert _real_rows(engine) == before
    assert engine.list_cases("lund", status="all") == []
    assert engine.ready_tasks("lund") == []
    assert clock.now() == real_time
    # The whole trial database, as stored, stays small.
    assert info.size_bytes < 200_000


def test_a_trial_is_carried_on_by_another_engine_on_the_same_database(database_url, draft,
                                                                       clock):
    # Each engine stands for a web worker (any host): the trial is in the database, not in one.
    workers = [Koordinator(database_url, clock=clock) for _ in range(3)]
    try:
        Trials(workers[0]).start("lund", draft.id, "pia.prosess")
        info = Trials(workers[1]).get("lund", draft.id, "pia.prosess")
        assert info is not None and _open(info) == ["Task_registrer_henvendelse"]
        info = Trials(workers[1]).complete("lund", draft.id, "pia.prosess", info.tasks[0].id,
                                           referral(clock))
        assert _open(info) == ["Task_vurder_rett"]
        again = Trials(workers[2]).get("lund", draft.id, "pia.prosess")
        assert _open(again) == ["Task_vurder_rett"]
        assert again.next_timer_due == info.next_timer_due
    finally:
        for worker in workers:
            worker.close()


def test_a_draft_with_problems_cannot_be_tried(deployed, draft):
    [(name, text)] = [(n, t) for n, t in draft.files.items() if n.endswith(".bpmn")]
    broken = text.replace('<bpmn:userTask id="Task_registrer_henvendelse"',
                          NEW_TASK + '<bpmn:userTask id="Task_registrer_henvendelse"', 1)
    Drafts(deployed).save("lund", draft.id, {**draft.files, name: broken}, actor="pia.prosess")
    trials = Trials(deployed)
    with pytest.raises(BundleInvalid) as refused:
        trials.start("lund", draft.id, "pia.prosess")
    assert "Task_ekstra" in {p.element_id for p in refused.value.problems}
    assert trials.get("lund", draft.id, "pia.prosess") is None


def test_each_user_has_a_trial_of_their_own(deployed, draft, clock):
    trials = Trials(deployed)
    pia = trials.start("lund", draft.id, "pia.prosess")
    trials.start("lund", draft.id, "anne.admin")
    trials.complete("lund", draft.id, "pia.prosess", pia.tasks[0].id, referral(clock))

    assert _open(trials.get("lund", draft.id, "pia.prosess")) == ["Task_vurder_rett"]
    assert _open(trials.get("lund", draft.id, "anne.admin")) == ["Task_registrer_henvendelse"]
    trials.discard("lund", draft.id, "pia.prosess")
    assert trials.get("lund", draft.id, "pia.prosess") is None
    assert trials.get("lund", draft.id, "anne.admin") is not None
    assert trials.get("lund", draft.id, "kim.annen") is None


def test_a_rejected_form_and_a_missing_timer_change_nothing(deployed, draft):
    trials = Trials(deployed)
    info = trials.start("lund", draft.id, "pia.prosess")
    with pytest.raises(FormRejected) as rejected:
        trials.complete("lund", draft.id, "pia.prosess", info.tasks[0].id, {}, lang="nb")
    assert "person_navn" in rejected.value.errors
    with pytest.raises(InvalidTransition):
        trials.jump_to_next_timer("lund", draft.id, "pia.prosess")
    after = trials.get("lund", draft.id, "pia.prosess")
    assert _open(after) == ["Task_registrer_henvendelse"] and after.clock_at == info.clock_at


def test_saving_the_draft_outdates_the_trial_until_it_starts_again(deployed, draft, clock):
    trials = Trials(deployed)
    info = trials.start("lund", draft.id, "pia.prosess")
    Drafts(deployed).save("lund", draft.id, draft.files, actor="pia.prosess")
    assert trials.get("lund", draft.id, "pia.prosess").outdated
    with pytest.raises(TrialOutdated):
        trials.complete("lund", draft.id, "pia.prosess", info.tasks[0].id, referral(clock))
    again = trials.start("lund", draft.id, "pia.prosess")
    assert not again.outdated and _open(again) == ["Task_registrer_henvendelse"]


def test_deleting_a_draft_deletes_its_trials(deployed, draft):
    Trials(deployed).start("lund", draft.id, "pia.prosess")
    Drafts(deployed).delete("lund", draft.id)
    assert Drafts(deployed).list("lund") == []


def test_of_two_windows_acting_at_once_the_later_changes_nothing(deployed, draft, clock):
    trials = Trials(deployed)
    task = trials.start("lund", draft.id, "pia.prosess").tasks[0]

    def other_window_saves_first(run):  # type: ignore[no-untyped-def]
        Trials(deployed).complete("lund", draft.id, "pia.prosess", task.id, referral(clock))
        return run.engine.complete_task(task.id, referral(clock), actor="pia.prosess")

    with pytest.raises(Conflict):
        trials._change("lund", draft.id, "pia.prosess", other_window_saves_first)
    after = trials.get("lund", draft.id, "pia.prosess")
    assert _open(after) == ["Task_vurder_rett"]
    assert [e.kind for e in after.timeline].count("task_completed") == 1
