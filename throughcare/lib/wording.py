"""Text the system writes once and people read in their own language.

A timeline entry the system records, an item of Needs attention, a notification, the reason a case's
responsibility lies where it does: each is written when something happens and read later, by people who may
work in different languages. So what is stored is not a sentence but its **wording** — the English message
(a msgid of the catalogues) and its values — and the sentence is made when it is read, in the reader's
language, dates and numbers formatted for it::

    worded("Release on %(date)s: handover not completed", date=release)
    worded_count("%(count)s day overdue", "%(count)s days overdue", count=days)

`worded` and `worded_count` are keywords of `make messages` (`throughcare/lib/management/commands/
makemessages.py`), so their messages are extracted like `gettext`'s. A value is one of:

- a `str`: written by a person or a name (a note, a source, a person's name) — shown as it is;
- a lazy translation (a choice's label, `gettext_lazy`) — stored as its English and translated when read;
  `midsentence(label)` lowers it inside a sentence, except in German, where a noun keeps its capital;
- a `date` or `datetime` — formatted for the reader's language (`SHORT_DATE_FORMAT`); `in_words(day)` for
  the day written out (`DATE_FORMAT`: "1 January 2015", "1. Januar 2015");
- an `int` — a number, formatted for the reader's language;
- another `Wording` — a phrase translated on its own and set in;
- catalogue data in each language (`in_each_language`): a checklist item's title, a condition's wording —
  what the record says in the reader's language, as the record said it when the text was written;
- a `list` or `tuple` of these — shown one after the other, separated by commas; `sentences(...)`
  for sentences shown one after the other (`paragraph(...)`: such sentences as a wording of their own).

A `WordingField` stores either a wording (as JSON) or a plain text (what a person wrote, or an entry written
before wordings existed) and gives back either; templates print both with ``{{ entry.body }}``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.expressions import Combinable
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext

from throughcare.lib.translated import language_code

MARK = '{"wording":'  # how a stored wording begins; plain text that begins so is stored as a wording too


@dataclass(frozen=True)
class Midsentence:
    """A label set inside a sentence: lower case, but as written where nouns keep their capital."""

    label: Any


@dataclass(frozen=True)
class Localised:
    """A value written in each language (catalogue data), shown in the reader's, else in English."""

    by_language: dict[str, str]

    def __str__(self) -> str:
        return self.by_language.get(language_code()) or self.by_language.get(
            language_code(settings.LANGUAGE_CODE), ""
        )


def in_each_language(make: Callable[[str], Any]) -> Localised:
    """`make(code)` for each language offered: e.g. ``in_each_language(lambda code: item.translated("title",
    code))``."""
    return Localised({language_code(code): str(make(code)) for code, _ in settings.LANGUAGES})


@dataclass(frozen=True)
class InWords:
    """A day written out in the reader's language."""

    day: date


def in_words(day: date) -> InWords:
    return InWords(day)


@dataclass(frozen=True)
class Sentences:
    """Sentences (wordings) shown one after the other."""

    items: tuple[Any, ...]


def sentences(items: Any) -> Sentences:
    return Sentences(tuple(items))


def paragraph(items: Any) -> Wording:
    """Sentences as one text, e.g. a method written from several conditions, or what the system says of a
    decision followed by the reason a person gave: each a wording, or a text shown as written (what people
    wrote); what is missing (None, or an empty text) is left out."""
    return Wording("%(text)s", {"text": sentences(item for item in items if not _missing(item))})


def _missing(item: Any) -> bool:
    return item is None or (isinstance(item, str) and not item.strip())


@dataclass(frozen=True)
class Wording:
    message: str  # the English message: a msgid
    params: dict[str, Any] = field(default_factory=dict)
    plural: str = ""  # the English plural, when the message counts (`params["count"]`)

    def __str__(self) -> str:
        count = self.params.get("count")
        if self.plural and isinstance(count, int):
            text = ngettext(self.message, self.plural, count)
        else:
            text = gettext(self.message) if self.message else ""
        if not self.params:
            return text
        values = {name: _shown(value) for name, value in self.params.items()}
        try:
            return (text % values).strip()  # a value left empty (an optional note) leaves no space behind
        except (KeyError, ValueError, TypeError):  # a translation that lost a placeholder: the English
            return (self.message % values).strip()

    def stored(self) -> str:
        return json.dumps({"wording": self._data()}, ensure_ascii=False, separators=(",", ":"))

    def _data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"m": self.message}
        if self.plural:
            data["pl"] = self.plural
        if self.params:
            data["p"] = {name: _stored(value) for name, value in self.params.items()}
        return data


def worded(message: str, **params: Any) -> Wording:
    """The wording of a message: `message` is English, with ``%(name)s`` for each value."""
    return Wording(message, params)


def worded_count(singular: str, plural: str, count: int, **params: Any) -> Wording:
    """A message whose form depends on a number (``%(count)s``): each language's plural rules choose."""
    return Wording(singular, {"count": count, **params}, plural)


def labelled(label: Any) -> Wording:
    """A label alone (a choice's, `gettext_lazy`): its English kept, translated when read."""
    return Wording(english(label))


def label_of(record: models.Model, field: str) -> Any:
    """The label of a record's choice (``record.get_<field>_display()``), still to be translated."""
    value = getattr(record, field)
    choices = getattr(record._meta.get_field(field), "flatchoices", ())
    return dict(choices).get(value, value)


def verbatim(text: str) -> Wording:
    """Text shown exactly as written, in any language (e.g. a note that happens to look like a wording)."""
    return Wording("%(text)s", {"text": text})


def midsentence(label: Any) -> Midsentence:
    return Midsentence(label)


def read(text: str) -> Wording | str:
    """What a `WordingField` holds: the wording it stores, or the plain text it holds."""
    if not text.startswith(MARK):
        return text
    try:
        return _wording(json.loads(text)["wording"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return text


def stored(value: Wording | str) -> str:
    if isinstance(value, Wording):
        return value.stored()
    return verbatim(value).stored() if value.startswith(MARK) else value


def shown(value: Any) -> str:
    """A value as it is set in a text, in the reader's language (a list: its items, comma-separated)."""
    return str(_shown(value))


def english(value: Any) -> str:
    """The text in English (the source language): for the audit log, events and logs, read by machines
    and auditors rather than in a page."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(value)


def lowered(text: str) -> str:
    """A label set inside a sentence: lower case, as English, French and Dutch write it there, but as
    written in German, where a noun keeps its capital."""
    return text if language_code() in CAPITALISED_NOUNS else text.lower()


def _shown(value: Any) -> Any:
    if isinstance(value, Midsentence):
        return lowered(str(_shown(value.label)))
    if isinstance(value, InWords | date):
        return _day_shown(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(_shown(item)) for item in value)
    if isinstance(value, Sentences):
        return " ".join(str(_shown(item)) for item in value.items)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return formats.number_format(value, use_l10n=True)
    return value if isinstance(value, str) else str(value)  # a label, a phrase, a name


def _day_shown(value: InWords | date) -> str:
    if isinstance(value, InWords):
        return formats.date_format(value.day, "DATE_FORMAT")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    return formats.date_format(value, "SHORT_DATE_FORMAT")


# Languages whose nouns keep their capital letter inside a sentence ("die Sicherheitsüberprüfung").
CAPITALISED_NOUNS = frozenset({"de"})


def _stored(value: Any) -> Any:
    """A value as JSON: a one-key object naming its kind, or the value itself (a text, a number)."""
    for kind, (key, encode) in _ENCODINGS.items():
        if isinstance(value, kind):
            return {key: encode(value)}
    if isinstance(value, bool | int | float) or value is None:
        return value
    return str(value)


def _wording(data: dict[str, Any]) -> Wording:
    params = {name: _value(value) for name, value in (data.get("p") or {}).items()}
    return Wording(str(data["m"]), params, str(data.get("pl", "")))


def _value(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    (key, data), *rest = value.items()
    if rest:
        raise ValueError(value)
    return _DECODINGS[key](data)


@dataclass(frozen=True)
class _Label:
    """A stored label: its English, translated when shown."""

    message: str

    def __str__(self) -> str:
        return gettext(self.message)


# Kind of value → (its key, how it is stored); datetime before date (a datetime is a date).
_ENCODINGS: dict[Any, tuple[str, Any]] = {
    Midsentence: ("mid", lambda v: _stored(v.label)),
    Wording: ("w", lambda v: v._data()),
    list: ("l", lambda v: [_stored(item) for item in v]),
    tuple: ("l", lambda v: [_stored(item) for item in v]),
    Sentences: ("s", lambda v: [_stored(item) for item in v.items]),
    Localised: ("tr", lambda v: v.by_language),
    InWords: ("dw", lambda v: v.day.isoformat()),
    Promise: ("t", english),
    datetime: ("dt", lambda v: v.isoformat()),
    date: ("d", lambda v: v.isoformat()),
}
_DECODINGS: dict[str, Any] = {
    "mid": lambda data: Midsentence(_value(data)),
    "w": _wording,
    "l": lambda data: [_value(item) for item in data],
    "s": lambda data: Sentences(tuple(_value(item) for item in data)),
    "t": lambda data: _Label(str(data)),
    "tr": lambda data: Localised({str(code): str(text) for code, text in data.items()}),
    "dt": datetime.fromisoformat,
    "d": date.fromisoformat,
    "dw": lambda data: InWords(date.fromisoformat(data)),
}


class WordingField(models.TextField[Wording | str | Combinable, Wording | str]):
    """A text column that holds a wording or a plain text, and gives back either (`read`). What a person
    types is a plain text whatever it looks like: a form's value is never read as a wording."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Wording | str | None:
        return None if value is None else read(value)

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, Wording | str):
            return stored(value)
        return super().get_prep_value(value)
