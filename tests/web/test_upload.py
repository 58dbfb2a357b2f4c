"""Uploading .bpmn and .dmn files into a draft: what the engine can run joins the draft; a file
that is broken, hostile or not runnable is refused or shown read-only, and changes nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from engine.drafts import Drafts
from tests.conftest import STANDARD, shared_path
from tests.web.conftest import login
from tests.web.pages import csrf_token, text


def _draft(engine) -> int:  # type: ignore[no-untyped-def]
    return Drafts(engine).start_from_version("lund", engine.versions("lund")[0].id,
                                             actor="pia.prosess").id


def _upload(client, draft_id: int, name: str, data: bytes):  # type: ignore[no-untyped-def]
    page = client.get(f"/prosess/utkast/{draft_id}")
    assert page.status_code == 200
    return client.post(f"/prosess/utkast/{draft_id}/last-opp",
                       data={"csrf_token": csrf_token(page), "fil": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", follow_redirects=True)


def _invalid_files() -> list[Path]:
    root = Path(__file__).resolve().parents[3] / "shared" / "interop" / "invalid"
    return sorted(root.glob("*")) if root.is_dir() else []


@pytest.mark.parametrize("path", _invalid_files() or [None], ids=lambda p: p.name if p else "none")
def test_a_broken_or_hostile_file_is_explained_and_changes_nothing(app, engine, client, path):
    if path is None:
        shared_path("interop", "invalid")  # skips with the reason
    draft_id = _draft(engine)
    before = Drafts(engine).get("lund", draft_id)
    login(client, "pia.prosess")
    answer = _upload(client, draft_id, path.name, path.read_bytes())
    assert answer.status_code in (200, 422)
    page = text(answer)
    # A clear message in Norwegian that names the file and says nothing was changed.
    assert "ingenting ble endret" in page.lower() or "ingenting er endret" in page.lower(), page
    after = Drafts(engine).get("lund", draft_id)
    assert (after.version, after.files) == (before.version, before.files)


def test_a_clean_diagram_from_another_tool_replaces_the_drafts_file(app, engine, client):
    draft_id = _draft(engine)
    login(client, "pia.prosess")
    # As from Camunda Modeler: the same diagram with a task renamed.
    xml = (STANDARD / "koordinering.bpmn").read_text(encoding="utf-8")
    xml = xml.replace('name="Registrer henvendelse"', 'name="Registrer henvendelsen"', 1)
    answer = _upload(client, draft_id, "koordinering.bpmn", xml.encode("utf-8"))
    assert answer.status_code == 200
    assert "er i utkastet" in text(answer)
    after = Drafts(engine).get("lund", draft_id)
    assert 'name="Registrer henvendelsen"' in after.files["koordinering.bpmn"]
    assert after.problems == []


def test_a_diagram_with_new_problems_is_shown_read_only_with_the_problems(app, engine, client):
    draft_id = _draft(engine)
    login(client, "pia.prosess")
    xml = (STANDARD / "koordinering.bpmn").read_text(encoding="utf-8")
    xml = xml.replace('<spiffworkflow:property name="formKey" value="henvendelse" />', "", 1)
    answer = _upload(client, draft_id, "koordinering.bpmn", xml.encode("utf-8"))
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert 'data-readonly' in page and 'data-element="Task_registrer_henvendelse"' in page
    assert Drafts(engine).get("lund", draft_id).files["koordinering.bpmn"] == \
        (STANDARD / "koordinering.bpmn").read_text(encoding="utf-8")


def test_only_bpmn_and_dmn_files_are_taken(app, engine, client):
    draft_id = _draft(engine)
    login(client, "pia.prosess")
    answer = _upload(client, draft_id, "notat.txt", b"hei")
    assert "ikke en BPMN- eller DMN-fil" in text(answer)


def test_a_coordinator_cannot_upload(app, engine, client):
    draft_id = _draft(engine)
    login(client, "ola.koordinator")
    assert client.get(f"/prosess/utkast/{draft_id}").status_code == 403
    answer = client.post(f"/prosess/utkast/{draft_id}/last-opp",
                         data={"fil": (io.BytesIO(b"<x/>"), "a.bpmn")},
                         content_type="multipart/form-data")
    assert answer.status_code in (400, 403)


def test_a_decision_table_sent_as_xml_joins_the_draft_as_dmn(app, engine, client):
    draft_id = _draft(engine)
    login(client, "pia.prosess")
    table = (STANDARD / "koordinator_kapasitet.dmn").read_text(encoding="utf-8")
    answer = _upload(client, draft_id, "koordinator_kapasitet.xml", table.encode("utf-8"))
    assert answer.status_code == 200, text(answer)
    files = Drafts(engine).get("lund", draft_id).files
    assert "koordinator_kapasitet.dmn" in files and "koordinator_kapasitet.bpmn" not in files


def test_a_file_name_with_sami_letters_downloads(app, engine, client):
    draft_id = _draft(engine)
    login(client, "pia.prosess")
    page = client.get(f"/prosess/utkast/{draft_id}")
    table = (STANDARD / "koordinator_kapasitet.dmn").read_text(encoding="utf-8")
    files = {**Drafts(engine).get("lund", draft_id).files, "Čálliid.dmn": table}
    saved = client.post(f"/prosess/utkast/{draft_id}/lagre", json={"files": files},
                        headers={"X-CSRFToken": csrf_token(page)})
    assert saved.status_code == 200
    answer = client.get(f"/prosess/utkast/{draft_id}/fil/Čálliid.dmn")
    assert answer.status_code == 200
    disposition = answer.headers["Content-Disposition"]
    assert disposition.encode("latin-1")  # a header value the server can send
    assert "filename*=UTF-8''%C4%8C%C3%A1lliid.dmn" in disposition


def test_publishing_a_draft_someone_saved_since_publishes_nothing(app, engine, client):
    draft_id = _draft(engine)
    login(client, "pia.prosess")
    page = client.get(f"/prosess/utkast/{draft_id}")
    Drafts(engine).save("lund", draft_id, Drafts(engine).get("lund", draft_id).files,
                        actor="anne.admin")
    answer = client.post(f"/prosess/utkast/{draft_id}/publiser", follow_redirects=True,
                         data={"csrf_token": csrf_token(page), "note": "x", "draft_version": "1"})
    assert "ble ikke publisert" in text(answer)
    assert [v.number for v in engine.versions("lund")] == [1]
