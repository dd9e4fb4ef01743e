from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_world")]


def _terrorism_case_waiting_for_handover() -> tuple[int, str]:
    from throughcare.custody.models import Handover

    handover = (
        Handover.objects.filter(
            state="created",
            kind="enhanced",
            case__team__user__username="prison.manager",
            case__team__responsibility="lead",
        )
        .filter(case__team__user__username="probation.officer")
        .order_by("case__reference")
        .first()
    )
    assert handover is not None
    return handover.case_id, handover.case.reference


def test_handover_release_conference_and_release_keep_the_custody_record(page: Page) -> None:
    case_id, reference = _terrorism_case_waiting_for_handover()

    sign_in(page, "prison.manager")
    page.goto(f"/cases/{case_id}/")
    expect(page.get_by_role("heading", name="Handover")).to_be_visible()
    assert_accessible(page)
    done = page.get_by_role("button", name=re.compile(r"^Mark done")).filter(
        has_not_text="Release conference"
    )
    assert done.count() == 6
    while done.count():
        done.first.click()
        expect(page.get_by_text("Item marked as done.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "probation.officer")
    page.goto(f"/cases/{case_id}/")
    page.get_by_role("button", name="Accept the handover").click()
    expect(page.get_by_text("Handover accepted.")).to_be_visible()

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

    page.get_by_role("button", name="Complete the handover").click()
    expect(page.get_by_text("Handover completed.", exact=True)).to_be_visible()
    page.get_by_text("Move to Community supervision").click()
    page.get_by_role("button", name="Move case to Community supervision").click()
    expect(page.get_by_text("The case is now in Community supervision.")).to_be_visible()
    expect(
        page.get_by_text("Community — probation is responsible, the prison supports", exact=True)
    ).to_be_visible()

    page.get_by_role("link", name="My caseload").first.click()
    row = page.locator("tr", has_text=reference)
    expect(row).to_contain_text("Community supervision")
    row.get_by_role("link").click()
    expect(page.get_by_text("Received into custody.").first).to_be_visible()  # the custody record stays
    expect(page.get_by_text("Decision: Release to approved premises with a curfew").first).to_be_visible()
    assert_accessible(page)
