"""Signing in holds against a password-guessing attacker and a forgotten session: lockout after repeated
failures (per username and per address, audited, shown to the DPO), a second factor for whoever needs one
(the administration too), an idle timeout and an absolute lifetime."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import Settings

from throughcare.accounts.models import Role, User
from throughcare.audit.models import AuditEvent
from throughcare.test import PASSWORD, Cast, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _sign_in(client: Client, username: str, password: str = PASSWORD, address: str = "10.0.0.1") -> int:
    response = client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)
    return response.status_code


@pytest.fixture
def second_factor_on(settings: Settings) -> None:
    settings.SECOND_FACTOR_REQUIRED = True


def test_five_wrong_passwords_lock_the_account_even_with_the_right_one_then(cast: Cast) -> None:
    client = Client()
    for _ in range(4):
        assert _sign_in(client, "lead.officer", "wrong password") == 200
    assert _sign_in(client, "lead.officer", "wrong password") == 429  # the fifth locks
    assert _sign_in(client, "lead.officer") == 429  # the right password, now refused
    assert "_auth_user_id" not in client.session
    assert (
        "Sign-in is locked for now"
        in client.post(LOGIN, {"username": "lead.officer", "password": PASSWORD}).content.decode()
    )
    # From another address too: the username is locked, wherever the guesses come from.
    assert _sign_in(Client(), "lead.officer", address="10.9.9.9") == 429
    # Audited once for each address tried while locked (not once per refused try).
    events = AuditEvent.objects.filter(justification="sign-in locked out")
    assert {(e.details["username"], e.details["address"]) for e in events} == {
        ("lead.officer", "10.0.0.1"),
        ("lead.officer", "127.0.0.1"),
        ("lead.officer", "10.9.9.9"),
    } and events.count() == 3
    page = cast.client_for(cast.auditor).get(reverse("cases:access_oversight")).content.decode()
    assert "lead.officer" in page and "10.0.0.1" in page


def test_guessing_many_usernames_from_one_address_locks_the_address(cast: Cast) -> None:
    client = Client()
    for name in ["a.one", "b.two", "c.three", "d.four", "e.five"]:
        _sign_in(client, name, "guess", address="10.6.6.6")
    assert _sign_in(client, "prison.manager", address="10.6.6.6") == 429
    assert _sign_in(Client(), "prison.manager", address="10.0.0.7") == 302  # another address is not locked


def test_the_lock_lifts_after_the_cool_off(cast: Cast) -> None:
    client = Client()
    for _ in range(5):
        _sign_in(client, "lead.officer", "wrong password")
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert _sign_in(client, "lead.officer") == 302


def test_a_cleared_user_must_set_up_then_give_a_second_factor(cast: Cast, second_factor_on: None) -> None:
    client = Client()
    assert _sign_in(client, "police.liaison") == 302
    case_page = reverse("cases:detail", args=[cast.case.pk])
    answer = client.get(case_page)
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("signin:verify"))
    set_up = client.get(answer["Location"], follow=True)
    assert set_up.request["PATH_INFO"] == reverse("signin:set_up")
    device = TOTPDevice.objects.get(user=cast.police_liaison, confirmed=False)
    wrong = client.post(reverse("signin:set_up"), {"code": "000000", "next": case_page})
    assert wrong.status_code == 400 and "The code is not right" in wrong.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # its wait: django-otp's
    done = client.post(reverse("signin:set_up"), {"code": f"{totp(device.bin_key):06d}", "next": case_page})
    codes = client.get(done["Location"]).content.decode()
    assert codes.count("<li><code>") == 10
    assert client.get(case_page).status_code == 200
    assert AuditEvent.objects.filter(justification="second factor set up", actor=cast.police_liaison).exists()


def _with_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def test_a_person_with_a_second_factor_gives_the_code_after_the_password(
    cast: Cast, second_factor_on: None
) -> None:
    device = _with_device(cast.police_liaison)
    client = Client()
    _sign_in(client, "police.liaison")
    case_page = reverse("cases:detail", args=[cast.case.pk])
    verify = client.get(case_page)["Location"]
    wrong = client.post(verify, {"code": "123456", "next": case_page})
    assert wrong.status_code == 400 and "The code is not right" in wrong.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the throttle's wait after a wrong code is tested by django-otp
    device.save()
    right = client.post(verify, {"code": f"{totp(device.bin_key):06d}", "next": case_page})
    assert right["Location"] == case_page
    assert client.get(case_page).status_code == 200


def test_a_recovery_code_works_once_and_is_audited(cast: Cast, second_factor_on: None) -> None:
    _with_device(cast.police_liaison)
    from throughcare.workspace.signin import _new_recovery_codes

    code = _new_recovery_codes(cast.police_liaison)[0]
    client = Client()
    _sign_in(client, "police.liaison")
    assert client.post(reverse("signin:verify"), {"code": code})["Location"] == reverse("cases:home")
    assert not StaticToken.objects.filter(token=code).exists()
    assert AuditEvent.objects.filter(justification="signed in with a recovery code").exists()


def test_the_administration_asks_for_the_second_factor(cast: Cast, second_factor_on: None) -> None:
    admin = make_user("site.admin", cast.probation, Role.ADMIN)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    _with_device(admin)
    client = Client()
    client.force_login(admin)
    assert client.get("/admin/")["Location"].startswith(reverse("signin:verify"))


def test_the_session_api_asks_for_the_second_factor_too(cast: Cast, second_factor_on: None) -> None:
    _with_device(cast.police_liaison)
    client = Client()
    client.force_login(cast.police_liaison)
    assert client.get("/api/v1/cases").status_code == 401


def test_someone_who_needs_no_second_factor_signs_in_with_the_password(
    cast: Cast, second_factor_on: None
) -> None:
    client = Client()
    _sign_in(client, "ngo.mentor")
    assert client.get(reverse("cases:home")).status_code == 200


def test_a_session_ends_after_thirty_idle_minutes_and_after_its_lifetime(cast: Cast) -> None:
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _sign_in(client, "lead.officer")
        assert client.get(reverse("cases:home")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get(reverse("cases:home")).status_code == 200  # activity keeps it alive
    with time_machine.travel(start + timedelta(minutes=58), tick=False):
        assert client.get(reverse("cases:home")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=89), tick=False):
        idle = client.get(reverse("cases:home"), follow=True)
    assert idle.request["PATH_INFO"] == LOGIN
    assert "signed out after 30 minutes without activity" in idle.content.decode()

    client = Client()
    with time_machine.travel(start, tick=False):
        _sign_in(client, "lead.officer")
    for minutes in range(20, 10 * 60 + 40, 20):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            answer = client.get(reverse("cases:home"))
    assert answer.status_code == 302  # still active, but past the ten-hour lifetime


def test_case_pages_are_never_stored_and_https_is_enforced_in_production(
    cast: Cast, settings: Settings
) -> None:
    answer = cast.client_for(cast.lead).get(reverse("cases:detail", args=[cast.case.pk]))
    assert answer["Cache-Control"] == "no-store, private"
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get(LOGIN)["Location"].startswith("https://")
    assert "max-age=31536000" in Client().get(LOGIN, secure=True)["Strict-Transport-Security"]


@pytest.mark.parametrize("username", ["x" * 10_050, "a\x00b", "é" * 260])
def test_a_malformed_username_is_refused_by_the_form_not_the_database(cast: Cast, username: str) -> None:
    response = Client().post(LOGIN, {"username": username, "password": "x" * 10_050})
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()


def test_the_password_alone_cannot_turn_off_or_renew_the_second_factor(cast: Cast) -> None:
    _with_device(cast.mentor)
    client = Client()
    _sign_in(client, "ngo.mentor")  # the password, not yet the code
    assert client.post(reverse("signin:turn_off"))["Location"] == reverse("signin:verify")
    assert client.post(reverse("signin:renew_recovery_codes"))["Location"] == reverse("signin:verify")
    assert TOTPDevice.objects.filter(user=cast.mentor).exists()
