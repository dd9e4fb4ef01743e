"""The protective marking a printed page carries: that of the most restricted data category it may show
(`settings.PROTECTIVE_MARKINGS`, from most to least restricted)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def protective_marking(*categories: str | Iterable[str]) -> str:
    """`{% protective_marking standing.categories %}` or `{% protective_marking "risk" "intelligence" %}`."""
    held = {c for group in categories for c in ([group] if isinstance(group, str) else group)}
    for category, marking in settings.PROTECTIVE_MARKINGS:
        if category in held:
            return str(marking)
    return str(settings.PROTECTIVE_MARKING_DEFAULT)
