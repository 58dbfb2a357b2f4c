"""Only process owners and admins of the kommune see drafts, try, publish and move cases."""

from __future__ import annotations

import pytest

from engine.drafts import Drafts
from tests.conftest import STANDARD
from tests.web.conftest import login


def _pages(engine) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    draft = Drafts(engine).start_from_version("lund", engine.versions("lund")[0].id,
                                              actor="pia.prosess")
    v2 = engine.deploy(STANDARD, kommune="lund", actor="pia.prosess", note="v2")
    d = f"/prosess/utkast/{draft.id}"
    return [("GET", "/prosess"), ("GET", d), ("GET", f"{d}/fil/koordinering.bpmn"),
            ("GET", f"{d}/proev"), ("GET", f"{d}/proev/markering"),
            ("GET", f"/prosess/versjon/{v2.id}/flytt"),
            ("GET", f"/prosess/versjon/{v2.id}/fil/koordinering.bpmn"),
            ("POST", "/prosess/utkast"), ("POST", f"{d}/lagre"), ("POST", f"{d}/last-opp"),
            ("POST", f"{d}/publiser"), ("POST", f"{d}/proev/start"), ("POST", f"{d}/slett"),
            ("POST", f"/prosess/versjon/{v2.id}/flytt")]


@pytest.mark.parametrize("username", ["kari.ke", "ola.koordinator", "lise.leder"])
def test_staff_without_the_role_are_refused_everywhere(app, engine, client, username):
    pages = _pages(engine)
    app.config["WTF_CSRF_ENABLED"] = False  # the role check, not the token, must refuse
    login(client, username)
    for method, url in pages:
        answer = client.open(url, method=method)
        assert answer.status_code == 403, (method, url, answer.status_code)
    assert Drafts(engine).list("lund")[0].version == 1


def test_owners_and_admins_see_the_pages(app, engine, client):
    # (the trial's marks exist once a test case is started)
    pages = [p for p in _pages(engine) if p[0] == "GET" and not p[1].endswith("markering")]
    for username in ("pia.prosess", "anne.admin"):
        login(client, username)
        for _method, url in pages:
            assert client.get(url).status_code == 200, (username, url)


def test_another_kommunes_draft_is_not_found(app, engine, client):
    heroy = Drafts(engine).start_from_version("heroy", engine.versions("heroy")[0].id,
                                              actor="someone")
    login(client, "pia.prosess")
    for url in (f"/prosess/utkast/{heroy.id}", f"/prosess/utkast/{heroy.id}/fil/koordinering.bpmn",
                f"/prosess/utkast/{heroy.id}/proev"):
        assert client.get(url).status_code == 404, url


def test_owner_deletes_a_draft_and_nothing_else(app, engine, client):
    from tests.web.pages import csrf_token, text

    draft = Drafts(engine).start_from_version("lund", engine.versions("lund")[0].id,
                                              actor="pia.prosess")
    login(client, "pia.prosess")
    page = client.get(f"/prosess/utkast/{draft.id}")
    answer = client.post(f"/prosess/utkast/{draft.id}/slett", follow_redirects=True,
                         data={"csrf_token": csrf_token(page)})
    assert "er slettet" in text(answer)
    assert Drafts(engine).list("lund") == [] and len(engine.versions("lund")) == 1
