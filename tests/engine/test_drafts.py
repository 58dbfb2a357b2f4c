"""Drafts: saved per kommune, checked on every save, published as a new version; a draft never
changes a published version or a running case."""

from __future__ import annotations

import pytest

from engine.drafts import Drafts
from engine.errors import BundleInvalid, Conflict, NotFound
from tests.engine.casework import Casework, referral

NEW_TASK = '''<bpmn:userTask id="Task_ekstra" name="Ekstra samtale">
      <bpmn:extensionElements>
        <spiffworkflow:properties>
          <spiffworkflow:property name="formKey" value="henvendelse" />
        </spiffworkflow:properties>
      </bpmn:extensionElements>
    </bpmn:userTask>
    '''


@pytest.fixture
def drafts(deployed):  # type: ignore[no-untyped-def]
    return Drafts(deployed)


def test_a_draft_is_checked_saved_and_published_as_a_new_version(deployed, drafts, clock):
    engine = deployed
    running = Casework(engine)
    v1 = engine.versions("lund")[0]
    draft = drafts.start_from_version("lund", v1.id, actor="pia.prosess")
    assert draft.problems == [] and draft.based_on_version_id == v1.id
    [(name, text)] = [(n, t) for n, t in draft.files.items() if n.endswith(".bpmn")]

    # A user task with a form but no stage and nothing leading to it: saved, with problems.
    broken = text.replace('<bpmn:userTask id="Task_registrer_henvendelse"',
                          NEW_TASK + '<bpmn:userTask id="Task_registrer_henvendelse"', 1)
    saved = drafts.save("lund", draft.id, {**draft.files, name: broken}, actor="pia.prosess",
                        expected_version=draft.version)
    where = {p.element_id for p in saved.problems}
    assert "Task_ekstra" in where
    assert any("stage" in p.message for p in saved.problems if p.element_id == "Task_ekstra")
    with pytest.raises(BundleInvalid):
        drafts.publish("lund", draft.id, actor="pia.prosess", note="halvferdig")
    assert [v.number for v in engine.versions("lund")] == [1]

    with pytest.raises(Conflict):  # someone saved since version 1 was opened
        drafts.save("lund", draft.id, draft.files, actor="kim", expected_version=draft.version)

    fixed = drafts.save("lund", draft.id, draft.files, actor="pia.prosess",
                        expected_version=saved.version)
    assert fixed.problems == []
    v2 = drafts.publish("lund", draft.id, actor="pia.prosess", note="uendret")
    assert v2.number == 2 and v2.created_by == "pia.prosess"
    assert drafts.list("lund") == []  # published: the draft is done
    running.do("Task_registrer_henvendelse", referral(clock))
    assert running.case.version_number == 1


def test_a_draft_saved_while_it_was_published_stays(deployed, drafts, monkeypatch):
    draft = drafts.start_from_version("lund", deployed.versions("lund")[0].id, actor="pia")
    deploy = deployed.deploy

    def save_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        drafts.save("lund", draft.id, draft.files, actor="anne.admin")
        return deploy(*args, **kwargs)

    monkeypatch.setattr(deployed, "deploy", save_meanwhile)
    drafts.publish("lund", draft.id, actor="pia", note="")
    assert [d.version for d in drafts.list("lund")] == [2]  # anne's newer save is kept


def test_drafts_belong_to_their_kommune(deployed, drafts):
    v1 = deployed.versions("lund")[0]
    draft = drafts.start_from_version("lund", v1.id, actor="pia.prosess")
    assert [d.id for d in drafts.list("lund")] == [draft.id]
    assert drafts.list("heroy") == []
    for call in (lambda: drafts.get("heroy", draft.id),
                 lambda: drafts.save("heroy", draft.id, draft.files, actor="x"),
                 lambda: drafts.publish("heroy", draft.id, actor="x", note=""),
                 lambda: drafts.delete("heroy", draft.id),
                 lambda: drafts.start_from_version("heroy", v1.id, actor="x")):
        with pytest.raises(NotFound):
            call()
    drafts.delete("lund", draft.id)
    assert drafts.list("lund") == []


def test_a_draft_takes_only_bpmn_and_dmn_files(deployed, drafts):
    v1 = deployed.versions("lund")[0]
    draft = drafts.start_from_version("lund", v1.id, actor="pia.prosess")
    for files in ({}, {"../evil.bpmn": "<x/>"}, {"notes.txt": "hei"},
                  {"big.bpmn": "x" * (6 * 1024 * 1024)}):
        with pytest.raises(BundleInvalid):
            drafts.save("lund", draft.id, files, actor="pia.prosess")
    hostile = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>'
    saved = drafts.save("lund", draft.id, {"koordinering.bpmn": hostile}, actor="pia.prosess")
    assert saved.problems and drafts.get("lund", draft.id).files == {"koordinering.bpmn": hostile}
