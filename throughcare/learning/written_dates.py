"""Days as people write them in the languages the product offers ("3 March 2026", "3. März 2026", "3 mars",
"3 mrt 2026", "12/03/2024"): found in free text, moved by a training case's offset, and written again the
same way — in the same language, with the month as long or as short as it was.

The month names are Django's own for each language of `settings.LANGUAGES` (full, three-letter and
abbreviated), so a language added to the product is read here too.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django.utils.dates import MONTHS, MONTHS_3, MONTHS_AP

NUMERIC_FORMATS = ["%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y-%m-%d"]
NUMERIC = r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b"
# Spellings people use that Django's tables do not hold ("Sept", "janv.", "févr.", "juil.").
EXTRA = {
    "en": [["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"]],
    "de": [["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."]],
    "fr": [
        ["Janv.", "Févr.", "Mars", "Avr.", "Mai", "Juin", "Juil.", "Août", "Sept.", "Oct.", "Nov.", "Déc."]
    ],
    "nl": [["Jan.", "Feb.", "Mrt.", "Apr.", "Mei", "Jun.", "Jul.", "Aug.", "Sept.", "Okt.", "Nov.", "Dec."]],
}


@dataclass(frozen=True)
class Spelling:
    """One way a language writes the twelve months (its full names, or an abbreviation of them)."""

    language: str
    names: tuple[str, ...]


@lru_cache(maxsize=1)
def spellings() -> tuple[Spelling, ...]:
    found = []
    for code, _ in settings.LANGUAGES:
        with translation.override(code):
            for table in (MONTHS, MONTHS_AP, MONTHS_3):
                found.append(Spelling(code, tuple(str(table[m]).title() for m in range(1, 13))))
        found += [Spelling(code, tuple(names)) for names in EXTRA.get(code, [])]
    return tuple(found)


@lru_cache(maxsize=1)
def _months() -> dict[str, int]:
    """Each month's name in any spelling (folded, without its dot) → its number."""
    return {fold(name.rstrip(".")): n for s in spellings() for n, name in enumerate(s.names, start=1)}


@lru_cache(maxsize=1)
def pattern() -> str:
    """A day written with its month's name ("3 March", "3. März 2026", "12 Sept."), or in figures."""
    names = sorted(
        {re.escape(name.rstrip(".")) for s in spellings() for name in s.names}, key=len, reverse=True
    )
    named = rf"\b\d{{1,2}}(?:er)?\.? ?(?:{'|'.join(names)})\.?(?: \d{{4}})?\b"
    return f"{NUMERIC}|{named}"


NAMED = re.compile(
    r"(?P<day>\d{1,2})(?P<first>er)?(?P<dot>\.?)(?P<space> ?)(?P<month>[^\W\d_]+)(?P<after>\.?)"
    r"(?: (?P<year>\d{4}))?"
)


def shift(written: str, by: timedelta, language: str = "") -> str | None:
    """The day `written` moved `by`, written the same way (its language preferred where two write a month
    alike); None when it is no real day."""
    named = NAMED.fullmatch(written)
    if named is None:
        return _shift_numeric(written, by)
    month = _months().get(fold(named["month"]))
    if month is None:
        return None
    try:
        moved = date(int(named["year"] or 2000), month, int(named["day"])) + by
    except (ValueError, OverflowError):  # 31 February, or a day at the calendar's edge
        return None
    name, spelled_in = _spelled(named["month"] + named["after"], month, moved.month, language)
    year = f" {moved.year}" if named["year"] else ""
    first = "er" if moved.day == 1 and (named["first"] or spelled_in == "fr") else ""  # le 1er mars
    return f"{moved.day}{first}{named['dot']}{named['space']}{name}{year}"


def _spelled(written: str, month: int, new: int, language: str) -> tuple[str, str]:
    """Month `new` in the spelling in which `written` (month `month`) was written: the same language (the
    training case's, where two languages write the month alike), as long, with its capital and its dot."""
    bare, dot = written.rstrip("."), written.endswith(".")
    fits = [s for s in spellings() if fold(s.names[month - 1].rstrip(".")) == fold(bare)]
    fits.sort(key=lambda s: (s.language != language, s.names[month - 1].endswith(".") != dot))
    spelling = fits[0]
    name = spelling.names[new - 1]
    if not dot:
        name = name.rstrip(".")
    elif not spelling.names[month - 1].endswith(".") and not name.endswith("."):
        name += "."  # the writer's own full stop after a short month ("12 Sep. 2026")
    return (name if bare[:1].isupper() else name.lower()), spelling.language


def fold(text: str) -> str:
    """Lower case, without accents: "März" → "marz"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def _shift_numeric(written: str, by: timedelta) -> str | None:
    for form in NUMERIC_FORMATS:
        try:
            read = datetime.strptime(written, form).date()  # noqa: DTZ007 - a calendar day, not a moment
        except ValueError:
            continue
        try:
            return (read + by).strftime(form)
        except OverflowError:
            return None
    return None
