"""Benchmark: the unread count in the header of every signed-in page, two ways, side by side in one run.

The header shows how many unread notifications still reach the person: a notification naming a case only
while they hold its category. Two ways to count them, interleaved (A B A B …) on the same page:

  sql     the gate's SQL conditions for each category the notifications name (`notifications_for(...)
          .count()`, what the notifications page lists);
  facts   the facts of the few cases they name, read together and decided by the same policy in Python
          (`unread_notification_count`, what the header uses).

The demo world is loaded into a scratch database (SQLite, or an empty PostgreSQL database in
`DATABASE_URL`; a scale world there is used as it is); each persona with unread notifications naming a case
(the first `BENCH_READERS` by name) opens *Your account* — a page with no case data, so the header is most
of what it costs. Printed: medians of both, their ratio, and the queries of each.

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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from bench import django_setup  # noqa: E402, F401 — Django set up before the project's modules load

RUNS = int(os.environ.get("BENCH_RUNS", "40"))
READERS = int(os.environ.get("BENCH_READERS", "8"))  # on a scale world every lead has notifications
WARMUP = 5
PAGE = "/account/"
COUNTER = "unread_notification_count"  # the navigation's name for the count it shows


def main() -> None:
    from throughcare.accounts.models import User
    from throughcare.notifications.models import Notification
    from throughcare.sharing.access import notifications_for, unread_notification_count
    from throughcare.test import sign_in
    from throughcare.workspace import context_processors

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    if not User.objects.exists():
        with contextlib.redirect_stdout(io.StringIO()):  # the demo world's list of personas
            call_command("load_demo_world", verbosity=0)

    def by_sql(user: User) -> int:
        return notifications_for(user, unread=True).count()

    ways: dict[str, Callable[[User], int]] = {"sql": by_sql, "facts": unread_notification_count}
    readers = (
        User.objects.filter(notifications__read_at__isnull=True, notifications__case_id__isnull=False)
        .distinct()
        .order_by("username")[:READERS]
    )
    print(f"Header count: {connection.vendor}, {RUNS} runs, page {PAGE}")
    print(f"{'persona':<22} {'unread':>6} {'sql ms':>8} {'facts ms':>9} {'ratio':>6} {'queries':>9}")
    for user in readers:
        assert by_sql(user) == unread_notification_count(user), user.username
        client = Client()
        sign_in(client, user)  # with their second factor given, as after the code page
        times: dict[str, list[float]] = {name: [] for name in ways}
        queries: dict[str, int] = {}
        for run in range(WARMUP + RUNS):
            for name, way in ways.items():
                setattr(context_processors, COUNTER, way)  # the header counts this way for this request
                started = time.perf_counter()
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(PAGE)
                elapsed = time.perf_counter() - started
                assert response.status_code == 200, (user.username, response.status_code)
                if run >= WARMUP:
                    times[name].append(elapsed * 1000)
                    queries[name] = len(captured)
        setattr(context_processors, COUNTER, unread_notification_count)
        sql, facts = statistics.median(times["sql"]), statistics.median(times["facts"])
        unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        print(
            f"{user.username:<22} {unread:>6} {sql:8.1f} {facts:9.1f} {sql / facts:6.2f} "
            f"{queries['sql']:>4} {queries['facts']:>4}"
        )


if __name__ == "__main__":
    main()
