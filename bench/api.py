"""Benchmark: the JSON API against the HTML pages of the same data, side by side in one run.

A probation officer leads `BENCH_CASES` cases (default 200); one of them has `BENCH_ENTRIES` timeline
entries (default 1,000). Each pair asks for the same rows as the same user, interleaved (A B A B …):

  case list    GET /api/v1/cases?scope=mine&limit=25   vs  GET /caseload/ (25 a page)
  case detail  GET /api/v1/cases/{id}                   vs  GET /cases/{id}/ (the overview)
  timeline     GET /api/v1/cases/{id}/timeline?limit=N  vs  GET /cases/{id}/timeline/ (N a page)

Both go through the gate and write their consultation to the audit log. The API call carries a bearer token
(looked up by digest on every call); the page a session. Printed: median and p90 of each, and the page's
time over the API's. Run with `make bench-api` (SQLite) or `DATABASE_URL=postgres://… make bench-api`.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import django_setup  # noqa: E402, F401 — Django set up before the project's modules load
from bench.timing import interleaved, ratio, report  # noqa: E402

CASES = int(os.environ.get("BENCH_CASES", "200"))
ENTRIES = int(os.environ.get("BENCH_ENTRIES", "1000"))
RUNS = int(os.environ.get("BENCH_RUNS", "30"))


def build() -> tuple[Any, int]:
    from throughcare.accounts.models import AgencyKind
    from throughcare.cases.models import DataCategory, TimelineEntry
    from throughcare.test import join_team, make_agency, make_user, open_test_case

    probation = make_agency("Probation", AgencyKind.PROBATION)
    police = make_agency("Police CT", AgencyKind.POLICE_CT)
    lead = make_user("bench.lead", probation)
    liaison = make_user("bench.police", police)
    cases = [open_test_case(lead, probation, given=f"Person{i}") for i in range(CASES)]
    for case in cases[:20]:
        join_team(case, liaison, police, "CT liaison")
    big = cases[0]
    categories = [c for c in DataCategory.values if c != DataCategory.INTELLIGENCE]
    now = timezone.now()
    TimelineEntry.objects.bulk_create(
        TimelineEntry(
            case=big,
            category=categories[i % len(categories)],
            nature="fact",
            body=f"Entry {i}: supervision notes of a believable length for the benchmark. " * 3,
            occurred_at=now - timedelta(hours=i),
            author=lead,
            author_agency=probation,
        )
        for i in range(ENTRIES - 1)
    )
    return lead, big.pk


def main() -> None:
    from throughcare.api import tokens

    setup_test_environment()
    call_command("migrate", verbosity=0)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.API_RATE = "1000000/m"
    lead, case_id = build()
    _, raw = tokens.issue(lead, name="bench", scope="read", days=1, by=lead)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    page = Client()
    page.force_login(lead)
    size = settings.TIMELINE_PAGE_SIZE
    pairs = {
        "case list (25 cases)": ("/api/v1/cases?scope=mine&limit=25", "/caseload/"),
        "case detail": (f"/api/v1/cases/{case_id}", f"/cases/{case_id}/"),
        f"timeline ({size} of {ENTRIES} entries)": (
            f"/api/v1/cases/{case_id}/timeline?limit={size}",
            f"/cases/{case_id}/timeline/",
        ),
    }
    db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"API against pages: {CASES} cases, {ENTRIES} entries on one, {RUNS} interleaved runs, {db}")
    for label, (api_url, page_url) in pairs.items():
        timings = interleaved(
            {"api": lambda u=api_url: _get(api, u), "page": lambda u=page_url: _get(page, u)},  # type: ignore[misc]
            RUNS,
        )
        print(f"\n{label}")
        report(timings, width=5)
        print(f"page / api: {ratio(timings, 'page', 'api'):.2f}×")


def _get(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)


if __name__ == "__main__":
    main()
