"""Two people writing on one case at the same moment, on PostgreSQL (where writers really run side by
side): neither waits forever, neither gets a server error, and neither write is lost.

Each write locks the case's row and the audit chain head; they are always locked in that order (see
`throughcare.audit.chain`). Taken in opposite orders, two writes deadlock and PostgreSQL kills one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from functools import partial

import pytest
from django.db import connection
from django.utils import timezone

from throughcare.audit.chain import find_break
from throughcare.cases import actions
from throughcare.cases.models import TimelineEntry
from throughcare.rehab import support
from throughcare.rehab.models import Appointment, Dependant
from throughcare.test import Cast

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite runs one writer at a time"),
]

TRIALS = 25


def _side_by_side(*writes: Callable[[], object]) -> list[BaseException]:
    """Run the writes at the same moment, each on its own connection; the errors they raised."""
    start = threading.Barrier(len(writes))
    errors: list[BaseException] = []

    def run(write: Callable[[], object]) -> None:
        try:
            start.wait()
            write()
        except BaseException as error:  # noqa: BLE001 — collected, the test reports them
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(w,)) for w in writes]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a write is still waiting after a minute"
    return errors


def test_writes_on_one_case_at_once_neither_deadlock_nor_lose_a_write(cast: Cast) -> None:
    case, lead = cast.case, cast.lead

    def dependant(trial: int) -> object:
        return support.add_dependant(
            case,
            by=lead,
            given_name=f"Child{trial}",
            family_name="Example",
            date_of_birth=None,
            relation=Dependant.Relation.CHILD,
            lives_with=False,
        )

    def appointment(trial: int) -> object:
        return support.add_appointment(
            case,
            by=lead,
            starts_at=timezone.now() + timedelta(days=trial + 1),
            with_whom="Job centre",
            place="Town hall",
            purpose=f"Appointment {trial}",
        )

    def note(trial: int) -> object:
        return actions.add_note(case, by=lead, body=f"Note {trial}", category="general", nature="fact")

    for trial in range(TRIALS):
        errors = _side_by_side(partial(dependant, trial), partial(appointment, trial), partial(note, trial))
        assert errors == [], f"trial {trial}: {errors!r}"
    assert Dependant.objects.filter(case=case).count() == TRIALS
    assert Appointment.objects.filter(case=case).count() == TRIALS
    assert TimelineEntry.objects.filter(case=case, body__startswith="Note ").count() == TRIALS
    assert find_break() is None
