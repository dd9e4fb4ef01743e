from __future__ import annotations

import pytest
from django.urls import reverse

from throughcare.audit.models import AuditEvent, Operation
from throughcare.cases.models import TimelineEntry
from throughcare.people.models import Person
from throughcare.test import Cast

pytestmark = pytest.mark.django_db


def _form(person: Person, **changes: str) -> dict[str, str]:
    data = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth": "1990-05-17",
        "gender": person.gender,
        "nationality": person.nationality,
        "languages": person.languages,
        "subject_category": person.subject_category,
        "version": str(person.version),
    }
    return data | changes


def test_the_lead_corrects_identity_details_and_it_is_recorded(cast: Cast) -> None:
    person = cast.case.person
    url = reverse("cases:edit_person", args=[cast.case.pk])
    response = cast.client_for(cast.lead).post(url, _form(person, languages="Testish, Arabic"), follow=True)
    assert "Identity details saved." in response.text
    person.refresh_from_db()
    assert person.languages == "Testish, Arabic"
    assert TimelineEntry.objects.filter(
        kind=TimelineEntry.Kind.RECORD_CHANGE, body__contains="languages"
    ).exists()
    event = AuditEvent.objects.get(operation=Operation.ALTERATION, object_type="people.person")
    assert event.details == {"fields": ["languages"]}


def test_two_people_editing_at_once_do_not_overwrite_each_other(cast: Cast) -> None:
    person = cast.case.person
    url = reverse("cases:edit_person", args=[cast.case.pk])
    first, second = _form(person, nationality="Firstland"), _form(person, languages="Secondish")
    cast.client_for(cast.lead).post(url, first)
    response = cast.client_for(cast.prison_manager).post(url, second, follow=True)
    assert response.status_code == 409
    assert "Someone else changed these identity details after you opened the form" in response.text
    person.refresh_from_db()
    assert person.nationality == "Firstland"
    assert person.languages == "Testish"
    # What they typed is kept, beside what was saved meanwhile.
    assert 'value="Secondish"' in response.text
    table = response.text.split("Where your input and the saved details differ")[1].split("</table>")[0]
    assert "Nationality" in table and "Firstland" in table and "Testland" in table
    assert "Languages" not in table or "Secondish" in table
    # Saving again, now knowingly, against the current version.
    again = cast.client_for(cast.prison_manager).post(
        url, second | {"version": str(person.version), "nationality": "Firstland"}, follow=True
    )
    assert "Identity details saved." in again.text
    person.refresh_from_db()
    assert (person.nationality, person.languages) == ("Firstland", "Secondish")


def test_a_renamed_person_is_found_by_the_new_name(cast: Cast) -> None:
    url = reverse("cases:edit_person", args=[cast.case.pk])
    cast.client_for(cast.lead).post(url, _form(cast.case.person, family_name="Renamed"))
    response = cast.client_for(cast.lead).get(reverse("cases:search"), {"q": "renamed"})
    assert "Renamed, Ada" in response.text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"given_name": ""}, "Enter the given name"),
        ({"date_of_birth": "2150-01-01"}, "The date of birth must be in the past"),
        ({"date_of_birth": "not a date"}, "Enter the date of birth as a real date"),
    ],
)
def test_bad_identity_details_are_refused_and_nothing_changes(
    cast: Cast, changes: dict[str, str], message: str
) -> None:
    url = reverse("cases:edit_person", args=[cast.case.pk])
    response = cast.client_for(cast.lead).post(url, _form(cast.case.person, **changes))
    assert response.status_code == 400
    assert message in response.text
    assert Person.objects.get().given_name == "Ada"
    assert not AuditEvent.objects.filter(operation=Operation.ALTERATION).exists()
