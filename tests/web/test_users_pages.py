"""The kommune's admin manages staff accounts in the browser: add, change roles, stop."""

from __future__ import annotations

from tests.web.conftest import login
from tests.web.pages import csrf_token, text


def _add(client, **fields):  # type: ignore[no-untyped-def]
    page = client.get("/brukere")
    data = {"csrf_token": csrf_token(page), "full_name": "Siri Saksbehandler",
            "username": "siri.s", "roles": ["koordinator"], "password": "langt-passord-1"}
    data.update(fields)
    return client.post("/brukere", data=data, follow_redirects=True)


def test_admin_adds_a_person_who_can_then_sign_in(app, client):
    login(client, "anne.admin")
    answer = _add(client)
    assert "Siri Saksbehandler kan logge inn som siri.s" in text(answer)
    person = app.extensions["koordinator_staff"].find_user("siri.s")
    assert (person.kommune, person.roles) == ("lund", ("koordinator",))
    client.post("/logg-ut", data={"csrf_token": csrf_token(client.get("/"))})
    assert login(client, "siri.s", "langt-passord-1").headers["Location"] == "/"


def test_bad_answers_are_explained_and_nothing_is_added(app, client):
    login(client, "anne.admin")
    answer = _add(client, username="Siri S", roles=[], password="kort")
    assert answer.status_code == 422
    page = text(answer)
    assert "minst 10 tegn" in page
    answer = _add(client, username="Siri S")
    assert "små bokstaver" in text(answer)
    answer = _add(client, roles=[])
    assert "minst én rolle" in text(answer)
    answer = _add(client, username="ola.koordinator")
    assert "brukernavnet er opptatt" in text(answer).lower()
    assert [u.username for u in app.extensions["koordinator_staff"].users("lund")
            if u.username == "siri.s"] == []


def test_admin_changes_roles_and_stops_an_account(app, client):
    ola_browser = app.test_client()
    login(ola_browser, "ola.koordinator")
    assert ola_browser.get("/").status_code == 200
    login(client, "anne.admin")
    page = client.get("/brukere/ola.koordinator")
    answer = client.post("/brukere/ola.koordinator", follow_redirects=True, data={
        "csrf_token": csrf_token(page), "full_name": "Ola Koordinator",
        "roles": ["koordinator", "leder"]})  # "active" unticked: the account stops
    assert "er lagret" in text(answer)
    ola = app.extensions["koordinator_staff"].find_user("ola.koordinator")
    assert ola.roles == ("koordinator", "leder") and not ola.active
    # Stopped: the open session ends at once, and signing in again is refused.
    assert ola_browser.get("/").status_code == 302
    assert login(ola_browser, "ola.koordinator").status_code == 401


def test_the_last_admin_cannot_remove_their_own_admin_role(app, client):
    login(client, "anne.admin")
    page = client.get("/brukere/anne.admin")
    answer = client.post("/brukere/anne.admin", data={
        "csrf_token": csrf_token(page), "full_name": "Anne Admin", "roles": ["leder"],
        "active": "ja"})
    assert answer.status_code == 422
    assert "minst én aktiv administrator" in text(answer)
    assert app.extensions["koordinator_staff"].find_user("anne.admin").roles == ("admin",)


def test_only_admins_and_only_their_own_kommune(app, client):
    login(client, "kari.ke")
    assert client.get("/brukere").status_code == 403
    login(client, "anne.admin")
    assert client.get("/brukere/hanne.ke").status_code == 404  # Herøy's
    assert "hanne.ke" not in client.get("/brukere").get_data(as_text=True)
