from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.utils import translation
from pytest_django.fixtures import Settings

from throughcare.sharing.access import forget_wide_scopes
from throughcare.test import Cast, build_cast, restore_reference_data


@pytest.fixture
def cast(db: None) -> Cast:
    restore_reference_data()  # if an earlier committing (transaction=True) test emptied the tables
    return build_cast()


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    # The API's rate limit counts calls per user in the cache: one test's calls must not count in another's.
    cache.clear()
    # A process remembers which viewers' scopes were wide; another test's user may have the same id.
    forget_wide_scopes()


@pytest.fixture(autouse=True)
def interface_in_english() -> Iterator[None]:
    # A request activates its language for the thread (LocaleMiddleware), as a server's next request does
    # again; code a test runs outside a request must not inherit the last request's German.
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    # Real hashing is deliberately slow; tests do not need it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def second_factor_off(settings: Settings) -> None:
    # The second factor has its own tests (workspace/tests/test_signin.py, the sign-in journeys), which
    # switch it back on; other tests sign their users in without an authenticator app.
    settings.SECOND_FACTOR_REQUIRED = False


@pytest.fixture(autouse=True)
def checkpoints_in_a_temporary_folder(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> None:
    # The daily run writes a signed audit checkpoint file; tests keep theirs out of var/.
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path_factory.getbasetemp() / "checkpoints")
