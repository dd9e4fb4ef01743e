"""How pages behave whatever is being done on them: a form is sent once, however often it is clicked; a form
sent in place can be sent again after a refusal; printing leaves out navigation, forms and link addresses."""

from __future__ import annotations

import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import Page, Route, expect

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_world")]


def test_a_slow_form_is_sent_once_however_often_it_is_submitted(page: Page) -> None:
    sign_in(page, "panel.chair")
    page.goto("/conferences/")
    page.get_by_label("Case conference").check()
    page.get_by_label("Date").fill(timezone.localdate().isoformat())
    sent: list[str] = []

    def slowly(route: Route) -> None:
        sent.append(route.request.url)
        time.sleep(1.5)  # a slow network: the user clicks again meanwhile
        route.continue_()

    page.route(re.compile(r"/conferences/new/$"), slowly)
    button = page.get_by_role("button", name="Schedule the conference")
    page.evaluate(
        """() => { const form = document.querySelector('form[action$="/conferences/new/"]');
                   form.requestSubmit(); form.requestSubmit(); form.requestSubmit(); }"""
    )
    expect(page.get_by_text("Conference scheduled.")).to_be_visible()
    assert len(sent) == 1
    expect(button).to_have_count(0)  # on the new conference's page now


def test_a_form_sent_in_place_can_be_sent_again_after_a_refusal(page: Page) -> None:
    from throughcare.accounts.models import User
    from throughcare.cases.models import Case

    officer = User.objects.get(username="probation.officer")
    case = Case.objects.visible_to(officer).filter(team__user=officer).order_by("reference").first()
    assert case is not None
    sign_in(page, "probation.officer")
    page.goto(f"/cases/{case.pk}/timeline/")
    add = page.get_by_role("button", name=re.compile("^Add (the )?note"))
    add.click()  # nothing written: refused next to the field
    expect(page.locator("#note-form .govuk-error-message").first).to_be_visible()
    expect(page.locator("#note-form form")).to_have_count(1)  # the refused form replaces itself
    form = page.locator("#note-form")
    form.get_by_label("Category").select_option("general")
    form.locator('input[name="nature"][value="fact"]').check()
    form.locator("textarea").first.fill("Spoke with his employer; all well")
    page.get_by_role("button", name=re.compile("^Add (the )?note")).click()
    expect(page.locator("#timeline-entries")).to_contain_text("Spoke with his employer; all well")


def test_printing_leaves_out_navigation_forms_and_link_addresses(page: Page) -> None:
    sign_in(page, "probation.officer")
    page.goto("/")
    page.emulate_media(media="print")
    expect(page.locator(".tc-header")).to_be_hidden()
    link = page.locator("main a[href]").first
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert after in ("none", "normal", '""')


def test_a_date_of_birth_is_typed_as_day_month_and_year_and_a_short_year_is_refused(page: Page) -> None:
    sign_in(page, "probation.officer")
    page.goto("/cases/new/")
    page.get_by_label("Given name").fill("Noor")
    page.get_by_label("Family name").fill("Vandersteen")
    birth = page.get_by_role("group", name="Date of birth")
    birth.get_by_label("Day").fill("27")
    birth.get_by_label("Month").fill("3")
    birth.get_by_label("Year").fill("90")
    page.get_by_label("Your role on the case").fill("Community offender manager")
    page.get_by_role("button", name="Open case").click()
    expect(page.get_by_role("alert")).to_contain_text("enter the year in full")
    birth = page.get_by_role("group", name="Date of birth")
    expect(birth.get_by_label("Day")).to_have_value("27")  # what was typed is kept
    assert_accessible(page)
    birth.get_by_label("Year").fill("1990")
    page.get_by_role("button", name="Open case").click()
    expect(page.get_by_text("You lead the case team.")).to_be_visible()
    expect(page.get_by_text("Born 27 March 1990")).to_be_visible()


def test_on_a_phone_the_menu_folds_and_no_page_scrolls_sideways(page: Page) -> None:
    from throughcare.accounts.models import User
    from throughcare.cases.models import Case
    from throughcare.conferences.models import Conference

    officer = User.objects.get(username="probation.officer")
    case = Case.objects.visible_to(officer).filter(team__user=officer, team__responsibility="lead").first()
    conference = Conference.objects.filter(invitations__user=officer).order_by("-held_on").first()
    assert case is not None and conference is not None
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "probation.officer")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(page.get_by_role("link", name="Needs attention", exact=True)).to_be_hidden()
    menu.click()
    expect(page.get_by_role("link", name="Needs attention", exact=True)).to_be_visible()
    pages = [
        "/",
        "/caseload/",
        "/calendar/",
        "/calendar/?view=agenda",
        "/needs-attention/",
        "/search/?q=bo",
        f"/cases/{case.pk}/",
        f"/cases/{case.pk}/timeline/",
        f"/cases/{case.pk}/custody/",
        f"/cases/{case.pk}/licence/",
        f"/cases/{case.pk}/risk/",
        f"/cases/{case.pk}/risk/plan/",
        f"/cases/{case.pk}/rehabilitation/",
        f"/cases/{case.pk}/requests/",
        f"/cases/{case.pk}/sharing/",
        f"/cases/{case.pk}/risk/plan/require-review/",
        "/conferences/",
        f"/conferences/{conference.pk}/",
        "/programmes/",
        "/notifications/",
    ]
    wide = []
    for path in pages:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 1:
            wide.append((path, overflow))
    assert wide == [], f"pages wider than the phone: {wide}"
