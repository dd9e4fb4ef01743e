"""Showing a text with its replacements highlighted, for the reviewer of a training case."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

register = template.Library()

KIND_LABELS = {
    "name": _("a name"),
    "staff": _("a member of staff"),
    "agency": _("an agency"),
    "place": _("a place"),
    "identifier": _("an identifier"),
    "email": _("an e-mail address"),
    "phone": _("a telephone number"),
    "date": _("a date"),
    "postcode": _("a postcode"),
    "health": _("health details"),
}


@register.filter
def marked(text: str, marks: list[Any]) -> SafeString:
    """The text, escaped, with each marked span in a <mark> that says what kind of identifier it was."""
    out: list[str] = []
    at = 0
    reader = escape(translation.get_language() or "")
    for start, end, kind in sorted(marks or [], key=lambda m: m[0]):
        if start < at or end > len(text):
            continue
        label = str(KIND_LABELS.get(str(kind), str(kind)))  # the reader's language, in the material's
        out += [
            escape(text[at:start]),
            f'<mark class="tc-mark" title="{escape(label)}">{escape(text[start:end])}'
            f'<span class="govuk-visually-hidden" lang="{reader}"> ({escape(label)})</span></mark>',
        ]
        at = end
    out.append(escape(text[at:]))
    return mark_safe("".join(out).replace("\n", "<br>"))  # noqa: S308 - every piece is escaped above
