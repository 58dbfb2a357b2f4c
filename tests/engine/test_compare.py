"""Comparing a kommune's variant with the standard, and two deployed versions."""

from __future__ import annotations

import shutil

import pytest

from engine.errors import BundleInvalid, NotFound
from engine.service import Koordinator
from tests.conftest import ROOT, STANDARD
from web.cli import main


def test_a_variant_compared_with_the_standard():
    comparison = Koordinator.compare_bundles(STANDARD, ROOT / "processes" / "lund")
    assert "Task_kartlegg_barn" in comparison.added
    assert comparison.added["Task_kartlegg_barn"]["role"] == "koordinator"
    assert not comparison.removed
    assert "koordinator_kapasitet.dmn" in comparison.files_changed
    assert Koordinator.compare_bundles(STANDARD, STANDARD).same


def test_compare_on_the_command_line(capsys, tmp_path):
    assert main(["compare", str(STANDARD), str(ROOT / "processes" / "lund")]) == 0
    assert "+ Task_kartlegg_barn (userTask:" in capsys.readouterr().out
    (tmp_path / "broken.bpmn").write_text("<definitions>")
    assert main(["compare", str(STANDARD), str(tmp_path / "broken.bpmn")]) == 1
    with pytest.raises(BundleInvalid):
        Koordinator.compare_bundles(STANDARD, tmp_path / "broken.bpmn")


def test_two_versions_compared(deployed, tmp_path):
    engine = deployed
    bundle = tmp_path / "v2"
    shutil.copytree(STANDARD, bundle)
    bpmn = bundle / "koordinering.bpmn"
    bpmn.write_text(bpmn.read_text(encoding="utf-8").replace(
        'name="Registrer henvendelse"', 'name="Registrer henvendelsen"'), encoding="utf-8")
    v1 = engine.versions("lund")[0]
    v2 = engine.deploy(bundle, kommune="lund", actor="pia.prosess")
    comparison = engine.compare_versions(v1.id, v2.id, kommune="lund")
    assert comparison.changed == {"Task_registrer_henvendelse": {
        "name": ("Registrer henvendelse", "Registrer henvendelsen")}}
    assert not comparison.files_changed
    with pytest.raises(NotFound):
        engine.compare_versions(v1.id, v2.id, kommune="heroy")
