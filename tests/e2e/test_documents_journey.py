"""A prison offender manager generates the handover report from a case's Documents section."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, section, sign_in
from throughcare.custody.models import Handover

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_world")]


def test_the_handover_report_is_generated_for_named_recipients(page: Page) -> None:
    handover = Handover.objects.filter(
        state__in=["created", "accepted"],
        case__team__user__username="prison.manager",
        case__team__ended_at__isnull=True,
    ).first()
    assert handover is not None
    sign_in(page, "prison.manager")
    page.goto(f"/cases/{handover.case_id}/")
    section(page, "Documents")
    expect(page.get_by_role("heading", name="Documents", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Handover report").click()
    page.get_by_role("button", name="Generate the document").click()
    expect(page.get_by_role("link", name="Say who the document is for")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Who it is for").fill("Jonas Feldkamp, Westmark Probation")
    with page.expect_download() as download:
        page.get_by_role("button", name="Generate the document").click()
    assert download.value.suggested_filename == f"{handover.case.reference}-handover.pdf"
