"""Throughcare refuses to run in production (`THROUGHCARE_PRODUCTION=1`) with settings that would undo
its protections: the demo's SECRET_KEY, an audit chain key derived from SECRET_KEY (whoever holds the
settings and the database could recompute the chain), DEBUG, or the second factor switched off.

Errors stop `manage.py check`, `migrate` and, in production, the WSGI application's start (wsgi.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security)
def production_settings(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if not getattr(settings, "PRODUCTION", False):
        return []
    errors = []
    if settings.SECRET_KEY == settings.DEMO_SECRET_KEY or len(settings.SECRET_KEY) < 50:
        errors.append(
            Error(
                "SECRET_KEY is the demo's key (or shorter than 50 characters).",
                hint="Set SECRET_KEY to a long random value kept in the secret store (docs/operations.md).",
                id="throughcare.E001",
            )
        )
    if (
        settings.AUDIT_CHAIN_KEY in ("audit:" + settings.SECRET_KEY, settings.SECRET_KEY)
        or len(settings.AUDIT_CHAIN_KEY) < 32
    ):
        errors.append(
            Error(
                "AUDIT_CHAIN_KEY is derived from SECRET_KEY (or shorter than 32 characters).",
                hint="Set AUDIT_CHAIN_KEY to its own random value, kept apart from the database and its "
                "backups (docs/operations.md).",
                id="throughcare.E002",
            )
        )
    if settings.DEBUG:
        errors.append(Error("DEBUG is on.", hint="Unset DJANGO_DEBUG.", id="throughcare.E003"))
    if not settings.SECOND_FACTOR_REQUIRED:
        errors.append(
            Error(
                "The second factor is switched off.",
                hint="SECOND_FACTOR_REQUIRED is off only in the tests of other features.",
                id="throughcare.E004",
            )
        )
    return errors
