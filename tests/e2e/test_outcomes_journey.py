"""Outcomes: the public reads protected figures without signing in; an analyst prepares a release and a
second person publishes it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_world")]


def test_the_public_reads_the_published_statistics_without_signing_in(page: Page) -> None:
    page.goto("/statistics/")
    expect(page.get_by_role("heading", name="Outcome statistics", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Reoffending after release from terrorism sentences").click()
    expect(page.get_by_role("heading", name="Terrorism offence within two years")).to_be_visible()
    expect(page.get_by_role("img", name="Survival curve").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("[c]")
    expect(page.get_by_role("table", name="Published studies")).to_contain_text("Renard (2020)")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename.endswith(".csv")


def test_an_analyst_prepares_a_release_and_the_data_protection_officer_publishes_it(page: Page) -> None:
    sign_in(page, "analyst")
    page.get_by_role("link", name="Statistics work").click()
    expect(page.get_by_role("heading", name="Statistics work", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Any proven reoffence within one year, by gender").click()
    expect(page.get_by_role("heading", name="How this was measured")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Statistics work").click()
    page.get_by_text("Draft a release").click()
    page.get_by_label("Title").fill("One-year reoffending by gender")
    page.get_by_label("Any proven reoffence within one year, by gender").check()
    page.get_by_role("button", name="Draft the release").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Release drafted")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Submitted")
    expect(page.get_by_text("(not you: you prepared it)")).to_be_visible()
    sign_in(page, "dpo")
    page.get_by_role("link", name="One-year reoffending by gender").click()
    assert_accessible(page)
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Published")
    page.get_by_role("link", name="Read it as the public does").click()
    expect(page.get_by_role("heading", name="One-year reoffending by gender", level=1)).to_be_visible()
