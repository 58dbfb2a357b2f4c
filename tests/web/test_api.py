"""The JSON API under /api/v1: casework by token, errors as JSON, need-to-know, CSRF, validation."""

from __future__ import annotations

import io
from typing import Any

import pytest

from tests.conftest import STANDARD
from tests.engine.casework import appointment, assessment, consent, plan, referral
from tests.web.conftest import login
from tests.web.pages import csrf_token

API = "/api/v1"


class Api:
    """A caller of the API with one user's bearer token."""

    def __init__(self, client: Any, token: str | None):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(API + path, headers={**self.headers, **kw.pop("headers", {})},
                               **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> Any:
        if json is not None:
            kw["json"] = json
        return self.client.post(API + path, headers={**self.headers, **kw.pop("headers", {})},
                                **kw)

    def start(self) -> dict[str, Any]:
        r = self.post("/cases", json={})
        assert r.status_code == 201, r.get_json()
        return r.get_json()

    def complete(self, case: dict[str, Any], bpmn_id: str, data: dict[str, Any],
                 **kw: Any) -> Any:
        return self.post(f"/tasks/{task_of(case, bpmn_id)}/complete",
                         json={"data": data, "case_version": case["version"]}, **kw)

    def do(self, case: dict[str, Any], bpmn_id: str, data: dict[str, Any]) -> dict[str, Any]:
        r = self.complete(case, bpmn_id, data)
        assert r.status_code == 200, r.get_json()
        return r.get_json()


def task_of(case: dict[str, Any], bpmn_id: str) -> str:
    ids = [t["id"] for t in case["open_tasks"] if t["bpmn_id"] == bpmn_id]
    assert ids, f"no open {bpmn_id}: {[t['bpmn_id'] for t in case['open_tasks']]}"
    return ids[0]


def assert_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.get_data(True)[:500])
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["status"] == status and error["message"]
    return error


@pytest.fixture
def ke(client, tokens) -> Api:  # type: ignore[no-untyped-def]
    return Api(client, tokens["kari.ke"])


@pytest.fixture
def ola(client, tokens) -> Api:  # type: ignore[no-untyped-def]
    return Api(client, tokens["ola.koordinator"])


@pytest.fixture
def hanne(client, tokens) -> Api:  # type: ignore[no-untyped-def]
    return Api(client, tokens["hanne.ke"])


def through_appointment(ke: Api, clock: Any) -> dict[str, Any]:
    case = ke.start()
    case = ke.do(case, "Task_registrer_henvendelse", referral(clock))
    case = ke.do(case, "Task_vurder_rett", assessment())
    case = ke.do(case, "Task_samtykke", consent(clock))
    return ke.do(case, "Task_oppnevn", appointment("ola.koordinator"))


# --- casework --------------------------------------------------------------------------------


def test_a_case_from_referral_through_planning(ke, ola, client, tokens, web_clock):
    started = ke.post("/cases", json={"process_id": "koordinering"})
    assert started.status_code == 201
    case = started.get_json()
    assert started.headers["Location"].endswith(f"/api/v1/cases/{case['id']}")
    assert case["status"] == "active" and case["stage"] == "referral"
    assert case["created_at"].endswith("Z")

    first = task_of(case, "Task_registrer_henvendelse")
    form = ke.get(f"/tasks/{first}/form?lang=en").get_json()
    assert form["key"] == "henvendelse" and form["lang"] == "en"
    fields = {f["name"]: f for f in form["fields"]}
    assert fields["person_navn"]["type"] == "text" and fields["person_navn"]["required"]
    assert {c["value"] for c in fields["henvendelse_fra"]["choices"]} >= {"tjeneste"}

    case = ke.do(case, "Task_registrer_henvendelse", referral(web_clock))
    assert case["person_label"] == "KN" and case["stage"] == "entitlement"
    case = ke.do(case, "Task_vurder_rett", assessment())
    case = ke.do(case, "Task_samtykke", consent(web_clock))
    assert case["stage"] == "appointment"
    # The coordinator sees nothing of the case before the appointment (need-to-know).
    assert_error(ola.get(f"/cases/{case['id']}"), 404)
    assert case["id"] not in [c["id"] for c in ola.get("/cases").get_json()["cases"]]

    case = ke.do(case, "Task_oppnevn", appointment("ola.koordinator"))
    assert case["coordinator"] == "ola.koordinator" and case["stage"] == "planning"
    plan_task = task_of(case, "Task_utarbeid_plan")

    work = ola.get("/tasks?mine=true").get_json()
    assert [t["id"] for t in work["tasks"]] == [plan_task] and work["mine_count"] == 1
    assert work["tasks"][0]["mine"] is True
    assert ola.get(f"/cases/{case['id']}").status_code == 200
    assert case["id"] in [c["id"] for c in ola.get("/cases").get_json()["cases"]]

    claimed = ola.post(f"/tasks/{plan_task}/claim")
    assert claimed.status_code == 200 and claimed.get_json()["claimed_by"] == "ola.koordinator"
    group = {f["name"]: f for f in ola.get(f"/tasks/{plan_task}/form").get_json()["fields"]}
    assert group["tiltak"]["type"] == "group"
    assert {c["name"] for c in group["tiltak"]["fields"]} >= {"beskrivelse", "frist"}

    case = ola.do(case, "Task_utarbeid_plan", plan(web_clock))
    assert case["stage"] == "evaluation" and case["open_tasks"] == []
    assert case["next_timer_due"].endswith("Z")

    read = ke.get(f"/cases/{case['id']}").get_json()
    assert read["version"] == case["version"]
    events = ke.get(f"/cases/{case['id']}/audit").get_json()["events"]
    kinds = [e["kind"] for e in events]
    assert kinds[0] == "case_started" and "case_read" in kinds
    completed = [e for e in events if e["kind"] == "task_completed"]
    assert [e["actor"] for e in completed] == ["kari.ke"] * 4 + ["ola.koordinator"]
    assert completed[-1]["bpmn_id"] == "Task_utarbeid_plan"

    versions = ke.get("/versions").get_json()["versions"]
    assert [(v["process_id"], v["number"]) for v in versions] == [("koordinering", 1)]


def test_worklist_filters_and_claim_release(ke, client, tokens, web_clock):
    case = ke.start()
    task = task_of(case, "Task_registrer_henvendelse")
    available = ke.get("/tasks?mine=false").get_json()
    assert [t["id"] for t in available["tasks"]] == [task]
    assert available["tasks"][0]["mine"] is False
    assert ke.get("/tasks?mine=true").get_json()["tasks"] == []
    assert ke.get(f"/tasks?case_id={case['id']}&stage=referral").get_json()["tasks"]
    assert ke.get("/tasks?stage=closure").get_json()["tasks"] == []
    assert ke.get("/tasks?due=overdue").get_json()["tasks"] == []
    web_clock.advance(days=1)  # the task is due in a week
    assert ke.get("/tasks?due=week").get_json()["available_count"] == 1

    assert ke.post(f"/tasks/{task}/claim").get_json()["claimed_by"] == "kari.ke"
    assert [t["id"] for t in ke.get("/tasks?mine=true").get_json()["tasks"]] == [task]
    assert ke.post(f"/tasks/{task}/release").get_json()["claimed_by"] is None
    assert_error(ke.post(f"/tasks/{task}/release"), 403)  # not claimed by her any more

    lise = Api(client, tokens["lise.leder"])  # a leader reads the case, but...
    assert_error(lise.post(f"/tasks/{task}/claim"), 403)  # ...the task is not for her role
    ke.post(f"/tasks/{task}/claim")
    assert "already claimed" in assert_error(lise.post(f"/tasks/{task}/claim"), 409)["message"]
    assert_error(lise.post(f"/tasks/{task}/release"), 403)


def test_invalid_form_data_is_422_with_field_messages(ke, web_clock):
    case = ke.start()
    bad = referral(web_clock, fodselsdato="31.02.1990")
    del bad["person_navn"]
    error = assert_error(ke.complete(case, "Task_registrer_henvendelse", bad), 422)
    assert error["fields"]["fodselsdato"] == "Skriv en gyldig dato (dd.mm.åååå)."  # Lund: nb
    assert error["fields"]["person_navn"] == "Feltet må fylles ut."
    english = ke.post(f"/tasks/{task_of(case, 'Task_registrer_henvendelse')}/complete?lang=en",
                      json={"data": bad})
    assert assert_error(english, 422)["fields"]["person_navn"] == "This field is required."
    nynorsk = ke.complete(case, "Task_registrer_henvendelse", bad,
                          headers={"Accept-Language": "nn"})
    assert assert_error(nynorsk, 422)["fields"]["person_navn"] == "Feltet må fyllast ut."
    unknown = ke.complete(case, "Task_registrer_henvendelse", {**referral(web_clock), "x": 1})
    assert assert_error(unknown, 422)["fields"] == {"x": "Ukjent felt."}
    # Nothing was stored.
    assert ke.get(f"/cases/{case['id']}").get_json()["version"] == case["version"]


def test_stale_version_and_completing_twice_are_409(ke, web_clock):
    case = ke.start()
    stale = dict(case)
    case = ke.do(case, "Task_registrer_henvendelse", referral(web_clock))
    again = ke.complete(stale, "Task_registrer_henvendelse", referral(web_clock))
    assert "already completed" in assert_error(again, 409)["message"]
    stale = {**case, "version": case["version"] - 1}
    conflict = ke.complete(stale, "Task_vurder_rett", assessment())
    assert "changed by someone else" in assert_error(conflict, 409)["message"]
    assert ke.get(f"/cases/{case['id']}").get_json()["stage"] == "entitlement"


def test_who_may_do_what(ke, ola, client, tokens, web_clock):
    assert_error(ola.post("/cases", json={}), 403)  # only the coordinating unit starts cases
    case = ke.start()
    task = task_of(case, "Task_registrer_henvendelse")
    lise = Api(client, tokens["lise.leder"])  # a leader reads every case of the kommune...
    assert lise.get(f"/cases/{case['id']}").status_code == 200
    assert lise.get(f"/tasks/{task}").get_json()["may_work"] is False
    # ...but the coordinating unit's task is not hers to do.
    assert_error(lise.post(f"/tasks/{task}/complete", json={"data": referral(web_clock)}), 403)
    # A coordinator with no part in the case does not see it at all.
    for response in (ola.get(f"/cases/{case['id']}"), ola.get(f"/tasks/{task}"),
                     ola.post(f"/tasks/{task}/claim"),
                     ola.post(f"/tasks/{task}/complete", json={"data": {}})):
        assert_error(response, 404)
    assert_error(ke.post("/cases", json={"process_id": "nope"}), 422)


def test_another_kommune_sees_nothing(ke, hanne, web_clock):
    case = through_appointment(ke, web_clock)
    task = task_of(case, "Task_utarbeid_plan")
    own = hanne.start()
    missing = assert_error(hanne.get("/cases/999999"), 404)
    for response in (hanne.get(f"/cases/{case['id']}"), hanne.get(f"/cases/{case['id']}/audit"),
                     hanne.get(f"/tasks/{task}"), hanne.get(f"/tasks/{task}/form"),
                     hanne.post(f"/tasks/{task}/claim"), hanne.post(f"/tasks/{task}/release"),
                     hanne.post(f"/tasks/{task}/complete", json={"data": plan(web_clock)})):
        error = assert_error(response, 404)
        assert set(error) == set(missing)
    assert assert_error(hanne.get(f"/cases/{case['id']}"), 404)["message"] == \
        f"case {case['id']} does not exist"
    listed = hanne.get("/cases?limit=500").get_json()["cases"]
    assert [c["id"] for c in listed] == [own["id"]]
    assert all(c["kommune"] == "heroy" for c in listed)
    assert hanne.get("/tasks").get_json()["tasks"][0]["case_id"] == own["id"]
    # Herøy shows initials only: lists leave the name out.
    hanne.do(own, "Task_registrer_henvendelse", referral(web_clock))
    listed = hanne.get("/cases").get_json()["cases"]
    assert listed[0]["person_label"] == "KN" and listed[0]["person_name"] is None
    # Lund's audit trail has no read by Herøy.
    actors = {e["actor"] for e in ke.get(f"/cases/{case['id']}/audit").get_json()["events"]}
    assert "hanne.ke" not in actors


def test_listing_cases_pages_and_filters(ke, web_clock):
    ids = [ke.start()["id"] for _ in range(3)]
    listed = ke.get("/cases?limit=2").get_json()
    assert [c["id"] for c in listed["cases"]] == ids[::-1][:2] and listed["limit"] == 2
    assert [c["id"] for c in ke.get("/cases?limit=2&offset=2").get_json()["cases"]] == ids[:1]
    assert len(ke.get("/cases?status=active&stage=referral").get_json()["cases"]) == 3
    assert ke.get("/cases?status=closed").get_json()["cases"] == []
    assert ke.get("/cases?coordinator=ola.koordinator").get_json()["cases"] == []


# --- authentication and CSRF -----------------------------------------------------------------


def test_credentials_are_required(client, tokens):
    for path in ("/cases", "/tasks", "/versions"):
        assert_error(client.get(API + path), 401)
    assert_error(client.post(API + "/cases", json={}), 401)
    response = client.get(API + "/cases", headers={"Authorization": "Bearer kt_wrong"})
    assert assert_error(response, 401) and "Bearer" in response.headers["WWW-Authenticate"]
    assert_error(client.get(API + "/cases", headers={"Authorization": "Basic a2FyaTpwdw=="}), 401)
    assert_error(client.get(API + "/cases", headers={"Authorization": "Bearer"}), 401)
    assert_error(client.get(API + "/cases", headers={"Authorization": "Bearer " + "x" * 5000}),
                 401)
    assert client.get(API + "/openapi.json").status_code == 200


def test_session_requests_need_the_csrf_token(client):
    assert login(client, "kari.ke").status_code == 302
    assert client.get(API + "/cases").status_code == 200  # reading needs no token
    refused = client.post(API + "/cases", json={})
    assert "CSRF" in assert_error(refused, 400)["message"]
    token = csrf_token(client.get("/"))
    started = client.post(API + "/cases", json={}, headers={"X-CSRFToken": token})
    assert started.status_code == 201, started.get_json()
    task = task_of(started.get_json(), "Task_registrer_henvendelse")
    assert_error(client.post(f"{API}/tasks/{task}/claim"), 400)
    assert client.post(f"{API}/tasks/{task}/claim", headers={"X-CSRFToken": token}).status_code \
        == 200


# --- bad input -------------------------------------------------------------------------------


def test_bad_input_is_a_json_4xx(ke, client, web_clock):
    case = ke.start()
    task = task_of(case, "Task_registrer_henvendelse")
    complete = f"/tasks/{task}/complete"
    json_type = {"Content-Type": "application/json"}
    assert "not valid JSON" in assert_error(
        ke.post(complete, data="{not json", headers=json_type), 400)["message"]
    assert_error(ke.post(complete, data="[" * 100000, headers=json_type), 400)
    assert_error(ke.post(complete, data='{"data": NaN}', headers=json_type), 400)
    assert_error(ke.post(complete, data="[1, 2]", headers=json_type), 400)
    assert_error(ke.post(complete, data="data=1", headers={
        "Content-Type": "application/x-www-form-urlencoded"}), 415)
    assert_error(ke.post(complete), 400)
    assert_error(ke.post(complete, json={"data": "text"}), 400)
    assert_error(ke.post(complete, json={"data": {}, "extra": 1}), 400)
    for version in ("1", True, 0, -1, 1.5, 2**70):
        assert_error(ke.post(complete, json={"data": {}, "case_version": version}), 400)
    assert_error(ke.post(complete + "?lang=de", json={"data": {}}), 400)
    assert_error(ke.post("/cases", json={"process_id": 12}), 400)
    assert_error(ke.post("/cases", json={"other": 1}), 400)
    assert_error(ke.post("/cases", data="x", headers={"Content-Type": "text/plain"}), 415)

    for query in ("limit=501", "limit=0", "limit=abc", "offset=-1", "offset=1e3",
                  "offset=99999999999999999999999", "status=open", "stage=nowhere",
                  "coordinator=" + "x" * 101):
        assert_error(ke.get(f"/cases?{query}"), 400)
    for query in ("mine=maybe", "due=tomorrow", "case_id=x", "case_id=0", "stage=x",
                  "limit=100000"):
        assert_error(ke.get(f"/tasks?{query}"), 400)

    for path in ("/cases/abc", "/cases/0", "/cases/-1", "/cases/99999999999999999999999",
                 "/cases/9223372036854775807", "/cases/1.5/audit", "/tasks/not-a-task",
                 "/tasks/" + "a" * 300, "/tasks/00000000-0000-0000-0000-000000000000",
                 "/tasks/00000000-0000-0000-0000-000000000000/form", "/nothing/here"):
        assert_error(ke.get(path), 404)
    assert_error(ke.post("/tasks/00000000-0000-0000-0000-000000000000/claim"), 404)
    assert_error(client.get(API + "/nothing"), 404)  # unknown routes: 404 even unauthenticated
    assert_error(client.put(API + "/cases", headers=ke.headers), 405)
    assert_error(client.delete(f"{API}/cases/{case['id']}", headers=ke.headers), 405)
    assert_error(client.options(API + "/cases", headers=ke.headers), 405)
    # The task id is case-insensitive, as UUIDs are.
    assert ke.get(f"/tasks/{task.upper()}").status_code == 200


# --- validation ------------------------------------------------------------------------------


def test_validate_a_single_bpmn_file(ke):
    bpmn = (STANDARD / "koordinering.bpmn").read_bytes()
    response = ke.post("/validate?filename=koordinering.bpmn", data=bpmn,
                       headers={"Content-Type": "application/xml"})
    result = response.get_json()
    assert response.status_code == 200 and result["valid"] is False
    # Alone, the diagram lacks its decision tables: each is a problem at its element.
    missing = {p["element_id"] for p in result["problems"] if "missing" in p["message"]}
    assert missing == {"Task_dmn_rett", "Task_dmn_samtykke", "Task_dmn_kapasitet"}
    assert all(p["file"] == "koordinering.bpmn" for p in result["problems"])


def test_validate_the_whole_bundle_as_multipart(ke):
    files = [(io.BytesIO(p.read_bytes()), p.name) for p in sorted(STANDARD.iterdir())
             if p.suffix in (".bpmn", ".dmn")]
    response = ke.post("/validate", data={"file": files}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert response.get_json() == {"valid": True, "problems": []}
    dmn = (STANDARD / "hvem_samtykker.dmn").read_bytes()
    alone = ke.post("/validate", data=dmn, headers={"Content-Type": "text/xml"})
    assert alone.get_json()["valid"] is True  # a decision table alone can be checked


def test_validate_broken_and_hostile_xml(ke):
    xml = {"Content-Type": "application/xml"}
    broken = ke.post("/validate", data=b"<definitions><process></definitions>", headers=xml)
    result = broken.get_json()
    assert broken.status_code == 200 and result["valid"] is False
    assert "broken" in result["problems"][0]["message"]

    bomb = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n<definitions>&lol2;</definitions>')
    refused = ke.post("/validate", data=bomb, headers=xml).get_json()
    assert refused["valid"] is False and "DOCTYPE" in refused["problems"][0]["message"]

    not_xml = ke.post("/validate", data=b"just text", headers=xml).get_json()
    assert not_xml["valid"] is False
    assert ke.post("/validate", data=b"\xff\xfe\x00<", headers=xml).get_json()["valid"] is False

    assert_error(ke.post("/validate", data=b"", headers=xml), 400)
    assert_error(ke.post("/validate", data=b"<a/>", headers={"Content-Type": "text/plain"}), 415)
    assert_error(ke.post("/validate", data={"other": (io.BytesIO(b"<a/>"), "a.bpmn")},
                         content_type="multipart/form-data"), 400)
    huge = b"<a>" + b" " * (5 * 1024 * 1024) + b"</a>"
    assert_error(ke.post("/validate", data=huge, headers=xml), 413)
    evil_name = ke.post("/validate?filename=../../etc/passwd", data=b"<a/>", headers=xml)
    assert evil_name.get_json()["problems"][0]["file"] == "passwd.bpmn"
