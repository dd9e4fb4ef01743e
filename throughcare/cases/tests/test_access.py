"""Every protected page: the owner succeeds, a partner succeeds or is read-only, a stranger gets 404."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from throughcare.accounts.models import Membership
from throughcare.cases.models import Case, CaseTeamMember
from throughcare.test import Cast

pytestmark = pytest.mark.django_db

READ_PAGES = ["cases:detail", "cases:timeline"]


@pytest.mark.parametrize("page", READ_PAGES)
def test_the_case_lead_can_open_the_case(cast: Cast, page: str) -> None:
    response = cast.client_for(cast.lead).get(reverse(page, args=[cast.case.pk]))
    assert response.status_code == 200
    assert "Ada Example" in response.text or page == "cases:timeline"


@pytest.mark.parametrize("page", READ_PAGES)
@pytest.mark.parametrize("member", ["prison_manager", "police_liaison", "mentor"])
def test_partners_on_the_case_team_can_open_the_case(cast: Cast, page: str, member: str) -> None:
    response = cast.client_for(getattr(cast, member)).get(reverse(page, args=[cast.case.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("page", READ_PAGES)
def test_a_manager_of_an_agency_on_the_team_can_read_the_case(cast: Cast, page: str) -> None:
    response = cast.client_for(cast.manager).get(reverse(page, args=[cast.case.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("page", READ_PAGES)
@pytest.mark.parametrize("outsider", ["stranger", "auditor", "analyst"])
def test_anyone_else_gets_not_found_as_if_the_case_did_not_exist(
    cast: Cast, page: str, outsider: str
) -> None:
    client = cast.client_for(getattr(cast, outsider))
    forbidden = client.get(reverse(page, args=[cast.case.pk]))
    missing = client.get(reverse(page, args=[cast.case.pk + 1000]))
    assert forbidden.status_code == missing.status_code == 404
    assert "Ada Example" not in forbidden.text
    assert _without_csrf(forbidden.text) == _without_csrf(missing.text)


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_a_worker_who_left_the_team_keeps_read_access_for_90_days_then_loses_it(cast: Cast) -> None:
    CaseTeamMember.objects.filter(case=cast.case, user=cast.mentor).update(ended_at=timezone.now())
    url = reverse("cases:detail", args=[cast.case.pk])
    with time_machine.travel(timezone.now() + timedelta(days=89)):
        page = cast.client_for(cast.mentor).get(url)
        assert page.status_code == 200
        assert "former case team member (read access until" in page.text
        assert "Add note" not in page.text
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        assert cast.client_for(cast.mentor).get(url).status_code == 404


def test_a_worker_who_left_their_agency_no_longer_sees_the_case(cast: Cast) -> None:
    Membership.objects.filter(user=cast.police_liaison).update(is_active=False)
    response = cast.client_for(cast.police_liaison).get(reverse("cases:detail", args=[cast.case.pk]))
    assert response.status_code == 404


def test_a_manager_loses_sight_when_their_agency_leaves_the_team(cast: Cast) -> None:
    other_case = Case.objects.create(reference="X-1", person=cast.case.person)
    CaseTeamMember.objects.create(
        case=other_case,
        user=cast.police_liaison,
        agency=cast.police,
        responsibility=CaseTeamMember.Responsibility.LEAD,
    )
    response = cast.client_for(cast.manager).get(reverse("cases:detail", args=[other_case.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("page", "data"),
    [
        ("cases:add_note", {"category": "general", "nature": "fact", "body": "Seen at home."}),
        ("cases:edit_person", {}),
    ],
)
def test_writing_is_for_the_team_read_only_for_managers_and_404_for_strangers(
    cast: Cast, page: str, data: dict[str, str]
) -> None:
    url = reverse(page, args=[cast.case.pk])
    assert cast.client_for(cast.stranger).post(url, data).status_code == 404
    assert cast.client_for(cast.manager).post(url, data).status_code == 403
    assert cast.client_for(cast.lead).post(url, data).status_code in (200, 302, 400)


def test_pages_need_a_signed_in_user(client: object, cast: Cast) -> None:
    from django.test import Client

    assert isinstance(client, Client)
    for url in [
        reverse("cases:caseload"),
        reverse("cases:detail", args=[cast.case.pk]),
        reverse("cases:search"),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_an_htmx_request_with_an_expired_session_is_sent_to_the_login_page(
    client: object, cast: Cast
) -> None:
    from django.test import Client

    assert isinstance(client, Client)
    response = client.get(reverse("cases:timeline", args=[cast.case.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 401
    assert response["HX-Redirect"] == reverse("login")


def test_an_administrator_sees_no_case_data_in_the_app(cast: Cast) -> None:
    from throughcare.test import make_user

    admin = make_user("sys.admin", cast.probation, "admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    assert cast.client_for(admin).get(reverse("cases:detail", args=[cast.case.pk])).status_code == 404
