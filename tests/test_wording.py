"""Text the system writes is read in the reader's language (`lib.wording`): what a German reader sees of a
timeline entry, a Needs attention item or a notification an English speaker's action wrote — while a note
stays as its author wrote it, whatever it looks like."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import TextField
from django.db.models.functions import Cast as AsType
from django.utils import translation
from django.utils.translation import gettext_lazy

from throughcare.cases import actions
from throughcare.cases.models import DataCategory, Nature, Phase, TimelineEntry
from throughcare.lib.wording import (
    MARK,
    Wording,
    in_each_language,
    in_words,
    midsentence,
    paragraph,
    read,
    stored,
    worded,
    worded_count,
)
from throughcare.notifications.models import Notification
from throughcare.notifications.send import notify
from throughcare.test import Cast


def _as(language: str, value: object) -> str:
    with translation.override(language):
        return str(value)


def test_a_wording_is_stored_once_and_read_in_each_language() -> None:
    release = worded("Release on %(date)s: handover not completed", date=date(2026, 12, 27))
    kept = read(stored(release))
    assert isinstance(kept, Wording)
    assert _as("en", kept) == "Release on 27 Dec 2026: handover not completed"
    assert _as("de", kept) == "Entlassung am 27. Dez. 2026: Übergabe nicht abgeschlossen"
    assert _as("fr", kept).startswith("Sortie le 27")
    assert _as("nl", kept) == "Invrijheidstelling op 27 dec 2026: overdracht niet afgerond"


def test_a_paragraph_joins_what_the_system_says_with_what_a_person_wrote() -> None:
    """What is missing is left out; a person's words stay as written in every language; a day written out
    follows the reader's language."""
    said = paragraph(
        [
            worded("Released into the community"),
            None,
            "  ",
            "Stable for a year",
            worded("Escalated to managers."),
        ]
    )
    kept = read(stored(said))
    assert _as("en", kept) == "Released into the community Stable for a year Escalated to managers."
    assert _as("de", kept) == "In die Freiheit entlassen Stable for a year An die Leitung eskaliert."
    day = read(stored(worded("%(start)s", start=in_words(date(2015, 1, 1)))))
    assert (_as("en", day), _as("de", day), _as("fr", day)) == (
        "1 January 2015",
        "1. Januar 2015",
        "1 janvier 2015",
    )


def test_counts_take_each_languages_plural_and_labels_their_place_in_the_sentence() -> None:
    one, three = (read(stored(worded_count("%(count)s day", "%(count)s days", n))) for n in (1, 3))
    assert (_as("en", one), _as("en", three)) == ("1 day", "3 days")
    assert (_as("de", one), _as("de", three)) == ("1 Tag", "3 Tage")
    opened = read(stored(worded("Case opened in phase %(phase)s.", phase=midsentence(Phase.CUSTODY.label))))
    assert _as("en", opened) == "Case opened in phase custody."  # lower case inside an English sentence
    assert _as("de", opened) == "Fall eröffnet in der Phase Haft."  # a German noun keeps its capital


def test_catalogue_data_and_nested_phrases_travel_with_the_wording() -> None:
    title = in_each_language(
        lambda code: {"en": "Accommodation confirmed", "de": "Unterkunft bestätigt"}.get(code, "")
    )
    item = read(
        stored(worded("%(item)s — escalated to managers", item=worded("Handover: %(item)s", item=title)))
    )
    assert _as("en", item) == "Handover: Accommodation confirmed — escalated to managers"
    assert _as("de", item) == "Übergabe: Unterkunft bestätigt – an die Leitung eskaliert"
    assert _as("fr", item).startswith("Passation : Accommodation confirmed")  # no French: the English


def test_what_a_person_writes_stays_as_written_even_when_it_looks_like_a_wording() -> None:
    note = MARK + '{"m": "Release on %(date)s: handover not completed", "p": {"date": {"d": "2026-12-27"}}}}'
    assert _as("de", read(stored(note))) == note
    assert read("Met at the office") == "Met at the office"
    assert read(MARK + "not json") == MARK + "not json"  # damaged: shown as it is, never an error
    label = read(stored(worded("%(what)s", what=gettext_lazy("Custody"))))
    assert _as("de", label) == "Haft"


@pytest.mark.django_db
def test_the_system_wrote_it_in_english_a_german_reader_reads_it_in_german(cast: Cast) -> None:
    actions.add_note(
        cast.case, by=cast.lead, body="Seen at the office", category=DataCategory.GENERAL, nature=Nature.FACT
    )
    actions.change_phase(
        cast.case,
        by=cast.lead,
        to_phase=str(cast.case.next_phase),
        expected_version=cast.case.version,
        reason="Plan",
    )
    entries = TimelineEntry.objects.filter(case=cast.case).order_by("pk")
    with translation.override("de"):
        texts = [str(entry.body) for entry in entries]
    assert "Seen at the office" in texts  # a person's note: as written
    assert any(t.startswith("Phase geändert von") and t.endswith("Grund: Plan") for t in texts)
    raw = AsType("body", TextField())  # the column as stored, not read as a wording
    stored_bodies = TimelineEntry.objects.filter(case=cast.case).values_list(raw, flat=True)
    assert any(body.startswith(MARK) for body in stored_bodies)  # the wording, not a sentence


@pytest.mark.django_db
def test_a_notification_reads_in_its_readers_language(cast: Cast) -> None:
    notify([cast.lead], worded("Consent withdrawn on %(case)s", case=cast.case.reference), "", "/")
    told = Notification.objects.get(recipient=cast.lead)
    assert _as("en", told.subject) == f"Consent withdrawn on {cast.case.reference}"
    assert _as("nl", told.subject) == f"Toestemming ingetrokken bij {cast.case.reference}"
    cast.lead.language = "fr"
    cast.lead.save(update_fields=["language"])
    page = cast.client_for(cast.lead).get("/notifications/")
    assert f"Consentement retiré sur {cast.case.reference}" in page.text
