"""The staff pages through Flask's test client: sign-in, worklist, task forms, case page, fences."""

from __future__ import annotations

from tests.engine.casework import appointment, assessment, consent, referral
from tests.web.conftest import login
from tests.web.pages import csrf_token, text


def start_case(client):  # type: ignore[no-untyped-def]
    """Start a case as the signed-in coordinating unit; returns the referral task page."""
    page = client.get("/saker")
    response = client.post("/saker/ny", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    return client.get(response.headers["Location"])


def form_post(page, data: dict, **extra):  # type: ignore[no-untyped-def]
    """Flatten engine-style answers into the page's field names, CSRF token included."""
    flat = {"csrf_token": csrf_token(page), **extra}
    for key, value in data.items():
        if isinstance(value, list):
            for i, row in enumerate(value):
                for col, cell in row.items():
                    flat[f"{key}-{i}-{col}"] = cell
        elif isinstance(value, bool):
            flat[key] = "ja" if value else "nei"
        else:
            flat[key] = "" if value is None else str(value)
    return flat


def test_sign_in_wrong_password_then_right(client):
    response = login(client, "kari.ke", "feil")
    assert response.status_code == 401
    assert "Wrong user name or password" in text(response) or "Feil brukernavn" in text(response)
    response = login(client, "kari.ke")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_pages_need_sign_in(client):
    response = client.get("/saker/1")
    assert response.status_code == 302 and "/logg-inn" in response.headers["Location"]


def test_post_without_csrf_token_is_refused(client, engine):
    login(client, "kari.ke")
    response = client.post("/saker/ny", data={})
    assert response.status_code == 400
    assert engine.count_cases("lund") == 0
    response = client.post("/logg-ut", data={})
    assert response.status_code == 400


def test_referral_with_an_error_keeps_every_value_then_completes(client, engine, web_clock):
    login(client, "kari.ke")
    page = start_case(client)
    assert page.status_code == 200
    answers = referral(web_clock)
    answers["fodselsdato"] = "31.02.1990"  # not a date
    response = client.post(page.request.path, data=form_post(page, answers))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'value="Kari Nordmann"' in html and 'value="KN"' in html
    assert "Trenger hjemmesykepleie" in html
    assert 'aria-invalid="true"' in html and 'id="fodselsdato-error"' in html
    answers["fodselsdato"] = referral(web_clock)["fodselsdato"]
    response = client.post(page.request.path, data=form_post(response, answers))
    assert response.status_code == 302 and response.headers["Location"] == "/"
    worklist = client.get("/")
    assert "Registrer henvendelse" in text(worklist)  # the confirmation names the task
    case = engine.list_cases("lund")[0]
    assert [t.bpmn_id for t in case.open_tasks] == ["Task_vurder_rett"]
    assert case.person_name == "Kari Nordmann"


def test_a_task_someone_just_completed_gives_a_message(client, app, engine, web_clock):
    login(client, "kari.ke")
    page = start_case(client)
    other = app.test_client()
    login(other, "kari.ke")
    other_page = other.get(page.request.path)  # both have the form open
    first = client.post(page.request.path, data=form_post(page, referral(web_clock)))
    assert first.status_code == 302
    late = other.post(page.request.path, data=form_post(other_page, referral(web_clock)))
    assert late.status_code == 409
    assert "kari.ke" in text(late)
    assert other.get(page.request.path).status_code == 200


def test_repeating_rows_can_be_added_without_javascript(client, engine, web_clock):
    login(client, "kari.ke")
    page = start_case(client)
    client.post(page.request.path, data=form_post(page, referral(web_clock)))
    task = engine.list_cases("lund")[0].task("Task_vurder_rett")
    page = client.get(f"/oppgaver/{task.id}")
    client.post(page.request.path, data=form_post(page, assessment()))
    task = engine.list_cases("lund")[0].task("Task_samtykke")
    page = client.get(f"/oppgaver/{task.id}")
    data = consent(web_clock)
    response = client.post(page.request.path,
                           data=form_post(page, data, _add_row="samtykke_gitt_av"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'name="samtykke_gitt_av-1-navn"' in html and 'value="Kari Nordmann"' in html


def _case_for_lund(engine, web_clock):  # type: ignore[no-untyped-def]
    case = engine.start_case("lund", actor="kari.ke")
    case = engine.complete_task(case.task("Task_registrer_henvendelse").id,
                                referral(web_clock), actor="kari.ke")
    return case


def test_another_kommunes_case_and_task_are_404(client, engine, web_clock):
    case = _case_for_lund(engine, web_clock)
    task = case.open_tasks[0]
    login(client, "hanne.ke")
    for path in (f"/saker/{case.id}", f"/saker/{case.id}/diagram",
                 f"/saker/{case.id}/diagram/markering", f"/oppgaver/{task.id}"):
        assert client.get(path).status_code == 404, path
    page = client.get("/")
    for action in ("ta", "slipp"):
        response = client.post(f"/oppgaver/{task.id}/{action}",
                               data={"csrf_token": csrf_token(page)})
        assert response.status_code == 404
    response = client.post(f"/oppgaver/{task.id}", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 404
    assert f"Sak {case.id}" not in text(client.get("/saker"))
    assert engine.get_task(task.id).state == "ready"


def test_a_coordinator_sees_only_cases_they_work(client, engine, web_clock):
    case = _case_for_lund(engine, web_clock)
    login(client, "ola.koordinator")
    assert client.get(f"/saker/{case.id}").status_code == 404
    case = engine.complete_task(case.task("Task_vurder_rett").id, assessment(), actor="kari.ke")
    case = engine.complete_task(case.task("Task_samtykke").id, consent(web_clock), actor="kari.ke")
    engine.complete_task(case.task("Task_oppnevn").id, appointment("ola.koordinator"),
                         actor="kari.ke")
    page = client.get(f"/saker/{case.id}")
    assert page.status_code == 200
    assert "ola.koordinator" in text(page)
    reads = [e for e in engine.audit_trail(case.id) if e.kind == "case_read"]
    assert reads and reads[-1].actor == "ola.koordinator"


def test_worklist_claim_release_and_overdue(client, engine, web_clock):
    case = engine.start_case("lund", actor="kari.ke")
    task = case.open_tasks[0]
    login(client, "kari.ke")
    page = client.get("/")
    assert "Registrer henvendelse" in text(page)
    assert "overdue" not in page.get_data(as_text=True).split("<tbody>")[-1]
    response = client.post(f"/oppgaver/{task.id}/ta", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert engine.get_task(task.id).claimed_by == "kari.ke"
    web_clock.advance(days=8)
    page = client.get("/")
    assert 'class="overdue"' in page.get_data(as_text=True)
    assert client.get("/?due=overdue").status_code == 200
    assert client.get("/?stage=nope").status_code == 400
    response = client.post(f"/oppgaver/{task.id}/slipp", data={"csrf_token": csrf_token(page)})
    assert engine.get_task(task.id).claimed_by is None
    login(client, "ola.koordinator")
    page = client.get(f"/oppgaver/{task.id}")
    assert page.status_code == 403


def test_case_page_shows_plan_timeline_and_diagram_marks(client, engine, web_clock):
    case = _case_for_lund(engine, web_clock)
    login(client, "kari.ke")
    page = client.get(f"/saker/{case.id}")
    assert page.status_code == 200
    body = text(page)
    assert "Kari Nordmann" in body and "Registrer henvendelse" in body
    assert 'class="bpmn-diagram"' in page.get_data(as_text=True)
    marks = client.get(f"/saker/{case.id}/diagram/markering").get_json()
    assert "Task_registrer_henvendelse" in marks["completed"]
    assert marks["active"] == ["Task_vurder_rett"]
    assert marks["waiting"] == ["Timer_forelopig_svar"]
    xml = client.get(f"/saker/{case.id}/diagram")
    assert xml.mimetype == "application/xml" and b"Task_vurder_rett" in xml.data


def test_initials_only_kommune_lists_initials(client, engine, web_clock):
    case = engine.start_case("heroy", actor="hanne.ke")
    engine.complete_task(case.open_tasks[0].id, referral(web_clock), actor="hanne.ke")
    login(client, "hanne.ke")
    listing = text(client.get("/saker"))
    assert "KN" in listing and "Kari Nordmann" not in listing


def test_the_coordinating_unit_starts_a_change_of_coordinator(client, engine, web_clock):
    case = _case_for_lund(engine, web_clock)
    login(client, "kari.ke")
    page = client.get(f"/saker/{case.id}")
    assert "skifte-koordinator" not in page.get_data(as_text=True)  # no coordinator yet
    case = engine.complete_task(case.task("Task_vurder_rett").id, assessment(), actor="kari.ke")
    case = engine.complete_task(case.task("Task_samtykke").id, consent(web_clock), actor="kari.ke")
    case = engine.complete_task(case.task("Task_oppnevn").id, appointment("ola.koordinator"),
                                actor="kari.ke")
    page = client.get(f"/saker/{case.id}")
    response = client.post(f"/saker/{case.id}/skifte-koordinator",
                           data={"csrf_token": csrf_token(page), "_case_version": case.version})
    assert response.status_code == 302
    assert "Task_ny_koordinator" in [t.bpmn_id for t in engine.get_case(case.id).open_tasks]
    login(client, "ola.koordinator")
    page = client.get(f"/saker/{case.id}")
    response = client.post(f"/saker/{case.id}/skifte-koordinator",
                           data={"csrf_token": csrf_token(page)})
    assert response.status_code == 403


def test_pages_are_not_cached_and_refuse_framing(client):
    login(client, "kari.ke")
    response = client.get("/")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_a_coordinator_reports_absence_from_the_worklist(client, engine, web_clock):
    case = _case_for_lund(engine, web_clock)
    case = engine.complete_task(case.task("Task_vurder_rett").id, assessment(), actor="kari.ke")
    case = engine.complete_task(case.task("Task_samtykke").id, consent(web_clock), actor="kari.ke")
    case = engine.complete_task(case.task("Task_oppnevn").id, appointment("ola.koordinator"),
                                actor="kari.ke")
    login(client, "ola.koordinator")
    page = client.get("/")
    response = client.post("/fravaer", data={"csrf_token": csrf_token(page), "absent": "ja"})
    assert response.status_code == 302
    assert engine.get_case(case.id).open_tasks[0].assignee == "lise.leder"
    login(client, "kari.ke")
    assert "lise.leder" in text(client.get(f"/saker/{case.id}"))


def test_the_coordinating_unit_sees_each_coordinators_load(client, engine, web_clock):
    for _ in range(2):
        case = _case_for_lund(engine, web_clock)
        case = engine.complete_task(case.task("Task_vurder_rett").id, assessment(), actor="k")
        case = engine.complete_task(case.task("Task_samtykke").id, consent(web_clock), actor="k")
        engine.complete_task(case.task("Task_oppnevn").id, appointment("ola.koordinator"),
                             actor="k")
    login(client, "kari.ke")
    page = text(client.get("/koordinatorer"))
    assert "Ola Koordinator ola.koordinator 2" in page
    assert "Per Koordinator per.koordinator 0" in page
    login(client, "ola.koordinator")
    assert client.get("/koordinatorer").status_code == 403


def test_the_kommunes_evaluation_interval_suggests_the_date(client, app, engine, web_clock):
    from dataclasses import replace

    staff = app.extensions["koordinator_staff"]
    staff.save_kommune(replace(staff.kommune("lund"), evaluation_interval="P6M"))
    case = _case_for_lund(engine, web_clock)
    case = engine.complete_task(case.task("Task_vurder_rett").id, assessment(), actor="k")
    case = engine.complete_task(case.task("Task_samtykke").id, consent(web_clock), actor="k")
    case = engine.complete_task(case.task("Task_oppnevn").id, appointment("ola.koordinator"),
                                actor="k")
    login(client, "ola.koordinator")
    page = client.get(f"/oppgaver/{case.task('Task_utarbeid_plan').id}")
    today = web_clock.today_oslo()
    month, year = (today.month + 6 - 1) % 12 + 1, today.year + (today.month + 6 - 1) // 12
    assert f'value="{year}-{month:02d}-' in page.get_data(as_text=True)


def test_heroy_forms_are_in_nynorsk(client, engine):
    case = engine.start_case("heroy", actor="hanne.ke")
    login(client, "hanne.ke")
    page = text(client.get(f"/oppgaver/{case.open_tasks[0].id}"))
    assert "Namn på personen" in page and "Fullfør" in page
    assert "Navn på personen" not in page


def test_an_admin_changes_the_kommunes_settings(client, app):
    login(client, "kari.ke")
    assert client.get("/kommune").status_code == 403
    login(client, "anne.admin")
    page = client.get("/kommune")
    assert page.status_code == 200
    form = {"csrf_token": csrf_token(page), "name": "Lund", "number": "12", "language": "nn",
            "evaluation_interval": "om et halvår", "coordinator_term": "stafettholder"}
    response = client.post("/kommune", data=form)
    assert response.status_code == 422
    assert "fire sifre" in text(response)
    assert 'value="stafettholder"' in response.get_data(as_text=True)
    assert app.extensions["koordinator_staff"].kommune("lund").number == "1112"
    form.update(number="1112", evaluation_interval="P6M")
    response = client.post("/kommune", data=form)
    assert response.status_code == 302
    saved = app.extensions["koordinator_staff"].kommune("lund")
    assert (saved.language, saved.coordinator_term, saved.evaluation_interval) == \
        ("nn", "stafettholder", "P6M")
    assert "Mine oppgåver" in text(client.get("/"))


def test_a_process_owner_sees_versions_and_what_changed(client, engine, tmp_path):
    import shutil

    from tests.conftest import STANDARD

    bundle = tmp_path / "v2"
    shutil.copytree(STANDARD, bundle)
    bpmn = bundle / "koordinering.bpmn"
    bpmn.write_text(bpmn.read_text(encoding="utf-8").replace(
        'name="Registrer henvendelse"', 'name="Registrer ny henvendelse"'), encoding="utf-8")
    v2 = engine.deploy(bundle, kommune="lund", actor="pia.prosess", note="Tydeligere navn")
    v1 = engine.versions("lund")[0]
    login(client, "kari.ke")
    assert client.get("/prosess").status_code == 403
    login(client, "pia.prosess")
    page = text(client.get(f"/prosess?fra={v1.id}&til={v2.id}"))
    assert "Tydeligere navn" in page and "Task_registrer_henvendelse" in page
    assert "«Registrer henvendelse» → «Registrer ny henvendelse»" in page
    heroy = engine.versions("heroy")[0]
    assert client.get(f"/prosess?fra={v1.id}&til={heroy.id}").status_code == 404
    assert client.get("/prosess?fra=x&til=1").status_code == 400


def test_draft_saving_answers_bad_input_clearly(client, engine):
    login(client, "pia.prosess")
    page = client.get("/prosess")
    response = client.post("/prosess/utkast", data={"csrf_token": csrf_token(page),
                                                     "version_id": engine.versions("lund")[0].id})
    draft_url = response.headers["Location"]
    page = client.get(draft_url)
    token = csrf_token(page)
    save = draft_url + "/lagre"
    assert client.post(save, json={"files": {}}).status_code == 400  # no CSRF header
    headers = {"X-CSRFToken": token}
    assert client.post(save, data="nonsense", headers=headers).status_code == 400
    bad = client.post(save, json={"files": {"x.txt": "hei"}}, headers=headers)
    assert bad.status_code == 422 and bad.get_json()["problems"][0]["file"] == "x.txt"
    ok = client.post(save, json={"files": {}, "version": 1}, headers=headers)
    assert ok.status_code == 200 and ok.get_json()["version"] == 2
    stale = client.post(save, json={"files": {}, "version": 1}, headers=headers)
    assert stale.status_code == 409
    login(client, "hanne.ke")  # another kommune, and no process owner
    assert client.get(draft_url).status_code == 403


def test_redirects_stay_on_this_site(client, engine):
    from tests.web.conftest import PASSWORD

    page = client.get("/logg-inn")
    response = client.post("/logg-inn?next=//evil.example/x", data={
        "username": "kari.ke", "password": PASSWORD, "csrf_token": csrf_token(page)})
    assert response.headers["Location"] == "/"
    task = engine.start_case("lund", actor="kari.ke").open_tasks[0]
    page = client.get("/")
    response = client.post(f"/oppgaver/{task.id}/ta", data={
        "csrf_token": csrf_token(page), "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    response = client.post(f"/oppgaver/{task.id}/slipp", data={
        "csrf_token": csrf_token(page), "next": "/saker"})
    assert response.headers["Location"] == "/saker"
