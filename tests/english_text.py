"""English left on a page read in another language: the detector the language tests share.

"English left" is read from the catalogues: any message whose translation differs from its English, as a
whole text of the page or, for a message of several words, inside one; a placeholder stands for any text.
What people wrote (notes, names, the demo world's narrative) is not a message and is not flagged. A
heading, label, button, table header or chart text with two words English uses and the other languages do
not is English too, even when it is no message at all: a string never marked for translation.

The texts of a page are collected the same way in a browser (`TEXTS_JS`, `tests/e2e/`) and from the HTML a
test client receives (`texts_of`, with the standard library's parser): the text of each block and each
control, the labels read aloud or shown on hover, the document's title. Text marked as another language
(the switcher's "English") and what people wrote inside the interface's own words (`translate="no"`) are
left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import polib
from django.conf import settings

ENGLISH = re.compile(
    r"\b(?:the|your|you|and|with|for|this|that|what|who|when|which|from|have|has|are|not|been|their|our"
    r"|there|here|how|why|to|of|by|on|or|no|its|it|be|any|all|each|every|can|may|must|should|would)\b"
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{?\s*\w+\s*\}?\}")
TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"[A-Za-z]{2,}")

BLOCK_TAGS = frozenset(
    [
        "p",
        "li",
        "td",
        "th",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "label",
        "legend",
        "button",
        "a",
        "caption",
        "summary",
        "option",
    ]
)
BLOCK_CLASSES = frozenset(
    ["govuk-hint", "govuk-tag", "govuk-error-message", "govuk-inset-text", "govuk-warning-text__text"]
)
CHROME_TAGS = frozenset(["h1", "h2", "h3", "h4", "label", "legend", "button", "th", "caption", "summary"])
SVG_TEXT = frozenset({"title", "desc", "text"})
ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")

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
  const own = el => {
    const copy = el.cloneNode(true);
    const other = part => part.lang !== lang;  // what people wrote (translate=no), or another language
    copy.querySelectorAll('[translate=no], [lang]').forEach(part => { if (other(part)) part.remove(); });
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


def english_in(texts: Iterable[tuple[str, str]], code: str, names: frozenset[str]) -> list[str]:
    """The English among a page's texts (each with where it is; "*": a heading, label, button …);
    `names` (of agencies: data, like people's names) are not messages even where a word is the same
    ("Probation")."""
    exact, whole, inside = english_messages(code)
    found = []
    for text, where in texts:
        bare = text.rstrip(" :.*")
        if text in names or bare in names:
            continue
        worded = any(p.fullmatch(text) for p in whole) or any(p.search(text) for p in inside)
        looks_english = where.startswith("*") and len(ENGLISH.findall(text.lower())) >= 2
        if text in exact or bare in exact or worded or looks_english:
            found.append(f"{text} ({where})")
    return sorted(set(found))


# The same texts from HTML, without a browser ---------------------------------------------------------------

VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None
    children: list[Element | str] = field(default_factory=list)

    def ancestors(self) -> Iterable[Element]:
        node: Element | None = self
        while node is not None:
            yield node
            node = node.parent

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self, lang: str = "") -> str:
        """Its text, without what is marked translate="no" (what people wrote), what is marked as written
        in another language than `lang`, or scripts."""
        parts: list[str] = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif (
                child.attrs.get("translate") != "no"
                and child.attrs.get("lang", lang) == lang
                and child.tag not in ("script", "style")
            ):
                parts.append(child.text(lang))
        return " ".join(" ".join(parts).split())

    def walk(self) -> Iterable[Element]:
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.walk()


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.at = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs}, self.at)
        self.at.children.append(element)
        if tag not in VOID:
            self.at = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.at.children.append(Element(tag, {name: value or "" for name, value in attrs}, self.at))

    def handle_endtag(self, tag: str) -> None:
        for node in self.at.ancestors():
            if node.tag == tag and node.parent is not None:
                self.at = node.parent
                return

    def handle_data(self, data: str) -> None:
        self.at.children.append(data)


def texts_of(html: str) -> list[tuple[str, str]]:
    """What `TEXTS_JS` collects in a browser, from the HTML itself."""
    tree = _Tree()
    tree.feed(html)
    elements = list(tree.root.walk())
    page = next((e for e in elements if e.tag == "html"), None)
    lang = page.attrs.get("lang", "") if page else ""
    body = next((e for e in elements if e.tag == "body"), tree.root)
    texts: list[tuple[str, str]] = []
    for element in body.walk():
        chain = list(element.ancestors())
        marked = next((e for e in chain if "lang" in e.attrs), None)
        if marked is not None and marked.attrs["lang"] != lang:
            continue
        in_svg = any(e.tag == "svg" for e in chain[1:])
        block = (
            element.tag in BLOCK_TAGS
            or bool(element.classes() & BLOCK_CLASSES)
            or (in_svg and element.tag in SVG_TEXT)
        )
        chrome = (
            element.tag in CHROME_TAGS
            or "govuk-hint" in element.classes()
            or (element.tag == "a" and any(e.tag == "nav" for e in chain[1:]))
            or (in_svg and element.tag in SVG_TEXT)
        )
        where = (
            ("*" if chrome else "")
            + element.tag
            + (f"#{element.attrs['id']}" if "id" in element.attrs else "")
        )
        if block and not any(e.attrs.get("translate") == "no" for e in chain):
            texts.append((element.text(lang), where))
        for name in ATTRIBUTES:
            if element.attrs.get(name):
                texts.append((element.attrs[name].strip(), f"{where}@{name}"))
    title = next(
        (e for e in elements if e.tag == "title" and not any(a.tag == "svg" for a in e.ancestors())), None
    )
    if title is not None:
        texts.append((title.text(lang), "*title"))
    return [(text, where) for text, where in texts if text]
