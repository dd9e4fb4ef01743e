"""Each role lands on its home after signing in and reaches its main task from there."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_world")]


def test_a_probation_officer_starts_with_this_weeks_deadlines_and_opens_one(page: Page) -> None:
    sign_in(page, "probation.officer")
    expect(page.get_by_role("heading", name="Your cases", level=1)).to_be_visible()
    deadlines = page.locator("table.tc-attention").first
    expect(deadlines.get_by_role("columnheader", name="Owner")).to_be_visible()
    assert_accessible(page)
    first = deadlines.locator("tbody tr").first
    reference = first.locator("td").first.locator(".tc-timeline-meta").inner_text()
    first.locator("td").nth(1).get_by_role("link").click()  # where it is done
    expect(page.locator("main")).to_contain_text(reference)  # on the page where it is done


def test_a_manager_sees_overdue_work_by_officer_and_its_course(page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, "probation.manager")  # the longest menu: case work, emergency access
    tops = page.locator("#navigation > li").evaluate_all("items => items.map(i => i.offsetTop)")
    assert len(tops) >= 7 and len(set(tops)) == 1, "the menu fits on one row at 1280 px"
    expect(page.get_by_role("heading", name="Your agencies", level=2)).to_be_visible()
    expect(page.get_by_role("table", name="Overdue by officer")).to_be_visible()
    expect(page.get_by_role("img", name="Overdue items at the start of each week")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Everything that needs attention in your agencies' cases").click()
    expect(page.get_by_role("link", name="My agencies' cases")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("columnheader", name="Owner").first).to_be_visible()
    assert_accessible(page)


def test_a_panel_chair_starts_with_her_conferences_and_opens_one(page: Page) -> None:
    sign_in(page, "panel.chair")
    expect(page.get_by_role("heading", name="Your conferences", level=2)).to_be_visible()
    expect(page.get_by_role("heading", name="Requests waiting for a decision")).to_be_visible()
    assert_accessible(page)
    page.locator("section[aria-labelledby=home-chair] ul a").first.click()
    expect(page.get_by_role("heading", name="Agenda")).to_be_visible()


def test_the_data_protection_officer_starts_with_reviews_and_requests(page: Page) -> None:
    sign_in(page, "dpo")
    expect(page.get_by_role("heading", name="Data protection", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Subject access requests to answer")).to_be_visible()
    expect(page.get_by_role("link", name="Caseload", exact=True)).to_have_count(0)  # no case work
    assert_accessible(page)
    page.get_by_role("link", name="All subject access requests, and recording a new one").click()
    expect(page.get_by_role("heading", name="Subject access requests", level=1)).to_be_visible()


def test_an_analyst_sees_the_reference_data_of_the_cases(page: Page) -> None:
    sign_in(page, "analyst")
    expect(page.get_by_role("heading", name="Statistics and research", level=1)).to_be_visible()
    expect(page.get_by_role("table", name="The sharing rules by kind of agency")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="The programme catalogue").click()
    expect(page.get_by_role("heading", name="Programmes and services", level=1)).to_be_visible()


def test_an_administrator_reaches_the_jurisdiction_profiles(page: Page) -> None:
    sign_in(page, "admin")
    expect(page.get_by_role("heading", name="Administration", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Jurisdiction profiles").click()
    expect(page.get_by_role("heading", name="Select jurisdiction profile to change")).to_be_visible()
    assert_accessible(page, preload=False)
    # Every administration page a lead or administrator uses passes axe too (the case team's inline
    # fields have labels; the sharing rules' modes are named for their rows).
    for listing in [
        "cases/case",
        "accounts/user",
        "accounts/membership",
        "accounts/agency",
        "jurisdictions/jurisdictionprofile",
        "sharing/sharingrule",
        "rehab/programme",
    ]:
        page.goto(f"/admin/{listing}/")
        assert_accessible(page, preload=False)
        if listing == "sharing/sharingrule":
            continue
        page.locator("#result_list tbody tr th a").first.click()
        expect(page.get_by_role("button", name="Save", exact=True)).to_be_visible()
        assert_accessible(page, preload=False)
    page.goto("/admin/accounts/membership/add/")
    assert_accessible(page, preload=False)


def test_the_calendar_shows_the_month_and_gives_a_feed_address_once(page: Page) -> None:
    sign_in(page, "probation.officer")
    page.get_by_role("link", name="Calendar", exact=True).click()
    expect(page.get_by_role("heading", name="Calendar", level=1)).to_be_visible()
    assert_accessible(page, preload=False)
    page.get_by_role("button", name="Make a feed address").click()
    address = page.get_by_label("Your feed address (shown only now)")
    expect(address).to_have_value(re.compile(r"/calendar/feed/.+\.ics$"))
    feed = page.request.get(address.input_value())
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in feed.text()
    page.reload()
    expect(page.get_by_label("Your feed address (shown only now)")).to_have_count(0)
    page.get_by_role("link", name="Agenda (next four weeks)").click()
    assert_accessible(page, preload=False)
