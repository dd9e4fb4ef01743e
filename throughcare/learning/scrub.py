"""Scrubbing free text for a training case: every identifier known from the structured record is replaced,
in any spelling a person might use, and pattern detectors catch what the record does not know.

The known-identifier pass needs no model: names, aliases, identifiers, addresses, telephone numbers, e-mail
addresses and staff names are matched whatever their capitals and accents, with their parts in either order,
joined by spaces, hyphens or line breaks, and each part alone. Text is compared through a fold that keeps
every character in its place, so a replacement lands exactly where the original was. After scrubbing, the
text is checked again: a known identifier still there refuses the whole training case, saying where.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from throughcare.learning import written_dates
from throughcare.lib.errors import ActionRefused

MIN_PART = 2  # single letters are initials, too common to replace on their own


@dataclass(frozen=True)
class Known:
    """An identifier known from the record, and what it becomes in the training case."""

    text: str
    replacement: str
    kind: str  # "name", "identifier", "address", "phone", "email", "staff", "colleague", "agency", "place"


@dataclass(frozen=True)
class Replacement:
    start: int
    end: int
    original: str
    replacement: str
    kind: str


@dataclass(frozen=True)
class Scrubbed:
    text: str
    replacements: list[Replacement] = field(default_factory=list)


class IdentifierLeft(ActionRefused):
    """A known identifier survived scrubbing: the training case is refused, with where it was found."""


STREETS = "Road|Street|Avenue|Lane|Way|Place|Square|Drive|Close|Crescent|Terrace|Boulevard|Rd|St|Ave"
FRENCH_STREETS = "rue|avenue|boulevard|bd|place|chemin|allée|impasse|quai|cours|route"

# What is said of a known identifier's kind when one is left in a text (a refusal says which kind).
KIND_LABELS = {
    "name": _("a person's name"),
    "identifier": _("an identifier"),
    "address": _("an address"),
    "phone": _("a telephone number"),
    "email": _("an e-mail address"),
    "staff": _("the name of a member of staff"),
    "colleague": _("the name of a colleague"),
    "agency": _("the name of an agency"),
    "place": _("the name of a place"),
}


@lru_cache(maxsize=1)
def patterns() -> list[tuple[str, re.Pattern[str], str]]:
    """Detectors for what the record does not know (kind, pattern, replacement), in the order they are
    tried: a date before a telephone number ("19 Jun 2026 (6 months" is not a number to call). Dates are
    read in every language offered (`written_dates`); the replacement is an English message, written in
    the training case's language."""
    return [
        ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), gettext_noop("[e-mail address]")),
        ("date", re.compile(written_dates.pattern(), re.IGNORECASE), gettext_noop("[date]")),
        (
            "address",
            re.compile(
                rf"\b\d{{1,4}}[a-z]?,? (?:[A-Z][\w'-]+ ){{1,3}}(?:{STREETS})\b|"
                r"\b[A-Z][\w'-]*(?:straat|laan|weg|gracht|plein|strasse|straße|gasse)\s+\d{1,4}[a-z]?\b|"
                rf"\b\d{{1,4}}(?: ?bis| ?ter)?,? (?i:{FRENCH_STREETS}) (?:[\w'-]+ ){{0,3}}[A-Z][\w'-]+"
            ),
            gettext_noop("[address]"),
        ),
        (
            "identifier",
            re.compile(r"\b(?=[A-Z-]*\d)(?=\d*[A-Z])[A-Z\d]{2,}(?:-[A-Z\d]+)+\b|\b[A-Z]{1,3}\d{5,}\b"),
            gettext_noop("[identifier]"),
        ),
        ("phone", re.compile(r"(?<![\w])\+?\d[\d ().-]{6,}\d(?![\w])"), gettext_noop("[telephone number]")),
        (
            "postcode",
            re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b|\b\d{4} ?[A-Z]{2}\b"),
            gettext_noop("[postcode]"),
        ),
    ]


def shift_date(written: str, shift: timedelta, language: str = "") -> str:
    """A date written in text, moved by `shift` and written the same way (in its language: `language`
    where two write it alike); "[date]" if it cannot be read."""
    return written_dates.shift(written, shift, language) or in_language(language, gettext_noop("[date]"))


def in_language(language: str, message: str) -> str:
    """An English message in `language` (the training case's), whatever the reader's."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return gettext(message)


def fold(text: str) -> str:
    """Lower case without accents, one character for one: "Zoë Ó-Brien" → "zoe o-brien"."""
    if text.isascii():
        return text.lower()  # one for one already, and most text is
    return "".join(map(_fold_char, text))


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    bare = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return bare.lower() if len(bare) == 1 else char.lower()[:1] or char


@lru_cache(maxsize=4096)
def variants(known: Known) -> list[re.Pattern[str]]:
    """Patterns over folded text for the identifier: its parts in order and reversed, joined by any run of
    spaces, hyphens, line breaks or a comma (“Yilmazer, Nourdin”), and — for names — each part alone."""
    parts = [p for p in re.split(r"[\s\-]+", fold(known.text).strip()) if p]
    if not parts:
        return []
    orders = [parts] if len(parts) == 1 else [parts, parts[::-1]]
    joined = [r"[\s,\-]+".join(re.escape(p) for p in order) for order in orders]
    if known.kind in ("name", "staff"):
        joined += [re.escape(p) for p in parts if len(p) >= MIN_PART]
    return [re.compile(rf"(?<![\w]){body}(?![\w])") for body in sorted(set(joined), key=len, reverse=True)]


def scrub(text: str, known: Iterable[Known], shift: timedelta | None = None, language: str = "") -> Scrubbed:
    """Replace every known identifier (longest first), then every detected pattern; refuse if a known
    identifier is still there (the refusal in the reader's language). `shift`: dates found in the text
    move by it (a training case's offset) instead of becoming "[date]". `language`: the training case's,
    in which what replaces a pattern is written (the default language if none)."""
    known = list(known)
    replacements = _find_patterns(text, [], only="email", language=language)  # before a name inside one
    replacements += _find_known(text, known, _covered(replacements))
    replacements += _find_patterns(text, _covered(replacements), shift=shift, language=language)
    scrubbed = _apply(text, replacements)
    left = remaining(scrubbed, known, skip=_landed(replacements))
    if left:
        raise IdentifierLeft(
            gettext("A known identifier (%(kind)s) could not be replaced, near: “…%(near)s…”")
            % {"kind": kind_label(left[0][0]), "near": left[0][1]}
        )
    return Scrubbed(scrubbed, sorted(replacements, key=lambda r: r.start))


def remaining(
    text: str, known: Iterable[Known], skip: list[tuple[int, int]] | None = None
) -> list[tuple[str, str]]:
    """Known identifiers still in the text: (their kind, the words around them). `skip`: spans that are
    replacements, where a staff member's, an agency's or a place's name may share a word with a role ("the
    prison officer" and a Mr Officer); a person's name or identifier is never allowed there."""
    folded = fold(text)
    found = []
    for item in known:
        spans = (skip or []) if item.kind in ("staff", "colleague", "agency", "place") else []
        for pattern in variants(item):
            match = next(
                (
                    m
                    for m in pattern.finditer(folded)
                    if not any(start <= m.start() and m.end() <= end for start, end in spans)
                ),
                None,
            )
            if match:
                found.append((item.kind, text[max(0, match.start() - 20) : match.end() + 20]))
                break
    return found


def _landed(replacements: list[Replacement]) -> list[tuple[int, int]]:
    """Where each replacement lies in the scrubbed text."""
    spans, shift = [], 0
    for r in sorted(replacements, key=lambda r: r.start):
        start = r.start + shift
        spans.append((start, start + len(r.replacement)))
        shift += len(r.replacement) - (r.end - r.start)
    return spans


def _find_known(text: str, known: list[Known], covered: list[tuple[int, int]]) -> list[Replacement]:
    folded = fold(text)
    taken: list[Replacement] = [Replacement(start, end, "", "", "") for start, end in covered]
    candidates = [(pattern, item) for item in known for pattern in variants(item)]
    for pattern, item in sorted(candidates, key=lambda c: len(c[0].pattern), reverse=True):
        for match in pattern.finditer(folded):
            if not _overlaps(taken, match.start(), match.end()):
                taken.append(
                    Replacement(
                        match.start(),
                        match.end(),
                        text[match.start() : match.end()],
                        item.replacement,
                        item.kind,
                    )
                )
    return taken


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def _find_patterns(
    text: str,
    covered: list[tuple[int, int]],
    only: str = "",
    shift: timedelta | None = None,
    language: str = "",
) -> list[Replacement]:
    found: list[Replacement] = []
    for kind, pattern, message in patterns():
        if only and kind != only:
            continue
        replacement = in_language(language, message)
        for match in pattern.finditer(text):
            spans = covered + [(r.start, r.end) for r in found]
            if not any(start < match.end() and match.start() < end for start, end in spans):
                becomes = (
                    shift_date(match.group(), shift, language) if kind == "date" and shift else replacement
                )
                found.append(Replacement(match.start(), match.end(), match.group(), becomes, kind))
    return found


def _covered(replacements: list[Replacement]) -> list[tuple[int, int]]:
    return [(r.start, r.end) for r in replacements]


def _overlaps(taken: list[Replacement], start: int, end: int) -> bool:
    return any(r.start < end and start < r.end for r in taken)


def _apply(text: str, replacements: list[Replacement]) -> str:
    out, at = [], 0
    for r in sorted(replacements, key=lambda r: r.start):
        out += [text[at : r.start], r.replacement]
        at = r.end
    out.append(text[at:])
    return "".join(out)
