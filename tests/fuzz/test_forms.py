"""Every form, as several personas, sent malformed values of every kind that crashed a form before: no
answer may be a server error, on SQLite or PostgreSQL.

`FORM_FUZZ_REQUESTS` bounds the malformed submissions per persona and `FORM_FUZZ_PAGES` the pages its
crawl visits (CI's short form by default; `make fuzz` sends many more); `FORM_FUZZ_PERSONAS` picks the
personas. Each run prints the requests sent, the forms found and the
server errors grouped by cause.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
from django.db import connection
from django.test import Client

from tests.fuzz.crawler import Run
from throughcare.accounts.models import User
from throughcare.demo import snapshot
from throughcare.test import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PERSONAS = os.environ.get(
    "FORM_FUZZ_PERSONAS",
    "probation.officer,ct.police,panel.chair,probation.manager,dpo,analyst,trainer,ngo.mentor,admin,anonymous",
).split(",")
BUDGET = int(os.environ.get("FORM_FUZZ_REQUESTS", "120"))  # malformed submissions per persona
PAGES = int(os.environ.get("FORM_FUZZ_PAGES", "100"))  # pages each persona's crawl visits
START = ["/", "/admin/"]


def test_no_form_answers_a_server_error(capsys: pytest.CaptureFixture[str]) -> None:
    snapshot.load_world()
    sent, forms, causes = 0, 0, Counter[str]()
    examples: dict[str, str] = {}
    for username in PERSONAS:
        client = Client(raise_request_exception=False)
        if username != "anonymous":  # the sign-in page's own form, as someone not signed in
            sign_in(client, User.objects.get(username=username))
        with Run(client, username, BUDGET, PAGES) as run:
            run.crawl(START if username != "anonymous" else ["/accounts/login/"])
            run.fuzz()
        sent += run.sent
        forms += len(run.forms)
        for failure in run.failures:
            causes[failure.cause] += 1
            examples.setdefault(failure.cause, failure.example)
    report = [
        f"Form fuzz on {connection.vendor}: {sent} requests, {forms} forms found by {len(PERSONAS)} "
        "personas, "
        f"{sum(causes.values())} server errors from {len(causes)} causes"
    ]
    report += [f"  {n} × {cause}\n      e.g. {examples[cause]}" for cause, n in causes.most_common()]
    with capsys.disabled():
        print("\n" + "\n".join(report))
    assert not causes, "\n".join(report)
