"""The analysts' pages and the public pages: the right people, protected figures only, every download."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from throughcare.accounts.models import User
from throughcare.outcomes import publishing
from throughcare.outcomes.disclosure import SUPPRESSED
from throughcare.outcomes.models import MeasureDefinition, Release, ReleaseStatus
from throughcare.outcomes.publishing import ReleaseInput
from throughcare.outcomes.reading import as_read
from throughcare.test import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(
    cast: Cast, by_gender: MeasureDefinition, by_age: MeasureDefinition, publisher: User
) -> Release:
    drafted = publishing.draft(
        ReleaseInput("Reoffending after release", "Low, and measured.", [by_gender, by_age], []),
        by=cast.analyst,
    )
    return publishing.approve(publishing.submit(drafted, by=cast.analyst), by=publisher)


def test_statistics_work_is_for_analysts_and_publishers_only(
    cast: Cast, publisher: User, by_gender: MeasureDefinition
) -> None:
    url = reverse("outcomes:work")
    assert "Define a measure" in cast.client_for(cast.analyst).get(url).content.decode()
    assert cast.client_for(publisher).get(url).status_code == 200
    for outsider in (cast.lead, cast.manager, cast.auditor, cast.mentor):
        assert cast.client_for(outsider).get(url).status_code == 404
        assert (
            cast.client_for(outsider).get(reverse("outcomes:preview", args=[by_gender.pk])).status_code == 404
        )


def test_an_analyst_defines_a_measure_and_a_wrong_one_comes_back_with_the_error(
    cast: Cast, history: object
) -> None:
    client = cast.client_for(cast.analyst)
    data = {
        "name": "Terrorism reconviction, one year",
        "source": "extract",
        "extract": str(MeasureDefinition._meta.get_field("extract").related_model.objects.get().pk),  # type: ignore[union-attr]
        "released_from": "2016-01-01",
        "released_to": "2015-01-01",
        "follow_up_years": "1",
        "waiting_months": "6",
        "outcome": "terrorism",
    }
    refused = client.post(reverse("outcomes:new_measure"), data)
    assert refused.status_code == 400 and "The period ends before it starts" in refused.content.decode()
    assert 'value="Terrorism reconviction, one year"' in refused.content.decode()
    data["released_to"] = "2018-12-31"
    made = client.post(reverse("outcomes:new_measure"), data)
    assert made.status_code == 302
    preview = client.get(made["Location"]).content.decode()
    assert "reoffended" in preview and "How this was measured" in preview


def test_the_public_reads_published_figures_without_signing_in(published: Release) -> None:
    public = Client()
    index = public.get(reverse("outcomes:public_index")).content.decode()
    assert "Reoffending after release" in index and "95 % interval" in index
    page = public.get(reverse("outcomes:public_release", args=[published.slug])).content.decode()
    assert "How this was measured" in page and SUPPRESSED in page
    version = (published.slug, published.version)
    chart = public.get(reverse("outcomes:public_chart", args=[*version, 1]))
    assert chart["Content-Type"] == "image/png" and chart.content.startswith(b"\x89PNG")
    rates = public.get(reverse("outcomes:public_rates_chart", args=[*version, 1]))
    assert rates.content.startswith(b"\x89PNG") and "Rates with their intervals. All:" in page
    rows = list(
        csv.reader(io.StringIO(public.get(reverse("outcomes:public_csv", args=version)).content.decode()))
    )
    assert rows[0] == ["release", "version", "measure", "group", "figure", "value"]
    assert any(r[-1] == SUPPRESSED for r in rows)  # a small count, marked
    figures = json.loads(public.get(reverse("outcomes:public_json", args=version)).content)
    assert figures["measures"][0]["headline"]["cohort"] > 10
    assert public.get(reverse("outcomes:public_pdf", args=version)).content.startswith(b"%PDF")


def test_nothing_unpublished_is_public(cast: Cast, by_gender: MeasureDefinition) -> None:
    drafted = publishing.draft(ReleaseInput("Not yet", "", [by_gender], []), by=cast.analyst)
    publishing.submit(drafted, by=cast.analyst)
    public = Client()
    assert "Not yet" not in public.get(reverse("outcomes:public_index")).content.decode()
    assert public.get(reverse("outcomes:public_release", args=[drafted.slug])).status_code == 404
    assert public.get(reverse("outcomes:public_json", args=[drafted.slug, 1])).status_code == 404


def test_the_publisher_approves_from_the_release_page(
    cast: Cast, by_gender: MeasureDefinition, publisher: User
) -> None:
    drafted = publishing.draft(ReleaseInput("Figures", "", [by_gender], []), by=cast.analyst)
    analyst = cast.client_for(cast.analyst)
    analyst.post(reverse("outcomes:submit_release", args=[drafted.pk]))
    page = analyst.get(reverse("outcomes:work_release", args=[drafted.pk])).content.decode()
    assert "Approve and publish" not in page and "(not you: you prepared it)" in page
    response = cast.client_for(publisher).post(reverse("outcomes:approve_release", args=[drafted.pk]))
    assert response.status_code == 302
    assert Release.objects.get().status == ReleaseStatus.PUBLISHED
    assert (
        cast.client_for(cast.lead).post(reverse("outcomes:approve_release", args=[drafted.pk])).status_code
        == 404
    )


def test_a_release_covers_years_and_dates_in_words(published: Release) -> None:
    method = as_read(published.content)["measures"][0]["methodology"]
    assert method.startswith(
        "Cohort: everyone first released into the community between 1 January 2015 and 31 December 2019"
    )
    assert "committed within 2 years of release" in method and "waiting period of 6 months" in method


def test_a_release_published_in_one_language_is_read_in_each(
    cast: Cast, by_gender: MeasureDefinition, publisher: User
) -> None:
    """What the system wrote in a release — its method, footnote, columns, groups and grouping — is read in
    the reader's language, whoever published it; the figures and the names people gave are as frozen."""
    with translation.override("de"):
        drafted = publishing.draft(
            ReleaseInput("Rückfall nach Entlassung", "", [by_gender], []), by=cast.analyst
        )
        release = publishing.approve(publishing.submit(drafted, by=cast.analyst), by=publisher)
    url = reverse("outcomes:public_release", args=[release.slug])
    pages = {
        code: Client(headers={"accept-language": code}).get(url).content.decode()
        for code in ("en", "fr", "de")
    }
    assert "Cohort: everyone first released into the community between 1 January 2015" in pages["en"]
    assert "Reoffended</th>" in pages["en"] and "Female</th>" in pages["en"] and ">Gender</th>" in pages["en"]
    assert "[c] confidential: a count below" in pages["en"]
    french, german = pages["fr"], pages["de"]
    assert "Cohorte" in french and "1 janvier 2015" in french and "Cohort: everyone" not in french
    assert "Féminin" in french and ">Sexe</th>" in french and "Reoffended</th>" not in french
    assert "Kohorte" in german and "1. Januar 2015" in german and "Weiblich" in german
    for page in pages.values():
        assert "Rückfall nach Entlassung" in page  # the title its author gave, as written
    figures = json.loads(
        Client(headers={"accept-language": "fr"})
        .get(reverse("outcomes:public_json", args=[release.slug, release.version]))
        .content
    )
    assert figures["measures"][0]["methodology"].startswith("Cohorte")
    assert figures["measures"][0]["table"]["total"][0] == "Tous"
