"""Imported first by every benchmark: Django on a scratch SQLite file (or DATABASE_URL), set up."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import django

WORKDIR = tempfile.mkdtemp(prefix="throughcare-bench-")
os.environ.setdefault("SQLITE_PATH", str(Path(WORKDIR) / "bench.sqlite3"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "throughcare.settings")
django.setup()


def serve_as_in_production() -> None:
    """What the test client needs, without the test environment's instrumentation of templates (which
    copies each template's context for the test client to inspect: a cost production never pays)."""
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
