"""A deployment can check that it is safe: with the production switch and its own keys, Django's
`check --deploy` finds nothing; with the demo's key, an audit key derived from it, or DEBUG, Throughcare
refuses to start."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _check(**env: str) -> subprocess.CompletedProcess[str]:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE is the test process's own, never a deployment's.
    ours = ("SECRET_KEY", "AUDIT_CHAIN_KEY", "DJANGO_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in ours}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean | {"THROUGHCARE_PRODUCTION": "1", "ALLOWED_HOSTS": "throughcare.example.org"} | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings() -> None:
    done = _check(SECRET_KEY=secrets.token_urlsafe(60), AUDIT_CHAIN_KEY=secrets.token_urlsafe(40))
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout


def test_production_refuses_the_demo_key_a_derived_audit_key_and_debug() -> None:
    done = _check(DJANGO_DEBUG="1")
    assert done.returncode != 0
    for expected in ("throughcare.E001", "throughcare.E002", "throughcare.E003"):
        assert expected in done.stderr


def test_production_refuses_an_audit_key_derived_from_its_own_secret_key() -> None:
    key = secrets.token_urlsafe(60)
    done = _check(SECRET_KEY=key, AUDIT_CHAIN_KEY="audit:" + key)
    assert done.returncode != 0 and "throughcare.E002" in done.stderr and "E001" not in done.stderr


def test_the_production_server_does_not_start_with_the_demo_key() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import throughcare.wsgi"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "AUDIT_CHAIN_KEY")}
        | {"THROUGHCARE_PRODUCTION": "1", "DJANGO_SETTINGS_MODULE": "throughcare.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0 and "throughcare.E001" in done.stderr
