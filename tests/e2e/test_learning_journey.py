"""Learning: a trainer turns a case into a training case, the data protection officer compares it with the
case and approves it, and a trainee works through it; a manager reads a concluded case review, and everyone
reads the lessons library."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, section, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_world")]

TITLE = "Planning a woman's release with her family"


def _case_of(full_name: str) -> int:
    from throughcare.cases.models import Case

    given, family = full_name.split(" ")
    return Case.objects.get(person__given_name=given, person__family_name=family).pk


def test_from_a_case_to_an_approved_training_case_and_through_it(page: Page) -> None:
    marta = _case_of("Marta Lindahl")

    # The trainer builds a training case from a case she supervises.
    sign_in(page, "trainer")
    page.goto(f"/cases/{marta}/")
    section(page, "Reviews")
    page.get_by_role("link", name="Make a training case from this case").click()
    expect(page.get_by_role("heading", name="Make a training case from this case")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Build the training case").click()
    expect(page.get_by_text("Give the training case a title").first).to_be_visible()  # next to the field
    page.get_by_label("Title of the training case").fill(TITLE)
    page.get_by_role("button", name="Build the training case").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Training case built")
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    main = page.locator("main")
    expect(main).not_to_contain_text("Lindahl")
    expect(main).not_to_contain_text("Marta")
    assert_accessible(page)

    # The data protection officer compares it with the case, side by side, and approves it.
    sign_in(page, "dpo")
    page.get_by_role("link", name="Learning", exact=True).click()
    page.get_by_role("link", name="Waiting for review").click()
    page.get_by_role("link", name=f"Review “{TITLE}”").click()
    expect(page.get_by_role("heading", name=f"Review “{TITLE}”")).to_be_visible()
    expect(page.locator("mark.tc-mark").first).to_be_visible()
    expect(page.locator("table.tc-side-by-side").first).to_contain_text("Marta Lindahl")  # the original
    assert_accessible(page)
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Save your decision").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Training case approved")

    # The trainee works through it: the decision is revealed only once answered.
    sign_in(page, "trainee")
    page.get_by_role("link", name="Learning", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="Start the scenario").click()
    expect(page.get_by_role("heading", name="Decision point 1 of", exact=False)).to_be_visible()
    expect(page.get_by_text("What was decided")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Record my answer and see what happened").click()
    expect(page.get_by_text("Say what you would do").first).to_be_visible()
    page.get_by_label("What would you do?").fill("Plan the release with the prison and her family")
    page.get_by_label("Why?").fill("Her children are her strongest reason to stay away from the network")
    page.get_by_role("button", name="Record my answer and see what happened").click()
    expect(page.get_by_text(re.compile("What was decided")).first).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Lindahl")
    assert_accessible(page)


def test_a_manager_reads_a_concluded_review_and_everyone_reads_the_lessons(page: Page) -> None:
    sign_in(page, "probation.manager")
    page.goto(f"/cases/{_case_of('Nourdin Yilmazer')}/")
    section(page, "Reviews")
    page.get_by_role("link", name="Near miss review").click()
    expect(page.get_by_role("heading", name="Chronology of decision points")).to_be_visible()
    expect(page.get_by_text("What did not work").first).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("ammunition")  # an intelligence point: not his
    assert_accessible(page)

    sign_in(page, "ngo.mentor")
    page.get_by_role("link", name="Learning", exact=True).click()
    page.get_by_role("link", name="Lessons library").click()
    expect(page.get_by_role("heading", name="Lessons library", level=1)).to_be_visible()
    page.get_by_label("Search lessons").fill("owner")
    page.get_by_role("button", name="Show lessons").click()
    expect(page.get_by_text("1 lesson.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role(
        "link", name="Information from abroad needs one named owner from the day it arrives"
    ).click()
    expect(page.get_by_role("link", name="From the prison gate to the first appointment")).to_be_visible()
    assert_accessible(page)
