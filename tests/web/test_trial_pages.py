"""The trial pages: a process owner runs a test case on a draft, forms and timer jump included,
while the kommune's real cases stay as they were."""

from __future__ import annotations

import re
from datetime import UTC

import pytest
from sqlalchemy import func, select

from engine.clock import OSLO
from engine.drafts import Drafts
from engine.models import AuditEvent, Case, HumanTask
from engine.trial import Trials
from tests.engine.casework import assessment, referral
from tests.engine.test_drafts import NEW_TASK
from tests.web.conftest import login
from tests.web.pages import csrf_token, text
from tests.web.test_pages import form_post


@pytest.fixture
def draft(engine):  # type: ignore[no-untyped-def]
    return Drafts(engine).start_from_version("lund", engine.versions("lund")[0].id,
                                             actor="pia.prosess")


def sign_in(client, username: str):  # type: ignore[no-untyped-def]
    """Sign in and read the pages in English, the message ids, whatever the catalogs say."""
    login(client, username)
    page = client.get("/")
    client.post("/sprak", data={"lang": "en", "next": "/", "csrf_token": csrf_token(page)})


def task_action(page) -> str:  # type: ignore[no-untyped-def]
    match = re.search(r'action="([^"#]*/proev/oppgave/[^"#]+)', page.get_data(as_text=True))
    assert match, "the page has no open task form"
    return match.group(1)


def real_rows(engine) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    with engine._read() as s:
        return tuple(s.scalar(select(func.count()).select_from(m))
                     for m in (Case, HumanTask, AuditEvent))


def test_a_process_owner_tries_a_draft_through_forms_and_a_timer(client, engine, draft,
                                                                  web_clock):
    sign_in(client, "pia.prosess")
    url = f"/prosess/utkast/{draft.id}/proev"
    before = real_rows(engine)
    page = client.get(url)
    assert page.status_code == 200 and "Start a test case" in text(page)

    response = client.post(url + "/start", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302 and response.headers["Location"] == url
    page = client.get(url)
    assert "A test case is started" in text(page)
    assert "Register referral" in text(page) and 'name="person_navn"' in page.get_data(True)
    assert client.get(url + "/markering").get_json()["active"] == ["Task_registrer_henvendelse"]
    diagram = client.get(url + "/diagram")
    assert diagram.mimetype == "application/xml" and b"Task_registrer_henvendelse" in diagram.data

    # The owner completes the unit's task: in a trial every role is theirs.
    response = client.post(task_action(page), data=form_post(page, referral(web_clock)))
    assert response.status_code == 302
    page = client.get(url)
    assert "is done in the test case" in text(page)
    marks = client.get(url + "/markering").get_json()
    assert marks["active"] == ["Task_vurder_rett"]
    assert "Task_registrer_henvendelse" in marks["completed"]
    assert marks["waiting"] == ["Timer_forelopig_svar"]
    due = Trials(engine).get("lund", draft.id, "pia.prosess").next_timer_due
    day = due.replace(tzinfo=UTC).astimezone(OSLO).strftime("%d.%m.%Y")  # as the page shows it
    assert f"Jump to the next timer ({day}" in text(page)

    response = client.post(url + "/tidtaker", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    page = client.get(url)
    assert f"The clock of the test case is now {day}" in text(page)
    marks = client.get(url + "/markering").get_json()
    assert "Timer_forelopig_svar" in marks["completed"]
    assert "Task_forelopig_svar" in marks["active"]
    assert "Time reached" in text(page)  # the timeline

    # Open the assessment (one task form at a time) and complete it.
    trial = Trials(engine).get("lund", draft.id, "pia.prosess")
    vurder = next(t for t in trial.tasks if t.bpmn_id == "Task_vurder_rett")
    page = client.get(f"{url}?oppgave={vurder.id}")
    assert task_action(page).endswith(vurder.id)
    response = client.post(task_action(page), data=form_post(page, assessment()))
    assert response.status_code == 302
    assert "Task_samtykke" in client.get(url + "/markering").get_json()["active"]

    assert real_rows(engine) == before
    assert engine.list_cases("lund", status="all") == []

    page = client.get(url)
    response = client.post(url + "/start", data={"csrf_token": csrf_token(page)})
    assert client.get(url + "/markering").get_json() == {
        "completed": [], "active": ["Task_registrer_henvendelse"], "waiting": []}


def test_a_rejected_form_shows_what_to_fix_and_keeps_the_answers(client, draft):
    sign_in(client, "pia.prosess")
    url = f"/prosess/utkast/{draft.id}/proev"
    page = client.get(url)
    client.post(url + "/start", data={"csrf_token": csrf_token(page)})
    page = client.get(url)
    response = client.post(task_action(page), data={"csrf_token": csrf_token(page),
                                                     "person_navn": "Kari Nordmann"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Check these answers" in text(response)
    assert 'href="#person_initialer-field"' in html
    assert re.search(r'name="person_navn"[^>]*value="Kari Nordmann"', html)
    marks = client.get(url + "/markering").get_json()
    assert marks["active"] == ["Task_registrer_henvendelse"] and marks["completed"] == []


def test_only_the_kommunes_process_owners_may_try_its_drafts(client, engine, draft):
    url = f"/prosess/utkast/{draft.id}/proev"
    sign_in(client, "ola.koordinator")
    assert client.get(url).status_code == 403
    page = client.get("/")
    assert client.post(url + "/start", data={"csrf_token": csrf_token(page)}).status_code == 403
    assert Trials(engine).get("lund", draft.id, "ola.koordinator") is None

    heroy = Drafts(engine).start_from_version("heroy", engine.versions("heroy")[0].id,
                                              actor="x")
    sign_in(client, "pia.prosess")
    other = f"/prosess/utkast/{heroy.id}/proev"
    page = client.get("/")
    assert client.get(other).status_code == 404
    assert client.post(other + "/start", data={"csrf_token": csrf_token(page)}).status_code \
        == 404
    assert client.get(other + "/markering").status_code == 404


def test_posts_need_the_csrf_token(client, engine, draft):
    sign_in(client, "pia.prosess")
    url = f"/prosess/utkast/{draft.id}/proev"
    assert client.post(url + "/start").status_code == 400
    assert Trials(engine).get("lund", draft.id, "pia.prosess") is None
    page = client.get(url)
    client.post(url + "/start", data={"csrf_token": csrf_token(page)})
    assert client.post(url + "/tidtaker").status_code == 400
    page = client.get(url)
    assert client.post(task_action(page), data={"person_navn": "X"}).status_code == 400


def test_a_draft_with_problems_must_be_fixed_first(client, engine, draft):
    [(name, bpmn)] = [(n, t) for n, t in draft.files.items() if n.endswith(".bpmn")]
    broken = bpmn.replace('<bpmn:userTask id="Task_registrer_henvendelse"',
                          NEW_TASK + '<bpmn:userTask id="Task_registrer_henvendelse"', 1)
    Drafts(engine).save("lund", draft.id, {**draft.files, name: broken}, actor="pia.prosess")
    sign_in(client, "pia.prosess")
    url = f"/prosess/utkast/{draft.id}/proev"
    page = client.get(url)
    assert page.status_code == 200
    assert "Fix them in the draft before you try it" in text(page) and "Task_ekstra" in text(page)
    assert 'id="start-trial"' not in page.get_data(as_text=True)
    response = client.post(url + "/start", data={"csrf_token": csrf_token(page)},
                           follow_redirects=True)
    assert response.status_code == 200 and "cannot be tried" in text(response)


def test_a_draft_saved_since_the_trial_started_offers_a_new_start(client, engine, draft,
                                                                  web_clock):
    sign_in(client, "pia.prosess")
    url = f"/prosess/utkast/{draft.id}/proev"
    page = client.get(url)
    client.post(url + "/start", data={"csrf_token": csrf_token(page)})
    page = client.get(url)
    action = task_action(page)
    Drafts(engine).save("lund", draft.id, draft.files, actor="pia.prosess")

    response = client.post(action, data=form_post(page, referral(web_clock)),
                           follow_redirects=True)
    assert response.status_code == 200
    assert "Start again to try the saved draft" in text(response)
    assert 'id="trial-outdated"' in response.get_data(as_text=True)
    assert client.get(url + "/markering").get_json()["completed"] == []
    client.post(url + "/start", data={"csrf_token": csrf_token(response)})
    page = client.get(url)
    assert 'id="trial-outdated"' not in page.get_data(as_text=True)
    assert task_action(page)
