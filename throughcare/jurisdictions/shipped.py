"""The jurisdiction profiles shipped with Throughcare (`profiles/*.json`): starting points each deployment
sets to its own law. A file holds a profile's values, the fields public sources state (`facts`, with the
`sources`), and its name and description in other languages. Every other rule is marked unverified.

Adding a jurisdiction is data: a file here (or a profile added in the administration)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"
# What a profile states of itself rather than of its law: its country and language, and the country whose
# public holidays count (the holidays package holds them).
SELF_EVIDENT = frozenset({"country", "language", "holiday_country"})
BOOKKEEPING = frozenset(
    {"id", "code", "name", "description", "is_default", "sources", "unverified", "translations"}
)


def shipped_profiles() -> list[dict[str, Any]]:
    """Each shipped profile's values, the default first."""
    files = sorted(PROFILES_DIR.glob("*.json"))
    profiles = [json.loads(path.read_text(encoding="utf-8")) for path in files]
    return sorted(profiles, key=lambda profile: (not profile.get("is_default"), profile["code"]))


def profile_values(data: dict[str, Any], known: set[str]) -> dict[str, Any]:
    """The model's values of a shipped profile: its own, and the rules no source states marked unverified.
    `known` are the fields of the model as it stands (a migration's model may be older)."""
    facts = set(data.get("facts", []))
    rules = sorted(known - BOOKKEEPING - SELF_EVIDENT)
    values = {key: value for key, value in data.items() if key in known}
    if "unverified" in known:
        values["unverified"] = [name for name in rules if name not in facts]
    return values


def ensure_default_profiles(profile_model: Any, codes: frozenset[str] | None = None) -> None:
    """Create the shipped profiles that are missing (those of `codes` only, if given), never changing one
    an administrator edited."""
    known = {field.name for field in profile_model._meta.concrete_fields}
    for data in shipped_profiles():
        if codes is not None and data["code"] not in codes:
            continue
        values = profile_values(data, known)
        profile_model.objects.get_or_create(code=values.pop("code"), defaults=values)
