"""Signing in, as an attacker and as the people who work here: a password guesser is locked out and the DPO
sees it; a cleared officer gives a code after the password; someone sets up a second factor of their own;
a session left alone ends."""

from __future__ import annotations

import base64
import re
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DEMO_PASSWORD, assert_accessible, give_code, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_world")]


def _try_password(page: Page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_five_wrong_passwords_lock_the_account_and_the_dpo_sees_it(page: Page) -> None:
    for guess in range(4):
        _try_password(page, "probation.officer", f"guess-{guess}")
        expect(page.get_by_text("Enter a correct username and password")).to_be_visible()
    _try_password(page, "probation.officer", "guess-5")
    expect(page.get_by_role("heading", name="Sign-in is locked for now")).to_be_visible()
    assert_accessible(page)
    _try_password(page, "probation.officer", DEMO_PASSWORD)  # the right password no longer opens it
    expect(page.get_by_role("heading", name="Sign-in is locked for now")).to_be_visible()

    AccessAttempt.objects.all().delete()  # an administrator unlocks (this address is locked too)
    sign_in(page, "dpo")
    page.get_by_role("link", name="Lockouts, failed sign-ins and changes of access").click()
    expect(page.get_by_role("heading", name="Access and sign-in", level=1)).to_be_visible()
    failures = page.locator("#failures ~ table").first
    expect(failures.get_by_role("row", name=re.compile("probation.officer .* Yes")).first).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Sign-in locked out.*probation.officer"))).to_be_visible()
    assert_accessible(page)


def test_a_counter_terrorism_officer_gives_a_code_after_the_password(page: Page) -> None:
    _try_password(page, "ct.police", DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Enter the code from your authenticator app")).to_be_visible()
    page.goto("/caseload/")  # no page opens before the code
    expect(page.get_by_role("heading", name="Enter the code from your authenticator app")).to_be_visible()
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("The code is not right").first).to_be_visible()
    assert_accessible(page)
    page.wait_for_timeout(1100)  # django-otp makes the next try wait a second after a wrong code
    give_code(page, "ct.police")
    expect(page).to_have_url(re.compile("/caseload/$"))


def test_a_mentor_turns_on_a_second_factor_and_is_asked_for_it_next_time(page: Page) -> None:
    sign_in(page, "ngo.mentor")
    page.get_by_role("link", name=re.compile(r"\(your account\)")).click()
    page.get_by_role("link", name="Set up a second factor").click()
    expect(page.get_by_role("heading", name="Set up your second factor")).to_be_visible()
    expect(page.locator(".tc-qr-code svg")).to_be_visible()
    assert_accessible(page)
    key = base64.b32decode(page.get_by_test_id("totp-key").inner_text().replace(" ", ""))
    page.get_by_label("Code").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_test_id("recovery-codes").get_by_role("listitem")).to_have_count(10)
    recovery = page.get_by_test_id("recovery-codes").get_by_role("listitem").first.inner_text()
    assert_accessible(page)

    page.context.clear_cookies()
    _try_password(page, "ngo.mentor", DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Enter the code from your authenticator app")).to_be_visible()
    page.get_by_label("Code").fill(recovery)  # the phone is lost: a recovery code, once
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("You signed in with a recovery code; 9 left")).to_be_visible()


def test_a_session_left_alone_for_half_an_hour_ends(page: Page) -> None:
    sign_in(page, "probation.officer")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        page.goto("/caseload/")
        expect(page.get_by_role("heading", name="Sign in to Throughcare")).to_be_visible()
        expect(page.get_by_text("You were signed out after 30 minutes without activity")).to_be_visible()
