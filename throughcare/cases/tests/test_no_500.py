"""Bad input answers with a message or a 4xx, never a 500: forms posted with ids that are not numbers."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from throughcare.test import Cast

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("risk:start", {"instrument": "abc"}),
        ("risk:record_information", {"received_on": "1; drop table", "category": "risk"}),
        ("cases:change_phase", {"to_phase": "community", "version": "NaN"}),
        ("custody:decide_breach_any", {}),
    ],
)
def test_garbage_ids_never_cause_a_server_error(cast: Cast, name: str, data: dict[str, str]) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(cast.lead)
    if name == "custody:decide_breach_any":
        url = reverse("sharing:review_break_glass", args=[2**31])
        client.force_login(cast.auditor)
        data = {"outcome": "justified"}
    else:
        url = reverse(name, args=[cast.case.pk])
    response = client.post(url, data)
    assert response.status_code < 500
