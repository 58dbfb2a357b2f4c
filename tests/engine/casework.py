"""Test helpers that read like casework: form answers a caseworker would give, and a driver."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from engine.service import Koordinator
from engine.types import CaseInfo


def in_days(clock, days: int) -> str:  # type: ignore[no-untyped-def]
    return (clock.today_oslo() + timedelta(days=days)).isoformat()


def born_years_ago(clock, years: int) -> str:  # type: ignore[no-untyped-def]
    today: date = clock.today_oslo()
    return today.replace(year=today.year - years, day=min(today.day, 28)).isoformat()


def referral(clock, age: int = 34, parental: str = "ikke_aktuelt", competent: bool = True,
             **extra: Any) -> dict[str, Any]:
    return {"person_navn": "Kari Nordmann", "person_initialer": "KN",
            "fodselsdato": born_years_ago(clock, age), "henvendelse_fra": "tjeneste",
            "henvendelse_dato": in_days(clock, 0),
            "beskrivelse": "Trenger hjemmesykepleie, fysioterapi og oppfølging fra NAV.",
            "samtykkekompetent": competent, "foreldreansvar": parental, **extra}


def assessment(services: int = 3, long_term: bool = True, other_sectors: bool = False) -> dict:
    return {"antall_tjenester": services, "langvarig_behov": long_term,
            "andre_sektorer": other_sectors, "tjenester": "Hjemmesykepleie, fysioterapi",
            "vurdering_notat": "Behovet er langvarig og krever koordinering."}


def consent(clock, given_by: list[tuple[str, str]] | None = None, coordinator: bool = True,
            wants_ip: bool = True) -> dict[str, Any]:
    given_by = given_by or [("Kari Nordmann", "personen")]
    return {"samtykke_gitt_av": [{"navn": n, "rolle": r} for n, r in given_by],
            "samtykke_koordinator": coordinator, "onsker_ip": wants_ip,
            "deler_med": [{"navn": "Fastlege Berg", "instans": "Fastlegekontoret"}],
            "samtykkedato": in_days(clock, 0)}


def appointment(coordinator: str = "ola.koordinator") -> dict[str, Any]:
    return {"koordinator": coordinator, "sekundar_koordinator": "lise.leder",
            "personens_onsker": "Ønsker en koordinator hun kjenner fra før.",
            "barnekoordinator": False}


def plan(clock, next_in_days: int = 90, tool: str = "individuell_plan") -> dict[str, Any]:
    return {"verktoy": tool,
            "mal": [{"beskrivelse": "Bo trygt hjemme", "livsomrade": "bolig"}],
            "tiltak": [{"beskrivelse": "Hjemmesykepleie to ganger i uka",
                        "ansvarlig": "Hjemmetjenesten", "frist": in_days(clock, 30)}],
            "deltakere": [{"navn": "Kari Nordmann", "rolle": "planeier", "instans": ""}],
            "moter": [{"dato": in_days(clock, 7), "sakliste": "Oppstart", "referat": ""}],
            "neste_evaluering": in_days(clock, next_in_days)}


def evaluation(clock, go_on: bool = True, next_in_days: int = 90,
               participants_changed: bool = False) -> dict[str, Any]:
    data = {"mal_nadd": "delvis", "tjenester_fungerer": "ja", "arbeidsform_god": "ja",
            "planeiers_erfaring": "Fornøyd med oppfølgingen.", "endringer": "",
            "deltakere_endret": participants_changed,
            "videre": "fortsett" if go_on else "avslutt"}
    if go_on:
        data["neste_evaluering"] = in_days(clock, next_in_days)
    return data


def handover(clock, new: str = "per.koordinator") -> dict[str, Any]:
    return {"koordinator": new, "sekundar_koordinator": "lise.leder", "arsak_skifte": "permisjon",
            "personens_onsker": "Ingen særlige ønsker.", "overlapp_til": in_days(clock, 14)}


def transfer() -> dict[str, Any]:
    return {"informasjon_overfort": True, "notat_til_ke": "Overlapp gjennomført, plan overlevert."}


def closing_report() -> dict[str, Any]:
    return {"arsak_avslutning": "mal_nadd", "oppsummering": "Målene er nådd."}


def closing(clock) -> dict[str, Any]:
    return {"avsluttet_dato": in_days(clock, 0), "arkivert": True}


class Casework:
    """Drives one case through the engine the way staff would, by task id from the case."""

    def __init__(self, engine: Koordinator, kommune: str = "lund"):
        self.engine = engine
        self.kommune = kommune
        self.case: CaseInfo = engine.start_case(kommune, actor="kari.ke")

    def do(self, bpmn_id: str, data: dict[str, Any], actor: str = "kari.ke") -> CaseInfo:
        task = self.case.task(bpmn_id)
        self.case = self.engine.complete_task(task.id, data, actor=actor, kommune=self.kommune)
        return self.case

    def refresh(self) -> CaseInfo:
        self.case = self.engine.get_case(self.case.id)
        return self.case

    @property
    def open(self) -> list[str]:
        return sorted(t.bpmn_id for t in self.case.open_tasks)

    def through_appointment(self, clock, coordinator: str = "ola.koordinator",
                            wants_ip: bool = True) -> CaseInfo:  # type: ignore[no-untyped-def]
        self.do("Task_registrer_henvendelse", referral(clock))
        self.do("Task_vurder_rett", assessment())
        self.do("Task_samtykke", consent(clock, wants_ip=wants_ip))
        return self.do("Task_oppnevn", appointment(coordinator))
