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
