"""The public statistics pages: no sign-in, published releases only, figures as they were frozen and
protected — pages, CSV, JSON, PDF and the charts."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from throughcare.lib.routers import replica_reads
from throughcare.lib.text import spreadsheet_cell
from throughcare.outcomes import charts
from throughcare.outcomes.disclosure import SUPPRESSED
from throughcare.outcomes.models import Release
from throughcare.outcomes.reading import as_read


def _published(slug: str, version: int | None) -> Release:
    releases = Release.objects.public().filter(slug=slug)
    if version is None:
        return get_object_or_404(releases.order_by("-version")[:1])
    return get_object_or_404(releases, version=version)


@login_not_required
@require_GET
@replica_reads
def index(request: HttpRequest) -> HttpResponse:
    latest: dict[str, Release] = {}
    for release in Release.objects.public().order_by("slug", "-version"):
        latest.setdefault(release.slug, release)
    listed = sorted(latest.values(), key=lambda r: r.published_at or r.prepared_at, reverse=True)
    return render(request, "outcomes/public_index.html", {"releases": listed})


@login_not_required
@require_GET
@replica_reads
def release(request: HttpRequest, slug: str, version: int | None = None) -> HttpResponse:
    shown = _published(slug, version)
    content = as_read(shown.content)
    context = {
        "release": shown,
        "computed": content,
        "measures": measures_with_alt(content),
        "versions": Release.objects.public().filter(slug=slug).order_by("-version"),
        "newer": Release.objects.public()
        .filter(slug=slug, version__gt=shown.version)
        .order_by("version")
        .first(),
    }
    return render(request, "outcomes/public_release.html", context)


@login_not_required
@require_GET
@replica_reads
def chart(request: HttpRequest, slug: str, version: int, number: int) -> HttpResponse:
    measures = as_read(_published(slug, version).content).get("measures", [])
    if not 1 <= number <= len(measures) or not measures[number - 1]["survival"]:
        return HttpResponse(status=404)
    return HttpResponse(charts.survival_png(measures[number - 1]), content_type="image/png")


@login_not_required
@require_GET
def rates_chart(request: HttpRequest, slug: str, version: int, number: int) -> HttpResponse:
    measures = as_read(_published(slug, version).content).get("measures", [])
    if not 1 <= number <= len(measures) or measures[number - 1]["headline"]["rate"] is None:
        return HttpResponse(status=404)
    return HttpResponse(charts.rates_png(measures[number - 1]), content_type="image/png")


@login_not_required
@require_GET
def download_json(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    shown = _published(slug, version)
    body = {
        "title": shown.title,
        "version": shown.version,
        "published": _when(shown),
        **as_read(shown.content),
    }
    response = HttpResponse(
        json.dumps(body, indent=2, ensure_ascii=False, default=str), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{slug}-v{version}.json"'
    return response


@login_not_required
@require_GET
def download_csv(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    """Tidy: one row per figure, with the suppression marker where a count is confidential."""
    shown = _published(slug, version)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["release", "version", "measure", "group", "figure", "value"])
    for row in tidy_rows(as_read(shown.content)):
        writer.writerow([spreadsheet_cell(cell) for cell in [shown.title, shown.version, *row]])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-v{version}.csv"'
    return response


def measures_with_alt(content: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, str]]]:
    """Each measure with its charts in words (the images' text alternatives)."""
    return [
        (m, {"survival": charts.describe(m), "rates": charts.describe_rates(m)})
        for m in content.get("measures", [])
    ]


def tidy_rows(content: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    figures = (
        "cohort",
        "reoffenders",
        "rate",
        "ci_low",
        "ci_high",
        "offences",
        "per_reoffender",
        "median_days_to_first",
    )
    for measure in content.get("measures", []):
        for group in [measure["headline"], *measure["rates"]]:
            rows += [[measure["name"], group["group"], name, _value(group[name])] for name in figures]
    return rows


def _value(value: Any) -> Any:
    return SUPPRESSED if value is None else value  # a rate or figure not shown: confidential


@login_not_required
@require_GET
def download_pdf(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy: loaded only for a PDF

    shown = _published(slug, version)
    html = render_to_string(
        "outcomes/release_pdf.html",
        {"release": shown, "computed": as_read(shown.content), "published": _when(shown)},
    )
    response = HttpResponse(
        HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="{slug}-v{version}.pdf"'
    return response


def _when(release: Release) -> str:
    return release.published_at.date().isoformat() if release.published_at else ""
