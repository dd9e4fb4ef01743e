"""The case's sub-navigation: its overview and the sections contributed by each capability, each shown only
to a viewer whose standing on the case holds the section's category."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from throughcare.cases.contributions import sections
from throughcare.cases.gateway import gate
from throughcare.cases.models import Case

register = template.Library()


@register.inclusion_tag("cases/partials/case_navigation.html", takes_context=True)
def case_navigation(context: dict[str, Any], case: Case, current: str) -> dict[str, Any]:
    standing = gate().standing_on_case(context["request"].user, case)
    items = [
        {"title": s.title, "url": reverse(s.url_name, args=[case.pk]), "current": s.key == current}
        for s in sections()
        if s.shown_to(standing)
    ]
    return {"items": items, "case": case}
