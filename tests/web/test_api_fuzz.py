"""Property-based fuzzing of the API from its own OpenAPI document (schemathesis).

Each operation gets generated valid (positive) and invalid (negative) input, sent with a bearer
token to an app whose database holds a real case; each call with an id in its path is sent a
second time aimed at that case or its open task. Whatever comes in, the answer is JSON, never a
server error.

The schemathesis pytest plugin's fixture loader does not run under pytest 9, so the strategies
come from schemathesis' Python API and run under plain Hypothesis.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from tests.engine.casework import referral
from web.api.openapi import DOCUMENT

pytestmark = pytest.mark.slow

# Every operation with valid input; those that take input also with invalid input.
OPERATIONS = [(path, method.upper(), mode) for path, item in DOCUMENT["paths"].items()
              for method, operation in item.items()
              for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
              if mode is GenerationMode.POSITIVE or operation.get("parameters")
              or operation.get("requestBody")]
FUZZ_SETTINGS = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                         suppress_health_check=list(HealthCheck))


@pytest.fixture
def fuzz_target(app, tokens, web_clock) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A lund case past its referral with its open task, and kari.ke's token."""
    engine = app.extensions["koordinator"]
    case = engine.start_case("lund", actor="kari.ke")
    case = engine.complete_task(case.task("Task_registrer_henvendelse").id, referral(web_clock),
                                actor="kari.ke", kommune="lund")
    return {"case_id": case.id, "task_id": case.open_tasks[0].id,
            "headers": {"Authorization": f"Bearer {tokens['kari.ke']}"}}


def _check(response: Any, case: Any) -> None:
    where = (f"{case.method} {case.formatted_path} query={case.query!r} "
             f"body={str(case.body)[:300]!r}")
    assert response.status_code < 500, f"{where}: {response.status_code} {response.text[:500]}"
    content_type = (response.headers.get("content-type") or [""])[0]
    assert content_type.startswith("application/json"), f"{where}: {content_type}"


@pytest.mark.parametrize(("path", "method", "mode"), OPERATIONS,
                         ids=[f"{m} {p} {mode.value}" for p, m, mode in OPERATIONS])
def test_no_server_errors_and_always_json(app, fuzz_target, path, method, mode):
    # type: ignore[no-untyped-def]
    operation = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)[path][method]
    headers = fuzz_target["headers"]

    @FUZZ_SETTINGS
    @given(case=operation.as_strategy(generation_mode=mode))
    def fuzz(case: Any) -> None:
        _check(case.call(headers=headers), case)
        params = case.path_parameters or {}
        aimed = {name: fuzz_target[name] for name in ("case_id", "task_id") if name in params}
        if aimed:
            params.update(aimed)
            _check(case.call(headers=headers), case)

    fuzz()
