from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from throughcare.risk import actions
from throughcare.risk.instrument_file import load
from throughcare.risk.models import Item
from throughcare.test import Cast

pytestmark = pytest.mark.django_db

DEMO = (Path(__file__).parents[1] / "instruments" / "demo-spj.csv").read_text()


def _judge(cast: Cast, level: str) -> None:
    instrument = load(DEMO, by=None) if not Item.objects.exists() else Item.objects.first().domain.instrument  # type: ignore[union-attr]
    assessment = actions.start_assessment(cast.case, instrument, by=cast.lead)
    actions.complete(
        assessment, by=cast.lead, judgement=level, rationale="A reason that is long enough to explain"
    )


def test_the_case_page_draws_the_judgements_over_time_without_javascript(cast: Cast) -> None:
    _judge(cast, "medium")
    _judge(cast, "high")
    html = cast.client_for(cast.lead).get(reverse("risk:section", args=[cast.case.pk])).text
    assert "Risk trajectory" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and "<polyline" in html
    assert "Judgements made by assessors and reviewers: Medium" in html and "High, " in html
    assert "Community supervision</text>" in html  # the phase is marked


def test_partners_without_risk_information_do_not_see_the_trajectory(cast: Cast) -> None:
    _judge(cast, "medium")
    mentor = cast.client_for(cast.mentor)
    assert mentor.get(reverse("risk:section", args=[cast.case.pk])).status_code == 404
    overview = mentor.get(reverse("cases:detail", args=[cast.case.pk])).text
    assert "Latest risk judgement" not in overview and ">Risk</a>" not in overview


def test_the_chart_has_a_dated_axis_and_a_legend_of_the_phases(cast: Cast) -> None:
    from datetime import timedelta

    from throughcare.cases.models import PhaseChange

    now = timezone.now()
    PhaseChange.objects.filter(case=cast.case).update(changed_at=now - timedelta(days=3 * 365))
    PhaseChange.objects.create(
        case=cast.case,
        from_phase="community",
        to_phase="reintegration",
        changed_at=now - timedelta(days=200),
        changed_by=cast.lead,
    )
    _judge(cast, "medium")
    html = cast.client_for(cast.lead).get(reverse("risk:section", args=[cast.case.pk])).text
    chart = html.split('<svg xmlns="http://www.w3.org/2000/svg"')[1].split("</svg>")[0]
    for year in range(now.year - 2, now.year + 1):
        assert f">{year}</text>" in chart  # a tick on each 1 January
    assert ">Community supervision</text>" in chart and ">Reintegration</text>" in chart  # the legend
    assert ">a judgement</text>" in chart
    day = date_format(timezone.localtime(now - timedelta(days=200)), "SHORT_DATE_FORMAT")
    assert f"Reintegration from {day}" in chart  # said in words too


def test_the_chart_speaks_its_readers_language(cast: Cast) -> None:
    """Its title, its description (what a screen reader says), its axis and its legend."""
    _judge(cast, "medium")
    cast.lead.language = "de"
    cast.lead.save(update_fields=["language"])
    html = cast.client_for(cast.lead).get(reverse("risk:section", args=[cast.case.pk])).text
    chart = html.split('<svg xmlns="http://www.w3.org/2000/svg"')[1].split("</svg>")[0]
    assert "Risikoeinschätzungen im Zeitverlauf" in chart and "Risk judgements" not in chart
    assert "Einschätzungen der Begutachtenden" in chart and "(Einschätzung," in chart
    assert ">Mittel</text>" in chart and ">eine Einschätzung</text>" in chart
    assert "Medium" not in chart and " from " not in chart
