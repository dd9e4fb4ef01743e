from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from throughcare.cases import actions as case_actions
from throughcare.cases.models import Phase
from throughcare.custody.models import Responsibility, Sentence
from throughcare.test import Cast

pytestmark = pytest.mark.django_db

FORM = {
    "sentence_type": "determinate",
    "offence": "preparation of terrorist acts",
    "terrorism_offence": "on",
    "sentence_start": "2024-01-01",
    "sentence_end": "2030-01-01",
    "earliest_release": "2027-09-01",
    "panel_level": "2",
}


def _record(cast: Cast, **changes: str) -> tuple[int, str]:
    response = cast.client_for(cast.lead).post(
        reverse("custody:record_sentence", args=[cast.case.pk]), FORM | changes, follow=True
    )
    return response.status_code, response.text


def test_the_lead_records_the_sentence_and_sees_who_is_responsible(cast: Cast) -> None:
    status, html = _record(cast)
    assert status == 200
    assert "Sentence recorded. Responsibility and the handover date are computed." in html
    assert "Terrorism offence" in html
    assert "Handover starts" in html and "1 June 2026" in html


def test_partners_with_legal_data_see_the_sentence_and_others_do_not(cast: Cast) -> None:
    _record(cast)
    url = reverse("custody:section", args=[cast.case.pk])
    assert "Sentence and responsibility" in cast.client_for(cast.police_liaison).get(url).text
    assert cast.client_for(cast.mentor).get(url).status_code == 404  # NGO: no legal data
    overview = cast.client_for(cast.mentor).get(reverse("cases:detail", args=[cast.case.pk])).text
    assert "Responsible now" not in overview and "Custody and licence" not in overview
    assert (
        cast.client_for(cast.mentor).get(reverse("custody:change_dates", args=[cast.case.pk])).status_code
        == 404
    )
    assert (
        cast.client_for(cast.stranger).get(reverse("custody:change_dates", args=[cast.case.pk])).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"earliest_release": "2023-06-01"}, "The earliest release cannot be before the sentence started"),
        ({"offence": ""}, "Enter the offence"),
        ({"sentence_start": "not a date"}, "Enter the date the sentence started as a real date"),
    ],
)
def test_bad_sentences_are_refused_with_a_message_and_nothing_is_written(
    cast: Cast, changes: dict[str, str], message: str
) -> None:
    status, html = _record(cast, **changes)
    assert status == 400
    assert message in html
    assert not Sentence.objects.exists()


def test_changing_dates_through_the_form_recomputes_and_a_stale_form_is_told(cast: Cast) -> None:
    _record(cast)
    client = cast.client_for(cast.lead)
    url = reverse("custody:change_dates", args=[cast.case.pk])
    dates = {
        k: v
        for k, v in FORM.items()
        if k in ("sentence_start", "sentence_end", "earliest_release", "panel_level")
    }
    response = client.post(
        url, dates | {"earliest_release": "2028-09-01", "reason": "parole board", "version": "1"}, follow=True
    )
    assert "Dates saved." in response.text
    assert Sentence.objects.get().handover_starts_on == date(2027, 6, 1)
    stale = client.post(
        url, dates | {"earliest_release": "2028-10-01", "reason": "late", "version": "1"}, follow=True
    )
    assert stale.status_code == 409 and "Someone else changed these dates" in stale.text
    assert Sentence.objects.get().earliest_release == date(2028, 9, 1)
    table = stale.text.split("Where your input and the saved details differ")[1].split("</table>")[0]
    assert "1 September 2028" in table and "1 October 2028" in table  # saved now, and theirs
    assert 'value="late"' in stale.text  # what they typed is kept


def test_release_makes_probation_responsible_at_once(cast: Cast) -> None:
    from throughcare.test import open_test_case

    case = open_test_case(cast.lead, cast.probation, "Rel", "Eased", phase=Phase.RELEASE_PLANNING)
    client = cast.client_for(cast.lead)
    client.post(reverse("custody:record_sentence", args=[case.pk]), FORM)
    assert Sentence.objects.get(case=case).responsibility == Responsibility.CUSTODY_WITH_COMMUNITY
    case_actions.change_phase(
        case, by=cast.lead, to_phase=Phase.COMMUNITY, expected_version=case.version, reason="Planned move"
    )
    sentence = Sentence.objects.get(case=case)
    assert sentence.responsibility == Responsibility.COMMUNITY
    assert "Released" in str(sentence.responsibility_reason)


def test_an_override_from_the_page_is_recorded_and_can_be_lifted(cast: Cast) -> None:
    _record(cast)
    client = cast.client_for(cast.lead)
    response = client.post(
        reverse("custody:override", args=[cast.case.pk]),
        {
            "responsibility": "custody_with_community",
            "reason": "Released to a hospital order; prison still leads",
        },
        follow=True,
    )
    assert "Decided by Lead Officer: Released to a hospital order" in response.text
    assert Sentence.objects.get().responsibility == "custody_with_community"
    response = client.post(reverse("custody:lift_override", args=[cast.case.pk]), follow=True)
    assert "Override lifted" in response.text
    assert Sentence.objects.get().responsibility == "community"  # the case is in community supervision
