"""Real-browser journeys: Playwright driving Debian's Chromium against a live server.

Without Chromium the journeys are skipped with a plain message; under CI (CI=true) a missing
browser is a failure, so CI always runs them.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, Response, expect, sync_playwright

from throughcare.demo import snapshot, world

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures are
# still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
DEMO_PASSWORD = snapshot.PASSWORD
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _chromium_or_skip() -> str:
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return CHROMIUM
    message = f"Browser tests skipped: no Chromium at {CHROMIUM} (install it: apt-get install -y chromium)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must run the browser tests, but there is no Chromium at {CHROMIUM}")
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    path = _chromium_or_skip()
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda msg: errors.append(msg.text) if _is_script_error(msg.type, msg.text) else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    # A page may answer 404 on purpose; a stylesheet, script or image must not.
    tab.on("response", lambda r: errors.append(f"{r.status} {r.url}") if _broken_asset(r) else None)
    yield tab
    context.close()
    # A CSP violation or a broken script shows up as a console error: fail loudly.
    assert not errors, errors


def _is_script_error(kind: str, text: str) -> bool:
    return kind == "error" and not text.startswith("Failed to load resource")


def _broken_asset(response: Response) -> bool:
    return response.status >= 400 and response.request.resource_type not in ("document", "xhr", "fetch")


@pytest.fixture
def demo_world(transactional_db: None) -> None:
    snapshot.load_world()


def sign_in(page: Page, username: str) -> None:
    """Sign in as this persona (whoever was signed in before is signed out), giving the demo
    authenticator's code when the persona's access needs a second factor."""
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)  # signed in: home, or the code page
    if "/accounts/two-factor/" in page.url:
        give_code(page, username)


def give_code(page: Page, username: str) -> None:
    """The demo authenticator's current code. A code is accepted once (replay protection), and a journey may
    sign the same persona in twice within its 30 seconds: the device forgets the last code first."""
    TOTPDevice.objects.filter(user__username=username).update(last_t=-1, throttling_failure_count=0)
    page.get_by_label("Code").fill(f"{totp(world.DEMO_TOTP_KEY):06d}")
    page.get_by_role("button", name="Continue").click()


def assert_accessible(page: Page, *, preload: bool = True) -> None:
    """axe-core finds no serious or critical violation of WCAG 2.1 A/AA on the current page.

    `preload=False` for Django's administration pages: axe's fetching of their stylesheets writes inline
    styles that our Content Security Policy blocks (console errors of axe's own, not the page's)."""
    options: dict[str, Any] = {
        "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "preload": preload,
    }
    results = Axe().run(page, options=options)
    violations = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not violations, results.generate_report()


def section(page: Page, name: str) -> None:
    """Open a section of the case on screen from its sub-navigation."""
    nav = page.get_by_role("navigation", name=re.compile("^Sections of case"))
    nav.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
