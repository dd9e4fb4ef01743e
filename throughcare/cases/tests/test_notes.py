from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from throughcare.audit.models import AuditEvent, Operation
from throughcare.cases.models import TimelineEntry
from throughcare.test import Cast

pytestmark = pytest.mark.django_db

GOOD = {"category": "interventions", "nature": "fact", "body": "Attended the first mentoring session."}


def _post(cast: Cast, data: dict[str, str], htmx: bool = True) -> tuple[int, str]:
    headers = {"HX-Request": "true"} if htmx else {}
    url = reverse("cases:add_note", args=[cast.case.pk])
    response = cast.client_for(cast.mentor).post(url, data, headers=headers)
    return response.status_code, response.content.decode()


def test_a_team_member_adds_a_note_and_gets_the_new_entry_back_without_reload(cast: Cast) -> None:
    status, html = _post(cast, GOOD)
    assert status == 200
    assert "Attended the first mentoring session." in html
    assert "Interventions and progress" in html
    assert "Exit NGO" in html  # the author's agency
    assert 'hx-swap-oob="outerHTML"' in html  # a fresh, empty form replaces the old one
    entry = TimelineEntry.objects.get(body=GOOD["body"])
    assert entry.author == cast.mentor
    assert entry.author_agency == cast.ngo
    assert entry.nature == "fact"


def test_adding_a_note_is_logged_as_collection_in_the_same_transaction(cast: Cast) -> None:
    _post(cast, GOOD)
    entry = TimelineEntry.objects.get(body=GOOD["body"])
    event = AuditEvent.objects.get(operation=Operation.COLLECTION, object_type="cases.timelineentry")
    assert event.object_id == str(entry.pk)
    assert event.actor == cast.mentor
    assert event.details == {"category": "interventions", "nature": "fact"}


def test_without_javascript_the_note_is_added_and_the_page_reloads(cast: Cast) -> None:
    status, _ = _post(cast, GOOD, htmx=False)
    assert status == 302
    assert TimelineEntry.objects.filter(body=GOOD["body"]).exists()


def test_a_backdated_note_shows_when_it_happened_and_when_it_was_recorded(cast: Cast) -> None:
    day = (timezone.localdate() - timedelta(days=3)).isoformat()
    _post(cast, GOOD | {"occurred_on": day})
    entry = TimelineEntry.objects.get(body=GOOD["body"])
    assert entry.is_backdated
    html = cast.client_for(cast.lead).get(reverse("cases:detail", args=[cast.case.pk])).text
    assert "recorded" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (GOOD | {"body": "   "}, "Enter the note"),
        (GOOD | {"body": "x" * 5001}, "The note must be 5,000 characters or fewer"),
        (GOOD | {"category": ""}, "Choose a category"),
        (GOOD | {"category": "gossip"}, "Select a valid choice"),
        ({k: v for k, v in GOOD.items() if k != "nature"}, "Say whether this is a fact or an assessment"),
        (GOOD | {"occurred_on": "2150-01-01"}, "The date it happened cannot be in the future"),
        (GOOD | {"occurred_on": "31/02/2024"}, "Enter the date it happened as a real date"),
    ],
)
def test_bad_notes_are_refused_with_a_message_and_nothing_is_written(
    cast: Cast, data: dict[str, str], message: str
) -> None:
    collected = AuditEvent.objects.filter(operation=Operation.COLLECTION)
    entries, events = TimelineEntry.objects.count(), collected.count()
    status, html = _post(cast, data)
    assert status == 200  # HTMX swaps the form with its errors back in
    assert message in html
    assert "govuk-error-summary" in html
    assert TimelineEntry.objects.count() == entries
    assert collected.count() == events


def test_without_javascript_a_bad_note_redisplays_the_page_with_the_error(cast: Cast) -> None:
    status, html = _post(cast, GOOD | {"body": ""}, htmx=False)
    assert status == 400
    assert "Enter the note" in html
    assert "Ada Example" in html
