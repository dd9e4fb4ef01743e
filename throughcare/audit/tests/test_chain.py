"""Tamper evidence: any single change to the stored log is found by `audit_verify`."""

from __future__ import annotations

import hashlib

import pytest
from django.db.models import F

from throughcare.audit.chain import checkpoint
from throughcare.audit.models import AuditEvent, ChainHead
from throughcare.audit.tests.verifying import broken, verify
from throughcare.cases import actions
from throughcare.test import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(cast: Cast) -> list[AuditEvent]:
    for n in range(4):
        actions.add_note(cast.case, by=cast.lead, body=f"note {n}", category="general", nature="fact")
    events = list(AuditEvent.objects.order_by("seq"))
    assert len(events) >= 6
    return events


def test_an_untouched_log_verifies_and_prints_a_checkpoint(log: list[AuditEvent]) -> None:
    out = verify("--checkpoint")
    assert f"Audit log intact: {len(log)} events" in out
    assert f"Checkpoint: {len(log)}:{log[-1].hash}" in out


def test_every_event_follows_the_one_before(log: list[AuditEvent]) -> None:
    assert [e.seq for e in log] == list(range(1, len(log) + 1))
    assert all(later.prev_hash == earlier.hash for earlier, later in zip(log, log[1:], strict=False))


@pytest.mark.parametrize(
    "field", ["justification", "object_id", "operation", "case_id", "body", "occurred_at"]
)
def test_altering_any_field_of_an_event_is_detected(log: list[AuditEvent], field: str) -> None:
    target = log[3]
    changes = {
        "justification": "nothing to see",
        "object_id": "999",
        "operation": "erasure",
        "case_id": 424242,
        "body": target.body.replace('"fact"', '"assessment"').replace('"general"', '"risk"') + " ",
        "occurred_at": target.occurred_at.replace(year=2001),
    }
    AuditEvent.objects.filter(pk=target.pk).update(**{field: changes[field]})
    assert (
        broken() == f"Audit log chain is broken at event #{target.seq} (id {target.pk}): its content does "
        "not match its hash (altered)"
    )


def test_deleting_an_event_is_detected(log: list[AuditEvent]) -> None:
    AuditEvent.objects.filter(pk=log[2].pk).delete()
    assert "event #3 is missing (deleted)" in broken()


def test_inserting_an_event_in_the_middle_is_detected(log: list[AuditEvent]) -> None:
    AuditEvent.objects.filter(seq__gte=3).update(seq=F("seq") + 1000)
    AuditEvent.objects.filter(seq__gte=1003).update(seq=F("seq") - 999)
    forged_hash = hashlib.sha256(b"forged").hexdigest()
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                seq=3, operation="consultation", object_type="x", prev_hash=log[1].hash, hash=forged_hash
            )
        ]
    )
    assert "event #3" in broken() and "(altered)" in broken()


def test_appending_an_event_outside_the_chain_is_detected(log: list[AuditEvent]) -> None:
    forged_hash = hashlib.sha256(b"forged").hexdigest()
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                seq=len(log) + 1,
                operation="consultation",
                object_type="x",
                prev_hash=log[-1].hash,
                hash=forged_hash,
            )
        ]
    )
    assert f"event #{len(log) + 1}" in broken()


def test_reordering_two_events_is_detected(log: list[AuditEvent]) -> None:
    first, second = log[1], log[2]
    AuditEvent.objects.filter(pk=first.pk).update(seq=-1)
    AuditEvent.objects.filter(pk=second.pk).update(seq=first.seq)
    AuditEvent.objects.filter(pk=first.pk).update(seq=second.seq)
    assert f"event #{first.seq} (id {second.pk})" in broken()


def test_cutting_off_the_end_is_detected_by_the_head(log: list[AuditEvent]) -> None:
    AuditEvent.objects.filter(pk=log[-1].pk).delete()
    assert "truncated" in broken()


def test_cutting_off_the_end_and_the_head_is_detected_by_a_kept_checkpoint(log: list[AuditEvent]) -> None:
    kept = str(checkpoint())
    AuditEvent.objects.filter(pk=log[-1].pk).delete()
    ChainHead.objects.update(seq=log[-2].seq, hash=log[-2].hash)
    assert "intact" in verify()  # the remaining chain is consistent in itself …
    assert "the event at the checkpoint is missing (truncated)" in broken(
        "--expect", kept
    )  # … but not complete


def test_a_malformed_checkpoint_is_refused_with_a_reason(log: list[AuditEvent]) -> None:
    assert "A checkpoint looks like COUNT:HASH" in broken("--expect", "twelve")


def test_the_model_refuses_to_change_or_delete_an_event(log: list[AuditEvent]) -> None:
    event = AuditEvent.objects.first()
    assert event is not None
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()


@pytest.mark.django_db(transaction=True)
def test_writers_at_the_same_time_keep_one_unbroken_chain(cast: Cast) -> None:
    import threading

    from django.db import connection

    errors: list[BaseException] = []

    def write_notes(n: int) -> None:
        try:
            for i in range(5):
                actions.add_note(cast.case, by=cast.lead, body=f"{n}-{i}", category="general", nature="fact")
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write_notes, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert "intact" in verify()
