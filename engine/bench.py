"""`koordinator bench`: the persisted engine against plain in-memory SpiffWorkflow.

Runs N cases through the whole standard process (referral to closure, one evaluation fired by
the scheduler) on the persisted engine, the same path in plain SpiffWorkflow, and one case
through many evaluation loops to measure how its stored state grows. Figures only: targets are
in the README, never asserted in timed tests.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from .clock import FixedClock, SystemClock

STANDARD = Path(__file__).resolve().parent.parent / "processes" / "standard"


def _answers(today: date) -> dict[str, dict[str, Any]]:
    def day(n: int) -> str:
        return (today + timedelta(days=n)).isoformat()

    return {
        "Task_registrer_henvendelse": {
            "person_navn": "Test Testesen", "person_initialer": "TT", "fodselsdato": "1980-03-01",
            "henvendelse_fra": "tjeneste", "henvendelse_dato": day(0), "beskrivelse": "Benchmark",
            "samtykkekompetent": True, "foreldreansvar": "ikke_aktuelt"},
        "Task_vurder_rett": {"antall_tjenester": 3, "langvarig_behov": True,
                             "andre_sektorer": False, "tjenester": "", "vurdering_notat": "Langvarig behov."},
        "Task_samtykke": {"samtykke_gitt_av": [{"navn": "Test", "rolle": "personen"}],
                          "samtykke_koordinator": True, "onsker_ip": True,
                          "deler_med": [], "samtykkedato": day(0)},
        "Task_oppnevn": {"koordinator": "bench", "sekundar_koordinator": "leder",
                         "personens_onsker": "Ingen", "barnekoordinator": False},
        "Task_utarbeid_plan": {
            "verktoy": "individuell_plan", "mal": [{"beskrivelse": "Mål", "livsomrade": "helse"}],
            "tiltak": [{"beskrivelse": "Tiltak", "ansvarlig": "Tjeneste", "frist": day(30)}],
            "deltakere": [], "moter": [], "neste_evaluering": day(1)},
        "Task_evaluer": {"mal_nadd": "ja", "tjenester_fungerer": "ja", "arbeidsform_god": "ja",
                         "planeiers_erfaring": "Bra.", "endringer": "Ingen.", "deltakere_endret": False,
                         "videre": "avslutt"},
        "Task_meld_avslutning": {"arsak_avslutning": "mal_nadd", "oppsummering": "Ferdig."},
        "Task_avslutt": {"avsluttet_dato": day(0), "arkivert": True},
    }


def _continue(today: date, days: int) -> dict[str, Any]:
    answers = dict(_answers(today)["Task_evaluer"])
    answers.update(videre="fortsett", neste_evaluering=(today + timedelta(days=days)).isoformat())
    return answers


def _persisted_case(engine: Any, clock: FixedClock, answers: dict[str, dict[str, Any]],
                    timings: list[float]) -> None:
    case = engine.start_case("bench", actor="bench")
    while case.status == "active":
        if not case.open_tasks:
            clock.set(case.next_timer_due + timedelta(minutes=1))
            engine.fire_due_timers()
            case = engine.get_case(case.id)
            continue
        task = case.open_tasks[0]
        t0 = time.perf_counter()
        case = engine.complete_task(task.id, answers[task.bpmn_id], actor="bench")
        timings.append(time.perf_counter() - t0)


def _raw_case(spec: Any, subs: dict[str, Any], answers: dict[str, dict[str, Any]]) -> None:
    from SpiffWorkflow.bpmn import BpmnWorkflow
    from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
    from SpiffWorkflow.util.task import TaskState

    from .helpers import make_helpers
    from .timers import all_tasks, force_fire

    engine = PythonScriptEngine(environment=TaskDataEnvironment(
        make_helpers(SystemClock(), lambda name: 0)))
    wf = BpmnWorkflow(spec, subs, script_engine=engine)
    wf.do_engine_steps()
    while not wf.is_completed():
        ready = wf.get_tasks(state=TaskState.READY, manual=True)
        if not ready:
            for task in all_tasks(wf):
                if task.state == TaskState.WAITING:
                    force_fire(task)
            wf.refresh_timers()
            wf.do_engine_steps()
            continue
        task = ready[0]
        task.set_data(**answers[task.task_spec.bpmn_id])
        task.run()
        wf.refresh_timers()
        wf.do_engine_steps()


def _state_sizes(engine: Any, clock: FixedClock, loops: list[int]) -> dict[str, int]:
    today = clock.today_oslo()
    answers = _answers(today)
    case = engine.start_case("bench", actor="bench")
    for bpmn_id in ("Task_registrer_henvendelse", "Task_vurder_rett", "Task_samtykke",
                    "Task_oppnevn", "Task_utarbeid_plan"):
        case = engine.complete_task(case.task(bpmn_id).id, answers[bpmn_id], actor="bench")
    sizes: dict[str, int] = {}
    for loop in range(1, max(loops) + 1):
        clock.set(case.next_timer_due + timedelta(minutes=1))
        engine.fire_due_timers()
        case = engine.get_case(case.id)
        case = engine.complete_task(case.task("Task_evaluer").id,
                                    _continue(clock.today_oslo(), 1), actor="bench")
        if loop in loops:
            sizes[str(loop)] = case.state_bytes
    return sizes


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_benchmark(cases: int = 200, database_url: str | None = None,
                  loops: list[int] | None = None) -> dict[str, Any]:
    from .bundle import load_bundle, validate_bundle
    from .db import upgrade
    from .service import Koordinator

    loops = loops or [1, 10, 100]
    with tempfile.TemporaryDirectory(prefix="koordinator-bench-") as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        upgrade(url)
        clock = FixedClock(SystemClock().now())
        engine = Koordinator(url, clock=clock)
        engine.deploy(STANDARD, kommune="bench", actor="bench")
        answers = _answers(clock.today_oslo())

        timings: list[float] = []
        _persisted_case(engine, clock, answers, [])  # warm caches
        t0 = time.perf_counter()
        for _ in range(cases):
            _persisted_case(engine, clock, answers, timings)
        persisted_s = time.perf_counter() - t0

        built = validate_bundle(load_bundle(STANDARD)).built
        assert built is not None
        raw_answers = _answers(SystemClock().today_oslo())
        _raw_case(built.spec, built.subprocess_specs, raw_answers)
        t0 = time.perf_counter()
        for _ in range(cases):
            _raw_case(built.spec, built.subprocess_specs, raw_answers)
        raw_s = time.perf_counter() - t0

        sizes = _state_sizes(engine, clock, loops)
        engine.close()

    return {
        "cases": cases,
        "database": url.split("://")[0] if database_url else "sqlite (temporary file)",
        "cases_per_s": round(cases / persisted_s, 1),
        "task_complete_ms_median": round(statistics.median(timings) * 1000, 2),
        "task_complete_ms_p95": round(_p(timings, 0.95) * 1000, 2),
        "raw_spiff_cases_per_s": round(cases / raw_s, 1),
        "overhead_ratio": round((persisted_s / cases) / (raw_s / cases), 2),
        "state_bytes_after_loops": sizes,
    }
