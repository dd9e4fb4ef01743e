"""The default sharing matrix shipped with Throughcare: a starting point each deployment can change in
the administration screens (Sharing rules). A = with its workers on the case team, C = with consent.
Intelligence content is never shared by rule: only cleared users read it; everyone else sees the flag."""

from __future__ import annotations

from typing import Any

A, C = "always", "consent"

DEFAULT_MATRIX: dict[str, dict[str, str]] = {
    "probation": {
        "identity": A,
        "legal": A,
        "risk": A,
        "health": A,
        "interventions": A,
        "family": A,
        "general": A,
    },
    "prison": {
        "identity": A,
        "legal": A,
        "risk": A,
        "health": A,
        "interventions": A,
        "family": A,
        "general": A,
    },
    "police_ct": {"identity": A, "legal": A, "risk": A, "intelligence": A, "general": A},
    "municipality": {
        "identity": A,
        "legal": A,
        "risk": A,
        "interventions": A,
        "family": A,
        "general": A,
        "health": C,
    },
    "ngo": {"identity": A, "general": A, "interventions": A, "risk": C, "family": C, "health": C, "legal": C},
    "health": {"identity": A, "health": C, "general": C},
    "education_employment": {"identity": A, "interventions": C, "general": C},
    "housing": {"identity": A, "general": C, "risk": C},
    "child_services": {"identity": A, "legal": A, "risk": A, "family": A, "general": A, "health": C},
    "judiciary": {"identity": A, "legal": A, "risk": A, "general": A},
}

CATEGORIES = ["identity", "legal", "risk", "intelligence", "health", "interventions", "family", "general"]


def ensure_default_matrix(rule_model: Any) -> int:
    """Create the default rules that are missing (never changing a rule an administrator set).
    Takes the model so that migrations can pass their historical one. Returns how many were created."""
    created = 0
    for kind, modes in DEFAULT_MATRIX.items():
        for category in CATEGORIES:
            _, new = rule_model.objects.get_or_create(
                agency_kind=kind, category=category, defaults={"mode": modes.get(category, "never")}
            )
            created += int(new)
    return created
