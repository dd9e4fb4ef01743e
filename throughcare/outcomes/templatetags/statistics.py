from __future__ import annotations

from typing import Any

from django import template

from throughcare.outcomes.disclosure import SUPPRESSED

register = template.Library()


@register.filter
def percent(value: Any) -> str:
    """A share as a percentage with one decimal; a hidden one as the confidentiality marker."""
    if value is None or value == SUPPRESSED:
        return SUPPRESSED
    return f"{100 * float(value):.1f} %"


@register.filter
def count(value: Any) -> str:
    return SUPPRESSED if value is None or value == SUPPRESSED else f"{int(value):,}"


@register.filter
def number(value: Any) -> str:
    return (
        SUPPRESSED if value is None or value == SUPPRESSED else f"{float(value):,.1f}".rstrip("0").rstrip(".")
    )
