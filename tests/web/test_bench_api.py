"""The API benchmark runs end to end over HTTP and seeds real cases (no timing asserted)."""

from __future__ import annotations

from sqlalchemy import func, select

from engine.models import AuditEvent, Case, HumanTask, Timer
from engine.service import Koordinator
from web.bench_api import KOMMUNER, _answers, run_api_benchmark

FIGURES = (
    "cases", "loops", "completions", "start_case_ms_median", "completion_ms_median",
    "completion_ms_p95", "loop_completion_ms_median_first_10",
    "loop_completion_ms_median_last_10", "loop_completion_ms_p95", "loop_ratio_last_to_first",
    "loop_ratio_last_to_fresh", "seed_cases", "db_cases", "db_cases_in_kommune",
    "db_open_tasks", "db_audit_events", "db_mb", "requests_each", "http_connections",
    *(f"{name}_ms_{stat}" for name in ("worklist_page", "api_tasks", "api_cases", "api_case",
                                       "api_tasks_coordinator", "api_cases_coordinator")
      for stat in ("median", "p95")),
)


def test_api_benchmark_reports_its_figures_and_seeds_real_cases(tmp_path):
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    result = run_api_benchmark(cases=2, loops=3, seed_cases=200, database_url=url)

    for key in FIGURES:
        assert isinstance(result[key], int | float) and result[key] > 0, (key, result[key])
    assert result["completions"] >= 2 * 8  # every task of two cases, referral to closure
    assert result["seed_s"] >= 0
    assert result["http_connections"] == 1  # one keep-alive connection throughout

    engine = Koordinator(url)
    try:
        with engine._read() as s:
            assert s.scalar(select(func.count()).select_from(Case)) == result["db_cases"]
            seeded = list(s.scalars(select(Case).order_by(Case.id.desc()).limit(200)))
            assert len(seeded) == 200 and result["db_cases"] >= 200 + 2 + 1
            assert {c.kommune for c in seeded} == set(KOMMUNER)
            assert {c.status for c in seeded} == {"active", "closed"}
            ids = [c.id for c in seeded]
            for model in (HumanTask, Timer, AuditEvent):
                assert s.scalar(select(func.count()).select_from(model)
                                .where(model.case_id.in_(ids))) > 0, model
        # a seeded case is a working case: its open task completes through the engine
        referral = next(c for c in seeded if c.stage == "referral")
        case = engine.get_case(referral.id)
        task = case.task("Task_registrer_henvendelse")
        after = engine.complete_task(task.id, _answers(task.bpmn_id, engine.clock.today_oslo()),
                                     actor="test", kommune=referral.kommune)
        assert [t.bpmn_id for t in after.open_tasks] == ["Task_vurder_rett"]
    finally:
        engine.close()
