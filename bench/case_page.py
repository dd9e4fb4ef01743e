"""Benchmark: what need-to-know filtering and consultation logging cost on the case page.

A case with 1,000 timeline entries. Two views render the same template with the same entries, side by
side in one run, interleaved (A B A B …) so that drift affects both equally:

  gated     the real case page: access gate, per-category filtering, standing, consultation logging
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
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = tempfile.mkdtemp(prefix="throughcare-bench-")
os.environ.setdefault("SQLITE_PATH", str(Path(WORKDIR) / "bench.sqlite3"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "throughcare.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.utils import timezone  # noqa: E402

ENTRIES = int(os.environ.get("BENCH_ENTRIES", "1000"))
RUNS = int(os.environ.get("BENCH_RUNS", "40"))
WARMUP = 5


def baseline(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case page without the gate, category filtering or logging (never served by the app)."""
    from django.core.paginator import Paginator

    from throughcare.cases.forms import NoteForm, PhaseChangeForm
    from throughcare.cases.models import Case, DataCategory
    from throughcare.cases.standing import Standing
    from throughcare.workspace.views import _progress_context, _sentence_context, _trajectory_context

    case = Case.objects.select_related("person").get(pk=case_id)
    standing = Standing(None, "baseline", True, frozenset(DataCategory.values))
    entries = case.timeline.select_related("author", "author_agency").newest_first()
    page = Paginator(entries, settings.TIMELINE_PAGE_SIZE).get_page(request.GET.get("page"))
    person = case.person
    context: dict[str, Any] = {
        "case": case,
        "person": person,
        "standing": standing,
        "aliases": list(person.aliases.all()),
        "identifiers": list(person.identifiers.all()),
        "phase_changes": list(case.phase_changes.select_related("changed_by")),
        "team": list(case.team.active().select_related("user", "agency")),
        "note_form": NoteForm(),
        "phase_form": PhaseChangeForm(initial={"to_phase": case.next_phase, "version": case.version}),
        "categories": DataCategory.choices,
        "category": "",
        "age": person.age_on(timezone.localdate()),
        "show_identity": True,
        "show_legal": True,
        "on_team_or_manager": True,
        "is_lead": True,
        "flag": case.intelligence_flags.filter(closed_at__isnull=True).select_related("owner").first(),
        "timeline_page": page,
    }
    # The same page sections as the real page (sentence, handover, conference, trajectory, rehabilitation
    # progress), without the gate.
    context |= (
        _sentence_context(case, standing)
        | _trajectory_context(case, standing, context["phase_changes"])
        | _progress_context(case, standing)
    )
    return render(request, "cases/case_detail.html", context)


urlpatterns = [path("baseline/<int:case_id>/", baseline), path("", include("throughcare.urls"))]


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
    urls = {"gated": f"/cases/{case_id}/", "baseline": f"/baseline/{case_id}/"}
    with override_settings(ROOT_URLCONF=__name__):
        worst = report(
            f"First page ({settings.TIMELINE_PAGE_SIZE} of {ENTRIES} entries shown)", measure(client, urls)
        )
        with override_settings(TIMELINE_PAGE_SIZE=ENTRIES):
            worst = max(worst, report(f"All {ENTRIES} entries on one page", measure(client, urls)))
    print(f"\nWorst overhead: {worst:+.1f} %  {'within' if worst <= 20 else 'OVER'} the 20 % target")


if __name__ == "__main__":
    main()
