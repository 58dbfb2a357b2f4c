"""Demo data for `make run`: a kommune, staff in every role and cases in different stages."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from .errors import EngineError, NotFound
from .service import Koordinator
from .staff import Staff
from .types import KommuneInfo

STANDARD_BUNDLE = Path(__file__).resolve().parent.parent / "processes" / "standard"
DEMO_PASSWORD = "demo1234"

DEMO_STAFF = [
    ("kari.ke", ["koordinerende_enhet"], "Kari Enhet"),
    ("ola.koordinator", ["koordinator"], "Ola Koordinator"),
    ("per.koordinator", ["koordinator"], "Per Koordinator"),
    ("lise.leder", ["leder"], "Lise Leder"),
    ("pia.prosess", ["prosesseier"], "Pia Prosesseier"),
    ("admin", ["admin", "koordinerende_enhet"], "Administrator"),
]

#: the five municipalities of the seeds: settings, and the prefix of their demo users' names
SEED_KOMMUNER = [
    KommuneInfo(code="lyngdal", name="Lyngdal", number="4225", language="nb",
                coordinator_term="koordinator", unit_name="Koordinerende enhet, Lyngdal"),
    KommuneInfo(code="lund", name="Lund", number="1112", language="nb",
                unit_name="Koordinerende enhet, Lund"),
    KommuneInfo(code="steinkjer", name="Steinkjer", number="5006", language="nb",
                unit_name="Koordinerende enhet, Steinkjer"),
    KommuneInfo(code="rakkestad", name="Rakkestad", number="3120", language="nb",
                unit_name="Koordinerende enhet, Rakkestad"),
    KommuneInfo(code="heroy", name="Herøy", number="1515", language="nn", initials_only=True,
                unit_name="Koordinerande eining, Herøy", evaluation_interval="P6M"),
]

PEOPLE = [("Kari Nordmann", "KN", 34), ("Jonas Berg", "JB", 12), ("Aisha Rahman", "AR", 71),
          ("Tor Vik", "TV", 45), ("Ingrid Lie", "IL", 19)]


def _iso(today: date, days: int) -> str:
    return (today + timedelta(days=days)).isoformat()


def _answers(today: date, name: str, initials: str, age: int) -> dict[str, dict[str, Any]]:
    born = today.replace(year=today.year - age, day=min(today.day, 28)).isoformat()
    return {
        "Task_registrer_henvendelse": {
            "person_navn": name, "person_initialer": initials, "fodselsdato": born,
            "henvendelse_fra": "tjeneste", "henvendelse_dato": _iso(today, 0),
            "beskrivelse": "Trenger hjemmesykepleie, fysioterapi og oppfølging fra NAV.",
            "samtykkekompetent": age >= 16, "foreldreansvar": "ikke_aktuelt" if age >= 18
            else "felles"},
        "Task_vurder_rett": {
            "antall_tjenester": 3, "langvarig_behov": True, "andre_sektorer": True,
            "tjenester": "Hjemmesykepleie, fysioterapi, NAV",
            "vurdering_notat": "Behovet er langvarig og krever koordinering."},
        "Task_samtykke": {
            "samtykke_gitt_av": [{"navn": name, "rolle": "personen"}],
            "samtykke_koordinator": True, "onsker_ip": True,
            "deler_med": [{"navn": "Fastlege Berg", "instans": "Fastlegekontoret"}],
            "samtykkedato": _iso(today, 0)},
        "Task_oppnevn": {
            "koordinator": "ola.koordinator", "sekundar_koordinator": "per.koordinator",
            "personens_onsker": "Ønsker en koordinator hun kjenner fra før.",
            "barnekoordinator": False},
        "Task_utarbeid_plan": {
            "verktoy": "individuell_plan",
            "mal": [{"beskrivelse": "Bo trygt hjemme", "livsomrade": "bolig"}],
            "tiltak": [{"beskrivelse": "Hjemmesykepleie to ganger i uka",
                        "ansvarlig": "Hjemmetjenesten", "frist": _iso(today, 30)}],
            "deltakere": [{"navn": name, "rolle": "planeier", "instans": ""}],
            "moter": [{"dato": _iso(today, 7), "sakliste": "Oppstart", "referat": ""}],
            "neste_evaluering": _iso(today, 90)},
    }


def load_demo(engine: Koordinator, staff: Staff, kommune: str = "demo") -> list[str]:
    """Set up the demo kommune and the five seed kommuner unless they exist; one line per step."""
    done: list[str] = []
    kommuner = [KommuneInfo(code=kommune, name="Demo kommune", number="9999", language="nb",
                            unit_name="Koordinerende enhet",
                            unit_contact="koordinerende.enhet@demo.kommune.no"), *SEED_KOMMUNER]
    for info in kommuner:
        prefix = "" if info.code == kommune else f"{info.code}."
        try:
            staff.find_user(f"{prefix}kari.ke")
            done.append(f"{info.code}: already loaded")
            continue
        except NotFound:
            pass
        done.extend(_load_kommune(engine, staff, info, prefix))
    return done


def _load_kommune(engine: Koordinator, staff: Staff, info: KommuneInfo,
                  prefix: str) -> list[str]:
    staff.save_kommune(info)
    variant = STANDARD_BUNDLE.parent / info.code
    bundle = variant if (variant / "koordinering.bpmn").exists() else STANDARD_BUNDLE
    engine.deploy(bundle, kommune=info.code, actor="demo", only_if_changed=True,
                  note="the kommune's process" if bundle == variant else "standard process")
    for username, roles, name in DEMO_STAFF:
        staff.add_user(prefix + username, info.code, roles, full_name=name,
                       password=DEMO_PASSWORD)
    done = [(f"{info.code}: {bundle.name} process, {len(DEMO_STAFF)} users "
             f"({prefix}kari.ke ... password {DEMO_PASSWORD})")]
    today = engine.clock.today_oslo()
    order = ["Task_registrer_henvendelse", "Task_vurder_rett", "Task_samtykke", "Task_oppnevn",
             "Task_utarbeid_plan"]
    # Each person's case goes one step further than the one before, as far as the kommune's
    # own forms accept the standard answers.
    for steps, (name, initials, age) in enumerate(PEOPLE):
        case = engine.start_case(info.code, actor=prefix + "kari.ke")
        answers = _answers(today, name, initials, age)
        answers["Task_oppnevn"]["koordinator"] = prefix + "ola.koordinator"
        answers["Task_oppnevn"]["sekundar_koordinator"] = prefix + "per.koordinator"
        for bpmn_id in order[:steps + 1]:
            task = next((t for t in case.open_tasks if t.bpmn_id == bpmn_id), None)
            if task is None:
                break
            actor = prefix + ("ola.koordinator" if task.role == "koordinator" else "kari.ke")
            try:
                case = engine.complete_task(task.id, answers[bpmn_id], actor=actor,
                                            kommune=info.code)
            except EngineError:
                break
        done.append(f"{info.code}: case {case.id} ({initials}) in stage {case.stage}")
    return done
