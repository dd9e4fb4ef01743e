"""Bad input to the rehabilitation pages answers with a message or a 4xx, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from throughcare.test import Cast

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "data"),
    [
        (
            "rehab:record",
            {"what": "dependant", "given_name": "A", "relation": "child", "date_of_birth": "soon"},
        ),
        ("rehab:record", {"what": "need", "pathway": "moon", "owner_agency": "x"}),
        ("rehab:record", {"what": "need_state", "need_id": "x", "state": "met"}),
        ("rehab:record", {"what": "appointment", "starts_at": "tomorrow-ish"}),
        ("rehab:record", {"what": "nothing"}),
        ("rehab:new_referral", {"programme": "abc"}),
        ("rehab:criteria", {"what": "sign_off", "closure": "1; drop"}),
        ("rehab:criteria", {"what": "review", "state-1": "met"}),
        ("rehab:criteria", {"what": "follow_up", "follow_up": ""}),
        ("cases:record_own_plan", {"shown_on": "yesterday", "response": "agreed"}),
    ],
)
def test_garbage_never_causes_a_server_error(cast: Cast, name: str, data: dict[str, str]) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(cast.lead)
    response = client.post(reverse(name, args=[cast.case.pk]), data)
    assert response.status_code < 500


def test_a_referral_move_that_does_not_exist_is_refused_with_a_message(cast: Cast) -> None:
    from throughcare.rehab import referrals
    from throughcare.rehab.models import Programme

    programme = Programme.objects.create(
        name="Thinking skills",
        description="Group",
        provider=cast.probation,
        setting="both",
        audience="general",
        capacity=1,
    )
    referral = referrals.make_referral(
        cast.case, programme, by=cast.lead, reason="Problem solving", sections=[]
    )
    client = Client(raise_request_exception=False)
    client.force_login(cast.lead)
    response = client.post(
        reverse("rehab:referral", args=[referral.pk]), {"what": "move", "to": "flying"}, follow=True
    )
    assert "Choose what happens next" in response.text
    assert client.post(reverse("rehab:referral", args=[referral.pk]), {"what": "?"}).status_code == 404
