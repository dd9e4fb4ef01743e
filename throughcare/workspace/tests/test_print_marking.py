"""A printed case page carries, on every page, the case reference and the protective marking of the most
restricted category it may show; restricted minutes carry the marking of what they include."""

from __future__ import annotations

from django.urls import reverse

from throughcare.sharing.actions import flag_intelligence
from throughcare.test import Cast


def _marking(html: str) -> str:
    return html.split('<div class="tc-print-marking" aria-hidden="true">')[1].split("</div>")[0]


def test_the_marking_follows_what_the_reader_may_see(cast: Cast) -> None:
    flag_intelligence(cast.case, by=cast.police_liaison, owner=cast.police_liaison)
    url = reverse("cases:detail", args=[cast.case.pk])
    police = _marking(cast.client_for(cast.police_liaison).get(url).text)
    assert police.startswith("SECRET") and cast.case.reference in police
    lead = _marking(cast.client_for(cast.lead).get(url).text)
    assert lead.startswith("OFFICIAL-SENSITIVE — health")  # the lead holds health, not intelligence
    timeline = cast.client_for(cast.lead).get(reverse("cases:timeline", args=[cast.case.pk])).text
    assert _marking(timeline) == lead  # every page of the case


def test_a_page_without_case_data_has_no_marking(cast: Cast) -> None:
    assert "tc-print-marking" not in cast.client_for(cast.analyst).get("/").text
