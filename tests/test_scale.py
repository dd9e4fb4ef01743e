"""National scale, as a user notices it without a stopwatch: list pages run the same number of queries
however many cases the service holds, show a page of a long list with elided page links, and the scale
world the benchmarks run on is a valid world (its audit chain verifies, the gate sees it as designed).
Timings are measured in bench/scale.py, never here."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from throughcare.accounts.models import User
from throughcare.audit.chain import find_break
from throughcare.audit.models import AuditEvent, ConsultedCase, Operation
from throughcare.cases.models import Case, TimelineEntry
from throughcare.demo.scale_world import Shape, World
from throughcare.rights.models import SubjectAccessRequest
from throughcare.sharing import access
from throughcare.sharing.access import notifications_for, unread_notification_count
from throughcare.test import sign_in

pytestmark = pytest.mark.django_db

PAGES = {
    "scale.officer": ["/caseload/", "/search/?q=ka", "/needs-attention/"],
    "scale.manager": ["/", "/caseload/?scope=all", "/needs-attention/", "/needs-attention/?scope=mine"],
    "scale.mentor": ["/referrals/"],
    "scale.chair": ["/conferences/"],
    "scale.dpo": ["/", "/subject-access/", "/oversight/access/"],
}


class _Rollback(Exception):
    pass


def _queries_per_page(cases: int) -> dict[str, int]:
    """Build a world of `cases`, count each page's queries as its persona, and roll the world back."""
    counted: dict[str, int] = {}
    try:
        with transaction.atomic():
            World(Shape(cases, entries=2, audit=1)).build()
            for username, urls in PAGES.items():
                client = Client()
                sign_in(client, User.objects.get(username=username))
                for url in urls:
                    client.get(url)  # warm: the viewer and the navigation are cached per request anyway
                    with CaptureQueriesContext(connection) as captured:
                        response = client.get(url)
                    assert response.status_code == 200, url
                    counted[f"{username} {url}"] = len(captured.captured_queries)
            raise _Rollback
    except _Rollback:
        pass
    return counted


@override_settings(CASELOAD_PAGE_SIZE=5, ATTENTION_PAGE_SIZE=5)
@pytest.mark.parametrize("small_scope", [0, 10_000], ids=["the gate's SQL form", "scopes decided from facts"])
def test_list_pages_run_the_same_number_of_queries_for_four_times_the_cases(
    small_scope: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each form of the gate at a constant number of queries; which one a viewer gets depends on their scope
    # (`access.SMALL_SCOPE`), so both are held here whatever the worlds' sizes.
    monkeypatch.setattr(access, "SMALL_SCOPE", small_scope)
    small, large = _queries_per_page(150), _queries_per_page(600)
    assert small == large


def test_the_scale_world_is_a_valid_world() -> None:
    built = World(Shape(120, entries=3, audit=2)).build()
    assert built.cases == Case.objects.count() == 120
    assert AuditEvent.objects.count() == 240 and find_break() is None  # the lists' index agrees too
    listed = ConsultedCase.objects.order_by("case_id").first()
    assert listed is not None  # who accessed a case shows the caseloads that named it
    assert AuditEvent.objects.get(pk=listed.event_id, case_id=None).pk in {
        e.pk for e in AuditEvent.objects.about_case(listed.case_id)
    }
    officer = User.objects.get(username="scale.officer")
    mine = Case.objects.on_caseload_of(officer)
    assert 0 < mine.count() < 120
    assert TimelineEntry.objects.filter(case__in=mine).order_by().values("case").distinct().count() > 0
    busiest = max(TimelineEntry.objects.filter(case=c).count() for c in mine)
    assert busiest == 30  # one of the officer's cases holds ten times the entries
    manager = User.objects.get(username="scale.manager")
    assert Case.objects.visible_to(manager).count() > mine.count()
    # The leads were told about their cases: the header counts the unread notices they may still read.
    unread = unread_notification_count(officer)
    assert 0 < unread == notifications_for(officer, unread=True).count()
    # Some people asked for their data: the DPO opened their requests, the last month's still open.
    requests = SubjectAccessRequest.objects.select_related("opened_by")
    assert requests and {r.opened_by.username for r in requests} == {"scale.dpo"}
    with pytest.raises(ValueError, match="empty database"):
        World(Shape(1)).build()


def test_the_command_reports_what_it_built(capsys: Any) -> None:
    call_command("load_scale_world", "--cases", "30", "--entries", "2", "--audit", "1")
    out = capsys.readouterr().out
    assert "Built 30 cases" in out and "audit events: 30" in out and "timeline entries: " in out


def _cases_for(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@override_settings(CASELOAD_PAGE_SIZE=2, LIST_COUNT_CAP=30)
def test_a_long_caseload_shows_elided_page_links_and_an_honest_count() -> None:
    World(Shape(200, entries=1, audit=0)).build()
    client = Client()
    sign_in(client, User.objects.get(username="scale.manager"))
    html = _cases_for(client, "/caseload/?scope=all&page=7")
    assert "More than 30 cases" in html
    assert 'aria-label="Page 1"' in html and 'aria-label="Page 15"' in html
    assert 'aria-label="Page 7"' in html and 'aria-current="page"' in html
    assert 'aria-label="Page 11"' not in html  # elided: two either side of the current page
    assert html.count("govuk-pagination__item--ellipses") == 2


@override_settings(ATTENTION_PAGE_SIZE=3)
def test_a_managers_needs_attention_shows_a_page_and_logs_only_what_it_shows() -> None:
    World(Shape(300, entries=1, audit=0)).build()
    client = Client()
    sign_in(client, User.objects.get(username="scale.manager"))
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    html = _cases_for(client, "/needs-attention/")
    assert "Showing 1 to 3 of" in html
    consulted = AuditEvent.objects.filter(pk__gt=before, operation=Operation.CONSULTATION)
    assert consulted.count() == 2  # one event for the cases, one for the people named: a view, not a row
    assert 0 < ConsultedCase.objects.filter(event_id__in=consulted.values("id")).count() <= 2 * 3


def test_a_signed_in_page_reads_the_persons_memberships_once() -> None:
    """The header (agency, menu), the gate and the consultation record all ask about the person's
    memberships: they are read once a request, whatever the page."""
    World(Shape(20, entries=1, audit=0)).build()
    client = Client()
    sign_in(client, User.objects.get(username="scale.officer"))
    for url in ["/caseload/", "/needs-attention/", "/search/?q=ka", "/notifications/"]:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        read = [
            q["sql"]
            for q in captured.captured_queries
            if re.search(r'FROM "?accounts_membership\b', q["sql"])
        ]
        whole = [sql for sql in read if not sql.startswith("SELECT 1")]
        assert len(whole) == 1, (url, whole)
