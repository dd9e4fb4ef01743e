"""Consultations off the critical path: one event per view, written without a lock with its MAC, sealed into
the chain in order; tampering before or after sealing is found, and so is a list's index of cases."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from throughcare.audit.chain import checkpoint, find_break, lock_head, mac_of, seal, seal_all
from throughcare.audit.models import GENESIS_HASH, UNSEALED, AuditEvent, ChainHead, ConsultedCase, Operation
from throughcare.audit.partitions import month_of
from throughcare.audit.tests.verifying import broken, verify
from throughcare.audit.walking import Checkpoint
from throughcare.cases import actions
from throughcare.test import Cast, held_elsewhere, open_test_case

pytestmark = pytest.mark.django_db


def newest() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_a_list_writes_one_event_naming_every_case_it_showed(cast: Cast) -> None:
    second = open_test_case(cast.lead, cast.probation, given="Second")
    before = newest()
    assert cast.client_for(cast.lead).get(reverse("cases:caseload")).status_code == 200
    listed = AuditEvent.objects.get(pk__gt=before, operation=Operation.CONSULTATION)
    assert listed.case_id is None and listed.seq is None  # about several cases; not sealed yet
    assert set(ConsultedCase.objects.filter(event_id=listed.pk).values_list("case_id", flat=True)) == {
        cast.case.pk,
        second.pk,
    }
    assert listed in AuditEvent.objects.about_case(second.pk)
    assert listed.reason_for(second.pk) == "caseload: lead"


def test_the_index_of_a_list_learns_its_month_when_it_is_sealed(cast: Cast) -> None:
    """Who accessed a case reads a list from its own month: the index holds the month the sealer put the
    event in (waiting: the month of waiting events), and who acted."""
    open_test_case(cast.lead, cast.probation, given="Second")
    before = newest()
    cast.client_for(cast.lead).get(reverse("cases:caseload"))
    listed = AuditEvent.objects.get(pk__gt=before, operation=Operation.CONSULTATION)
    index = ConsultedCase.objects.filter(event_id=listed.pk).values_list("month", "actor_id")
    assert set(index) == {(UNSEALED, cast.lead.pk)}
    seal_all()
    listed.refresh_from_db()
    assert listed.month == month_of(timezone.now())
    assert set(index.all()) == {(listed.month, cast.lead.pk)}


def test_who_accessed_a_case_shows_the_lists_that_named_it(cast: Cast) -> None:
    open_test_case(cast.lead, cast.probation, given="Second")
    cast.client_for(cast.lead).get(reverse("cases:caseload"))
    page = cast.client_for(cast.lead).get(reverse("sharing:access_log", args=[cast.case.pk])).content.decode()
    assert "caseload: lead" in page and "people.person · caseload" in page


def test_waiting_events_are_sealed_in_the_order_written(cast: Cast) -> None:
    for _ in range(3):
        cast.client_for(cast.lead).get(reverse("cases:detail", args=[cast.case.pk]))
    waiting = list(AuditEvent.objects.filter(seq__isnull=True).order_by("id").values_list("id", flat=True))
    assert len(waiting) >= 3
    head = checkpoint().count
    assert seal_all() == len(waiting)
    sealed = list(AuditEvent.objects.filter(pk__in=waiting).order_by("seq").values_list("id", "seq"))
    assert [pk for pk, _ in sealed] == waiting
    assert [seq for _, seq in sealed] == list(range(head + 1, head + 1 + len(waiting)))
    assert find_break() is None


def test_the_seal_command_seals_what_waits(cast: Cast) -> None:
    cast.client_for(cast.lead).get(reverse("cases:detail", args=[cast.case.pk]))
    waiting = AuditEvent.objects.filter(seq__isnull=True).count()
    out = StringIO()
    call_command("audit_seal", stdout=out)
    assert out.getvalue().strip() == f"Sealed {waiting} events." and waiting > 0
    assert not AuditEvent.objects.filter(seq__isnull=True).exists() and find_break() is None


def test_altering_an_event_before_it_is_sealed_is_found_before_and_after_sealing(cast: Cast) -> None:
    cast.client_for(cast.lead).get(reverse("cases:detail", args=[cast.case.pk]))
    target = AuditEvent.objects.filter(seq__isnull=True).latest("id")
    AuditEvent.objects.filter(pk=target.pk).update(justification="nothing to see")
    assert f"an unsealed event (id {target.pk}): its content does not match" in broken("--no-seal")
    seal_all()
    assert "(altered)" in broken()  # sealed with its altered column: the body still says otherwise


def test_an_event_whose_body_was_rewritten_before_sealing_is_never_sealed(cast: Cast) -> None:
    cast.client_for(cast.lead).get(reverse("cases:detail", args=[cast.case.pk]))
    target = AuditEvent.objects.filter(seq__isnull=True).latest("id")
    assert target.body is not None
    AuditEvent.objects.filter(pk=target.pk).update(body=target.body.replace("lead", "nobody"))
    seal_all()
    assert AuditEvent.objects.get(pk=target.pk).seq is None  # its MAC does not match: left for verify
    assert f"an unsealed event (id {target.pk})" in broken()


def test_forging_a_body_and_its_columns_without_the_key_is_found(cast: Cast) -> None:
    cast.client_for(cast.lead).get(reverse("cases:detail", args=[cast.case.pk]))
    seal_all()
    target = AuditEvent.objects.filter(operation=Operation.CONSULTATION).latest("id")
    assert target.body is not None
    forged = target.body.replace("case overview", "nothing here")
    AuditEvent.objects.filter(pk=target.pk).update(body=forged)
    assert f"event #{target.seq} (id {target.pk}): its content does not match its hash" in broken()


@pytest.mark.parametrize("tamper", ["hide", "frame", "another month", "another actor"])
def test_changing_which_cases_a_list_names_is_found(cast: Cast, tamper: str) -> None:
    second = open_test_case(cast.lead, cast.probation, given="Second")
    before = newest()
    cast.client_for(cast.lead).get(reverse("cases:caseload"))
    seal_all()
    listed = AuditEvent.objects.get(pk__gt=before, operation=Operation.CONSULTATION)
    named = ConsultedCase.objects.filter(event_id=listed.pk, case_id=second.pk)
    if tamper == "hide":
        named.delete()
    elif tamper == "frame":
        ConsultedCase.objects.create(
            event_id=listed.pk, case_id=424242, month=listed.month, actor_id=listed.actor_id
        )
    elif tamper == "another month":  # who accessed the case would look for it elsewhere
        named.update(month=date(2020, 1, 1))
    else:  # and would name someone else among the people who acted
        named.update(actor_id=cast.auditor.pk)
    assert f"(id {listed.pk}): its content does not match its hash (altered)" in broken()


def test_verification_goes_on_from_a_checkpoint_verified_before(cast: Cast) -> None:
    actions.add_note(cast.case, by=cast.lead, body="one", category="general", nature="fact")
    kept = checkpoint()
    early = AuditEvent.objects.get(seq=2)
    AuditEvent.objects.filter(pk=early.pk).update(justification="rewritten")
    actions.add_note(cast.case, by=cast.lead, body="two", category="general", nature="fact")
    assert "broken at event #2" in broken()
    out = verify("--from", str(kept))
    assert f"from #{kept.count + 1}" in out  # what was verified before is not read again
    later = AuditEvent.objects.filter(seq__gt=kept.count).earliest("seq")
    AuditEvent.objects.filter(pk=later.pk).update(justification="rewritten")
    assert f"event #{later.seq}" in broken("--from", str(kept))
    assert "not in the chain" in broken("--from", str(Checkpoint(kept.count, "0" * 64)))


def test_events_written_before_bodies_were_kept_still_verify(cast: Cast) -> None:
    """A log from before this version, as migration 0003 leaves it: each body the payload its hash
    covered (a JSON object holding its place); new events follow on the same chain."""
    AuditEvent.objects.all().delete()
    key, prev = settings.AUDIT_CHAIN_KEY.encode(), GENESIS_HASH
    for seq in (1, 2):
        at = timezone.now().replace(microsecond=0)
        payload: dict[str, Any] = {
            "seq": seq, "occurred_at": at.isoformat(timespec="microseconds"), "operation": "collection",
            "actor": None, "actor_agency": None, "case": None, "object_type": "x", "object_id": str(seq),
            "justification": "", "recipients": [], "details": {"old": True},
        }  # fmt: skip
        body = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        digest = hmac.new(key, prev.encode() + b"\n" + body.encode(), hashlib.sha256).hexdigest()
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    seq=seq, occurred_at=at, month=month_of(at), operation="collection", object_type="x",
                    object_id=str(seq), body=body, mac=mac_of(body), prev_hash=prev, hash=digest,
                )
            ]
        )  # fmt: skip
        prev = digest
    ChainHead.objects.update_or_create(pk=1, defaults={"seq": 2, "hash": prev})
    assert AuditEvent.objects.get(seq=1).details == {"old": True}
    actions.add_note(cast.case, by=cast.lead, body="after", category="general", nature="fact")
    assert "intact" in verify()
    AuditEvent.objects.filter(seq=1).update(object_id="9")
    assert "event #1 (id" in broken() and "(altered)" in broken()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_a_page_view_does_not_wait_for_the_chain(cast: Cast) -> None:
    """While a change holds the chain head (a long write), the case page is served and its consultation
    written; sealing waits for the head, not the reader."""
    with held_elsewhere(_head_locked):
        started = time.monotonic()
        response = cast.client_for(cast.lead).get(reverse("cases:detail", args=[cast.case.pk]))
        waited = time.monotonic() - started
        assert response.status_code == 200 and waited < 10
        assert seal() == 0  # the sealer leaves the work while the head is held
        assert AuditEvent.objects.filter(seq__isnull=True, case_id=cast.case.pk).exists()
    assert seal_all() > 0 and find_break() is None


@contextmanager
def _head_locked() -> Iterator[None]:
    with transaction.atomic():
        lock_head()
        yield
