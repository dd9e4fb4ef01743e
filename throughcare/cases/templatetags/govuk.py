from __future__ import annotations

from django import template
from django.forms import BoundField

register = template.Library()


@register.filter
def describedby(field: BoundField) -> str:
    """The ids of a field's hint and error message, for aria-describedby (empty when it has neither)."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)
