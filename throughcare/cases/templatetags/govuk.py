from __future__ import annotations

from django import template
from django.forms import BoundField

from throughcare.lib.forms import date_parts as _date_parts

register = template.Library()


@register.filter
def describedby(field: BoundField) -> str:
    """The ids of a field's hint and error message, for aria-describedby (empty when it has neither)."""
    ids = []
    if field.help_text or field.widget_type == "dateparts":  # a date input always says how to write it
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.filter
def date_parts(field: BoundField) -> dict[str, str]:
    """The day, month and year a GOV.UK date input shows for the field."""
    return _date_parts(field.value())
