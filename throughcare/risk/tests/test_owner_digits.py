"""An owner chosen in the plan form is parsed from ASCII digits only (issue 17: `²` passed isdigit())."""

from __future__ import annotations

import pytest

from throughcare.risk.plan_form import _owner
from throughcare.test import Cast

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["user:²", "agency:①", "user:١٢", "user:" + "9" * 40, "agency:"])
def test_a_non_ascii_or_huge_owner_is_no_owner(cast: Cast, value: str) -> None:
    assert _owner(value, cast.case) == (None, None)
