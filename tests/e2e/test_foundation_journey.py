from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, section, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_world")]


def test_probation_officer_adds_a_note_that_appears_without_reload(page: Page) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert_accessible(page)

    sign_in(page, "probation.officer")
    expect(page.get_by_role("heading", name="Your cases", level=1)).to_be_visible()  # her home
    expect(page.get_by_role("heading", name="Deadlines today and this week")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Caseload", exact=True).click()
    expect(page.get_by_role("heading", name="My caseload")).to_be_visible()
    expect(page.get_by_text("Lead · Community offender manager").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Phase").click()  # sort by phase, journey order
    page.locator("table tbody tr a").first.click()
    expect(page.get_by_role("heading", name="Case team")).to_be_visible()  # the overview
    assert_accessible(page)
    section(page, "Timeline")
    expect(page.get_by_role("heading", name="Timeline", level=1)).to_be_visible()
    assert_accessible(page)

    page.evaluate("window.__stillTheSamePage = true")
    page.get_by_label("Category", exact=True).select_option(label="Interventions and progress")
    page.get_by_label("Fact", exact=True).check()
    page.get_by_label("Note", exact=True).fill("Discussed the work placement; keen to start on Monday.")
    page.get_by_role("button", name="Add note").click()

    entry = page.locator("#timeline-entries article").first
    expect(entry).to_contain_text("Discussed the work placement; keen to start on Monday.")
    expect(entry).to_contain_text("Maren Holt, Probation")
    expect(page.get_by_text("Note added to the timeline.")).to_be_visible()
    assert page.evaluate("window.__stillTheSamePage") is True  # no reload happened
    expect(page.get_by_label("Note", exact=True)).to_have_value("")
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to Throughcare")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_a_bad_note_shows_the_error_next_to_the_field(page: Page) -> None:
    sign_in(page, "probation.officer")
    page.locator("table tbody tr a").first.click()
    section(page, "Timeline")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a category")
    expect(page.locator("#note-form .govuk-error-message").first).to_be_visible()
    assert_accessible(page)


def test_a_stranger_cannot_open_someone_elses_case(page: Page) -> None:
    from throughcare.accounts.models import User
    from throughcare.cases.models import Case

    mentor = User.objects.get(username="ngo.mentor")
    hidden = Case.objects.exclude(pk__in=Case.objects.visible_to(mentor)).first()
    assert hidden is not None
    sign_in(page, "ngo.mentor")
    response = page.goto(f"/cases/{hidden.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
