"""Jurisdiction profiles shipped with Throughcare: starting points each deployment sets to its own law."""

from __future__ import annotations

from typing import Any

PROFILES: list[dict[str, Any]] = [
    {
        "code": "default-england-wales",
        "name": "Default (public rules of England and Wales)",
        "description": (
            "Handover 15 months before release for terrorism, highest panel level and high-profile cases; "
            "12 months for indeterminate and parole cases; 8 months 14 days for standard determinate "
            "sentences; none for sentences of 10 months or less. A licence not ready 2 working days "
            "before release is made by prison staff. Release conference not mandatory."
        ),
        "is_default": True,
        "early_allocation_months": 15,
        "early_allocation_days": 0,
        "indeterminate_months": 12,
        "indeterminate_days": 0,
        "standard_months": 8,
        "standard_days": 14,
        "short_sentence_months": 10,
        "top_panel_level": 3,
        "release_conference": "none",
        "licence_ready_working_days": 2,
        "holiday_country": "GB",
        "holiday_subdivision": "ENG",
        "notifications_required": True,
    },
    {
        "code": "release-conference-model",
        "name": "Release-conference model (after Austria's 2021 reforms)",
        "description": "A multi-agency release conference is mandatory before any conditional release of a "
        "terrorist offender. Handover offsets are illustrative defaults (unverified): set them to your law.",
        "is_default": False,
        "early_allocation_months": 9,
        "early_allocation_days": 0,
        "indeterminate_months": 9,
        "indeterminate_days": 0,
        "standard_months": 6,
        "standard_days": 0,
        "short_sentence_months": 6,
        "top_panel_level": 3,
        "release_conference": "terrorism_conditional",
        "licence_ready_working_days": 5,
        "holiday_country": "AT",
    },
]


def ensure_default_profiles(profile_model: Any) -> None:
    """Create the shipped profiles that are missing, never changing one an administrator edited."""
    known = {field.name for field in profile_model._meta.get_fields()}  # a migration's model may be older
    for data in PROFILES:
        profile_model.objects.get_or_create(
            code=data["code"], defaults={k: v for k, v in data.items() if k in known}
        )
