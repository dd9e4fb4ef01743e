"""The log by month (PostgreSQL): each month's events in a partition of their own, one stretch of the chain;
a past month archived out of the log verifies on its own, the log verifies across the gap, and a month
attached again reads as before. Forged archive records and altered archives are found."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from throughcare.audit import partitions
from throughcare.audit.chain import seal_all
from throughcare.audit.log import record
from throughcare.audit.models import (
    GENESIS_HASH,
    ArchivedMonth,
    AuditEvent,
    ChainHead,
    ConsultedCase,
    Operation,
)
from throughcare.audit.tests.verifying import broken, show_caseload, verify
from throughcare.test import Cast, open_test_case

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the log is partitioned on PostgreSQL"),
]

MARCH, APRIL = date(2025, 3, 1), date(2025, 4, 1)


@pytest.fixture
def months(cast: Cast) -> Iterator[Cast]:
    """A log begun in March 2025: a change and a list shown in March, a change in April, then today."""
    second = open_test_case(cast.lead, cast.probation, given="Second")
    AuditEvent.objects.all().delete()
    ConsultedCase.objects.all().delete()
    ChainHead.objects.update_or_create(pk=1, defaults={"seq": 0, "hash": GENESIS_HASH, "month": None})
    for day in (datetime(2025, 3, 10, tzinfo=UTC), datetime(2025, 4, 2, tzinfo=UTC)):
        with time_machine.travel(day, tick=False), transaction.atomic():
            record(Operation.COLLECTION, cast.case, by=cast.lead, case_id=cast.case.pk, justification="note")
            show_caseload(cast, second)
            seal_all()
    seal_all()
    yield cast


def archive(month: date) -> str:
    out = StringIO()
    call_command("audit_archive", f"{month:%Y-%m}", stdout=out)
    return out.getvalue()


def test_each_month_holds_one_stretch_of_the_chain(months: Cast) -> None:
    held = {
        month: list(AuditEvent.objects.filter(month=month).order_by("seq").values_list("seq", flat=True))
        for month in (MARCH, APRIL)
    }
    assert held == {MARCH: [1, 2], APRIL: [3, 4]}
    assert {MARCH, APRIL} <= set(partitions.attached())
    assert "intact" in verify()


def test_a_past_month_archived_verifies_on_its_own_and_the_log_across_it(months: Cast) -> None:
    said = archive(MARCH)
    assert "March 2025 archived: events #1–#2 (2)" in said and "audit_auditevent_2025_03_cases" in said
    assert MARCH not in partitions.attached() and not AuditEvent.objects.filter(month=MARCH).exists()
    assert "Archive of March 2025 intact: events #1–#2 (2)" in verify("--archived", "2025-03")
    assert "intact" in verify()
    told = AuditEvent.objects.filter(object_type="audit.archivedmonth").get()
    assert told.details["archived"]["last_seq"] == 2 and told.seq is not None


def test_a_month_archived_can_be_attached_again(months: Cast) -> None:
    archive(MARCH)
    out = call_restore(MARCH)
    assert "March 2025 is in the log again: events #1–#2 (2)" in out
    assert MARCH in partitions.attached() and not ArchivedMonth.objects.exists()
    listed = AuditEvent.objects.filter(month=MARCH, case_id__isnull=True).get()
    index = ConsultedCase.objects.filter(event_id=listed.pk).values_list("month", "actor_id")
    assert list(index) == [(MARCH, listed.actor_id)] * 2  # its cases indexed again, with month and actor
    page = months.client_for(months.lead).get(reverse("sharing:access_log", args=[months.case.pk]))
    assert "caseload: lead" in page.content.decode()
    assert "intact" in verify()


def call_restore(month: date) -> str:
    out = StringIO()
    call_command("audit_archive", f"{month:%Y-%m}", "--restore", stdout=out)
    return out.getvalue()


def test_an_archive_altered_does_not_verify_nor_come_back(months: Cast) -> None:
    archive(MARCH)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent_2025_03 SET justification = 'nothing to see' WHERE seq = 1")
    assert "The archive of March 2025 is broken at event #1" in broken("--archived", "2025-03")
    with pytest.raises(Exception, match="does not verify"):
        call_restore(MARCH)


def test_an_archive_record_made_up_to_hide_a_deletion_is_found(months: Cast) -> None:
    april = AuditEvent.objects.filter(month=APRIL).order_by("seq")
    first, last = april.first(), april.last()
    assert first is not None and last is not None and first.seq and last.seq
    ArchivedMonth.objects.create(
        month=APRIL, table="gone", first_seq=first.seq, last_seq=last.seq, prev_hash=first.prev_hash,
        last_hash=last.hash, events=2,
    )  # fmt: skip
    april.delete()
    assert "events #3–#4 are said to be archived, but the chain does not say so" in broken()


def test_an_archive_record_deleted_leaves_the_chain_broken(months: Cast) -> None:
    archive(MARCH)
    ArchivedMonth.objects.all().delete()
    assert "event #1 is missing (deleted)" in broken()


def test_only_past_months_in_the_log_can_be_archived(months: Cast) -> None:
    this_month = partitions.month_of(datetime.now(UTC))
    for month, reason in [
        (this_month, "Only a month before the one events are being sealed in"),
        (date(2025, 2, 1), "February 2025 is not in the log"),
    ]:
        with pytest.raises(Exception, match=reason):
            archive(month)
    with pytest.raises(Exception, match="YYYY-MM"):
        call_command("audit_archive", "2025-3x")


def test_months_are_made_ahead_and_when_first_sealed_into(months: Cast) -> None:
    with time_machine.travel(datetime(2031, 1, 20, tzinfo=UTC), tick=False):
        call_command("daily_run", stdout=StringIO())
        assert {date(2031, 1, 1), date(2031, 2, 1)} <= set(partitions.attached())
    with time_machine.travel(datetime(2031, 6, 3, tzinfo=UTC), tick=False), transaction.atomic():
        record(Operation.COLLECTION, months.case, by=months.lead, case_id=months.case.pk)
    assert AuditEvent.objects.filter(month=date(2031, 6, 1)).count() == 1
    # A clock behind does not take the chain back a month.
    with time_machine.travel(datetime(2031, 5, 30, tzinfo=UTC), tick=False), transaction.atomic():
        record(Operation.COLLECTION, months.case, by=months.lead, case_id=months.case.pk)
    assert AuditEvent.objects.filter(month=date(2031, 6, 1)).count() == 2
    assert "intact" in verify()
