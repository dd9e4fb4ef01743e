"""How many rows a paged list holds, as its caption says it: "3 cases", "1 case", or "More than 10,000
cases" when the count stopped at its cap (`lib/paging.py`), in the reader's language and its plural rules."""

from __future__ import annotations

from collections.abc import Callable

from django import template
from django.core.paginator import Paginator
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

register = template.Library()

# Each noun whole, as a translator needs it (plural rules differ): (the exact count, the capped count).
NOUNS: dict[str, tuple[Callable[[int], str], Callable[[], str]]] = {
    "case": (
        lambda n: ngettext("%(count)s case", "%(count)s cases", n),
        lambda: gettext("More than %(count)s cases"),
    ),
    "entry": (
        lambda n: ngettext("%(count)s entry", "%(count)s entries", n),
        lambda: gettext("More than %(count)s entries"),
    ),
    "referral": (
        lambda n: ngettext("%(count)s referral", "%(count)s referrals", n),
        lambda: gettext("More than %(count)s referrals"),
    ),
    "event": (
        lambda n: ngettext("%(count)s event", "%(count)s events", n),
        lambda: gettext("More than %(count)s events"),
    ),
}


@register.filter
def counted(paginator: Paginator, noun: str) -> str:  # type: ignore[type-arg]
    """`{{ page.paginator|counted:"case" }}`."""
    exact, capped = NOUNS[noun]
    n = paginator.count
    message = capped() if getattr(paginator, "capped", False) else exact(n)
    return message % {"count": number_format(n, force_grouping=True)}
