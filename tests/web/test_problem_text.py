"""Validation problems in the process owner's language, each with what to do about it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from engine.bundle import load_bundle, validate_bundle
from engine.errors import PROBLEM_CODES, Problem
from tests.conftest import ROOT, standard_variant
from web.problem_text import (
    CATALOG,
    GENERIC_ACTION,
    LANGUAGES,
    describe,
    describe_all,
    placeholders,
)


@pytest.mark.parametrize("code", sorted(PROBLEM_CODES))
def test_every_engine_code_has_texts_in_all_three_languages(code):
    texts = CATALOG.get(code)
    assert texts is not None, f"{code} has no texts in web/problem_text.py"
    assert set(texts) == set(LANGUAGES)
    declared = set(PROBLEM_CODES[code][1])
    used = {}
    for lang, (what, action) in texts.items():
        assert what.strip() and action.strip(), (code, lang)
        used[lang] = placeholders(what) | placeholders(action)
        assert used[lang] <= declared, (code, lang, used[lang] - declared)
    assert used["nb"] == used["nn"] == used["en"], (code, used)
    assert texts["nb"] != texts["en"] and texts["nn"] != texts["en"], code


def test_the_catalog_holds_no_code_the_engine_has_dropped():
    assert set(CATALOG) <= set(PROBLEM_CODES)


def test_every_code_named_in_the_engine_source_is_registered():
    families = {code.split(".")[0] for code in PROBLEM_CODES}
    found = set()
    for source in ("engine/bundle.py", "engine/forms.py"):
        text = (ROOT / source).read_text(encoding="utf-8")
        found |= {m for m in re.findall(r'"([a-z_]+\.[a-z_]+)"', text)
                  if m.split(".")[0] in families}
    assert len(found) > 40
    assert found <= set(PROBLEM_CODES), found - set(PROBLEM_CODES)


def _problems(bundle: Path) -> list[Problem]:
    return validate_bundle(load_bundle(bundle)).problems


def test_unknown_form_is_told_in_norwegian_with_the_task_and_form_named(tmp_path):
    found = _problems(standard_variant(tmp_path, {'value="vurdering"': 'value="finnes_ikke"'}))
    [problem] = [p for p in found if p.code == "user_task.unknown_form"]
    message, action = describe(problem, "nb")
    assert message == ("Brukeroppgaven «Vurder rett til IP og koordinator» bruker skjemaet "
                       "«finnes_ikke», som ikke finnes.")
    assert "formKey" in action
    nn_message, _ = describe(problem, "nn")
    assert nn_message.startswith("Brukaroppgåva «Vurder rett til IP og koordinator»")
    en_message, _ = describe(problem, "en")
    assert en_message == ("The user task 'Vurder rett til IP og koordinator' uses the form "
                          "'finnes_ikke', which does not exist.")


def test_gateway_flow_without_condition_names_gateway_and_flow(tmp_path):
    # Without its default, the gateway's "Nei" arrow has neither condition nor default role.
    bundle = standard_variant(tmp_path, {' default="Flow_rett_nei"': ""})
    mine = [p for p in _problems(bundle) if p.code == "gateway.flow_without_condition"]
    assert [p.element_id for p in mine] == ["Flow_rett_nei"]
    message, action = describe(mine[0], "nb")
    assert message == ("Pilen «Nei» ut fra forgreiningen «Rett til koordinator?» har ingen "
                       "betingelse og er ikke standardvei.")
    assert "standardvei" in action and "betingelse" in action


def test_sandbox_reason_is_translated(tmp_path):
    bundle = standard_variant(tmp_path, {"onsker_ip == True": "__import__('os').system('id') == 0"})
    refused = [p for p in _problems(bundle) if p.code == "condition.refused"]
    assert refused
    message, _ = describe(refused[0], "nb")
    assert "«__import__» er ikke tillatt" in message
    assert "«__import__» er ikkje lov" in describe(refused[0], "nn")[0]
    assert "'__import__' is not allowed in diagram code" in describe(refused[0], "en")[0]


def test_describe_all_gives_rows_for_the_page_and_json(tmp_path):
    bundle = standard_variant(tmp_path, {'value="vurdering"': 'value="finnes_ikke"',
                                 'name="Koordinerende enhet"': 'name="Saksbehandlere"'})
    problems = _problems(bundle)
    rows = describe_all(problems, "nn")
    assert len(rows) == len(problems) >= 2
    assert json.loads(json.dumps(rows)) == rows
    by_code = {row["code"]: row for row in rows}
    assert by_code["user_task.unknown_form"]["file"] == "koordinering.bpmn"
    assert by_code["user_task.unknown_form"]["element_id"] == "Task_vurder_rett"
    assert "«Saksbehandlere»" in by_code["user_task.unknown_lane"]["message"]
    assert "Koordinerande eining" in by_code["user_task.unknown_lane"]["action"]
    # The same rows from the JSON form of the problems (as the API returns them).
    assert describe_all([p.as_dict() for p in problems], "nn") == rows


def test_unknown_code_falls_back_to_the_engine_message():
    old = Problem("x.bpmn", "Task_1", "something new went wrong")
    assert describe(old, "nn") == ("something new went wrong", GENERIC_ACTION["nn"])
    assert describe({"message": "odd", "code": "no.such_code"}, "en") == (
        "odd", GENERIC_ACTION["en"])
    # A known code whose values are missing does not show half-filled text.
    assert describe({"message": "form 'x' does not exist in forms/",
                     "code": "user_task.unknown_form"}, "nb") == (
        "form 'x' does not exist in forms/", GENERIC_ACTION["nb"])


def test_unknown_language_means_bokmal():
    problem = Problem.coded("x.bpmn", "Task_1", "user_task.no_form", name="Registrer")
    assert describe(problem, "de") == describe(problem, "nb")
    assert describe(problem, "nb")[0] == "Brukeroppgaven «Registrer» har ikke noe skjema."


def test_form_definition_problem_is_described():
    from engine.forms import FormDefinitionError

    problem = FormDefinitionError("forms/plan.yaml", "unknown field type 'dato2'",
                                  "tiltak.frist.type").to_problem()
    assert problem.code == "form.invalid"
    message, _ = describe(problem, "nb")
    assert message == ("Skjemaet «plan.yaml» kan ikke brukes (felt tiltak.frist.type): "
                       "unknown field type 'dato2'.")
