"""The administration holds up against any input: a value that is no id, a form count of a hundred million,
a date at the calendar's edge — each a message, never a server error or a minute's wait."""

from __future__ import annotations

import pytest
from django.urls import reverse

from throughcare.accounts.models import Role, User
from throughcare.test import Cast, make_user

pytestmark = pytest.mark.django_db


def _admin(cast: Cast) -> User:
    admin = make_user("site.admin", cast.probation, Role.ADMIN)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    return admin


def test_a_huge_form_count_is_refused_at_once(cast: Cast) -> None:
    client = cast.client_for(_admin(cast))
    user = cast.stranger
    response = client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        {
            "username": user.username,
            "kind": "person",
            "memberships-TOTAL_FORMS": "100000000",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    # Refused after building at most 60 forms (absolute_max), not two thousand (Django's default).
    assert "Please submit at most 50 forms" in response.content.decode()


@pytest.mark.parametrize("typed", ["abc", "²", "9" * 30])
def test_a_choice_that_is_no_id_is_an_invalid_choice(cast: Cast, typed: str) -> None:
    client = cast.client_for(_admin(cast))
    response = client.post(
        reverse("admin:risk_certification_add"),
        {"user": typed, "instrument_code": "demo", "certified_on": "2026-01-05", "expires_on": "2027-01-05"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_a_date_at_the_calendars_edge_is_refused_next_to_its_field(cast: Cast) -> None:
    client = cast.client_for(_admin(cast))
    response = client.post(
        reverse("admin:risk_certification_add"),
        {
            "user": cast.lead.pk,
            "instrument_code": "demo",
            "certified_on": "0001-01-01",
            "expires_on": "9999-12-31",
        },
    )
    assert response.status_code == 200
    assert "must be between 1900 and 2199" in response.content.decode()


def test_instruments_are_imported_not_added_in_the_administration(cast: Cast) -> None:
    client = cast.client_for(_admin(cast))
    assert client.get(reverse("admin:risk_instrument_add")).status_code == 403


def test_a_nul_byte_in_an_address_is_a_bad_request_not_a_database_error(cast: Cast) -> None:
    admin = cast.client_for(_admin(cast))
    assert admin.get("/admin/accounts/user/", {"kind__exact": "a\x00b"}).status_code == 400
    assert admin.get("/admin/accounts/user/", {"q": "\x00"}).status_code == 400
    lead = cast.client_for(cast.lead)
    assert lead.get("/caseload/", {"phase": "\x00"}).status_code == 400
    assert lead.get("/caseload/", {"phase": "community"}).status_code == 200
