"""The nb/nn/en texts for file explanations (web/explain_text.py) cover every code the engine
produces, with exactly the engine's parameters."""

from __future__ import annotations

import string

import pytest

from engine.explain import CODES, REASON_CODES, STATUSES, explain_file
from web.explain_text import CATALOG, LANGUAGES, describe, describe_all, status_text

ALL_CODES = sorted(set(CODES) | set(REASON_CODES))


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _params(code: str) -> set[str]:
    params = set(CODES[code][1]) if code in CODES else set(REASON_CODES[code])
    if code in CODES and code in REASON_CODES:
        # one text serves both uses, so both must carry the same parameters
        assert set(CODES[code][1]) == set(REASON_CODES[code]), code
    return params


def test_catalog_has_exactly_the_engines_codes() -> None:
    assert sorted(CATALOG) == ALL_CODES


@pytest.mark.parametrize("code", ALL_CODES)
def test_every_code_has_three_texts_with_matching_placeholders(code: str) -> None:
    texts = CATALOG[code]
    assert set(texts) == set(LANGUAGES)
    for lang in LANGUAGES:
        assert texts[lang].strip(), (code, lang)
        assert _placeholders(texts[lang]) == _params(code), (code, lang)
    # nynorsk is written, not copied from bokmål
    assert texts["nn"] != texts["nb"]


def test_statuses_have_texts() -> None:
    for status in STATUSES:
        assert {status_text(status, lang) for lang in LANGUAGES} - {status}
    assert status_text("unsupported", "nb") == "Kan ikke kjøres"


CAMUNDA_SERVICE = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="x">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="mail" name="Send brev" camunda:class="no.kommune.SendBrev">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:exclusiveGateway id="gw" default="f4">
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
      <bpmn:outgoing>f4</bpmn:outgoing>
    </bpmn:exclusiveGateway>
    <bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming><bpmn:incoming>f4</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="mail"/>
    <bpmn:sequenceFlow id="f2" sourceRef="mail" targetRef="gw"/>
    <bpmn:sequenceFlow id="f3" sourceRef="gw" targetRef="end">
      <bpmn:conditionExpression>${godkjent}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f4" sourceRef="gw" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>
"""


def test_describe_a_note_fills_in_its_parameters() -> None:
    result = explain_file("camunda.bpmn", CAMUNDA_SERVICE)
    notes = {n.element_id: n for n in result.elements}
    nb = describe(notes["mail"], None, "nb")
    assert "Java-klassen «no.kommune.SendBrev» i Camunda" in nb
    assert "brukeroppgave" in nb
    assert "Java-klassen «no.kommune.SendBrev» i Camunda" in describe(notes["mail"], None, "nn")
    assert "Java class 'no.kommune.SendBrev'" in describe(notes["mail"], None, "en")
    assert "${godkjent}" in describe(notes["f3"], None, "nb")
    assert "JUEL" in describe(notes["f3"], None, "nn")
    assert "1" in describe(result.reason_code, result.reason_params, "nb")


def test_describe_by_code_and_fallbacks() -> None:
    text = describe("xml.unsafe", {"message": "the XML is broken"}, "nb")
    assert text.startswith("Filen kan ikke leses: the XML is broken")
    assert describe("xml.unsafe", {"message": "x"}, "de") == describe("xml.unsafe",
                                                                        {"message": "x"}, "nb")
    assert "«…»" in describe("lane.unknown_role", {}, "nb")  # a missing parameter never raises
    assert "no.such.code" in describe("no.such.code", {}, "en")


def test_describe_all_lists_every_finding_of_an_element() -> None:
    result = explain_file("x.bpmn", CAMUNDA_SERVICE.replace(
        b'<bpmn:serviceTask id="mail" name="Send brev" camunda:class="no.kommune.SendBrev">',
        b'<bpmn:userTask id="mail" name="Send brev" camunda:assignee="kari">').replace(
        b"</bpmn:serviceTask>", b"</bpmn:userTask>"))
    note = next(n for n in result.elements if n.element_id == "mail")
    texts = describe_all(note, "nb")
    assert len(texts) == len(note.findings) >= 3
    assert any("«kari»" in t for t in texts)
    assert texts[0] == describe(note, None, "nb")
