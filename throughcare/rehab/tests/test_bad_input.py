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
        ("rehab:add_dependant", {"given_name": "A", "relation": "child", "date_of_birth": "soon"}),
        ("rehab:add_dependant", {"given_name": "A", "relation": "child", "date_of_birth": "99999-01-01"}),
        ("rehab:add_need", {"pathway": "moon", "owner_agency": "x", "need": "N\x00"}),
        ("rehab:add_appointment", {"starts_at": "tomorrow-ish"}),
        ("rehab:add_appointment", {"starts_at": "0001-01-01T00:10", "with_whom": "A", "place": "B"}),
        ("rehab:add_appointment", {"starts_at": "\u0662\u0660\u0662\u0667-01-01T10:00"}),
        ("rehab:add_support_need", {"kind": "domestic_abuse", "detail": "x" * 501}),
        ("rehab:new_referral", {"programme": "abc"}),
        ("rehab:review_criteria", {"state-1": "met", "evidence-1": "x" * 20_000}),
        ("rehab:propose_closing", {"reason": "bored"}),
        ("cases:record_own_plan", {"shown_on": "yesterday", "response": "agreed"}),
    ],
)
def test_bad_input_is_refused_next_to_the_field_never_a_server_error(
    cast: Cast, name: str, data: dict[str, str]
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(cast.lead)
    response = client.post(reverse(name, args=[cast.case.pk]), data)
    assert response.status_code == 400
    assert "There is a problem" in response.text and "govuk-error-message" in response.text


def test_a_need_or_closure_that_is_not_on_this_case_is_not_found(cast: Cast) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(cast.lead)
    for name, args in [
        ("rehab:update_need", [cast.case.pk, 999999]),
        ("rehab:sign_off_closing", [cast.case.pk, 999999]),
        ("rehab:record_follow_up", [cast.case.pk, 999999]),
    ]:
        assert client.post(reverse(name, args=args), {"state": "met"}).status_code == 404, name


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
    response = client.post(reverse("rehab:move_referral", args=[referral.pk, "flying"]))
    assert response.status_code == 400 and "Choose what happens next" in response.text
