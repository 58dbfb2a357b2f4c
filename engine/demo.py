"""Demo data for `make run`: a kommune, staff in every role and cases in different stages."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from .errors import NotFound
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
    """Set up the demo kommune unless it exists; return what was done, one line each."""
    done: list[str] = []
    try:
        staff.find_user("kari.ke")
        return ["demo data is already loaded"]
    except NotFound:
        pass
    staff.save_kommune(KommuneInfo(code=kommune, name="Demo kommune", number="9999",
                                   language="nb", unit_name="Koordinerende enhet",
                                   unit_contact="koordinerende.enhet@demo.kommune.no"))
    engine.deploy(STANDARD_BUNDLE, kommune=kommune, actor="demo", note="standard process",
                  only_if_changed=True)
    for username, roles, name in DEMO_STAFF:
        staff.add_user(username, kommune, roles, full_name=name, password=DEMO_PASSWORD)
    done.append(f"kommune '{kommune}' with {len(DEMO_STAFF)} users (password {DEMO_PASSWORD})")
    today = engine.clock.today_oslo()
    order = ["Task_registrer_henvendelse", "Task_vurder_rett", "Task_samtykke", "Task_oppnevn",
             "Task_utarbeid_plan"]
    # Each person's case goes one step further than the one before.
    for steps, (name, initials, age) in enumerate(PEOPLE):
        case = engine.start_case(kommune, actor="kari.ke")
        answers = _answers(today, name, initials, age)
        for bpmn_id in order[:steps + 1]:
            task = next((t for t in case.open_tasks if t.bpmn_id == bpmn_id), None)
            if task is None:
                break
            actor = "ola.koordinator" if task.role == "koordinator" else "kari.ke"
            case = engine.complete_task(task.id, answers[bpmn_id], actor=actor, kommune=kommune)
        done.append(f"case {case.id} ({initials}) in stage {case.stage}")
    return done
