"""The case page as a practitioner meets it: an overview of at most two screens, sections one click away in
its sub-navigation, and the case team managed by its lead."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.e2e.conftest import assert_accessible, section, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_world")]

SCREEN: ViewportSize = {"width": 1280, "height": 800}


def _cases_of(username: str) -> list[int]:
    from throughcare.cases.models import CaseTeamMember

    places = CaseTeamMember.objects.active().filter(user__username=username).order_by("case_id")
    return list(places.values_list("case_id", flat=True))


def _showcase() -> int:
    from throughcare.sharing.models import IntelligenceFlag

    return IntelligenceFlag.objects.get().case_id


@pytest.mark.parametrize("username", ["probation.officer", "ct.police"])
def test_every_overview_fits_in_two_screens(page: Page, username: str) -> None:
    page.set_viewport_size(SCREEN)
    sign_in(page, username)
    heights = {}
    for case_id in _cases_of(username):
        page.goto(f"/cases/{case_id}/")
        # where the overview's content ends (the site footer below it is the same on every page)
        heights[case_id] = page.evaluate(
            "window.scrollY + document.querySelector('main').getBoundingClientRect().bottom"
        )
    fullest = max(heights, key=lambda k: heights[k])
    assert heights[fullest] <= 2 * SCREEN["height"], f"case {fullest} is {heights[fullest]}px tall"
    page.goto(f"/cases/{fullest}/")
    for heading in ["Due or overdue", "Case team", "Phase"]:
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    assert_accessible(page)


def test_the_overview_leads_with_what_matters_and_every_section_is_a_page(page: Page) -> None:
    page.set_viewport_size(SCREEN)
    case_id = _showcase()
    sign_in(page, "probation.officer")
    page.goto(f"/cases/{case_id}/")
    for heading in ["Intelligence exists", "Responsible now", "Latest risk judgement", "Due or overdue"]:
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    assert_accessible(page)
    pages = {
        "Timeline": "/timeline/",
        "Custody and licence": "/custody/",
        "Risk": "/risk/",
        "Rehabilitation": "/rehabilitation/",
        "Conferences": "/requests/",
        "Sharing": "/sharing/",
    }
    for name, path in pages.items():
        section(page, name)
        expect(page).to_have_url(re.compile(f"/cases/{case_id}{path}$"))
        current = page.get_by_role("navigation", name=re.compile("^Sections of case")).locator(
            "[aria-current=page]"
        )
        expect(current).to_have_text(name)
        assert_accessible(page)


def test_a_partner_sees_only_the_sections_of_what_they_hold(page: Page) -> None:
    sign_in(page, "ngo.mentor")
    page.goto(f"/cases/{_showcase()}/")
    nav = page.get_by_role("navigation", name=re.compile("^Sections of case"))
    expect(nav.get_by_role("link", name="Timeline")).to_be_visible()
    expect(nav.get_by_role("link", name="Custody and licence")).to_have_count(0)  # no legal data
    response = page.goto(f"/cases/{_showcase()}/custody/")
    assert response is not None and response.status == 404


def test_the_lead_manages_the_case_team_in_the_app(page: Page) -> None:
    case_id = _showcase()
    sign_in(page, "probation.officer")
    page.goto(f"/cases/{case_id}/")
    page.get_by_role("link", name="Manage the case team").click()
    expect(page.get_by_role("heading", name="Case team", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Worker").select_option(label="Samira El Fassaoui")
    page.get_by_label("Acting for").select_option(label="Westmark Prison")
    page.get_by_role("button", name="Add to the team").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("does not work for Westmark Prison")
    expect(page.get_by_label("Worker")).to_have_value(re.compile(r"\d+"))  # what was chosen is kept
    assert_accessible(page)
    page.get_by_label("Acting for").select_option(label="Turning Point Exit Programme")
    page.get_by_label("Function (optional)").fill("Faith mentor")
    page.get_by_role("button", name="Add to the team").click()
    expect(page.get_by_text("Samira El Fassaoui joined the case team.")).to_be_visible()

    card = page.locator(".govuk-summary-card", has_text="Samira El Fassaoui")
    card.get_by_text("Change Samira El Fassaoui's role or function").click()
    card.get_by_label("Function").fill("Faith and family mentor")
    card.get_by_role("button", name=re.compile("^Save the change")).click()
    expect(page.get_by_text("Samira El Fassaoui's place on the team is changed.")).to_be_visible()

    card = page.locator(".govuk-summary-card", has_text="Samira El Fassaoui")
    card.get_by_text("End Samira El Fassaoui's place").click()
    card.get_by_role("button", name=re.compile("^End the place")).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason their place ends")
    card = page.locator(".govuk-summary-card", has_text="Samira El Fassaoui")
    card.get_by_label("Why their place ends").fill("The faith programme ended")
    card.get_by_role("button", name=re.compile("^End the place")).click()
    expect(page.get_by_text("Samira El Fassaoui's place on the team has ended.")).to_be_visible()
    expect(page.get_by_role("heading", name="Were on the team")).to_be_visible()

    section(page, "Timeline")
    expect(page.get_by_text("Samira El Fassaoui (Turning Point) joined the case team")).to_be_visible()
    expect(page.get_by_text("left the case team").first).to_be_visible()
    expect(page.get_by_text("Reason: The faith programme ended")).to_be_visible()


def test_a_refused_licence_form_keeps_the_entries_and_says_what_to_fix(page: Page) -> None:
    sign_in(page, "probation.officer")
    page.goto(f"/cases/{_showcase()}/licence/")
    form = page.locator("form", has=page.get_by_role("button", name="Record", exact=True))
    form.get_by_label("Appointment kept").check()
    form.get_by_label("Note").fill("Came on time")
    form.get_by_role("button", name="Record", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date")
    expect(page.locator("#id_note")).to_have_value("Came on time")
    assert_accessible(page)
