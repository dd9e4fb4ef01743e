"""Domain events: serialisable facts, emitted only inside the action's transaction, reacted to by the apps
that own the consequences — and a refusing reaction undoes the whole action."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from throughcare.audit.models import AuditEvent
from throughcare.cases.events import ALL_EVENTS, CaseOpened, CaseReleased, ConferenceDecisionRecorded
from throughcare.cases.models import Phase, PhaseChange, TimelineEntry
from throughcare.conferences.tests.test_release_conference import _case, _release
from throughcare.custody.models import NotificationRequirement
from throughcare.lib.errors import ActionRefused
from throughcare.lib.events import DomainEvent, EventOutsideTransaction, emit, handlers_of
from throughcare.risk.models import ReviewDue
from throughcare.test import Cast

pytestmark = pytest.mark.django_db


def _sample(event_type: type[DomainEvent]) -> DomainEvent:
    values: dict[str, Any] = {"case_id": 1, "by_id": 2, "at": timezone.now()}
    for field in dataclasses.fields(event_type):
        if field.name in values:
            continue
        kind = str(field.type)
        values[field.name] = (
            date(2027, 3, 1) if "date" in kind else True if "bool" in kind else 7 if "int" in kind else "text"
        )
    return event_type(**values)


@pytest.mark.parametrize("event_type", ALL_EVENTS, ids=[e.type for e in ALL_EVENTS])
def test_every_event_is_a_json_document_naming_its_type_and_category(event_type: type[DomainEvent]) -> None:
    document = json.loads(json.dumps(_sample(event_type).as_dict()))
    assert document["type"] == event_type.type and document["category"] == event_type.category
    assert {"case_id", "by_id", "at"} <= set(document)


def test_an_event_outside_a_transaction_is_refused() -> None:
    with pytest.raises(EventOutsideTransaction):
        emit(CaseOpened(case_id=1, by_id=None, at=timezone.now(), phase=Phase.CUSTODY))


def test_the_consequences_are_wired_to_the_apps_that_own_them() -> None:
    def owners(event_type: type[DomainEvent]) -> set[str]:
        # Every event also goes to the API's outbox (its last handler), to be delivered to subscribers.
        handlers = handlers_of(event_type)
        assert handlers[-1].__module__ == "throughcare.api.outbox"
        return {h.__module__ for h in handlers[:-1]}

    assert owners(CaseReleased) == {
        "throughcare.custody.reactions",  # the notification requirement starts
        "throughcare.risk.reactions",  # the plan is reviewed
        "throughcare.conferences.reactions",  # refused without the required release conference
    }
    assert owners(ConferenceDecisionRecorded) == {"throughcare.risk.reactions"}
    assert owners(CaseOpened) == {"throughcare.risk.reactions"}


def test_a_refusing_reaction_undoes_the_whole_release(cast: Cast) -> None:
    case = _case(cast)
    version, entries, audit = case.version, TimelineEntry.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ActionRefused, match="release conference is required"):
        _release(cast, case)
    case.refresh_from_db()
    assert (case.phase, case.version) == (Phase.RELEASE_PLANNING, version)
    assert not PhaseChange.objects.filter(case=case, to_phase=Phase.COMMUNITY).exists()
    assert TimelineEntry.objects.count() == entries and AuditEvent.objects.count() == audit
    assert not ReviewDue.objects.filter(case=case, reason="phase").exists()
    assert not NotificationRequirement.objects.filter(case=case).exists()


def test_a_release_commits_with_its_consequences(cast: Cast) -> None:
    case = _case(cast, profile="default-england-wales")
    _release(cast, case)
    case.refresh_from_db()
    assert case.phase == Phase.COMMUNITY
    assert ReviewDue.objects.filter(case=case, reason="phase", done_at__isnull=True).exists()
    assert NotificationRequirement.objects.filter(case=case).exists()


def test_a_handler_runs_inside_the_emitters_transaction(cast: Cast) -> None:
    with transaction.atomic():
        assert transaction.get_connection().in_atomic_block
        emit(CaseOpened(case_id=cast.case.pk, by_id=cast.lead.pk, at=timezone.now(), phase=Phase.CUSTODY))
    assert ReviewDue.objects.filter(case=cast.case).exists()
