"""A timeline export opened in a spreadsheet never runs what a note says (issue 17: CSV formulas)."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone

from throughcare.cases.models import TimelineEntry
from throughcare.test import Cast

pytestmark = pytest.mark.django_db

DANGEROUS = ['=HYPERLINK("http://example.org","x")', "+1+2", "-2+3", "@SUM(A1)", "\tTab", "\rReturn"]


def test_cells_a_spreadsheet_would_run_are_written_as_text(cast: Cast) -> None:
    for body in DANGEROUS + ["A plain note", "- a dash list item"]:
        TimelineEntry.objects.create(
            case=cast.case,
            category="general",
            nature="fact",
            body=body,
            occurred_at=timezone.now(),
            author=cast.lead,
        )
    answer = cast.client_for(cast.lead).get(f"/cases/{cast.case.pk}/export.csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode())))
    bodies = [row[-1] for row in rows[1:]]
    for body in DANGEROUS:
        assert "'" + body in bodies, body
    assert "A plain note" in bodies
    assert not any(b[:1] in ("=", "+", "-", "@", "\t", "\r") for b in bodies)
