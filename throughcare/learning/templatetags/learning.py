"""Showing a text with its replacements highlighted, for the reviewer of a training case."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

KIND_LABELS = {
    "name": "a name",
    "staff": "a member of staff",
    "agency": "an agency",
    "place": "a place",
    "identifier": "an identifier",
    "email": "an e-mail address",
    "phone": "a telephone number",
    "date": "a date",
    "postcode": "a postcode",
    "health": "health details",
}


@register.filter
def marked(text: str, marks: list[Any]) -> SafeString:
    """The text, escaped, with each marked span in a <mark> that says what kind of identifier it was."""
    out: list[str] = []
    at = 0
    for start, end, kind in sorted(marks or [], key=lambda m: m[0]):
        if start < at or end > len(text):
            continue
        label = KIND_LABELS.get(str(kind), str(kind))
        out += [
            escape(text[at:start]),
            f'<mark class="tc-mark" title="{escape(label)}">{escape(text[start:end])}'
            f'<span class="govuk-visually-hidden"> ({escape(label)})</span></mark>',
        ]
        at = end
    out.append(escape(text[at:]))
    return mark_safe("".join(out).replace("\n", "<br>"))  # noqa: S308 - every piece is escaped above
