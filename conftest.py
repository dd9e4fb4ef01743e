from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings

from throughcare.test import Cast, build_cast


@pytest.fixture
def cast(db: None) -> Cast:
    return build_cast()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    # Real hashing is deliberately slow; tests do not need it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
