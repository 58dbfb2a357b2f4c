"""Lund's variant (processes/lund) on the persisted engine, SQLite only.

What Lund's guideline adds to the standard process (see processes/lund/README.md):
- at most five persons per coordinator: the sixth appointment warns and asks for a reason,
  the fifth does not, and the reason is kept with the case;
- the person chooses between an individual plan and responsibility-group meetings with
  minutes, and the tool can be switched at an evaluation;
- the coordinator must map children who are next of kin or siblings.
"""

from __future__ import annotations

from typing import Any

import pytest

from engine.errors import FormRejected
from engine.service import Koordinator
from tests.conftest import ROOT
from tests.engine.casework import (
    Casework,
    appointment,
    assessment,
    closing,
    closing_report,
    consent,
    in_days,
    referral,
)

LUND = ROOT / "processes" / "lund"
KOORDINATOR = "ola.koordinator"


@pytest.fixture
def engine(deploy_variant):  # type: ignore[no-untyped-def]
    return deploy_variant(LUND, "lund")


# --- answers as Lund's forms want them -------------------------------------------------------

def lund_plan(clock, tool: str = "individuell_plan", children: bool = False,  # type: ignore[no-untyped-def]
              next_in_days: int = 90) -> dict[str, Any]:
    return {"verktoy": tool,
            "mal": [{"beskrivelse": "Bo trygt hjemme", "livsomrade": "bolig"}],
            "tiltak": [{"beskrivelse": "Hjemmesykepleie to ganger i uka",
                        "ansvarlig": "Hjemmetjenesten", "frist": in_days(clock, 30)}],
            "deltakere": [{"navn": "Kari Nordmann", "rolle": "planeier", "instans": ""}],
            "moter": [{"dato": in_days(clock, 7), "sakliste": "Oppstart",
                       "referat": "Mål og tiltak avtalt."}],
            "barn_som_parorende": children,
            "neste_evaluering": in_days(clock, next_in_days)}


def lund_evaluation(clock, tool: str | None = "individuell_plan",  # type: ignore[no-untyped-def]
                    go_on: bool = True, next_in_days: int = 90) -> dict[str, Any]:
    data: dict[str, Any] = {"mal_nadd": "delvis", "tjenester_fungerer": "ja",
                            "arbeidsform_god": "delvis",
                            "planeiers_erfaring": "Vil heller ha faste møter.", "endringer": "",
                            "deltakere_endret": False,
                            "videre": "fortsett" if go_on else "avslutt"}
    if go_on:
        data["neste_evaluering"] = in_days(clock, next_in_days)
        if tool is not None:
            data["verktoy_videre"] = tool
    return data


def children_mapping(clock) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {"barn": [{"navn": "OB", "fodselsar": 2015, "relasjon": "barn",
                      "behov": "Informasjon tilpasset alder", "ansvarlig": "Helsesykepleier"},
                     {"navn": "LB", "fodselsar": 2018, "relasjon": "sosken",
                      "behov": "", "ansvarlig": ""}],
            "barn_informert": True, "kartlegging_notat": "",
            "kartlagt_dato": in_days(clock, 0)}


def appointed(engine: Koordinator, clock, coordinator: str = KOORDINATOR,  # type: ignore[no-untyped-def]
              wants_ip: bool = True) -> Casework:
    work = Casework(engine, kommune="lund")
    work.do("Task_registrer_henvendelse", referral(clock))
    work.do("Task_vurder_rett", assessment())
    work.do("Task_samtykke", consent(clock, wants_ip=wants_ip))
    work.do("Task_oppnevn", appointment(coordinator))
    return work


def evaluation_due(engine: Koordinator, clock, work: Casework, days: int) -> None:  # type: ignore[no-untyped-def]
    case = work.refresh()
    assert case.open_tasks == [] and case.next_timer_due is not None
    clock.advance(days=days)
    assert len(engine.fire_due_timers()) == 1
    work.refresh()


def completed(engine: Koordinator, case_id: str, bpmn_id: str) -> list[dict[str, Any]]:
    return [e.data for e in engine.audit_trail(case_id)
            if e.kind == "task_completed" and e.bpmn_id == bpmn_id]


# --- the caseload rule -----------------------------------------------------------------------

def test_fifth_case_passes_sixth_warns_and_needs_a_reason(engine, clock):
    for _ in range(4):
        assert appointed(engine, clock, "travel.koordinator").open == ["Task_utarbeid_plan"]
    fifth = appointed(engine, clock, "travel.koordinator")
    assert fifth.open == ["Task_utarbeid_plan"], "the fifth case is within the recommendation"
    decision = next(e for e in engine.audit_trail(fifth.case.id) if e.bpmn_id == "Task_dmn_kapasitet")
    assert decision.data["kapasitet_ok"] is True and decision.data["maks_saker"] == 5

    sixth = appointed(engine, clock, "travel.koordinator")
    assert sixth.open == ["Task_godkjenn_kapasitet"], "the sixth case warns"
    task = sixth.case.task("Task_godkjenn_kapasitet")
    assert task.role == "leder" and task.stage == "appointment"
    assert task.form_key == "kapasitet_godkjenning"
    decision = next(e for e in engine.audit_trail(sixth.case.id) if e.bpmn_id == "Task_dmn_kapasitet")
    assert decision.data["kapasitet_ok"] is False and decision.data["maks_saker"] == 5

    # going on without a reason is refused; the limit is a recommendation, so a reason suffices
    with pytest.raises(FormRejected) as rejected:
        engine.complete_task(task.id, {"godkjent": True, "begrunnelse_kapasitet": ""},
                             actor="lise.leder", kommune="lund")
    assert "begrunnelse_kapasitet" in rejected.value.errors
    reason = "Personen ønsket denne koordinatoren; en sak avsluttes neste måned."
    sixth.do("Task_godkjenn_kapasitet", {"godkjent": True, "begrunnelse_kapasitet": reason},
             actor="lise.leder")
    assert sixth.open == ["Task_utarbeid_plan"]
    assert sixth.case.coordinator == "travel.koordinator"
    assert engine.case_data(sixth.case.id)["begrunnelse_kapasitet"] == reason
    [approval] = completed(engine, sixth.case.id, "Task_godkjenn_kapasitet")
    assert approval["godkjent"] is True and approval["begrunnelse_kapasitet"] == reason


def test_a_refused_warning_goes_back_to_appointment_without_a_reason(engine, clock):
    for _ in range(5):
        appointed(engine, clock, "travel.koordinator")
    work = appointed(engine, clock, "travel.koordinator")
    work.do("Task_godkjenn_kapasitet", {"godkjent": False}, actor="lise.leder")
    assert work.open == ["Task_oppnevn"]
    work.do("Task_oppnevn", appointment("ledig.koordinator"))
    assert work.open == ["Task_utarbeid_plan"]


# --- the coordination tool, switched at an evaluation, and the case to closure ---------------

def test_tool_switch_at_evaluation_and_case_runs_to_closure(engine, clock):
    work = appointed(engine, clock)
    assert work.open == ["Task_utarbeid_plan"] and work.case.stage == "planning"
    work.do("Task_utarbeid_plan", lund_plan(clock, tool="individuell_plan"), actor=KOORDINATOR)
    assert work.open == [] and work.case.stage == "evaluation"

    evaluation_due(engine, clock, work, days=91)
    assert work.open == ["Task_evaluer"]
    evaluate = work.case.task("Task_evaluer")
    with pytest.raises(FormRejected) as rejected:  # continuing needs the tool from now on
        engine.complete_task(evaluate.id, lund_evaluation(clock, tool=None), actor=KOORDINATOR,
                             kommune="lund")
    assert "verktoy_videre" in rejected.value.errors
    work.do("Task_evaluer", lund_evaluation(clock, tool="ansvarsgruppe"), actor=KOORDINATOR)
    assert work.open == ["Task_planlegg_oppfolging"], "the switch opens planning with the new tool"
    assert work.case.task("Task_planlegg_oppfolging").assignee == KOORDINATOR
    work.do("Task_planlegg_oppfolging", lund_plan(clock, tool="ansvarsgruppe"), actor=KOORDINATOR)
    assert engine.case_data(work.case.id)["verktoy"] == "ansvarsgruppe"

    # keeping the tool goes straight to waiting for the next evaluation
    evaluation_due(engine, clock, work, days=91)
    work.do("Task_evaluer", lund_evaluation(clock, tool="ansvarsgruppe"), actor=KOORDINATOR)
    assert work.open == [] and work.case.next_timer_due is not None

    # and back to an individual plan
    evaluation_due(engine, clock, work, days=91)
    work.do("Task_evaluer", lund_evaluation(clock, tool="individuell_plan"), actor=KOORDINATOR)
    assert work.open == ["Task_utarbeid_plan"]
    work.do("Task_utarbeid_plan", lund_plan(clock, tool="individuell_plan"), actor=KOORDINATOR)

    evaluation_due(engine, clock, work, days=91)
    work.do("Task_evaluer", lund_evaluation(clock, go_on=False), actor=KOORDINATOR)
    assert work.open == ["Task_meld_avslutning"] and work.case.stage == "closure"
    work.do("Task_meld_avslutning", closing_report(), actor=KOORDINATOR)
    work.do("Task_avslutt", closing(clock))
    assert work.case.status == "closed" and work.case.open_tasks == []

    tools = [d["verktoy"] for d in completed(engine, work.case.id, "Task_utarbeid_plan")
             + completed(engine, work.case.id, "Task_planlegg_oppfolging")]
    assert sorted(tools) == ["ansvarsgruppe", "individuell_plan", "individuell_plan"]
    kinds = [e.kind for e in engine.audit_trail(work.case.id)]
    assert kinds[0] == "case_started" and kinds[-1] == "case_closed"
    assert kinds.count("timer_fired") == 4


def test_responsibility_group_chosen_at_consent(engine, clock):
    work = appointed(engine, clock, wants_ip=False)
    assert work.open == ["Task_planlegg_oppfolging"]
    work.do("Task_planlegg_oppfolging", lund_plan(clock, tool="ansvarsgruppe"), actor=KOORDINATOR)
    assert work.open == []


# --- children as next of kin or siblings -----------------------------------------------------

def test_children_mapping_is_required_in_planning(engine, clock):
    work = appointed(engine, clock)
    task = work.case.task("Task_utarbeid_plan")
    answers = lund_plan(clock)
    del answers["barn_som_parorende"]
    with pytest.raises(FormRejected) as rejected:
        engine.complete_task(task.id, answers, actor=KOORDINATOR, kommune="lund")
    assert "barn_som_parorende" in rejected.value.errors

    work.do("Task_utarbeid_plan", lund_plan(clock, children=True), actor=KOORDINATOR)
    assert work.open == ["Task_kartlegg_barn"]
    mapping = work.case.task("Task_kartlegg_barn")
    assert mapping.role == "koordinator" and mapping.stage == "planning"
    assert mapping.form_key == "barn_parorende" and mapping.assignee == KOORDINATOR
    with pytest.raises(FormRejected) as rejected:
        engine.complete_task(mapping.id, {**children_mapping(clock), "barn": []},
                             actor=KOORDINATOR, kommune="lund")
    assert "barn" in rejected.value.errors
    work.do("Task_kartlegg_barn", children_mapping(clock), actor=KOORDINATOR)
    assert work.open == [] and work.case.stage == "evaluation"
    assert work.case.next_timer_due is not None
    [mapped] = completed(engine, work.case.id, "Task_kartlegg_barn")
    assert [c["relasjon"] for c in mapped["barn"]] == ["barn", "sosken"]


# --- a rule change is a new version ----------------------------------------------------------

def test_a_limit_of_four_in_a_new_version_applies_to_new_cases_only(engine, clock, tmp_path):
    """Lund lowers the recommendation to four persons per coordinator: a new process version.
    Cases started before keep the version they started on, with its limit of five."""
    import shutil

    running = Casework(engine, kommune="lund")  # started on version 1, before the change
    for _ in range(4):
        appointed(engine, clock, "travel.koordinator")

    bundle = tmp_path / "lund"
    shutil.copytree(LUND, bundle)
    table = bundle / "koordinator_kapasitet.dmn"
    text = table.read_text(encoding="utf-8")
    assert text.count("&lt; 5") == 1 and text.count("<text>5</text>") == 2
    table.write_text(text.replace("&lt; 5", "&lt; 4").replace("<text>5</text>", "<text>4</text>"),
                     encoding="utf-8")
    v2 = engine.deploy(bundle, kommune="lund", actor="pia.prosess", note="høyst fire per koordinator")
    assert v2.number == 2

    new = appointed(engine, clock, "travel.koordinator")  # starts on version 2
    assert new.case.version_number == 2
    assert new.open == ["Task_godkjenn_kapasitet"], "four cases already: version 2 warns"
    engine.cancel_case(new.case.id, actor="kari.ke", reason="prøvesak")  # back to four

    running.do("Task_registrer_henvendelse", referral(clock))
    running.do("Task_vurder_rett", assessment())
    running.do("Task_samtykke", consent(clock))
    running.do("Task_oppnevn", appointment("travel.koordinator"))
    assert running.case.version_number == 1
    decision = next(e for e in engine.audit_trail(running.case.id)
                    if e.bpmn_id == "Task_dmn_kapasitet")
    assert decision.data["maks_saker"] == 5 and decision.data["kapasitet_ok"] is True
    assert running.open == ["Task_utarbeid_plan"], "version 1 keeps its limit of five"
