"""The process owner's page for moving running cases onto a newer version."""

from __future__ import annotations

from tests.conftest import STANDARD
from tests.web.conftest import login
from tests.web.pages import csrf_token, text


def _two_versions(engine):  # type: ignore[no-untyped-def]
    engine.deploy(STANDARD, kommune="lund", actor="pia.prosess", note="v2")
    return engine.versions("lund")


def test_owner_moves_a_chosen_case_and_the_other_stays(app, engine, client):
    first = engine.start_case("lund", actor="kari.ke")
    second = engine.start_case("lund", actor="kari.ke")
    v1, v2 = _two_versions(engine)
    login(client, "pia.prosess")
    page = client.get(f"/prosess/versjon/{v2.id}/flytt")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'value="{first.id}:' in html and f'value="{second.id}:' in html
    assert "Task_registrer_henvendelse" in html
    choice = next(v for v in html.split('value="')[1:] if v.startswith(f"{first.id}:"))
    answer = client.post(f"/prosess/versjon/{v2.id}/flytt", follow_redirects=True,
                         data={"csrf_token": csrf_token(page), "case": choice.split('"')[0]})
    assert "1 sak er flyttet til versjon 2" in text(answer)
    assert engine.get_case(first.id).process_version_id == v2.id
    assert engine.get_case(second.id).process_version_id == v1.id
    assert "case_migrated" in [e.kind for e in engine.audit_trail(first.id)]
    login(client, "kari.ke")
    assert "Flyttet fra prosessversjon 1 til 2" in text(client.get(f"/saker/{first.id}"))
    # The moved case keeps working on its new version.
    assert [t.bpmn_id for t in engine.get_case(first.id).open_tasks] == ["Task_registrer_henvendelse"]


def test_a_stale_list_moves_nothing(app, engine, client):
    case = engine.start_case("lund", actor="kari.ke")
    v1, v2 = _two_versions(engine)
    login(client, "pia.prosess")
    page = client.get(f"/prosess/versjon/{v2.id}/flytt")
    stale = f"{case.id}:{engine.get_case(case.id).version - 1}"
    answer = client.post(f"/prosess/versjon/{v2.id}/flytt",
                         data={"csrf_token": csrf_token(page), "case": stale})
    assert answer.status_code == 409
    assert "Ingenting ble flyttet" in text(answer)
    assert engine.get_case(case.id).process_version_id == v1.id


def test_only_process_owners_may_move_cases(app, engine, client):
    _, v2 = _two_versions(engine)
    login(client, "ola.koordinator")
    assert client.get(f"/prosess/versjon/{v2.id}/flytt").status_code == 403


def test_another_kommunes_version_is_not_found(app, engine, client):
    heroy = engine.versions("heroy")[0]
    login(client, "pia.prosess")
    assert client.get(f"/prosess/versjon/{heroy.id}/flytt").status_code == 404


def test_a_long_list_comes_in_pages(app, engine, client, monkeypatch):
    import web.migrate_pages

    monkeypatch.setattr(web.migrate_pages, "MIGRATE_PAGE", 1)
    first = engine.start_case("lund", actor="kari.ke")
    second = engine.start_case("lund", actor="kari.ke")
    _, v2 = _two_versions(engine)
    login(client, "pia.prosess")
    html = client.get(f"/prosess/versjon/{v2.id}/flytt").get_data(as_text=True)
    assert f'value="{first.id}:' in html and f'value="{second.id}:' not in html
    html = client.get(f"/prosess/versjon/{v2.id}/flytt?etter={first.id}").get_data(as_text=True)
    assert f'value="{second.id}:' in html and f'value="{first.id}:' not in html
    assert 'id="more"' not in html


def test_move_all_moves_every_movable_case_of_the_page(app, engine, client):
    cases = [engine.start_case("lund", actor="kari.ke") for _ in range(3)]
    _, v2 = _two_versions(engine)
    login(client, "pia.prosess")
    page = client.get(f"/prosess/versjon/{v2.id}/flytt")
    listed = [v.split('"')[0] for v in page.get_data(as_text=True).split('name="listed" value="')[1:]]
    answer = client.post(f"/prosess/versjon/{v2.id}/flytt", follow_redirects=True,
                         data={"csrf_token": csrf_token(page), "all": "1", "listed": listed})
    assert "3 saker er flyttet til versjon 2" in text(answer)
    assert {engine.get_case(c.id).process_version_id for c in cases} == {v2.id}
