"""Separation of duties in the administration: an administrator cannot give themselves access, other
administrators' changes of access are audited and the DPO told, and clearance takes two people."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from throughcare.accounts.models import Membership, Role, User
from throughcare.audit.models import AuditEvent
from throughcare.cases.models import CaseTeamMember
from throughcare.cases.tests.test_team_admin import _formset
from throughcare.notifications.models import Notification
from throughcare.test import Cast, make_user, texts

pytestmark = pytest.mark.django_db


def _administrator(cast: Cast, name: str = "site.admin") -> User:
    admin = make_user(name, cast.probation, Role.ADMIN)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    return admin


def _membership_form(m: Membership, **changes: Any) -> dict[str, Any]:
    data = {
        "user": m.user_id,
        "agency": m.agency_id,
        "role": m.role,
        "is_active": "on" if m.is_active else "",
        **{k: "on" for k in ("intelligence_cleared", "may_break_glass") if getattr(m, k)},
    }
    data |= changes
    return {k: v for k, v in data.items() if v != ""}


def test_an_administrator_cannot_raise_their_own_membership_and_nothing_changes(cast: Cast) -> None:
    admin = _administrator(cast)
    own = Membership.objects.get(user=admin)
    client = cast.client_for(admin)
    url = reverse("admin:accounts_membership_change", args=[own.pk])
    page = client.get(url)
    assert page.status_code == 200 and b'name="intelligence_cleared"' not in page.content  # shown read only
    client.post(url, _membership_form(own, role=Role.PRACTITIONER, intelligence_cleared="on"))
    own.refresh_from_db()
    assert own.role == Role.ADMIN and not own.intelligence_cleared
    assert client.get(reverse("cases:detail", args=[cast.case.pk])).status_code == 404


def test_an_administrator_cannot_grant_themselves_a_new_membership(cast: Cast) -> None:
    admin = _administrator(cast)
    client = cast.client_for(admin)
    response = client.post(
        reverse("admin:accounts_membership_add"),
        {"user": admin.pk, "agency": cast.police.pk, "role": Role.PRACTITIONER, "is_active": "on"},
    )
    assert response.status_code == 200
    assert "You cannot change your own access: ask another administrator." in response.content.decode()
    assert not Membership.objects.filter(user=admin, agency=cast.police).exists()


def test_an_administrator_cannot_make_themselves_a_superuser_or_change_their_memberships_inline(
    cast: Cast,
) -> None:
    admin = make_user("staff.admin", cast.probation, Role.ADMIN)
    admin.is_staff = True
    admin.save()
    page = cast.client_for(admin).get(reverse("admin:accounts_user_change", args=[admin.pk])).content.decode()
    assert 'name="is_superuser"' not in page and 'name="memberships-0-role"' not in page


def test_an_administrator_cannot_put_themselves_on_a_case_team(cast: Cast) -> None:
    admin = _administrator(cast)
    row = {
        "user": str(admin.pk),
        "agency": str(cast.probation.pk),
        "responsibility": "supporting",
        "function": "",
        "started_at": "2026-01-05T09:00:00",
    }
    response = cast.client_for(admin).post(
        reverse("admin:cases_case_change", args=[cast.case.pk]), _formset(cast.case, [row])
    )
    assert "You cannot put yourself on a case team: ask another administrator." in response.content.decode()
    assert not CaseTeamMember.objects.filter(case=cast.case, user=admin).exists()


def test_another_administrators_grant_is_audited_and_the_dpo_told(cast: Cast) -> None:
    admin = _administrator(cast)
    membership = Membership.objects.get(user=cast.stranger)
    response = cast.client_for(admin).post(
        reverse("admin:accounts_membership_change", args=[membership.pk]),
        _membership_form(membership, may_break_glass="on"),
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.may_break_glass
    event = AuditEvent.objects.filter(object_type="accounts.membership").latest("id")
    assert event.actor == admin and event.details["fields"] == ["may_break_glass"]
    told = Notification.objects.get(recipient=cast.auditor)
    assert str(told.subject) == f"{admin} changed the access of {cast.stranger}"
    assert "may break glass: yes" in str(told.body)


def _ask_clearance(client: Client, membership: Membership) -> None:
    response = client.post(
        reverse("admin:accounts_membership_change", args=[membership.pk]),
        _membership_form(membership, intelligence_cleared="on"),
    )
    assert response.status_code == 302


def _approve(client: Client, membership: Membership) -> Any:
    return client.post(
        reverse("admin:accounts_membership_changelist"),
        {"action": "approve_clearance", "_selected_action": [membership.pk]},
        follow=True,
    )


def test_clearance_takes_a_second_administrator(cast: Cast) -> None:
    first, second = _administrator(cast), _administrator(cast, "second.admin")
    membership = Membership.objects.get(user=cast.stranger)
    _ask_clearance(cast.client_for(first), membership)
    membership.refresh_from_db()
    assert not membership.intelligence_cleared and membership.clearance_asked_by == first
    assert Notification.objects.filter(recipient=second, subject__contains="awaits your approval").exists()

    refused = _approve(cast.client_for(first), membership).content.decode()
    assert "Clearance needs a second person" in refused
    membership.refresh_from_db()
    assert not membership.intelligence_cleared

    _approve(cast.client_for(second), membership)
    membership.refresh_from_db()
    assert membership.intelligence_cleared and membership.clearance_asked_by is None
    approved = AuditEvent.objects.filter(justification="intelligence clearance approved").get()
    assert approved.actor == second and approved.details["asked_by"] == first.pk
    told = texts(Notification.objects.filter(recipient=cast.auditor), "subject")
    assert f"{cast.stranger} is cleared for intelligence" in told


def test_the_dpo_sees_changes_of_access_and_clearance_awaiting_approval(cast: Cast) -> None:
    admin = _administrator(cast)
    _ask_clearance(cast.client_for(admin), Membership.objects.get(user=cast.stranger))
    page = cast.client_for(cast.auditor).get(reverse("cases:access_oversight")).content.decode()
    assert f"asked by {admin}" in page
    assert "Intelligence clearance asked" in page
    assert cast.client_for(cast.lead).get(reverse("cases:access_oversight")).status_code == 404


def test_an_administrator_setting_someone_elses_password_is_audited_and_the_dpo_told(cast: Cast) -> None:
    admin = _administrator(cast)
    new = "a-new-long-passphrase-42"
    response = cast.client_for(admin).post(
        reverse("admin:auth_user_password_change", args=[cast.stranger.pk]),
        {"password1": new, "password2": new, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.filter(object_type="accounts.user").latest("id")
    assert event.actor == admin and event.details["fields"] == ["password"]
    assert Notification.objects.filter(recipient=cast.auditor, body__contains="password set").exists()
