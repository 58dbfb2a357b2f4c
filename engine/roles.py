"""Roles (BPMN lanes) and stages (the eight steps of coordination) that the engine knows."""

from __future__ import annotations

ROLES: dict[str, dict[str, str]] = {
    "koordinerende_enhet": {"nb": "Koordinerende enhet", "nn": "Koordinerande eining",
                            "en": "Coordinating unit"},
    "koordinator": {"nb": "Koordinator", "nn": "Koordinator", "en": "Coordinator"},
    "leder": {"nb": "Leder", "nn": "Leiar", "en": "Leader"},
}

STAGES: dict[str, dict[str, str]] = {
    "referral": {"nb": "Henvendelse", "nn": "Førespurnad", "en": "Referral"},
    "entitlement": {"nb": "Vurdering av rett", "nn": "Vurdering av rett", "en": "Entitlement check"},
    "consent": {"nb": "Samtykke", "nn": "Samtykke", "en": "Consent"},
    "appointment": {"nb": "Oppnevning av koordinator", "nn": "Oppnemning av koordinator",
                    "en": "Appointment"},
    "planning": {"nb": "Planarbeid", "nn": "Planarbeid", "en": "Planning"},
    "evaluation": {"nb": "Evaluering", "nn": "Evaluering", "en": "Evaluation"},
    "handover": {"nb": "Skifte av koordinator", "nn": "Skifte av koordinator", "en": "Handover"},
    "closure": {"nb": "Avslutning", "nn": "Avslutning", "en": "Closure"},
}

# Main-line order; handover runs beside the main line, so it only names the case's stage when
# nothing else is under way.
STAGE_ORDER = ["referral", "entitlement", "consent", "appointment", "planning", "evaluation",
               "closure"]

_LANE_TO_ROLE = {
    label.casefold(): role for role, labels in ROLES.items() for label in [role, *labels.values()]
}


def role_for_lane(lane_name: str | None) -> str | None:
    """The role id a lane name stands for, or None when the name is unknown."""
    if not lane_name:
        return None
    return _LANE_TO_ROLE.get(lane_name.strip().casefold())


def case_stage(stages: list[str]) -> str | None:
    """The stage a case is in, given the stages of its open tasks and waiting timers."""
    main = [s for s in stages if s in STAGE_ORDER]
    if main:
        return max(main, key=STAGE_ORDER.index)
    return stages[0] if stages else None
