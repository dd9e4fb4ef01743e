"""Filters for words placed inside a sentence, in any interface language (a template builtin: no load)."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from throughcare.lib.wording import lowered, read

register = template.Library()


@register.filter
def midsentence(value: Any) -> str:
    """A label (a status, a kind, a reason) set inside a sentence: lower case, as English, French and Dutch
    write it there, but as written in German, where a noun keeps its capital."""
    return lowered(str(value))


@register.filter
def translated(record: Any, field: str) -> Any:
    """A catalogue record's field in the reader's language (`lib.translated`), English where untranslated:
    ``{{ item|translated:"title" }}``."""
    if hasattr(record, "translated"):
        return record.translated(field)
    return getattr(record, field, "")


@register.filter
def as_read(value: Any) -> str:
    """Text kept as a wording outside a `WordingField` (in a list of JSON, e.g. a training case's
    generalisations), read in the reader's language; plain text as it is."""
    return str(read(value)) if isinstance(value, str) else str(value)


@register.filter
def css_string(value: Any) -> str:
    """A text as a CSS string (a PDF's running footer: ``content: {{ title|css_string }}``), quoted and
    escaped so that no quote, backslash or ``</style>`` in a title breaks out of it."""
    text = str(value)
    escaped = "".join(f"\\{ord(char):X} " if char in '"\\<>\n\r' or ord(char) < 32 else char for char in text)
    return mark_safe(f'"{escaped}"')  # noqa: S308 - every character that could end the string is escaped


@register.simple_tag
def page_of_pages() -> str:
    """“Page 3 of 7” for a PDF's footer, as a CSS `content` value in the reader's language: the whole
    sentence is one message, its numbers the page counters."""
    message = gettext("Page %(page)s of %(pages)s")
    parts = re.split(r"(%\(page\)s|%\(pages\)s)", message)
    counters = {"%(page)s": "counter(page)", "%(pages)s": "counter(pages)"}
    return mark_safe(  # noqa: S308 - css_string escapes the words; the counters are fixed
        " ".join(counters[part] if part in counters else css_string(part) for part in parts if part)
    )
