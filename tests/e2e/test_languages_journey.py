"""Each persona's main pages in German, French and Dutch: chosen with the switcher in the header, then no
English left on the way — neither the interface's own words nor what the system wrote (timeline entries,
Needs attention, notifications: read in the reader's language) — and each page accessible (axe).

"English left" is found as `tests/english_text.py` says; `tests/test_every_page_translated.py` looks at every
page of the product the same way, without a browser.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, sign_in
from tests.english_text import TEXTS_JS, english_in
from throughcare.accounts.models import Agency

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_world")]

LANGUAGES = {"de": "Deutsch", "fr": "Français", "nl": "Nederlands"}
PERSONAS = [
    "probation.officer",
    "prison.manager",
    "ct.police",
    "ngo.mentor",
    "womens.service",
    "panel.chair",
    "probation.manager",
    "dpo",
    "analyst",
    "trainer",
    "trainee",
    "admin",
]


def english_left(page: Page, code: str, names: frozenset[str]) -> list[str]:
    """English messages on the page (`tests/english_text.py`)."""
    return english_in(page.evaluate(TEXTS_JS), code, names)


def choose_language(page: Page, code: str) -> None:
    """The header's switcher: the page comes back in the language chosen, remembered for the person."""
    page.get_by_role("navigation", name="Language").get_by_role("button", name=LANGUAGES[code]).click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def main_pages(page: Page) -> list[str]:
    """Home, every page of the menu and the header, and — for those with a caseload — the first case and
    each of its sections."""
    menu = page.locator("#navigation a, .tc-header__link").evaluate_all("links => links.map(a => a.href)")
    paths = ["/"] + [urlparse(href).path for href in menu]
    caseload = next((p for p in paths if p.rstrip("/").endswith("caseload")), None)
    if caseload:
        page.goto(caseload)
        first = page.locator("main table a[href^='/cases/']").first
        if first.count():
            case = urlparse(first.get_attribute("href") or "").path
            page.goto(case)
            sections = page.locator("nav.moj-sub-navigation a").evaluate_all(
                "links => links.map(a => a.href)"
            )
            paths += [case] + [urlparse(href).path for href in sections]
    return list(dict.fromkeys(p for p in paths if not p.startswith("/admin/")))


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_each_personas_main_pages_read_in_the_language_chosen(page: Page, code: str) -> None:
    names = frozenset(n for agency in Agency.objects.all() for n in (agency.name, agency.short_name) if n)
    left: dict[str, list[str]] = {}
    inaccessible: dict[str, str] = {}
    for username in PERSONAS:
        sign_in(page, username)
        choose_language(page, code)
        for path in main_pages(page):
            page.goto(path)
            expect(page.locator("html")).to_have_attribute("lang", code)
            found = english_left(page, code, names)
            if found:
                left[f"{username} {path}"] = found
            try:
                assert_accessible(page)
            except AssertionError as violations:
                inaccessible[f"{username} {path}"] = str(violations)[:600]
    report = [f"{where}: English left: {found}" for where, found in left.items()]
    report += [f"{where}: {violations}" for where, violations in inaccessible.items()]
    assert not report, "\n".join(report)
