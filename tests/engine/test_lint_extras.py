"""The linter's checks on the ways out: gateways without a default flow, and processes or loops
from which no end event can be reached. Each test builds a small diagram of script tasks."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.bundle import load_bundle, validate_bundle
from engine.errors import PROBLEM_CODES, Problem
from tests.conftest import ROOT

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'id="defs" targetNamespace="http://example.org/test">\n'
        '<bpmn:process id="p" name="Testprosess" isExecutable="true">\n')
TAIL = "</bpmn:process>\n</bpmn:definitions>\n"


def script(sid: str, name: str | None = None, code: str = "x = 1") -> str:
    return (f'<bpmn:scriptTask id="{sid}" name="{name or sid}"><bpmn:script>{code}'
            "</bpmn:script></bpmn:scriptTask>\n")


def flow(fid: str, src: str, tgt: str, condition: str | None = None, name: str = "") -> str:
    if condition is None:
        return f'<bpmn:sequenceFlow id="{fid}" name="{name}" sourceRef="{src}" targetRef="{tgt}" />\n'
    return (f'<bpmn:sequenceFlow id="{fid}" name="{name}" sourceRef="{src}" targetRef="{tgt}">'
            f"<bpmn:conditionExpression>{condition}</bpmn:conditionExpression>"
            "</bpmn:sequenceFlow>\n")


def problems(tmp_path: Path, body: str) -> list[Problem]:
    folder = tmp_path / "bundle"
    folder.mkdir(exist_ok=True)
    (folder / "test.bpmn").write_text(HEAD + body + TAIL, encoding="utf-8")
    return validate_bundle(load_bundle(folder)).problems


def coded(found: list[Problem], code: str) -> list[Problem]:
    return [p for p in found if p.code == code]


def choice(gateway: str = "exclusiveGateway", default: str | None = None,
           second: str | None = "x != 1") -> str:
    """start -> set x -> gateway -> (x == 1) A -> end, (second) B -> end."""
    attr = f' default="{default}"' if default else ""
    return ('<bpmn:startEvent id="start" />\n' + script("set") +
            f'<bpmn:{gateway} id="gw" name="Er x lik 1?"{attr} />\n' +
            script("A") + script("B") + '<bpmn:endEvent id="end" />\n' +
            flow("f1", "start", "set") + flow("f2", "set", "gw") +
            flow("f_a", "gw", "A", "x == 1", name="ja") + flow("f_b", "gw", "B", second, name="nei")
            + flow("f3", "A", "end") + flow("f4", "B", "end"))


# --- gateways ---------------------------------------------------------------------------------


def test_exclusive_gateway_whose_conditions_can_all_fail_needs_a_default(tmp_path):
    found = problems(tmp_path, choice(second="x == 2"))
    assert [(p.element_id, p.code) for p in found] == [("gw", "gateway.no_default")]
    assert found[0].params == {"name": "Er x lik 1?", "kind": "exclusive"}
    assert "a case that matches none of its conditions would stop there" in found[0].message


def test_a_default_flow_settles_it(tmp_path):
    assert problems(tmp_path, choice(default="f_b", second=None)) == []
    assert problems(tmp_path, choice(default="f_b", second="x == 2")) == []


def test_conditions_that_are_each_others_opposite_need_no_default(tmp_path):
    assert problems(tmp_path, choice(second="x != 1")) == []
    assert problems(tmp_path, choice(second="not (x == 1)")) == []
    assert problems(tmp_path, choice(second="1 != x")) == []  # read the other way round


def test_inclusive_gateway_is_checked_the_same_way(tmp_path):
    found = problems(tmp_path, choice("inclusiveGateway", second="x == 2"))
    assert [(p.element_id, p.code, p.params["kind"]) for p in found] == [
        ("gw", "gateway.no_default", "inclusive")]


def test_flow_without_condition_that_is_not_the_default(tmp_path):
    # SpiffWorkflow refuses this with "Non-default exclusive outgoing sequence flow without
    # condition"; the linter names the flow and the gateway.
    found = problems(tmp_path, choice(second=None))
    mine = coded(found, "gateway.flow_without_condition")
    assert [p.element_id for p in mine] == ["f_b"]
    assert mine[0].params == {"name": "Er x lik 1?", "kind": "exclusive", "flow": "nei"}
    assert not coded(found, "gateway.no_default")


def test_default_that_leaves_another_element(tmp_path):
    found = problems(tmp_path, choice(default="f3", second="x == 2"))
    assert [(p.element_id, p.code, p.params.get("flow")) for p in found
            if p.code.startswith("gateway.")] == [
        ("gw", "gateway.default_not_outgoing", "f3"), ("gw", "gateway.no_default", None)]


def test_merging_gateway_with_one_way_on_is_fine(tmp_path):
    body = ('<bpmn:startEvent id="start" />\n<bpmn:exclusiveGateway id="merge" />\n'
            + script("A") + '<bpmn:endEvent id="end" />\n'
            + flow("f1", "start", "merge") + flow("f2", "merge", "A") + flow("f3", "A", "end"))
    assert problems(tmp_path, body) == []


# --- ways to an end ---------------------------------------------------------------------------


def test_cycle_without_exit_never_reaches_the_end(tmp_path):
    body = ('<bpmn:startEvent id="start" />\n' + script("A") + script("B")
            + flow("f1", "start", "A") + flow("f2", "A", "B") + flow("f3", "B", "A"))
    found = problems(tmp_path, body)
    assert [(p.element_id, p.code) for p in found] == [("p", "process.end_never_reached")]
    assert found[0].params == {"name": "Testprosess"}


def test_a_path_that_simply_stops_is_an_implicit_end(tmp_path):
    # SpiffWorkflow finishes a process whose last task has no way on; so does the engine.
    body = '<bpmn:startEvent id="start" />\n' + script("A") + flow("f1", "start", "A")
    assert problems(tmp_path, body) == []


def test_loop_with_no_way_out_is_marked_where_it_starts(tmp_path):
    body = ('<bpmn:startEvent id="start" />\n' + script("set")
            + '<bpmn:exclusiveGateway id="gw" default="f_loop" />\n'
            + script("A", "Følg opp") + script("B") + '<bpmn:endEvent id="end" />\n'
            + flow("f1", "start", "set") + flow("f2", "set", "gw") + flow("f_end", "gw", "end", "x == 1")
            + flow("f_loop", "gw", "A") + flow("f3", "A", "B") + flow("f4", "B", "A"))
    found = problems(tmp_path, body)
    assert [(p.element_id, p.code, p.params) for p in found] == [
        ("A", "flow.no_exit", {"name": "Følg opp"})]


def test_loop_that_exits_through_a_gateway_is_fine(tmp_path):
    # Like the standard process's evaluation: evaluate, then again or finish.
    body = ('<bpmn:startEvent id="start" />\n' + script("evaluer", code="videre = 'avslutt'")
            + '<bpmn:exclusiveGateway id="gw" default="f_again" />\n<bpmn:endEvent id="end" />\n'
            + flow("f1", "start", "evaluer") + flow("f2", "evaluer", "gw")
            + flow("f_end", "gw", "end", "videre == 'avslutt'") + flow("f_again", "gw", "evaluer"))
    assert problems(tmp_path, body) == []


def test_loop_left_by_an_interrupting_boundary_timer_is_fine(tmp_path):
    body = ('<bpmn:startEvent id="start" />\n' + script("A") + script("B")
            + '<bpmn:boundaryEvent id="frist" attachedToRef="A"><bpmn:timerEventDefinition>'
              '<bpmn:timeDuration>"P14D"</bpmn:timeDuration></bpmn:timerEventDefinition>'
              '</bpmn:boundaryEvent>\n<bpmn:endEvent id="end" />\n'
            + flow("f1", "start", "A") + flow("f2", "A", "B") + flow("f3", "B", "A")
            + flow("f4", "frist", "end"))
    assert not [p for p in problems(tmp_path, body)
                if p.code in {"flow.no_exit", "process.end_never_reached"}]


def _sub_process(boundary: str = "") -> str:
    return ('<bpmn:startEvent id="start" />\n'
            '<bpmn:subProcess id="sub" name="Oppfølging">\n<bpmn:startEvent id="s_start" />\n'
            + script("s_A") + script("s_B") + '<bpmn:endEvent id="s_end" />\n'
            + flow("s1", "s_start", "s_A") + flow("s2", "s_A", "s_B") + flow("s3", "s_B", "s_A")
            + "</bpmn:subProcess>\n" + boundary + '<bpmn:endEvent id="end" />\n'
            + flow("f1", "start", "sub") + flow("f2", "sub", "end"))


def test_sub_process_that_never_finishes(tmp_path):
    found = coded(problems(tmp_path, _sub_process()), "process.end_never_reached")
    assert [(p.element_id, p.params) for p in found] == [("sub", {"name": "Oppfølging"})]


def test_sub_process_ended_by_an_interrupting_boundary_event_may_loop(tmp_path):
    timer = ('<bpmn:boundaryEvent id="frist" attachedToRef="sub"><bpmn:timerEventDefinition>'
             '<bpmn:timeDuration>"P1Y"</bpmn:timeDuration></bpmn:timerEventDefinition>'
             '</bpmn:boundaryEvent>\n<bpmn:endEvent id="end2" />\n' + flow("f3", "frist", "end2"))
    assert not coded(problems(tmp_path, _sub_process(timer)), "process.end_never_reached")


def test_event_sub_process_is_not_a_dead_end_of_its_parent(tmp_path):
    body = (choice(default="f_b", second=None)
            + '<bpmn:subProcess id="ev" triggeredByEvent="true">\n'
              '<bpmn:startEvent id="ev_start" isInterrupting="false"><bpmn:timerEventDefinition>'
              '<bpmn:timeDuration>"P1M"</bpmn:timeDuration></bpmn:timerEventDefinition>'
              '</bpmn:startEvent>\n'
            + script("ev_A") + '<bpmn:endEvent id="ev_end" />\n'
            + flow("e1", "ev_start", "ev_A") + flow("e2", "ev_A", "ev_end") + "</bpmn:subProcess>\n")
    assert problems(tmp_path, body) == []


def _interrupting_event_sub_process(inner_loop: bool) -> str:
    inner = (flow("e2", "ev_A", "ev_B") + flow("e3", "ev_B", "ev_A") if inner_loop
             else flow("e2", "ev_A", "ev_end"))
    return ('<bpmn:subProcess id="ev" name="Personen flytter" triggeredByEvent="true">\n'
            '<bpmn:startEvent id="ev_start"><bpmn:timerEventDefinition>'
            '<bpmn:timeDuration>"P1Y"</bpmn:timeDuration></bpmn:timerEventDefinition>'
            '</bpmn:startEvent>\n' + script("ev_A") + script("ev_B")
            + '<bpmn:endEvent id="ev_end" />\n' + flow("e1", "ev_start", "ev_A") + inner
            + "</bpmn:subProcess>\n")


def test_loop_ended_by_an_interrupting_event_sub_process_is_fine(tmp_path):
    # "Follow up every month until the person moves": the event sub-process is the way out.
    body = ('<bpmn:startEvent id="start" />\n' + script("A") + script("B")
            + flow("f1", "start", "A") + flow("f2", "A", "B") + flow("f3", "B", "A")
            + _interrupting_event_sub_process(inner_loop=False))
    found = problems(tmp_path, body)
    assert not [p for p in found if p.code in {"flow.no_exit", "process.end_never_reached"}]


def test_the_interrupting_event_sub_process_itself_must_finish(tmp_path):
    body = ('<bpmn:startEvent id="start" />\n' + script("A") + '<bpmn:endEvent id="end" />\n'
            + flow("f1", "start", "A") + flow("f2", "A", "end")
            + _interrupting_event_sub_process(inner_loop=True))
    found = coded(problems(tmp_path, body), "process.end_never_reached")
    assert [(p.element_id, p.params["name"]) for p in found] == [("ev", "Personen flytter")]


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "processes").iterdir()
                                        if p.is_dir()))
def test_every_process_in_the_repository_passes_the_new_checks(name):
    result = validate_bundle(load_bundle(ROOT / "processes" / name))
    assert [str(p) for p in result.problems] == []


# --- Problem stays what callers know ----------------------------------------------------------


def test_problem_keeps_its_positional_form_and_gains_code_and_params():
    old = Problem("a.bpmn", "Task_1", "user task has no form: set the formKey property")
    assert str(old) == "a.bpmn:Task_1: user task has no form: set the formKey property"
    assert old.code is None and old.params == {}
    new = Problem.coded("a.bpmn", "Task_1", "user_task.unknown_form", name="Vurder", form="plan")
    assert str(new) == "a.bpmn:Task_1: form 'plan' does not exist in forms/"
    assert new.as_dict() == {"file": "a.bpmn", "element_id": "Task_1",
                             "message": "form 'plan' does not exist in forms/",
                             "code": "user_task.unknown_form",
                             "params": {"name": "Vurder", "form": "plan"}}
    with pytest.raises(ValueError):
        Problem.coded("a.bpmn", "Task_1", "user_task.unknown_form", form="plan")


def test_every_code_has_an_english_template_that_uses_only_its_params():
    import string

    for code, (template, names) in PROBLEM_CODES.items():
        used = {f for _, f, _, _ in string.Formatter().parse(template) if f}
        assert used <= set(names), code
