"""Pages shown to a signed-in user (and every API answer) are never kept by a browser or a proxy cache
(issue 17: case pages carried no Cache-Control)."""

from __future__ import annotations

import pytest
from django.test import Client

from throughcare.test import Cast

pytestmark = pytest.mark.django_db


def test_case_pages_and_api_answers_are_not_stored(cast: Cast) -> None:
    client = cast.client_for(cast.lead)
    for path in [
        f"/cases/{cast.case.pk}/",
        f"/cases/{cast.case.pk}/timeline/",
        "/caseload/",
        "/api/v1/cases",
    ]:
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert "no-store" in answer["Cache-Control"], path
    assert "no-store" in Client().get("/api/v1/cases")["Cache-Control"]  # a refusal too


def test_public_pages_may_be_cached(cast: Cast) -> None:
    answer = Client().get("/statistics/")
    assert answer.status_code == 200 and "no-store" not in answer.get("Cache-Control", "")
