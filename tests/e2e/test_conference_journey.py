from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import assert_accessible, section, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_world")]

RESTRICTED = "The partner service will watch the wedding venue"


def _cases() -> tuple[str, str, int, int]:
    from throughcare.accounts.models import User
    from throughcare.cases.models import Case
    from throughcare.sharing.models import IntelligenceFlag

    showcase = IntelligenceFlag.objects.get().case
    chair = User.objects.get(username="panel.chair")
    other = (
        Case.objects.visible_to(chair)
        .filter(phase="community")
        .exclude(pk=showcase.pk)
        .order_by("reference")
        .first()
    )
    assert other is not None
    return showcase.reference, other.reference, showcase.pk, other.pk


def _item(page: Page, reference: str) -> Locator:
    return page.get_by_role("region", name=re.compile(reference))


def _open(scope: Locator, summary: str) -> None:
    scope.locator("summary", has_text=summary).first.click()


def test_a_case_conference_decides_a_travel_request_with_conditions_and_actions(page: Page) -> None:
    showcase, other, showcase_id, other_id = _cases()
    deadline = (timezone.localdate() + timedelta(days=14)).isoformat()

    # The panel chair schedules a case conference for two cases and invites the agencies.
    sign_in(page, "panel.chair")
    page.get_by_role("link", name="Conferences", exact=True).click()
    page.get_by_label("Case conference").check()
    page.get_by_label("Date").fill(timezone.localdate().isoformat())
    page.get_by_label("Time").fill("10:00")
    page.get_by_label("Where").fill("City Hall, room 2")
    page.get_by_role("button", name="Schedule the conference").click()
    expect(page.get_by_text("Conference scheduled.")).to_be_visible()
    for case_id in (showcase_id, other_id):
        page.get_by_label("Add a case").select_option(str(case_id))
        page.get_by_role("button", name="Add to the agenda").click()
        expect(page.get_by_text("Case added to the agenda.")).to_be_visible()
    for agency, person in [
        ("Westmark Probation Service", "Maren Holt"),
        ("Turning Point Exit Programme", "Yannick Deveraux"),
        ("Westmark Police Counter-Terrorism Unit", "Ilse Brandvold"),
    ]:
        page.locator("summary", has_text="Invite an agency or a named person").click()
        page.get_by_label("Agency", exact=True).select_option(label=agency)
        page.get_by_label("Person (optional: otherwise the agency)").select_option(label=person)
        page.get_by_role("button", name="Invite", exact=True).click()
        expect(page.get_by_text("Invitation sent.")).to_be_visible()
    assert_accessible(page)
    conference_url = page.url.split("#")[0]

    # The probation officer puts the pending travel request on the agenda.
    sign_in(page, "probation.officer")
    page.get_by_role("link", name="Needs attention", exact=True).first.click()
    page.get_by_role(
        "link", name="Travel request waiting for a decision: put it on the agenda", exact=False
    ).click()
    _item(page, showcase).get_by_role("button", name="Add the request to the agenda").click()
    expect(page.get_by_text("Request put on the agenda.")).to_be_visible()
    assert_accessible(page)

    # The meeting: attendance, then the police liaison's restricted section.
    sign_in(page, "panel.chair")
    page.goto(conference_url)
    for select in page.locator("select[name^=attendance-]").all():
        select.select_option("present")
    page.get_by_role("button", name="Record attendance").click()
    expect(page.locator("#quorum")).to_contain_text("Quorate")
    sign_in(page, "ct.police")
    page.goto(conference_url)
    item = _item(page, showcase)
    _open(item, "Write the restricted section")
    item.get_by_label("Restricted section (only cleared attendees receive it)").fill(RESTRICTED)
    item.get_by_role("button", name="Save the restricted section").click()
    expect(page.get_by_text("Restricted section saved")).to_be_visible()

    # The chair records the discussion, a decision with conditions on the request, and two actions.
    sign_in(page, "panel.chair")
    page.goto(conference_url)
    item = _item(page, showcase)
    _open(item, "Write the minutes")
    item.get_by_label("Discussion").fill("The wedding matters to him and to his sister's support.")
    item.get_by_role("button", name="Save the minutes").click()
    item = _item(page, showcase)
    _open(item, "Record a decision")
    item.get_by_label("Decision", exact=True).fill("Travel to the wedding is approved")
    item.get_by_role("button", name="Record the decision").click()  # no rationale: refused, entry kept
    expect(page.get_by_role("alert")).to_contain_text("Every decision needs its rationale")
    item = _item(page, showcase)
    expect(item.get_by_label("Decision", exact=True)).to_have_value("Travel to the wedding is approved")
    expect(item.locator(".govuk-error-message")).to_contain_text("Every decision needs its rationale")
    assert_accessible(page)
    item.get_by_label("Rationale").fill("Family support is his strongest protective factor")
    item.get_by_label("On the request (optional)").select_option(index=1)
    item.get_by_label("Outcome for the request").select_option("approved_conditions")
    item.get_by_label("Conditions attached").fill("Notify police 48 hours before; check in by phone daily")
    item.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    for description, owner in [
        ("Tell the police of the travel dates", "Maren Holt"),
        ("Brief the partner service", "Ilse Brandvold"),
    ]:
        item = _item(page, showcase)
        _open(item, "Record an action")
        item.get_by_label("What is to be done").fill(description)
        item.get_by_label("Owner").select_option(label=owner)
        item.get_by_label("Deadline").fill(deadline)
        item.get_by_role("button", name="Record the action").click()
        expect(page.get_by_text("Action recorded")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Approve the minutes").click()
    expect(page.get_by_role("heading", name="Approve and lock the minutes?")).to_be_visible()
    assert_accessible(page)
    nothing = page.get_by_label("Yes, nothing was discussed on these cases")
    if nothing.count():
        nothing.check()
    page.get_by_role("button", name="Approve the minutes").click()
    expect(page.get_by_text("Minutes approved and locked.")).to_be_visible()
    page.get_by_role("button", name="Circulate the minutes").click()
    expect(page.get_by_text("Minutes circulated to the attendees.")).to_be_visible()

    # On the case, the request shows as approved with conditions; the action owner sees the action.
    sign_in(page, "probation.officer")
    page.goto(f"/cases/{showcase_id}/")
    section(page, "Conferences")
    expect(page.get_by_role("heading", name="Travel — Approved with conditions")).to_be_visible()
    expect(page.get_by_text("Notify police 48 hours before")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Needs attention", exact=True).first.click()
    row = page.get_by_role("row").filter(has_text="Conference action: Tell the police of the travel dates")
    expect(row).to_contain_text("You")  # the owner

    # The mentor, who attended, receives the minutes without the restricted section.
    sign_in(page, "ngo.mentor")
    page.goto(conference_url + "minutes/")
    expect(page.get_by_text("The wedding matters to him")).to_be_visible()
    expect(page.get_by_text("Restricted sections are not included in this copy.")).to_be_visible()
    expect(page.get_by_text(RESTRICTED)).to_have_count(0)
    assert_accessible(page)
    sign_in(page, "ct.police")
    page.goto(conference_url + "minutes/")
    expect(page.get_by_text(RESTRICTED)).to_be_visible()
