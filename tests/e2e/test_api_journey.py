"""A practitioner makes an API token, a script uses it, and the practitioner revokes it; the API's docs are
served by the app itself."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_world")]


def test_a_probation_officer_makes_a_token_uses_it_and_revokes_it(page: Page) -> None:
    sign_in(page, "probation.officer")
    page.get_by_role("link", name="Maren Holt (your account)").click()
    expect(page.get_by_role("heading", name="Your account", level=1)).to_be_visible()
    page.get_by_role("button", name="Make a token").click()
    expect(page.get_by_role("link", name="Say what the token is for")).to_be_visible()  # the error summary
    assert_accessible(page)
    page.get_by_label("What the token is for").fill("My case notes script")
    page.get_by_label("Read only").check()
    page.get_by_label("Days it lasts").fill("7")
    page.get_by_role("button", name="Make a token").click()
    token = page.get_by_test_id("new-token").inner_text()
    assert token.startswith("tc_")
    assert_accessible(page)

    answer = page.request.get(
        "/api/v1/cases?scope=mine&limit=2", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status == 200
    assert len(json.loads(answer.body())["items"]) == 2

    page.reload()
    expect(page.get_by_test_id("new-token")).to_have_count(0)  # shown once
    page.get_by_role("button", name="Revoke the token for My case notes script").click()
    expect(page.get_by_role("row", name="My case notes script")).to_contain_text("Revoked")
    refused = page.request.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
    assert refused.status == 401
    assert refused.headers["content-type"] == "application/problem+json"


def test_the_api_docs_are_served_without_a_cdn(page: Page) -> None:
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto("/api/v1/docs")
    expect(page.get_by_text("Throughcare API").first).to_be_visible()
    expect(page.get_by_text("/api/v1/cases/{case_id}/timeline").first).to_be_visible()
    origin = page.url.split("/api/")[0]
    assert [url for url in asked if not url.startswith((origin, "data:", "blob:"))] == []
    assert any(url.endswith("vendor/swagger-ui/swagger-ui-bundle.js") for url in asked)
