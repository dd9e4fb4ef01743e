"""Each persona's main pages in German, French and Dutch: chosen with the switcher in the header, then no
English left on the way — neither the interface's own words nor what the system wrote (timeline entries,
Needs attention, notifications: read in the reader's language) — and each page accessible (axe).

"English left" is read from the catalogues: any message whose translation differs from its English, as a
whole line of the page or, for a message of several words, inside one; a placeholder stands for any text.
What people wrote (notes, names, the demo world's narrative) is not a message and is not flagged.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from urllib.parse import urlparse

import polib
import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, sign_in
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
# Words English uses and German, French and Dutch do not: a heading, label, button or table header (marked
# "*" by the page script) with two of them is English even when it is no message of the catalogues — a
# string never marked for translation.
ENGLISH = re.compile(
    r"\b(?:the|your|you|and|with|for|this|that|what|who|when|which|from|have|has|are|not|been|their|our"
    r"|there|here|how|why|to|of|by|on|or|no|its|it|be|any|all|each|every|can|may|must|should|would)\b"
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{?\s*\w+\s*\}?\}")
TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"[A-Za-z]{2,}")

# Every piece of text a reader meets: the text of each block and each control (its own words, not its
# children's blocks), and the labels read aloud or shown on hover. Text marked as another language (the
# switcher's "English") is left out.
TEXTS_JS = """() => {
  const lang = document.documentElement.lang;
  const blocks = 'p, li, td, th, dt, dd, h1, h2, h3, h4, h5, h6, label, legend, button, a, caption, summary,'
    + ' option, .govuk-hint, .govuk-tag, .govuk-error-message, .govuk-inset-text, .govuk-warning-text__text,'
    + ' svg title, svg desc, svg text';
  const foreign = el => { const marked = el.closest('[lang]'); return marked && marked.lang !== lang; };
  const chrome = 'h1, h2, h3, h4, label, legend, button, th, caption, summary, .govuk-hint, nav a, svg title,'
    + ' svg desc, svg text';
  const where = el => (el.matches(chrome) ? '*' : '') + el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.getAttribute('name') ? '[name=' + el.getAttribute('name') + ']' : '');
  const texts = [];
  // What people wrote is marked translate="no" where it sits inside the interface's own words (a need
  // named in a button, a measure's name as a choice): left out of the element's text.
  const own = el => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll('[translate=no]').forEach(part => part.remove());
    return copy.textContent.replace(/\\s+/g, ' ').trim();
  };
  for (const el of document.body.querySelectorAll(blocks)) {
    if (foreign(el) || el.closest('[translate=no]')) continue;
    texts.push([own(el), where(el)]);
  }
  for (const el of document.body.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
    if (foreign(el)) continue;
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
      const value = el.getAttribute(name);
      if (value) texts.push([value.trim(), where(el) + '@' + name]);
    }
  }
  texts.push([document.title, '*title']);
  return texts.filter(([text]) => text);
}"""


@cache
def english_messages(
    code: str,
) -> tuple[frozenset[str], tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]:
    """The catalogue's messages that read differently in `code`: whole texts (no placeholder), patterns a
    whole text must match (with placeholders), and patterns of several words found inside a text (what the
    system wrote set in a longer line). A message without placeholders is looked for as a whole text only:
    a person's note may well contain "Returned from a conflict zone"."""
    catalogue = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / code / "LC_MESSAGES" / "django.po"))
    exact: set[str] = set()
    native: set[str] = set()  # what the language itself says: German "Kind" is a child, not English "Kind"
    whole: list[re.Pattern[str]] = []
    inside: list[re.Pattern[str]] = []
    for entry in catalogue:
        pairs = (
            [
                (entry.msgid, entry.msgstr_plural.get(0, "")),
                (entry.msgid_plural, entry.msgstr_plural.get(1, "")),
            ]
            if entry.msgid_plural
            else [(entry.msgid, entry.msgstr)]
        )
        for message, translation in pairs:
            native.add(" ".join(TAG.sub("", translation).split()))
            english = " ".join(TAG.sub("", message).split())
            if not translation or " ".join(TAG.sub("", translation).split()) == english:
                continue
            literal = PLACEHOLDER.split(english)
            words = sum(len(WORD.findall(part)) for part in literal)
            if len(literal) == 1:
                if WORD.search(english):
                    exact.add(english)
                continue
            if words < 2:
                continue  # "%(field)s: %(value)s" says nothing about the language
            pattern = ".+?".join(re.escape(part) for part in literal)
            whole.append(re.compile(pattern))
            if words >= 4:
                inside.append(re.compile(pattern))
    return frozenset(exact - native), tuple(whole), tuple(inside)


def english_left(page: Page, code: str, names: frozenset[str]) -> list[str]:
    """English messages on the page; `names` (of agencies: data, like people's names) are not messages
    even where a word is the same ("Probation")."""
    exact, whole, inside = english_messages(code)
    found = []
    for text, where in page.evaluate(TEXTS_JS):
        bare = text.rstrip(" :.*")
        if text in names or bare in names:
            continue
        worded = any(p.fullmatch(text) for p in whole) or any(p.search(text) for p in inside)
        looks_english = where.startswith("*") and len(ENGLISH.findall(text.lower())) >= 2
        if text in exact or bare in exact or worded or looks_english:
            found.append(f"{text} ({where})")
    return sorted(set(found))


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
