"""`koordinator bench-api`: the JSON API and the worklist page over real HTTP.

Serves the app with waitress on 127.0.0.1 (a free port) and drives it with one client, one
keep-alive connection and one request at a time, timing each request from send to the last byte
of the response:

1. `cases` fresh cases, each started (`POST /api/v1/cases`) and taken through every task to
   closure (`POST /api/v1/tasks/{id}/complete`, the next task id read from the response); the
   evaluation timer is made due by moving the engine's `FixedClock` and fired in-process between
   requests (not timed).
2. One case through `loops` evaluation loops (`Task_evaluer` with `videre = "fortsett"`).
3. `seed_cases` more cases copied by bulk SQL from a few real cases in different stages (with
   their tasks, timers and audit trail, new ids, spread over four kommuner and many
   coordinators), then `requests` requests each of the worklist page `GET /` (signed in through
   the sign-in form), `GET /api/v1/tasks`, `GET /api/v1/cases?limit=50` and
   `GET /api/v1/cases/{id}`.

Figures only: targets are in the README, never asserted in timed tests.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import statistics
import tempfile
import threading
import time
import uuid
from datetime import date, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

STANDARD = Path(__file__).resolve().parent.parent / "processes" / "standard"

KOMMUNE = "bench"
#: the seeded cases are spread evenly over these kommuner (the first is the one measured)
KOMMUNER = (KOMMUNE, "nordvik", "sorvik", "vestvik")
PASSWORD = "bench-passord"
USERS = {  # user name -> roles; the coordinating unit, a coordinator and a leader
    "bench.ke": ["koordinerende_enhet"],
    "bench.koord": ["koordinator"],
    "bench.leder": ["leder"],
}
ROLE_USER = {"koordinerende_enhet": "bench.ke", "koordinator": "bench.koord",
             "leder": "bench.leder"}
#: the coordinator named in the template cases, replaced by a seeded coordinator in each copy
TEMPLATE_COORDINATOR = "mal.koordinator"
#: seeded cases per coordinator (about seven of them active): realistic caseloads
CASES_PER_COORDINATOR = 10
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SEED_BATCH = 2000


# --- form answers (the shape of tests/engine/casework.py) ----------------------------------

def _answers(bpmn_id: str, today: date, coordinator: str = "bench.koord",
             go_on: bool = False) -> dict[str, Any]:
    """Valid answers for each user task of the standard process, dated from `today`."""
    def day(n: int) -> str:
        return (today + timedelta(days=n)).isoformat()

    if bpmn_id == "Task_registrer_henvendelse":
        return {"person_navn": "Kari Nordmann", "person_initialer": "KN",
                "fodselsdato": today.replace(year=today.year - 34, day=min(today.day, 28))
                .isoformat(),
                "henvendelse_fra": "tjeneste", "henvendelse_dato": day(0),
                "beskrivelse": "Trenger hjemmesykepleie, fysioterapi og oppfølging fra NAV.",
                "samtykkekompetent": True, "foreldreansvar": "ikke_aktuelt"}
    if bpmn_id == "Task_vurder_rett":
        return {"antall_tjenester": 3, "langvarig_behov": True, "andre_sektorer": False,
                "tjenester": "Hjemmesykepleie, fysioterapi",
                "vurdering_notat": "Behovet er langvarig og krever koordinering."}
    if bpmn_id == "Task_samtykke":
        return {"samtykke_gitt_av": [{"navn": "Kari Nordmann", "rolle": "personen"}],
                "samtykke_koordinator": True, "onsker_ip": True,
                "deler_med": [{"navn": "Fastlege Berg", "instans": "Fastlegekontoret"}],
                "samtykkedato": day(0)}
    if bpmn_id == "Task_oppnevn":
        return {"koordinator": coordinator, "sekundar_koordinator": "bench.leder",
                "personens_onsker": "Ønsker en koordinator hun kjenner fra før.",
                "barnekoordinator": False}
    if bpmn_id == "Task_godkjenn_kapasitet":
        return {"godkjent": True, "kommentar": "Godkjent i benchmarken."}
    if bpmn_id in ("Task_utarbeid_plan", "Task_planlegg_oppfolging"):
        return {"verktoy": "individuell_plan",
                "mal": [{"beskrivelse": "Bo trygt hjemme", "livsomrade": "bolig"}],
                "tiltak": [{"beskrivelse": "Hjemmesykepleie to ganger i uka",
                            "ansvarlig": "Hjemmetjenesten", "frist": day(30)}],
                "deltakere": [{"navn": "Kari Nordmann", "rolle": "planeier", "instans": ""}],
                "moter": [{"dato": day(7), "sakliste": "Oppstart", "referat": ""}],
                "neste_evaluering": day(1)}
    if bpmn_id == "Task_evaluer":
        data: dict[str, Any] = {
            "mal_nadd": "delvis", "tjenester_fungerer": "ja", "arbeidsform_god": "ja",
            "planeiers_erfaring": "Fornøyd med oppfølgingen.", "endringer": "",
            "deltakere_endret": False, "videre": "fortsett" if go_on else "avslutt"}
        if go_on:
            data["neste_evaluering"] = day(1)
        return data
    if bpmn_id == "Task_meld_avslutning":
        return {"arsak_avslutning": "mal_nadd", "oppsummering": "Målene er nådd."}
    if bpmn_id == "Task_avslutt":
        return {"avsluttet_dato": day(0), "arkivert": True}
    raise RuntimeError(f"the benchmark has no answers for {bpmn_id}")


# --- figures --------------------------------------------------------------------------------

def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _ms(value: float) -> float:
    return round(value * 1000, 2)


def _median_ms(values: list[float]) -> float:
    return _ms(statistics.median(values))


def _parse_time(text: str) -> datetime:
    """`2026-01-31T12:00:00Z` (the API's form) -> naive UTC, as the engine's clock keeps it."""
    return datetime.fromisoformat(text.rstrip("Z"))


# --- the server and the client --------------------------------------------------------------

class _Server:
    """The app under waitress on 127.0.0.1, a free port, in a background thread."""

    def __init__(self, app: Any):
        from waitress import create_server

        self.server = create_server(app, host="127.0.0.1", port=0, threads=4,
                                    ident="koordinator-bench")
        self.port = self.server.effective_port
        self._stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, name="bench-api-waitress",
                                       daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        # waitress's own run() loops until its sockets are closed under it; this loop stops
        # when told, so stop() can close them once nothing uses them any more
        while not self._stopping.is_set():
            self.server.asyncore.loop(timeout=0.05, map=self.server._map, count=1,
                                      use_poll=self.server.adj.asyncore_use_poll)

    def stop(self) -> None:
        self._stopping.set()
        self.thread.join(timeout=5)
        self.server.task_dispatcher.shutdown()
        for channel in list(self.server._map.values()):
            if channel is not self.server and channel is not self.server.trigger:
                channel.close()
        self.server.close()


class _Wire:
    """The one keep-alive connection every request of the benchmark goes over."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.connections = 0  # sockets opened: 1 when keep-alive held throughout
        self._sock: Any = None

    def send(self, method: str, path: str, payload: bytes | None,
             headers: dict[str, str]) -> tuple[float, bytes, http.client.HTTPResponse]:
        t0 = time.perf_counter()
        self.conn.request(method, path, body=payload, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - t0
        if self.conn.sock is not None and self.conn.sock is not self._sock:
            self._sock = self.conn.sock
            self.connections += 1
        return elapsed, data, response

    def close(self) -> None:
        self.conn.close()


class _Client:
    """One user on the shared connection: a bearer token or session cookies."""

    def __init__(self, wire: _Wire, token: str | None = None):
        self.wire = wire
        self.token = token
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: Any = None, form: dict[str, str] | None = None,
                expect: int = 200) -> tuple[float, bytes]:
        headers = {"Accept": "application/json" if path.startswith("/api/") else "text/html"}
        payload: bytes | None = None
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        elif form is not None:
            payload = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        elapsed, data, response = self.wire.send(method, path, payload, headers)
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.status != expect:
            raise RuntimeError(f"{method} {path} answered {response.status}, expected {expect}: "
                               f"{data[:500]!r}")
        return elapsed, data

    def json(self, method: str, path: str, body: Any = None,
             expect: int = 200) -> tuple[float, dict[str, Any]]:
        elapsed, data = self.request(method, path, body=body, expect=expect)
        return elapsed, json.loads(data)


# --- driving cases through the API ----------------------------------------------------------

class _Driver:
    def __init__(self, engine: Any, clock: Any, clients: dict[str, _Client]):
        self.engine = engine
        self.clock = clock
        self.clients = clients  # role -> client with that role's token

    def start(self) -> tuple[float, dict[str, Any]]:
        return self.clients["koordinerende_enhet"].json("POST", "/api/v1/cases", {}, expect=201)

    def fire_timer(self, case: dict[str, Any]) -> dict[str, Any]:
        """Make the case's next timer due, fire it in-process and read the case (not timed)."""
        self.clock.set(_parse_time(case["next_timer_due"]) + timedelta(minutes=1))
        self.engine.fire_due_timers()
        return self.clients["koordinerende_enhet"].json("GET", f"/api/v1/cases/{case['id']}")[1]

    def complete(self, case: dict[str, Any], go_on: bool = False,
                 bpmn_id: str | None = None) -> tuple[float, dict[str, Any]]:
        tasks = case["open_tasks"]
        task = next(t for t in tasks if t["bpmn_id"] == bpmn_id) if bpmn_id else tasks[0]
        data = _answers(task["bpmn_id"], self.clock.today_oslo(), go_on=go_on)
        return self.clients[task["role"]].json(
            "POST", f"/api/v1/tasks/{task['id']}/complete",
            {"data": data, "case_version": case["version"]})

    def to_closure(self, completions: list[float], starts: list[float]) -> None:
        elapsed, case = self.start()
        starts.append(elapsed)
        while case["status"] == "active":
            if not case["open_tasks"]:
                case = self.fire_timer(case)
                continue
            elapsed, case = self.complete(case)
            completions.append(elapsed)

    def through_loops(self, loops: int) -> list[float]:
        _, case = self.start()
        while case["open_tasks"]:
            _, case = self.complete(case)
        timings = []
        for _ in range(loops):
            case = self.fire_timer(case)
            elapsed, case = self.complete(case, go_on=True, bpmn_id="Task_evaluer")
            timings.append(elapsed)
        return timings


# --- seeding --------------------------------------------------------------------------------

#: (stage of the template case, share of the seeded cases)
SEED_MIX = (
    ("referral", 0.10), ("entitlement", 0.10), ("consent", 0.05), ("appointment", 0.05),
    ("planning", 0.10), ("evaluation_waiting", 0.25), ("evaluation_task", 0.05),
    ("closed", 0.30),
)
_STEPS = ("Task_registrer_henvendelse", "Task_vurder_rett", "Task_samtykke", "Task_oppnevn",
          "Task_utarbeid_plan")


def _template_cases(engine: Any, clock: Any) -> dict[str, int]:
    """One real case per stage of SEED_MIX, made through the engine; stage -> case id."""
    def step(case: Any, bpmn_id: str, **kw: Any) -> Any:
        task = case.task(bpmn_id)
        actor = "bench.ke" if task.role == "koordinerende_enhet" else TEMPLATE_COORDINATOR
        return engine.complete_task(task.id, _answers(bpmn_id, clock.today_oslo(),
                                                      coordinator=TEMPLATE_COORDINATOR, **kw),
                                    actor=actor)

    def fire(case: Any) -> Any:
        clock.set(case.next_timer_due + timedelta(minutes=1))
        engine.fire_due_timers()
        return engine.get_case(case.id)

    ids: dict[str, int] = {}
    # the ones that need a timer fired first, before other templates wait on theirs
    case = engine.start_case(KOMMUNE, actor="bench.ke")
    for bpmn_id in _STEPS:
        case = step(case, bpmn_id)
    case = fire(case)
    ids["evaluation_task"] = case.id
    case = engine.start_case(KOMMUNE, actor="bench.ke")
    for bpmn_id in _STEPS:
        case = step(case, bpmn_id)
    case = fire(case)
    for bpmn_id in ("Task_evaluer", "Task_meld_avslutning", "Task_avslutt"):
        case = step(case, bpmn_id)
    assert case.status == "closed", case
    ids["closed"] = case.id
    for stage, done in (("referral", 0), ("entitlement", 1), ("consent", 2), ("appointment", 3),
                        ("planning", 4), ("evaluation_waiting", 5)):
        case = engine.start_case(KOMMUNE, actor="bench.ke")
        for bpmn_id in _STEPS[:done]:
            case = step(case, bpmn_id)
        ids[stage] = case.id
    return ids


def _rows(conn: Any, table: Any, case_id: int) -> list[dict[str, Any]]:
    from sqlalchemy import select

    column = table.c.id if table.name == "case" else table.c.case_id
    return [dict(r._mapping) for r in conn.execute(select(table).where(column == case_id))]


def seed(db: Any, templates: dict[str, int], count: int, versions: dict[str, int],
         rng: random.Random) -> None:
    """Insert `count` copies of the template cases (with their tasks, timers, audit trail).

    Every copy gets a new case id and new task and timer ids (also inside its engine state, so
    a seeded case can be worked like any other), a kommune of KOMMUNER and one of its
    coordinators, and times shifted into the past (closed cases up to two years, active ones up
    to 60 days; waiting timers 0-120 days ahead).
    """
    from sqlalchemy import func, insert, select, text

    from engine.models import AuditEvent, Case, HumanTask, Timer

    tables = (Case.__table__, HumanTask.__table__, Timer.__table__, AuditEvent.__table__)
    case_t = Case.__table__
    with db.connect() as conn:
        tpl = {stage: {t.name: _rows(conn, t, case_id) for t in tables}
               for stage, case_id in templates.items()}
        next_id = int(conn.scalar(select(func.max(case_t.c.id))) or 0) + 1
    stages = [s for s, _ in SEED_MIX]
    weights = [w for _, w in SEED_MIX]
    per_kommune = max(1, count // len(KOMMUNER) // CASES_PER_COORDINATOR)
    coordinators = {k: [f"{k}.koord{i}" for i in range(1, per_kommune + 1)] for k in KOMMUNER}
    coordinators[KOMMUNE][0] = "bench.koord"  # the coordinator whose requests are measured
    times = {"case": ("created_at", "updated_at", "closed_at"),
             "human_task": ("created_at", "due_at", "completed_at"),
             "timer": ("fired_at",), "audit_event": ("at",)}

    def shift(row: dict[str, Any], table: str, delta: timedelta) -> None:
        for name in times[table]:
            if row[name] is not None:
                row[name] += delta

    batch: dict[str, list[dict[str, Any]]] = {t.name: [] for t in tables}

    def flush() -> None:
        with db.begin() as conn:
            for table in tables:
                if batch[table.name]:
                    conn.execute(insert(table), batch[table.name])
                    batch[table.name] = []

    for n in range(count):
        stage = rng.choices(stages, weights)[0]
        source = tpl[stage]
        kommune = KOMMUNER[n % len(KOMMUNER)]
        coordinator = rng.choice(coordinators[kommune])
        closed = stage == "closed"
        delta = -timedelta(days=rng.uniform(0, 730 if closed else 60))
        ahead = timedelta(days=rng.uniform(0, 120))
        case_id = next_id + n
        ids = {r["id"]: str(uuid.UUID(int=rng.getrandbits(128), version=4))
               for r in source["human_task"] + source["timer"]}

        case = dict(source["case"][0])
        state = case["state_json"]
        for old, new in ids.items():
            state = state.replace(old, new)
        case.update(id=case_id, kommune=kommune, process_version_id=versions[kommune],
                    state_json=state.replace(TEMPLATE_COORDINATOR, coordinator))
        if case["coordinator"] == TEMPLATE_COORDINATOR:
            case["coordinator"] = coordinator
        shift(case, "case", delta)
        if case["next_timer_due"] is not None:
            case["next_timer_due"] += ahead
        batch["case"].append(case)
        for source_row in source["human_task"]:
            row = dict(source_row, id=ids[source_row["id"]], case_id=case_id, kommune=kommune)
            for name in ("assignee", "claimed_by", "completed_by"):
                if row[name] == TEMPLATE_COORDINATOR:
                    row[name] = coordinator
            shift(row, "human_task", delta)
            batch["human_task"].append(row)
        for source_row in source["timer"]:
            row = dict(source_row, id=ids[source_row["id"]], case_id=case_id)
            if row["state"] == "waiting":
                row["due_at"] += ahead
            else:
                row["due_at"] += delta
                shift(row, "timer", delta)
            batch["timer"].append(row)
        for source_row in source["audit_event"]:
            row = dict(source_row, case_id=case_id)
            del row["id"]
            row["task_id"] = ids.get(row["task_id"], row["task_id"])
            if row["actor"] == TEMPLATE_COORDINATOR:
                row["actor"] = coordinator
            shift(row, "audit_event", delta)
            batch["audit_event"].append(row)
        if len(batch["case"]) >= SEED_BATCH:
            flush()
    flush()
    if db.dialect.name == "postgresql":  # explicit ids: move the sequence past them
        with db.begin() as conn:
            conn.execute(text("SELECT setval(pg_get_serial_sequence('\"case\"', 'id'), "
                              "(SELECT max(id) FROM \"case\"))"))


def _database_bytes(db: Any) -> int:
    from sqlalchemy import text

    if db.dialect.name == "postgresql":
        with db.connect() as conn:
            return int(conn.scalar(text("SELECT pg_database_size(current_database())")))
    path = db.url.database
    return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))


def _counts(db: Any) -> dict[str, int]:
    from sqlalchemy import func, select

    from engine.models import AuditEvent, Case, HumanTask

    with db.connect() as conn:
        def count(query: Any) -> int:
            return int(conn.scalar(query) or 0)

        return {
            "db_cases": count(select(func.count()).select_from(Case)),
            "db_cases_in_kommune": count(select(func.count()).select_from(Case)
                                         .where(Case.kommune == KOMMUNE)),
            "db_open_tasks": count(select(func.count()).select_from(HumanTask)
                                   .where(HumanTask.state == "ready")),
            "db_audit_events": count(select(func.count()).select_from(AuditEvent)),
        }


# --- reading under load ---------------------------------------------------------------------

def _sign_in(wire: _Wire) -> _Client:
    client = _Client(wire)
    _, page = client.request("GET", "/logg-inn")
    match = CSRF.search(page.decode())
    if match is None:
        raise RuntimeError("the sign-in page has no CSRF token")
    client.request("POST", "/logg-inn", form={"username": "bench.ke", "password": PASSWORD,
                                              "csrf_token": match.group(1)}, expect=302)
    return client


def _measure(client: _Client, paths: list[str], warmup: int = 5) -> list[float]:
    for path in paths[:warmup]:
        client.request("GET", path)
    return [client.request("GET", path)[0] for path in paths]


def _figures(prefix: str, timings: list[float]) -> dict[str, float]:
    return {f"{prefix}_ms_median": _median_ms(timings), f"{prefix}_ms_p95": _ms(_p(timings, 0.95))}


# --- the benchmark --------------------------------------------------------------------------

def run_api_benchmark(cases: int = 50, loops: int = 200, seed_cases: int = 100_000,
                      database_url: str | None = None, requests: int = 200) -> dict[str, Any]:
    """Run the API benchmark on a fresh database (SQLite in a temporary folder unless
    `database_url` names an empty one) and return its figures (times in milliseconds)."""
    from engine.clock import FixedClock, SystemClock
    from engine.db import upgrade

    from . import create_app

    with tempfile.TemporaryDirectory(prefix="koordinator-bench-api-") as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        upgrade(url)
        clock = FixedClock(SystemClock().now().replace(microsecond=0))
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "CLOCK": clock})
        engine = app.extensions["koordinator"]
        staff = app.extensions["koordinator_staff"]
        versions = {k: engine.deploy(STANDARD, kommune=k, actor="bench").id for k in KOMMUNER}
        for username, roles in USERS.items():
            staff.add_user(username, KOMMUNE, roles,
                           password=PASSWORD if username == "bench.ke" else None)
        staff.add_user(TEMPLATE_COORDINATOR, KOMMUNE, ["koordinator"])
        tokens = {role: staff.create_token(name) for role, name in ROLE_USER.items()}
        server = _Server(app)
        wire = _Wire(server.port)
        try:
            api = {role: _Client(wire, token) for role, token in tokens.items()}
            driver = _Driver(engine, clock, api)

            # 1. fresh cases to closure (one untimed first, to warm caches)
            completions: list[float] = []
            starts: list[float] = []
            driver.to_closure([], [])
            for _ in range(cases):
                driver.to_closure(completions, starts)
            # 2. one case through the evaluation loop
            loop_timings = driver.through_loops(loops)
            first = loop_timings[:10]
            last = loop_timings[-10:]

            # 3. seed, then read
            rng = random.Random(20261124)
            templates = _template_cases(engine, clock)
            t0 = time.perf_counter()
            seed(engine.db, templates, seed_cases, versions, rng)
            engine.optimize()  # what the scheduler does every six hours
            seed_s = time.perf_counter() - t0
            counts = _counts(engine.db)
            db_bytes = _database_bytes(engine.db)

            page = _sign_in(wire)
            ke = api["koordinerende_enhet"]
            from sqlalchemy import select

            from engine.models import Case
            with engine.db.connect() as conn:
                case_ids = list(conn.scalars(select(Case.id).where(Case.kommune == KOMMUNE)))
            picks = [rng.choice(case_ids) for _ in range(requests)]
            reads = {
                "worklist_page": _measure(page, ["/"] * requests),
                "api_tasks": _measure(ke, ["/api/v1/tasks"] * requests),
                "api_cases": _measure(ke, ["/api/v1/cases?limit=50"] * requests),
                "api_case": _measure(ke, [f"/api/v1/cases/{i}" for i in picks]),
                "api_tasks_coordinator": _measure(api["koordinator"],
                                                  ["/api/v1/tasks"] * requests),
                # need-to-know: a coordinator's case list scans the kommune's cases (slow:
                # fewer requests)
                "api_cases_coordinator": _measure(api["koordinator"],
                                                  ["/api/v1/cases?limit=50"]
                                                  * max(3, requests // 40), warmup=1),
            }
        finally:
            wire.close()
            server.stop()
            engine.close()

    result: dict[str, Any] = {
        "cases": cases,
        "loops": loops,
        "database": url.split("://")[0] if database_url else "sqlite (temporary file)",
        "completions": len(completions),
        "start_case_ms_median": _median_ms(starts),
        "completion_ms_median": _median_ms(completions),
        "completion_ms_p95": _ms(_p(completions, 0.95)),
        "loop_completion_ms_median_first_10": _median_ms(first),
        "loop_completion_ms_median_last_10": _median_ms(last),
        "loop_completion_ms_p95": _ms(_p(loop_timings, 0.95)),
        "loop_ratio_last_to_first": round(statistics.median(last) / statistics.median(first), 2),
        "loop_ratio_last_to_fresh": round(statistics.median(last)
                                          / statistics.median(completions), 2),
        "seed_cases": seed_cases,
        "seed_s": round(seed_s, 1),
        **counts,
        "db_mb": round(db_bytes / 1e6, 1),
        "requests_each": requests,
    }
    for name, timings in reads.items():
        result.update(_figures(name, timings))
    result["http_connections"] = wire.connections
    return result
