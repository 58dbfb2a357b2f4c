"""The benchmark runs end to end and reports every figure the README quotes (no timing asserted)."""

from engine.bench import run_benchmark


def test_benchmark_reports_its_figures():
    result = run_benchmark(cases=2, loops=[1, 3])
    for key in ("cases", "cases_per_s", "task_complete_ms_median", "task_complete_ms_p95",
                "raw_spiff_cases_per_s", "overhead_ratio"):
        assert result[key] > 0, key
    assert set(result["state_bytes_after_loops"]) == {"1", "3"}
