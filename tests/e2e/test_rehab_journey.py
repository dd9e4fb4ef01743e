from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, section, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_world")]

EVIDENCE = "Confirmed in supervision, by the women's service and at the release conference"


def _layla() -> int:
    from throughcare.cases.models import Case

    return Case.objects.get(person__family_name="Verhoeven").pk


def _open_referral(page: Page) -> None:
    page.get_by_role("link", name="Referrals received").click()
    page.get_by_role("link", name="Women's resettlement support").click()


def test_a_woman_is_referred_from_custody_supported_after_release_and_her_case_closed(page: Page) -> None:
    case_id = _layla()

    # The prison offender manager refers her, choosing what the women's service may see.
    sign_in(page, "prison.manager")
    page.goto(f"/cases/{case_id}/")
    section(page, "Rehabilitation")
    assert_accessible(page)
    page.get_by_role("link", name="Refer to a programme").click()
    page.get_by_label("Women's resettlement support — Harbour Women's Service").check()
    page.get_by_label("Why this programme, and what it should achieve").fill(
        "Housing near her daughter's school and support as a mother after release"
    )
    page.get_by_label("About the person").check()
    page.get_by_label("Children and family").check()
    page.get_by_label("What the provider should know to work safely (optional)").fill(
        "Prefers morning meetings"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Prepare the referral").click()
    expect(page.get_by_role("heading", name="What the provider sees")).to_be_visible()
    expect(page.get_by_text("With her grandmother until release", exact=False)).to_be_visible()
    page.get_by_role("button", name="Send to Harbour Women's Service").click()
    expect(page.get_by_text("Submitted", exact=True)).to_be_visible()
    assert_accessible(page)

    # The women's service sees the summary and nothing else; it accepts her onto the programme.
    sign_in(page, "womens.service")
    _open_referral(page)
    expect(page.get_by_text("Layla Verhoeven", exact=False)).to_be_visible()
    expect(page.get_by_text("Prefers morning meetings")).to_be_visible()
    expect(page.get_by_text("violent group")).to_have_count(0)  # her trauma need was not shared
    expect(page.get_by_text("proscribed organisation")).to_have_count(0)  # nor her offence
    assert_accessible(page)
    for step in ("Awaiting assessment", "Assessed suitable"):
        page.get_by_role("button", name=step).click()
    page.get_by_label("Action plan").fill("Weekly one-to-one sessions at the women's centre")
    page.get_by_label("Desired outcomes, one per line").fill("A tenancy in her name\nSchool routine for Yara")
    page.get_by_role("button", name="Save the action plan").click()
    page.get_by_role("button", name="On programme").click()
    response = page.goto(f"/cases/{case_id}/")
    assert response is not None and response.status == 404  # the provider never sees the case

    # Released by the prison, which leads her case in custody (the release conference was held).
    sign_in(page, "prison.manager")
    page.goto(f"/cases/{case_id}/")
    page.get_by_role("link", name="Move to Community supervision").click()
    expect(page.get_by_role("heading", name="Move the case to Community supervision?")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Reason", exact=True).fill("Released on licence today")
    page.get_by_role("button", name="Move case to Community supervision").click()
    expect(page.get_by_text("The case is now in Community supervision.")).to_be_visible()

    # After release the same referral carries on: the women's service records a session.
    sign_in(page, "womens.service")
    _open_referral(page)
    page.get_by_label("Attendance").select_option("attended")
    page.get_by_label("What happened in the session").fill("Viewed a flat together")
    page.get_by_role("button", name="Record the session").click()
    expect(page.get_by_text("Session recorded.")).to_be_visible()
    expect(page.get_by_role("cell", name="Viewed a flat together")).to_be_visible()

    # Probation reviews the criteria with evidence and proposes closing (a transfer).
    sign_in(page, "probation.officer")
    page.goto(f"/cases/{case_id}/criteria/")
    for select in page.locator("select[name^=state-]").all():
        select.select_option("met")
    for box in page.locator("textarea[name^=evidence-]").all():
        box.fill(EVIDENCE)
    page.get_by_role("button", name="Save the reviews and sign them off").click()
    expect(page.get_by_text("Criteria reviewed and signed off by you.")).to_be_visible()
    page.get_by_label("Transferred to another jurisdiction").check()
    page.get_by_role("button", name="Propose closing").click()
    expect(page.get_by_text("A terrorism case needs sign-off by 2 agencies")).to_be_visible()
    page.get_by_role("button", name="Close the case").click()  # the confirmation page
    expect(page.get_by_role("heading", name="Close the case?")).to_be_visible()
    page.get_by_role("button", name="Close the case").click()
    expect(
        page.get_by_text("needs sign-off by 2 agencies; so far: Westmark Probation Service").first
    ).to_be_visible()
    assert_accessible(page)

    # The police liaison signs off from "Needs attention".
    sign_in(page, "ct.police")
    page.get_by_role("link", name="Needs attention", exact=True).first.click()
    page.get_by_role("link", name="Closing proposed by Maren Holt", exact=False).click()
    page.get_by_role("button", name="Sign off for my agency").click()
    expect(page.get_by_text("Signed off for your agency.", exact=False)).to_be_visible()

    # Probation closes; the follow-ups after exit appear.
    sign_in(page, "probation.officer")
    page.goto(f"/cases/{case_id}/criteria/")
    page.get_by_role("button", name="Close the case").click()
    page.get_by_role("button", name="Close the case").click()  # confirmed
    expect(page.get_by_text("Case closed. Follow-ups after exit are scheduled.")).to_be_visible()
    expect(page.get_by_text("Check-in due").first).to_be_visible()
    assert_accessible(page)
    page.goto(f"/cases/{case_id}/custody/")
    expect(page.get_by_text("Closed from")).to_be_visible()
