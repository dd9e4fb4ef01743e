from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, section, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_world")]

SOURCE = "Federal police of a neighbouring country"


def _showcase() -> int:
    from throughcare.sharing.models import IntelligenceFlag

    return IntelligenceFlag.objects.get().case.pk


def test_foreign_information_reaches_the_lead_and_leads_to_a_new_plan_version(page: Page) -> None:
    case_id = _showcase()
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()

    # The CT police liaison records what a foreign partner sent.
    sign_in(page, "ct.police")
    page.goto(f"/cases/{case_id}/")
    page.get_by_role("link", name="Incoming information").click()
    page.get_by_label("Source", exact=True).fill(SOURCE)
    page.get_by_label("Date received").fill(yesterday)
    page.get_by_label("Reliability of the source").select_option("B")
    page.get_by_label("Credibility of the information").select_option("2")
    page.get_by_label("Category", exact=True).select_option("risk")
    page.get_by_label("Summary", exact=True).fill(
        "Bought a train ticket to the city where his old group meets."
    )
    page.get_by_role("button", name="Record and route to the case lead").click()
    expect(page.get_by_text("Information recorded and routed to the case lead.")).to_be_visible()
    assert_accessible(page)

    # The lead sees it in "Needs attention" and acknowledges it, deciding on a plan review.
    sign_in(page, "probation.officer")
    page.get_by_role("link", name="Needs attention", exact=True).first.click()
    page.get_by_role("link", name=f"Information from {SOURCE} to acknowledge").click()
    card = page.locator(".govuk-summary-card", has_text=SOURCE)
    card.get_by_label("Review the risk management plan").check()
    card.get_by_label("Note").fill("Travel against the exclusion zone: review monitoring")
    card.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("A plan review is now due")).to_be_in_viewport()  # beside the reviews
    expect(page.locator("#reviews ~ table").first).to_contain_text("New information")
    assert_accessible(page)

    # The plan review: a strategy changes, with the reason and the officer's own judgement.
    page.get_by_role("link", name="Review the plan").click()
    assert_accessible(page)
    strategy = page.get_by_label("What will be done").and_(
        page.locator('[value="Check of declared devices and exclusion zone"]')
    )
    strategy.fill("Check of declared devices and exclusion zone twice a week; travel alerts at stations")
    page.get_by_label("New information").check()
    page.get_by_label("What prompted it (optional)").fill("Foreign police report of a train ticket")
    page.get_by_label("High", exact=True).check()
    page.get_by_label("Why you judge so").fill("Planned travel towards the old group; contact likely.")
    page.get_by_role("button", name="Save as a new version").click()

    # The new version, its reason and the comparison with the previous one.
    expect(page.get_by_text("Version 3 of the plan saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="Version 2 and version 3 side by side")).to_be_visible()
    expect(
        page.get_by_text("New information — Foreign police report of a train ticket").first
    ).to_be_visible()
    differences = page.get_by_role("table", name=re.compile("difference"))
    expect(differences).to_contain_text(
        "Monitoring and control: Check of declared devices and exclusion zone ("
    )
    expect(differences).to_contain_text("travel alerts at stations")
    assert_accessible(page)

    # The trajectory on the case page shows the new judgement.
    page.goto(f"/cases/{case_id}/")
    section(page, "Risk")
    expect(page.locator("#trajectory-desc")).to_contain_text("High, ")
    expect(page.locator("#trajectory-desc")).to_contain_text("(plan version 3)")
    assert_accessible(page)
