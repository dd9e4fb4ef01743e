from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, section, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_world")]


def _terrorism_case_waiting_for_handover() -> tuple[int, str]:
    """A release-planning terrorism case led by prison.manager with probation.officer on the team, with a
    fresh handover waiting for acceptance (set up here, whatever the demo world left)."""
    from throughcare.accounts.models import User
    from throughcare.cases.models import Case
    from throughcare.custody import handover
    from throughcare.custody.models import Handover

    prison, probation = (
        User.objects.get(username="prison.manager"),
        User.objects.get(username="probation.officer"),
    )
    case = (
        Case.objects.filter(phase="release_planning", team__user=prison, team__responsibility="lead")
        .filter(team__user=probation)
        .order_by("reference")
        .first()
    )
    assert case is not None
    for open_one in Handover.objects.filter(case=case, state__in=["created", "accepted"]):
        handover.abandon_handover(open_one, by=prison, reason="Started again for the browser journey")
    handover.start_handover(case, by=prison)
    return case.pk, case.reference


def test_handover_release_conference_and_release_keep_the_custody_record(page: Page) -> None:
    case_id, reference = _terrorism_case_waiting_for_handover()

    sign_in(page, "prison.manager")
    page.goto(f"/cases/{case_id}/")
    section(page, "Custody and licence")
    expect(page.get_by_role("heading", name="Handover")).to_be_visible()
    assert_accessible(page)
    done = page.get_by_role("button", name=re.compile(r"^Mark done")).filter(
        has_not_text="Release conference"
    )
    assert done.count() == 6
    while done.count():
        done.first.click()
        message = page.get_by_text(re.compile(r"^Marked as done: "))
        expect(message).to_be_visible()
        expect(message).to_be_in_viewport()  # next to the handover, not above the fold
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "probation.officer")
    page.get_by_role("link", name="Needs attention", exact=True).click()
    expect(page.get_by_role("heading", name="Needs attention")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/cases/{case_id}/custody/")
    page.get_by_role("button", name="Accept the handover").click()
    expect(page.get_by_text("Handover accepted.")).to_be_visible()

    section(page, "Conferences")
    page.get_by_role("link", name="Record the release conference").click()
    assert_accessible(page)
    page.get_by_label("Chair").select_option(label="Maren Holt")
    page.get_by_role("group", name="Agencies present").get_by_label("Westmark Probation Service").check()
    page.get_by_role("group", name="Agencies present").get_by_label("Westmark Prison", exact=True).check()
    page.get_by_role("group", name="Agencies present").get_by_label(
        "Westmark Police Counter-Terrorism Unit"
    ).check()
    page.get_by_label("Decision", exact=True).fill("Release to approved premises with a curfew")
    page.get_by_label("Rationale for the decision").fill("Family address not yet assessed as safe")
    page.get_by_role("button", name="Record conference").click()
    expect(page.get_by_text("Release conference recorded")).to_be_visible()

    section(page, "Custody and licence")
    page.get_by_role("button", name="Complete the handover").click()
    expect(page.get_by_text("Handover completed.", exact=True)).to_be_visible()
    # Completing the handover passed the lead to the probation officer, who now records the release.
    section(page, "Overview")
    page.get_by_role("link", name="Move to Community supervision").click()
    expect(page.get_by_role("heading", name="Move the case to Community supervision?")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Reason", exact=True).fill("Released on licence today")
    page.get_by_role("button", name="Move case to Community supervision").click()
    expect(page.get_by_text("The case is now in Community supervision.")).to_be_visible()
    expect(
        page.get_by_text("Community — probation is responsible, the prison supports", exact=True)
    ).to_be_visible()

    page.get_by_role("link", name="Caseload", exact=True).click()
    row = page.locator("tr", has_text=reference)
    expect(row).to_contain_text("Community supervision")
    row.get_by_role("link").click()
    section(page, "Timeline")
    expect(page.get_by_text("Received into custody.").first).to_be_visible()  # the custody record stays
    section(page, "Conferences")
    expect(page.get_by_text("Decision: Release to approved premises with a curfew").first).to_be_visible()
    assert_accessible(page)


def test_a_manager_sees_the_agencys_deadlines(page: Page) -> None:
    sign_in(page, "probation.manager")
    page.get_by_role("link", name="Needs attention", exact=True).click()
    page.get_by_role("link", name="My agencies' cases").click()
    expect(page.get_by_text("awaits a decision").first).to_be_visible()
    assert_accessible(page)
