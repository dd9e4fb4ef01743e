"""How many rows a paged list holds, as its caption says it: "3 cases", "1 case", or "More than 10000
cases" when the count stopped at its cap (`lib/paging.py`)."""

from __future__ import annotations

from django import template
from django.core.paginator import Paginator

register = template.Library()


@register.filter
def counted(paginator: Paginator, words: str) -> str:  # type: ignore[type-arg]
    """`{{ page.paginator|counted:"case,cases" }}`."""
    one, many = words.split(",")
    if getattr(paginator, "capped", False):
        return f"More than {paginator.count} {many}"
    return f"{paginator.count} {one if paginator.count == 1 else many}"
