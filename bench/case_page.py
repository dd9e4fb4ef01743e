"""Benchmark: what need-to-know filtering and consultation logging cost on the case pages.

A case with 1,000 timeline entries. For the case overview and for the timeline section, two views render
the same template with the same content, side by side in one run, interleaved (A B A B …) so that drift
affects both equally:

  gated     the real page: access gate, per-category filtering, standing, consultation logging
            (a hash-chained audit event per request);
  baseline  the same page without any of it: the case and its entries fetched directly.

The viewer is the case lead, who may see every category present, so both show the same entries.
Printed: the median and 90th percentile server time of each, and the overhead of the gated page.
Run with `make bench` (SQLite) or `DATABASE_URL=postgres://… make bench`.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import django_setup  # noqa: E402, F401 — Django set up before the project's modules load

ENTRIES = int(os.environ.get("BENCH_ENTRIES", "1000"))
RUNS = int(os.environ.get("BENCH_RUNS", "40"))
WARMUP = 5


def _ungated(request: HttpRequest, case_id: int) -> tuple[Any, Any]:
    """The case and a standing holding every category, without asking the gate (left on the case where
    the sub-navigation looks for the gate's decision, so that it does not ask either)."""
    from throughcare.cases.models import Case, DataCategory
    from throughcare.cases.standing import Relation, Standing

    case = Case.objects.select_related("person").get(pk=case_id)
    standing = Standing(None, "baseline", True, frozenset(DataCategory.values), Relation.LEAD)
    case._standing_cache = (request.user.pk, standing)  # type: ignore[attr-defined]
    return case, standing


def baseline_timeline(request: HttpRequest, case_id: int) -> HttpResponse:
    """The timeline section without the gate, category filtering or logging (never served by the app)."""
    from django.core.paginator import Paginator

    from throughcare.cases.forms import NoteForm
    from throughcare.cases.models import DataCategory

    case, standing = _ungated(request, case_id)
    entries = case.timeline.select_related("author", "author_agency").newest_first()
    page = Paginator(entries, settings.TIMELINE_PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "case": case,
        "standing": standing,
        "section": "timeline",
        "heading": "Timeline",
        "timeline_page": page,
        "category": "",
        "categories": DataCategory.choices,
        "note_form": NoteForm(),
    }
    return render(request, "cases/timeline.html", context)


def baseline_overview(request: HttpRequest, case_id: int) -> HttpResponse:
    """The overview without the gate or logging: the same panels and due items, built by the same
    contributions with a standing that holds everything."""
    from throughcare.cases.contributions import panels
    from throughcare.cases.forms import PhaseChangeForm
    from throughcare.workspace import attention

    case, standing = _ungated(request, case_id)
    today = timezone.localdate()
    due = attention.for_case(request.user, case, standing, today)  # type: ignore[arg-type]
    person = case.person
    context: dict[str, Any] = {
        "case": case,
        "person": person,
        "standing": standing,
        "section": "overview",
        "heading": person.full_name,
        "show_identity": True,
        "age": person.age_on(today),
        "aliases": list(person.aliases.all()),
        "identifiers": list(person.identifiers.all()),
        "team": list(case.team.active().select_related("user", "agency")),
        "lead": getattr(case.team.lead(), "user", None),
        "flag": case.intelligence_flags.filter(closed_at__isnull=True).select_related("owner").first(),
        "panels": [
            {"template": p.template, "context": p.build(case, standing, request.user)}  # type: ignore[arg-type]
            for p in panels()
        ],
        "due": due[:5],
        "more_due": max(len(due) - 5, 0),
        "today": today,
        "phase_form": PhaseChangeForm(initial={"to_phase": case.next_phase, "version": case.version}),
        "may_change_phase": True,
    }
    return render(request, "cases/overview.html", context)


urlpatterns = [
    path("baseline/<int:case_id>/", baseline_overview),
    path("baseline/<int:case_id>/timeline/", baseline_timeline),
    path("", include("throughcare.urls")),
]


def build_case() -> tuple[Any, int]:
    from throughcare.accounts.models import AgencyKind
    from throughcare.cases.models import DataCategory, TimelineEntry
    from throughcare.test import join_team, make_agency, make_user, open_test_case

    probation = make_agency("Probation", AgencyKind.PROBATION)
    police = make_agency("Police CT", AgencyKind.POLICE_CT)
    lead = make_user("bench.lead", probation)
    case = open_test_case(lead, probation)
    join_team(case, make_user("bench.police", police), police, "CT liaison")
    categories = [c for c in DataCategory.values if c != DataCategory.INTELLIGENCE]
    now = timezone.now()
    TimelineEntry.objects.bulk_create(
        TimelineEntry(
            case=case,
            category=categories[i % len(categories)],
            nature="fact",
            body=f"Entry {i}: supervision notes of a believable length for the benchmark. " * 3,
            occurred_at=now - timedelta(hours=i),
            author=lead,
            author_agency=probation,
        )
        for i in range(ENTRIES - 1)
    )
    return lead, case.pk


def measure(client: Client, urls: dict[str, str]) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in urls}
    for run in range(WARMUP + RUNS):
        for name, url in urls.items():
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
            assert response.status_code == 200, (name, response.status_code)
            if run >= WARMUP:
                times[name].append(elapsed * 1000)
    return times


def report(label: str, times: dict[str, list[float]]) -> float:
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"\n{label}")
    for name, values in times.items():
        p90 = statistics.quantiles(values, n=10)[-1]
        print(f"  {name:<9} median {medians[name]:7.2f} ms   p90 {p90:7.2f} ms   (n={len(values)})")
    overhead = (medians["gated"] / medians["baseline"] - 1) * 100
    print(f"  overhead of the gate and logging: {overhead:+.1f} %  (target: at most +20 %)")
    return overhead


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    lead, case_id = build_case()
    client = Client()
    client.force_login(lead)
    db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"Case page benchmark: {ENTRIES} timeline entries, {RUNS} interleaved runs each, database: {db}")
    overview = {"gated": f"/cases/{case_id}/", "baseline": f"/baseline/{case_id}/"}
    timeline = {"gated": f"/cases/{case_id}/timeline/", "baseline": f"/baseline/{case_id}/timeline/"}
    with override_settings(ROOT_URLCONF=__name__):
        worst = report("Case overview (panels, what is due, team)", measure(client, overview))
        worst = max(
            worst,
            report(
                f"Timeline, first page ({settings.TIMELINE_PAGE_SIZE} of {ENTRIES} entries shown)",
                measure(client, timeline),
            ),
        )
        with override_settings(TIMELINE_PAGE_SIZE=ENTRIES):
            worst = max(
                worst, report(f"Timeline, all {ENTRIES} entries on one page", measure(client, timeline))
            )
    print(f"\nWorst overhead: {worst:+.1f} %  {'within' if worst <= 20 else 'OVER'} the 20 % target")


if __name__ == "__main__":
    main()
