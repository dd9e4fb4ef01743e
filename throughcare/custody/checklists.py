"""The handover checklists shipped with Throughcare (data; administrators may change them)."""

from __future__ import annotations

from typing import Any

# (code, title, mandatory, owner, days before release, needs the owner's consent)
ENHANCED = [
    (
        "behaviour-report",
        "Custody behaviour report shared, including concerns such as false compliance",
        True,
        "prison",
        60,
        False,
    ),
    ("rmp-reviewed", "Risk management plan reviewed for release", True, "probation", 45, False),
    ("release-conference", "Release conference held and minuted", True, "probation", 30, False),
    (
        "conditions-agreed",
        "Licence conditions agreed (recommended and ordered recorded)",
        True,
        "probation",
        21,
        False,
    ),
    ("accommodation", "Accommodation confirmed", True, "probation", 14, False),
    (
        "first-appointment",
        "First community appointment within 24 hours of release booked",
        True,
        "probation",
        7,
        False,
    ),
    ("police-notified", "Police notified of the release and address", True, "police_ct", 7, False),
    ("mentor-introduced", "NGO mentor introduced", False, "ngo", 14, True),
]
STANDARD = [
    ("behaviour-report", "Custody behaviour report shared", True, "prison", 45, False),
    ("conditions-agreed", "Licence conditions agreed", True, "probation", 14, False),
    ("accommodation", "Accommodation confirmed", True, "probation", 14, False),
    ("first-appointment", "First community appointment booked", True, "probation", 7, False),
]


def ensure_checklists(template_model: Any) -> None:
    for kind, rows in (("enhanced", ENHANCED), ("standard", STANDARD)):
        for order, (code, title, mandatory, owner, days, consent) in enumerate(rows):
            template_model.objects.get_or_create(
                kind=kind,
                code=code,
                defaults={
                    "title": title,
                    "mandatory": mandatory,
                    "owner": owner,
                    "due_days_before_release": days,
                    "needs_consent_of_owner": consent,
                    "order": order,
                },
            )
