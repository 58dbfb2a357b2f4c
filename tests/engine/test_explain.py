"""Explaining uploaded BPMN/DMN files element by element (engine/explain.py).

Most checks run over the interoperability corpus in ../shared/interop (diagrams from Camunda,
bpmn.io, Signavio, SpiffWorkflow's tests and hostile files); they skip when it is not there.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from engine.bundle import BPMN_NS, FLOW_NODE_TAGS
from engine.explain import (
    CODES,
    REASON_CODES,
    STATUSES,
    ElementNote,
    FileExplanation,
    explain_bundle,
    explain_file,
)

ROOT = Path(__file__).resolve().parents[2]
INTEROP = ROOT.parent / "shared" / "interop"
STANDARD = ROOT / "processes" / "standard"
BLOCKING = {"unsupported", "needs_change"}


def _corpus_files() -> list[Path]:
    if not INTEROP.is_dir():
        return []
    return sorted(p for p in INTEROP.rglob("*") if p.is_file())


CORPUS = _corpus_files()


def corpus(*parts: str) -> Path:
    path = INTEROP.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not here: the interop corpus comes with CI and developer "
                    "machines only")
    return path


def _params_or_skip(paths: list[Path]) -> list[Path | None]:
    return paths or [None]


def _explain(path: Path | None) -> FileExplanation:
    if path is None:
        pytest.skip(f"{INTEROP} is not here: the interop corpus comes with CI and developer "
                    "machines only")
    return explain_file(path.name, path.read_bytes())


def _by_id(result: FileExplanation) -> dict[str, ElementNote]:
    return {n.element_id: n for n in result.elements}


def _ids(path: Path | None) -> str:
    return str(path.relative_to(INTEROP)) if path else "no-corpus"


# --- every file of the corpus -----------------------------------------------------------------


@pytest.mark.parametrize("path", _params_or_skip(CORPUS), ids=_ids)
def test_every_corpus_file_is_explained(path: Path | None) -> None:
    result = _explain(path)
    assert isinstance(result, FileExplanation)
    assert result.kind in ("bpmn", "dmn", "unknown")
    assert result.reason_code != "file.explain_failed", result.reason_params
    if result.reason_code is not None:
        assert set(result.reason_params) == set(REASON_CODES[result.reason_code])
    # runnable means readable and nothing left to fix; a file that cannot run says why
    assert result.runnable == (result.reason_code is None)
    if result.runnable:
        assert result.readable
        assert not [n for n in result.elements if n.status in BLOCKING]
    if not result.readable:
        assert result.elements == []
    for note in result.elements:
        assert note.status in STATUSES
        for finding in note.findings:
            _status, params = CODES[finding.code]
            assert set(finding.params) == set(params), finding
            assert all(isinstance(v, str) for v in finding.params.values())
        # the note speaks with its most serious finding
        assert note.status == max((f.status for f in note.findings),
                                  key=["runs", "ignored", "needs_change", "unsupported"].index)


BPMN_FILES = [p for p in CORPUS if p.suffix == ".bpmn" or p.name.endswith(".bpmn20.xml")]


@pytest.mark.parametrize("path", _params_or_skip(BPMN_FILES), ids=_ids)
def test_every_flow_node_of_a_readable_diagram_has_a_note(path: Path | None) -> None:
    result = _explain(path)
    if not result.readable:
        return
    root = etree.fromstring(path.read_bytes())
    expected = [el.get("id") for el in root.iter()
                if isinstance(el.tag, str) and etree.QName(el.tag).namespace == BPMN_NS
                and etree.QName(el.tag).localname in FLOW_NODE_TAGS | {"process", "lane"}]
    noted = [n.element_id for n in result.elements]
    assert [i for i in expected if i not in noted] == []
    # in document order
    assert [i for i in noted if i in expected] == expected


MIWG = [p for p in CORPUS if p.suffix == ".bpmn" and "miwg" in p.parts]


@pytest.mark.parametrize("path", _params_or_skip(MIWG), ids=_ids)
def test_miwg_diagrams_are_readable_and_non_executable_processes_explained(
        path: Path | None) -> None:
    result = _explain(path)
    assert result.readable and result.kind == "bpmn"
    root = etree.fromstring(path.read_bytes())
    processes = root.findall(f"{{{BPMN_NS}}}process")
    notes = _by_id(result)
    for proc in processes:
        if (proc.get("isExecutable") or "").lower() == "true":
            continue
        note = notes[proc.get("id")]
        assert note.code in ("process.not_executable", "process.empty"), note
        assert note.status in ("needs_change", "ignored")
    if not any((p.get("isExecutable") or "").lower() == "true" for p in processes):
        assert not result.runnable
        assert result.reason_code in ("process.not_executable", "file.collaboration_only",
                                      "bpmn.duplicate_ids")
    # element by element: there is more to read than the processes themselves
    assert len(result.elements) > len(processes)


def test_a_reference_diagram_explains_its_untyped_tasks() -> None:
    result = _explain(corpus("miwg", "A.1.0.bpmn"))
    assert result.reason_code == "process.not_executable"
    assert result.reason_params == {"process": "WFP-6-"}
    tasks = [n for n in result.elements if n.kind == "task"]
    assert [n.name for n in tasks] == ["Task 1", "Task 2", "Task 3"]
    assert {n.code for n in tasks} == {"task.no_type"}
    assert [n.code for n in result.elements if n.kind in ("startEvent", "endEvent")] == [
        "element.runs", "element.runs"]


# --- Camunda --------------------------------------------------------------------------------


def test_camunda_java_class_is_named_on_its_service_task() -> None:
    result = _explain(corpus("camunda", "invoice.v2.bpmn"))
    note = _by_id(result)["ServiceTask_1"]
    assert note.kind == "serviceTask"
    assert note.name == "Archive Invoice"
    assert note.status == "unsupported"
    assert note.code == "service_task.java_class"
    assert note.params == {"tool": "Camunda",
                           "class": "org.camunda.bpm.example.invoice.service.ArchiveInvoiceService"}
    assert not result.runnable
    assert result.reason_code == "file.unsupported_elements"


def test_activiti_class_is_recognised_too() -> None:
    note = _by_id(_explain(corpus("camunda", "failing-timer-start-event.bpmn")))["service.task.1"]
    assert (note.code, note.params["tool"]) == ("service_task.java_class", "Activiti")
    assert note.params["class"] == "org.camunda.bpm.pa.service.FailingDelegate"


def test_juel_conditions_are_flagged_on_the_flow() -> None:
    notes = _by_id(_explain(corpus("camunda", "invoice.v2.bpmn")))
    for flow_id, expr in [("reviewSuccessful", "${clarified}"), ("invoiceNotApproved",
                                                                  "${!approved}")]:
        note = notes[flow_id]
        assert note.kind == "sequenceFlow"
        assert (note.status, note.code, note.params) == (
            "needs_change", "expression.juel", {"expression": expr})
    # a plain flow without a condition has no note of its own
    assert "SequenceFlow_1" not in notes


def test_camunda_user_task_settings_are_explained() -> None:
    note = _by_id(_explain(corpus("camunda", "invoice.v2.bpmn")))["approveInvoice"]
    assert note.code == "user_task.camunda_form"
    assert note.params == {"tool": "Camunda", "form": "embedded:app:forms/approve-invoice.html"}
    also = {f.code: f.params for f in note.also}
    assert also["user_task.lane_not_role"] == {"lane": "Approver"}
    assert also["user_task.candidates_ignored"]["candidates"] == "${approverGroups}"
    assert "user_task.no_stage" in also


def test_camunda_decision_ref_and_call_activity() -> None:
    notes = _by_id(_explain(corpus("camunda", "invoice.v2.bpmn")))
    assert notes["assignApprover"].code == "business_rule.camunda_decision_ref"
    assert notes["assignApprover"].params["decision"] == "invoice-assign-approver"
    assert notes["reviewInvoice"].code == "call_activity.target_missing"
    assert notes["reviewInvoice"].params == {"process": "ReviewInvoice"}
    assert notes["FinancialAccountingSystem"].code == "data_store.unsupported"


def test_camunda_external_tasks_name_their_topic() -> None:
    notes = _by_id(_explain(corpus("camunda", "loan-granting.bpmn")))
    assert notes["Task_1lvjtd4"].code == "service_task.external"
    assert notes["Task_1lvjtd4"].params == {"tool": "Camunda", "topic": "creditScoreChecker"}


def test_groovy_script_is_not_python() -> None:
    note = _by_id(_explain(corpus("camunda", "parse-bpmn-process.bpmn")))["scriptTask"]
    assert (note.status, note.code, note.params) == (
        "needs_change", "script.not_python", {"format": "groovy"})


def test_message_start_event_is_unsupported() -> None:
    result = _explain(corpus("camunda", "message_start_process.bpmn"))
    starts = [n for n in result.elements if n.kind == "startEvent"]
    assert [n.code for n in starts] == ["event.message_unsupported"]
    assert starts[0].status == "unsupported"


def test_camunda_dmn_with_two_decisions_and_feel_cells() -> None:
    result = _explain(corpus("camunda", "dinnerDecisions.dmn"))
    assert result.kind == "dmn" and result.readable and not result.runnable
    notes = _by_id(result)
    assert notes["beverages"].kind == "decision"
    assert notes["dish"].code == "decision.extra_in_file"
    feel = [f for f in notes["dish"].findings if f.code == "decision.feel_cells"]
    assert feel and feel[0].params["example"] == "[5..8]"


# --- hostile and broken files ---------------------------------------------------------------


@pytest.mark.parametrize("name, why", [
    ("xml-bomb-nested-entities-small.bpmn", "DOCTYPE"),
    ("truncated-xml-cut-mid-element.bpmn", "broken"),
    ("broken.bpmn", "broken"),
    ("no-xml.txt", "not an XML file"),
])
def test_unsafe_or_broken_xml_is_not_readable(name: str, why: str) -> None:
    result = _explain(corpus("invalid", name))
    assert not result.readable and not result.runnable
    assert result.reason_code == "xml.unsafe"
    assert why in result.reason_params["message"]
    assert result.elements == []


def test_other_broken_files_say_what_is_wrong() -> None:
    assert _explain(corpus("invalid", "missing-namespace.bpmn")).reason_code == \
        "bpmn.missing_namespace"
    dup = _explain(corpus("invalid", "duplicate-ids.bpmn"))
    assert dup.readable and dup.reason_code == "bpmn.duplicate_ids"
    assert dup.reason_params == {"ids": "test"}
    xsd = _explain(corpus("miwg", "xsdTypes.xsd"))
    assert (xsd.kind, xsd.readable, xsd.reason_code) == ("unknown", False, "bpmn.not_bpmn")
    no_start = _by_id(_explain(corpus("invalid", "executable-process-without-start-event.bpmn")))
    assert no_start["no_start_process"].code == "process.no_start_event"
    dangling = _explain(corpus("invalid", "sequenceflow-targetref-to-missing-id.bpmn"))
    assert any(n.code == "flow.dangling_ref" and n.params == {"ref": "Task_DoesNotExist"}
               for n in dangling.elements)


def test_python_script_importing_os_is_refused_by_the_sandbox() -> None:
    result = _explain(corpus("invalid", "scripttask-python-imports-os.bpmn"))
    refused = [n for n in result.elements if n.code == "script.refused"]
    assert len(refused) == 1 and "import" in refused[0].params["reason"]
    assert not result.runnable


def test_spiff_multi_instance_over_a_list_runs_but_one_without_input_does_not() -> None:
    ok = _explain(corpus("spiff", "bpmn", "parallel_multiinstance_loop_input.bpmn"))
    assert not any(n.code.startswith("activity.") for n in ok.elements)
    bad = _by_id(_explain(corpus("invalid", "parallel_multiinstance_invalid.bpmn")))
    assert bad["any_task"].code == "activity.multi_instance_incomplete"


# --- bundles ----------------------------------------------------------------------------------


def test_call_activity_finds_its_process_in_another_file_of_the_bundle() -> None:
    folder = corpus("spiff", "bpmn", "call_activity_nested")
    alone = _by_id(_explain(folder / "call_activity_nested.bpmn"))
    assert alone["Activity_12zat0d"].code == "call_activity.target_missing"
    files = {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
    results = {r.name: r for r in explain_bundle(files)}
    assert list(results) == list(files)
    nested = _by_id(results["call_activity_nested.bpmn"])
    assert nested["Activity_12zat0d"].code == "element.runs"  # Level2 is in another file
    assert nested["Activity_0rkbhbz"].code == "call_activity.target_missing"  # Level2b is not
    # two files define the process Level2: the second one is told so
    second = _by_id(results["call_activity_level_2b.bpmn"])["Level2"]
    assert any(f.code == "process.duplicate_in_bundle" for f in second.findings)


# --- our own processes ------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(STANDARD.glob("*.bpmn")) + sorted(STANDARD.glob("*.dmn")),
                         ids=lambda p: p.name)
def test_standard_process_files_are_runnable(path: Path) -> None:
    result = explain_file(path.name, path.read_bytes())
    assert result.readable and result.runnable, result.reason_code
    assert result.reason_code is None
    assert [(n.element_id, n.code) for n in result.elements if n.status in BLOCKING] == []
    assert result.elements


def test_standard_bundle_is_runnable_as_a_whole() -> None:
    files = {p.name: p.read_bytes() for p in sorted(STANDARD.iterdir()) if p.is_file()
             and p.suffix in (".bpmn", ".dmn")}
    results = explain_bundle(files)
    assert [(r.name, r.reason_code) for r in results if not r.runnable] == []
    bpmn = next(r for r in results if r.kind == "bpmn")
    notes = _by_id(bpmn)
    assert notes["Task_dmn_rett"].code == "element.runs"  # its decision is in the bundle
    assert notes["Lane_leder"].code == "lane.role"


def test_standard_bundle_without_its_decision_table_says_which_is_missing() -> None:
    files = {p.name: p.read_bytes() for p in sorted(STANDARD.iterdir()) if p.is_file()
             and p.suffix in (".bpmn", ".dmn") and p.name != "hvem_samtykker.dmn"}
    bpmn = next(r for r in explain_bundle(files) if r.kind == "bpmn")
    assert not bpmn.runnable
    note = _by_id(bpmn)["Task_dmn_samtykke"]
    assert (note.code, note.params) == ("business_rule.decision_missing",
                                        {"decision": "hvem_samtykker"})


def _standard_with(old: str, new: str) -> FileExplanation:
    text = (STANDARD / "koordinering.bpmn").read_text(encoding="utf-8")
    assert old in text
    return explain_file("koordinering.bpmn", text.replace(old, new, 1).encode())


def test_a_camunda_change_to_the_standard_process_is_pointed_out() -> None:
    juel = _standard_with(">onsker_ip == True<", ">${onsker_ip}<")
    flagged = [n for n in juel.elements if n.code == "expression.juel"]
    assert [(n.kind, n.params) for n in flagged] == [("sequenceFlow",
                                                      {"expression": "${onsker_ip}"})]
    assert not juel.runnable and juel.reason_code == "file.needs_changes"


def test_a_java_service_task_in_the_standard_process_makes_it_unrunnable() -> None:
    text = (STANDARD / "koordinering.bpmn").read_text(encoding="utf-8")
    start = text.index('<bpmn:userTask id="Task_avslag"')
    end = text.index("</bpmn:userTask>", start) + len("</bpmn:userTask>")
    service = ('<bpmn:serviceTask id="Task_avslag" name="Send avslag" '
               'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '
               'camunda:class="no.kommune.SendAvslag">'
               "<bpmn:incoming>Flow_rett_nei</bpmn:incoming>"
               "<bpmn:outgoing>Flow_avslag_slutt</bpmn:outgoing></bpmn:serviceTask>")
    result = explain_file("koordinering.bpmn", (text[:start] + service + text[end:]).encode())
    assert result.readable and not result.runnable
    assert result.reason_code == "file.unsupported_elements"
    assert result.reason_params == {"count": "1"}
    note = _by_id(result)["Task_avslag"]
    assert (note.kind, note.status, note.code) == ("serviceTask", "unsupported",
                                                   "service_task.java_class")
    assert note.params == {"tool": "Camunda", "class": "no.kommune.SendAvslag"}


def test_a_collaboration_of_empty_pools_is_explained_as_such() -> None:
    data = b"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <collaboration id="c">
    <participant id="kommune" name="Kommunen"/>
    <participant id="nav" name="NAV"/>
    <messageFlow id="m1" sourceRef="kommune" targetRef="nav"/>
  </collaboration>
</definitions>"""
    result = explain_file("samarbeid.bpmn", data)
    assert result.readable and not result.runnable
    assert result.reason_code == "file.collaboration_only"
    assert [(n.element_id, n.status, n.code) for n in result.elements] == [
        ("kommune", "ignored", "participant.black_box"),
        ("nav", "ignored", "participant.black_box"),
        ("m1", "ignored", "message_flow.ignored"),
    ]
    assert result.elements[1].params == {"participant": "NAV"}


def test_a_hit_policy_the_engine_would_answer_differently_is_pointed_out() -> None:
    table = (STANDARD / "hvem_samtykker.dmn").read_text(encoding="utf-8")
    assert 'hitPolicy="FIRST"' in table
    changed = table.replace('hitPolicy="FIRST"', 'hitPolicy="RULE ORDER"', 1)
    result = explain_file("hvem_samtykker.dmn", changed.encode())
    note = _by_id(result)["hvem_samtykker"]
    assert (note.code, note.params) == ("decision.hit_policy", {"policy": "RULE ORDER"})
    assert not result.runnable
