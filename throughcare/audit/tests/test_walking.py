"""Walking the chain on PostgreSQL as `audit_verify` does it: chunk by chunk, in this process or in
several. Whatever the text of its columns holds, an intact log verifies; whatever is altered is found, at
the same event and for the same reason however many processes read the log. The workers read committed
data, so these tests commit (and the log is emptied after each)."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from django.db import connection, transaction

from throughcare.audit import walking
from throughcare.audit.chain import find_break, seal_all
from throughcare.audit.log import record
from throughcare.audit.models import AuditEvent, Operation
from throughcare.audit.tests.verifying import show_caseload
from throughcare.test import Cast, open_test_case

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY and workers are PostgreSQL's"),
]

# Free text as practitioners type it, and text made to look like the body around it.
JUSTIFICATIONS = [
    'quoted "words" in it',
    "a back\\slash, and \\n not a line end",
    "a line\nend, a tab\tand a carriage\rreturn",
    "control \x01 and \x02 characters",
    "Bewährungshilfe · réinsertion · ✓",
    'lead",[],{"channel":"case page',
    "",
]


@pytest.fixture
def log(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[AuditEvent]]:
    """Changes with every kind of justification, a list shown, all sealed: read three events a chunk."""
    monkeypatch.setattr(walking, "CHUNK", 3)
    second = open_test_case(cast.lead, cast.probation, given="Second")
    with transaction.atomic():
        for text in JUSTIFICATIONS:
            record(Operation.COLLECTION, cast.case, by=cast.lead, case_id=cast.case.pk, justification=text)
        show_caseload(cast, second)
    seal_all()
    yield list(AuditEvent.objects.exclude(seq=None).order_by("seq"))


def found() -> str:
    """What one process finds, which must be what two find."""
    alone, together = find_break(workers=1), find_break(workers=2)
    assert str(alone) == str(together)
    return str(alone)


def test_a_log_with_every_kind_of_text_verifies_in_one_process_or_several(log: list[AuditEvent]) -> None:
    assert len(log) > 3 * 3
    assert found() == "None"


def test_an_altered_body_is_found(log: list[AuditEvent]) -> None:
    event = log[5]
    AuditEvent.objects.filter(pk=event.pk).update(body=event.body.replace('"collection"', '"correction"', 1))
    assert found() == f"event #{event.seq} (id {event.pk}): its content does not match its hash (altered)"


@pytest.mark.parametrize(
    "column",
    [
        {"justification": "another reason"},
        {"justification": 'lead",[],{"channel":"case page'},  # made to continue the body's own text
        {"justification": 'quoted \\"words\\" in it'},  # the body's escapes written into the column
        {"case_id": None},
        {"operation": "consultation"},
    ],
)
def test_a_column_that_no_longer_says_what_the_body_says_is_found(
    log: list[AuditEvent], column: dict[str, object]
) -> None:
    event = next(e for e in log if e.justification == 'quoted "words" in it')
    AuditEvent.objects.filter(pk=event.pk).update(**column)
    assert found() == f"event #{event.seq} (id {event.pk}): its content does not match its hash (altered)"


def test_a_deleted_event_is_found_in_the_middle_of_a_chunk_or_at_its_start(log: list[AuditEvent]) -> None:
    for gone in (log[4], log[6]):  # #5 in the middle of the chunk #4-#6, #7 at the start of #7-#9
        AuditEvent.objects.filter(pk=gone.pk).delete()
    assert found() == f"event #5 (id {log[5].pk}): event #5 is missing (deleted), the chain jumps to #6"


def test_a_worker_that_cannot_read_the_log_fails_the_walk_with_its_reason(
    log: list[AuditEvent], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A verification's workers connect on their own (a busy database may refuse them: too many clients).
    Their failure is the walk's, with the database's reason; the walk does not wait for ever."""
    params = connection.get_connection_params()
    monkeypatch.setattr(connection, "get_connection_params", lambda: {**params, "dbname": "no_such_log"})
    with pytest.raises(psycopg.OperationalError, match='database "no_such_log" does not exist'):
        find_break(workers=2)
    monkeypatch.undo()
    assert found() == "None"  # and the log, where it can be read, still verifies
