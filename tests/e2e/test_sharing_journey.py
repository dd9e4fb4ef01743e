from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, section, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_world")]


def _showcase() -> tuple[int, str]:
    from throughcare.sharing.models import IntelligenceFlag

    case = IntelligenceFlag.objects.get().case
    return case.pk, case.reference


def test_a_mentor_sees_that_intelligence_exists_but_not_what_it_says(page: Page) -> None:
    case_id, _ = _showcase()
    sign_in(page, "ngo.mentor")
    expect(page.get_by_text("Restricted case: contact Maren Holt, the case lead.")).to_be_visible()
    page.goto(f"/cases/{case_id}/")
    expect(page.get_by_role("heading", name="Intelligence exists")).to_be_visible()
    expect(page.get_by_text("Its content is held by cleared officers")).to_be_visible()
    expect(page.get_by_text("tried to buy ammunition")).to_have_count(0)
    assert_accessible(page)


def test_the_lead_reviews_sharing_and_prints_what_is_shared(page: Page) -> None:
    case_id, _ = _showcase()
    sign_in(page, "probation.officer")
    page.goto(f"/cases/{case_id}/")
    section(page, "Sharing")
    expect(page.get_by_role("heading", name="Agreements in force")).to_be_visible()
    expect(page.get_by_text("local prevention and safeguarding coordination")).to_be_visible()
    expect(page.get_by_text("Withdrawn", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Share with another agency").click()
    page.get_by_role("button", name="Share").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the agency to share with")
    assert_accessible(page)
    page.goto(f"/cases/{case_id}/shared-about-me/")
    expect(page.get_by_role("heading", name="What we share about you")).to_be_visible()
    assert_accessible(page)


def test_the_data_protection_officer_reviews_break_glass_and_answers_a_subject_access_request(
    page: Page,
) -> None:
    _, reference = _showcase()
    sign_in(page, "dpo")
    page.get_by_role("link", name="Break-glass review").click()
    expect(page.get_by_text("could not be reached out of hours")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="What they looked at").click()
    expect(page.get_by_role("heading", name="Who accessed this case")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Subject access").click()
    page.get_by_label("Case reference of the person").fill(reference)
    page.get_by_label("Date received").fill("2026-11-20")
    page.get_by_label("How it was received").fill("Letter handed to the probation officer")
    page.get_by_role("button", name="Open request").click()
    expect(page.get_by_role("heading", name="Withheld from the person")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Category to withhold").select_option(label="Intelligence")
    page.get_by_label("Protect national security").check()
    page.get_by_label("Reasons (for the supervisory authority, never sent to the person)").fill(
        "Would reveal a partner service's source"
    )
    page.get_by_role("button", name="Withhold").click()
    page.get_by_role("link", name="Produce the person's copy").click()
    expect(page.get_by_text("Some information has been withheld from this copy")).to_be_visible()
    expect(page.get_by_text("tried to buy ammunition")).to_have_count(0)
    assert_accessible(page)


def test_the_probation_officer_reads_an_assessment_and_cannot_use_a_licensed_instrument(page: Page) -> None:
    case_id, _ = _showcase()
    sign_in(page, "probation.officer")
    page.goto(f"/cases/{case_id}/")
    section(page, "Risk")
    page.get_by_role("link", name="Risk assessments").click()
    expect(page.get_by_text("you are not certified for it")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Throughcare demonstration instrument (not validated) 1.0").click()
    expect(page.get_by_text("This is not a score.")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/cases/{case_id}/risk/plan/")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", name="Version 1 and version 2 side by side")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/cases/{case_id}/risk/information/")
    page.get_by_label("No action").check()
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Information acknowledged.")).to_be_visible()
    assert_accessible(page)
