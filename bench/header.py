"""Benchmark: the notifications that reach a person — counted in the header of every signed-in page and
listed on the notifications page — decided two ways, side by side in one run.

A notification naming a case reaches the person only while they hold its category. Two ways to decide it,
interleaved (A B A B …) on the same page:

  sql     the gate's SQL conditions for each category the notifications name (how `notifications_for`
          decided before session 9; kept here as the baseline, `by_gate_sql`);
  facts   the facts of the few cases they name, read together and decided by the same policy in Python
          (`unread_notification_count`, what the header and the notifications page use).

The demo world is loaded into a scratch database (SQLite, or an empty PostgreSQL database in
`DATABASE_URL`; a scale world there is used as it is); each persona with unread notifications naming a case
(the first `BENCH_READERS` by name) opens *Your account* — a page with no case data, so the header is most
of what it costs — and *Notifications*. Printed: medians of both, their ratio, and the queries of each.

    make bench-header                                    # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<empty database> make bench-header
"""

from __future__ import annotations

import contextlib
import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import django_setup  # noqa: E402 — Django set up before the project's modules load

RUNS = int(os.environ.get("BENCH_RUNS", "40"))
READERS = int(os.environ.get("BENCH_READERS", "8"))  # on a scale world every lead has notifications
WARMUP = 5
PAGES = ["/account/", "/notifications/"]
COUNTER = "unread_notification_count"  # the navigation's name for the count it shows
LISTER = "notifications_for"  # the notifications page's name for the rows it lists


def by_gate_sql(user: Any, *, unread: bool = False) -> Any:
    """The notifications that reach the user, by the gate's SQL: for each category named, those naming a
    case the user may see and whose category they hold there."""
    from django.db.models import Q

    from throughcare.cases.models import Case
    from throughcare.notifications.models import Notification
    from throughcare.sharing.access import case_category_q, viewer_for, visible_cases_q

    mine = Notification.objects.filter(recipient=user)
    if unread:
        mine = mine.filter(read_at__isnull=True)
    named = set(mine.exclude(case_id=None).values_list("category", flat=True).distinct())
    if not named:
        return mine
    viewer = viewer_for(user)
    reach = Q(case_id=None)
    visible = Case.objects.filter(visible_cases_q(viewer))
    for category in sorted(named):
        cases = visible.filter(case_category_q(viewer, category)) if category else visible
        reach |= Q(category=category, case_id__in=cases.values("pk"))
    return mine.filter(reach)


def main() -> None:
    from throughcare.accounts.models import User
    from throughcare.notifications.models import Notification
    from throughcare.sharing import access, views
    from throughcare.sharing.access import notifications_for, unread_notification_count
    from throughcare.test import sign_in
    from throughcare.workspace import context_processors

    django_setup.serve_as_in_production()
    settings.ALLOWED_HOSTS = ["*"]
    # The baseline's conditions in the gate's SQL form: a scope decided from facts (session 10) would
    # decide them too. The header and notifications page decide no scope of their own.
    access.SMALL_SCOPE = 0
    call_command("migrate", verbosity=0)
    if not User.objects.exists():
        with contextlib.redirect_stdout(io.StringIO()):  # the demo world's list of personas
            call_command("load_demo_world", verbosity=0)

    ways: dict[str, tuple[Callable[..., Any], Callable[..., Any]]] = {
        "sql": (lambda user: by_gate_sql(user, unread=True).count(), by_gate_sql),
        "facts": (unread_notification_count, notifications_for),
    }
    readers = (
        User.objects.filter(notifications__read_at__isnull=True, notifications__case_id__isnull=False)
        .distinct()
        .order_by("username")[:READERS]
    )
    print(f"Notifications, the header's count and the page's list: {connection.vendor}, {RUNS} runs")
    print(
        f"{'persona':<22} {'page':<16} {'unread':>6} {'sql ms':>8} {'facts ms':>9} {'ratio':>6} "
        f"{'queries':>9}"
    )
    for user in readers:
        assert set(by_gate_sql(user)) == set(notifications_for(user)), user.username
        client = Client()
        sign_in(client, user)  # with their second factor given, as after the code page
        unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        for page in PAGES:
            times: dict[str, list[float]] = {name: [] for name in ways}
            queries: dict[str, int] = {}
            for run in range(WARMUP + RUNS):
                for name, (count, lister) in ways.items():
                    setattr(context_processors, COUNTER, count)  # this way for this request
                    setattr(views, LISTER, lister)
                    started = time.perf_counter()
                    with CaptureQueriesContext(connection) as captured:
                        response = client.get(page)
                    elapsed = time.perf_counter() - started
                    assert response.status_code == 200, (user.username, page, response.status_code)
                    if run >= WARMUP:
                        times[name].append(elapsed * 1000)
                        queries[name] = len(captured)
            setattr(context_processors, COUNTER, unread_notification_count)
            setattr(views, LISTER, notifications_for)
            sql, facts = statistics.median(times["sql"]), statistics.median(times["facts"])
            print(
                f"{user.username:<22} {page:<16} {unread:>6} {sql:8.1f} {facts:9.1f} {sql / facts:6.2f} "
                f"{queries['sql']:>4} {queries['facts']:>4}"
            )


if __name__ == "__main__":
    main()
