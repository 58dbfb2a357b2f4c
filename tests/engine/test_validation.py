"""Bundle validation: our standard process passes, broken and hostile diagrams get clear lines."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from engine.bundle import load_bundle, validate_bundle
from engine.errors import PROBLEM_CODES, Problem
from engine.service import Koordinator
from tests.conftest import ROOT, STANDARD, shared_path, standard_variant

CLI = [sys.executable, "-m", "engine.cli"]


def problems_of(path: Path) -> list[str]:
    return [str(p) for p in Koordinator.validate(path)]


def test_standard_process_is_valid():
    result = validate_bundle(load_bundle(STANDARD))
    assert result.problems == []
    assert result.built.process_id == "koordinering"
    elements = result.built.elements
    assert elements["Task_vurder_rett"]["role"] == "koordinerende_enhet"
    assert elements["Task_evaluer"]["form"] == "evaluering"
    assert elements["Timer_evaluering"]["stage"] == "evaluation"


def test_unknown_form_is_reported_with_file_and_element(tmp_path):
    bundle = standard_variant(tmp_path, {'value="vurdering"': 'value="finnes_ikke"'})
    assert "koordinering.bpmn:Task_vurder_rett: form 'finnes_ikke' does not exist in forms/" in \
        problems_of(bundle)


def test_condition_on_a_field_no_form_provides(tmp_path):
    bundle = standard_variant(tmp_path, {"onsker_ip == True": "onsker_ipp == True"})
    assert any("reads 'onsker_ipp', which no earlier form or decision provides" in p
               for p in problems_of(bundle))


def test_condition_that_escapes_the_sandbox_is_refused(tmp_path):
    bundle = standard_variant(tmp_path, {"onsker_ip == True": "__import__('os').system('id') == 0"})
    assert any("condition refused by the sandbox" in p for p in problems_of(bundle))


def test_timer_without_a_valid_iso_value(tmp_path):
    bundle = standard_variant(tmp_path, {'>"P1M"<': '>"P1Q"<'})
    assert any(p.endswith("Timer_forelopig_svar: timer timeDuration 'P1Q' is not a valid "
                          "ISO 8601 value") for p in problems_of(bundle))
    bundle2 = standard_variant(tmp_path / "b", {'>"P1M"<': ">P1M<"})
    assert any("must be a Python expression" in p for p in problems_of(bundle2))


def test_missing_dmn_table(tmp_path):
    bundle = standard_variant(tmp_path, {})
    (bundle / "hvem_samtykker.dmn").unlink()
    assert "koordinering.bpmn:Task_dmn_samtykke: DMN table 'hvem_samtykker' is missing from " \
           "the bundle" in problems_of(bundle)


def test_validate_cli_exit_codes(tmp_path):
    ok = subprocess.run(CLI + ["validate", str(STANDARD)], check=False, capture_output=True,
                        text=True,
                        cwd=ROOT, timeout=120)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bundle = standard_variant(tmp_path, {'value="vurdering"': 'value="finnes_ikke"'})
    bad = subprocess.run(CLI + ["validate", str(bundle)], check=False, capture_output=True,
                        text=True,
                         cwd=ROOT, timeout=120)
    assert bad.returncode == 1
    first = bad.stdout.splitlines()[0]
    assert first == f"{bundle}/koordinering.bpmn:Task_vurder_rett: form 'finnes_ikke' does not " \
                    "exist in forms/"


def _interop_files() -> list[Path]:
    root = shared_path("interop")
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in
                  {".bpmn", ".dmn", ".xml", ".txt"} and p.parent.name != "LICENSES"
                  and p.name not in {"README.md"})


def test_every_interop_file_gets_a_clean_answer():
    files = _interop_files()
    assert len(files) > 90
    run = subprocess.run(CLI + ["validate", *map(str, files)], check=False, capture_output=True,
                        text=True,
                         cwd=ROOT, timeout=600)
    out = run.stdout
    assert "Traceback" not in out + run.stderr
    assert run.returncode == 1
    lines = out.splitlines()
    for file in files:
        mine = [line for line in lines if line.startswith(str(file) + ":")]
        assert mine, f"no answer for {file}"
        for line in mine:
            assert line == f"{file}: ok" or line.count(":") >= 2, line
    bomb = [line for line in lines if "xml-bomb" in line]
    assert bomb and all("DOCTYPE" in line for line in bomb)
    imports = [line for line in lines if "scripttask-python-imports-os" in line]
    assert any("imports are not allowed" in line for line in imports)


@pytest.mark.parametrize("name", ["xml-bomb-nested-entities-small.bpmn",
                                  "scripttask-python-imports-os.bpmn"])
def test_hostile_files_cannot_be_deployed(name, deployed):
    from engine.errors import BundleInvalid

    path = shared_path("interop", "invalid", name)
    with pytest.raises(BundleInvalid):
        deployed.deploy(path, kommune="lund", actor="x")
    assert [v.number for v in deployed.versions("lund")] == [1]


def _assert_coded(problems: list[Problem]) -> None:
    for p in problems:
        assert p.code in PROBLEM_CODES, str(p)
        assert set(p.params) == set(PROBLEM_CODES[p.code][1]), (p.code, p.params)
        assert all(isinstance(v, str) for v in p.params.values()), p.params


@pytest.mark.parametrize("replace", [
    {'value="vurdering"': 'value="finnes_ikke"'},
    {"onsker_ip == True": "__import__('os').system('id') == 0"},
    {'>"P1M"<': ">P1M<"},
    {'>"P1M"<': '>"P1Q"<'},
    {' default="Flow_rett_nei"': ""},
    {'name="Koordinerende enhet"': 'name="Saksbehandlere"'},
    {'targetRef="Task_avslag"': 'targetRef="Task_finnes_ikke"'},
])
def test_every_problem_of_a_broken_variant_carries_its_code_and_values(tmp_path, replace):
    problems = validate_bundle(load_bundle(standard_variant(tmp_path, replace))).problems
    assert problems
    _assert_coded(problems)


def test_every_problem_in_the_interop_files_carries_its_code_and_values():
    files = _interop_files()
    for file in files:
        _assert_coded(validate_bundle(load_bundle(file)).problems)
