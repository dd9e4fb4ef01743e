from __future__ import annotations

import pytest
from django.core.cache import cache
from pytest_django.fixtures import Settings

from throughcare.test import Cast, build_cast


@pytest.fixture
def cast(db: None) -> Cast:
    return build_cast()


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    # The API's rate limit counts calls per user in the cache: one test's calls must not count in another's.
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    # Real hashing is deliberately slow; tests do not need it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
