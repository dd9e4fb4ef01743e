"""A world of small cells: every analyst and public page and download of its figures shows no count below
the threshold, and no group curve whose count is hidden."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from throughcare.accounts.models import User
from throughcare.outcomes import publishing
from throughcare.outcomes.disclosure import SUPPRESSED
from throughcare.outcomes.models import MeasureDefinition, Release
from throughcare.outcomes.publishing import ReleaseInput
from throughcare.outcomes.synthetic import load_cohort
from throughcare.test import Cast

pytestmark = pytest.mark.django_db

COUNT_FIGURES = {"cohort", "reoffenders", "offences"}


@pytest.fixture
def small(cast: Cast, publisher: User) -> Release:
    tiny = load_cohort(
        "Tiny", 90, date(2015, 1, 1), date(2018, 12, 31), seed=11, until=date(2024, 1, 1), by=None
    )
    measures = [
        MeasureDefinition.objects.create(
            name=f"Tiny by {group}",
            source="extract",
            extract=tiny,
            released_from=date(2015, 1, 1),
            released_to=date(2018, 12, 31),
            follow_up_years=2,
            outcome="any",
            group_by=group,
            created_by=cast.analyst,
        )
        for group in ("gender", "age_band", "region")
    ]
    drafted = publishing.draft(ReleaseInput("Tiny", "", measures, []), by=cast.analyst)
    return publishing.approve(publishing.submit(drafted, by=cast.analyst), by=publisher)


def _count_cells(html: str) -> list[int]:
    """The numbers in the count tables ("People followed …") of a page."""
    tables = re.findall(
        r"<table class=\"govuk-table\">\s*<caption[^>]*>People followed.*?</table>", html, flags=re.S
    )
    cells = [re.findall(r"govuk-table__cell--numeric\">([^<]*)</td>", table) for table in tables]
    return [int(v.replace(",", "")) for row in cells for v in row if v != SUPPRESSED]


def test_no_page_or_download_shows_a_count_below_the_threshold(cast: Cast, small: Release) -> None:
    version = (small.slug, small.version)
    public = Client()
    pages = [
        public.get(reverse("outcomes:public_release", args=[small.slug])).content.decode(),
        public.get(reverse("outcomes:public_index")).content.decode(),
        cast.client_for(cast.analyst).get(reverse("outcomes:work_release", args=[small.pk])).content.decode(),
    ]
    pages += [
        cast.client_for(cast.analyst).get(reverse("outcomes:preview", args=[m.pk])).content.decode()
        for m in small.definitions.all()
    ]
    counts = [n for page in pages for n in _count_cells(page)]
    assert counts and all(n >= 10 for n in counts)
    assert all(SUPPRESSED in page for page in pages[2:])  # small cells, hidden on every page
    rows = csv.DictReader(
        io.StringIO(public.get(reverse("outcomes:public_csv", args=version)).content.decode())
    )
    shown = [int(r["value"]) for r in rows if r["figure"] in COUNT_FIGURES and r["value"] != SUPPRESSED]
    assert shown and all(n >= 10 for n in shown)
    figures = json.loads(public.get(reverse("outcomes:public_json", args=version)).content)
    for measure in figures["measures"]:
        hidden = {row[0] for row in measure["table"]["rows"] if SUPPRESSED in row[1:]}
        assert not hidden & {curve["group"] for curve in measure["survival"]}
