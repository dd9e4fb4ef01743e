"""Filters for words placed inside a sentence, in any interface language (a template builtin: no load)."""

from __future__ import annotations

from typing import Any

from django import template

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
