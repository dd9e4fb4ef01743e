from __future__ import annotations

import pytest
from django.urls import reverse

from throughcare.audit.models import AuditEvent, Operation
from throughcare.cases.models import Case
from throughcare.people.models import Alias, Identifier
from throughcare.test import Cast, open_test_case

pytestmark = pytest.mark.django_db


def _search(cast: Cast, user_attr: str, q: str) -> str:
    return cast.client_for(getattr(cast, user_attr)).get(reverse("cases:search"), {"q": q}).text


def test_people_are_found_by_alias_ignoring_accents_and_case(cast: Cast) -> None:
    Alias.objects.create(person=cast.case.person, name="Umm Sélim", kind=Alias.Kind.KUNYA)
    cast.case.person.refresh_search_text()
    cast.case.person.save()
    html = _search(cast, "lead", "umm SELIM")
    assert "Example, Ada" in html
    assert "1 result" in html


def test_a_case_is_found_by_its_reference_or_an_identifier_of_the_person(cast: Cast) -> None:
    """Notifications name cases by reference; a prison number is what a prison officer has to hand."""
    Identifier.objects.create(person=cast.case.person, kind=Identifier.Kind.PRISON_NUMBER, value="A1234BC")
    assert "Example, Ada" in _search(cast, "lead", cast.case.reference.lower())
    assert "Example, Ada" in _search(cast, "lead", "a1234bc")
    assert "Example, Ada" not in _search(cast, "lead", "A1234")  # identifiers match whole, not in part
    open_test_case(cast.stranger, cast.probation, "Bo", "Hidden")
    hidden = Identifier.objects.create(
        person=Case.objects.get(person__family_name="Hidden").person, kind="prison_number", value="Z9999ZZ"
    )
    assert "Hidden" not in _search(cast, "lead", hidden.value)  # through the gate, like names


def test_every_word_must_match(cast: Cast) -> None:
    assert "Example, Ada" in _search(cast, "lead", "ada exa")
    assert "No people found" in _search(cast, "lead", "ada nobody")


def test_search_never_finds_a_case_the_user_may_not_see(cast: Cast) -> None:
    open_test_case(cast.stranger, cast.probation, "Ada", "Hidden")
    html = _search(cast, "lead", "ada")
    assert "Example, Ada" in html
    assert "Hidden" not in html
    assert "Hidden" not in _search(cast, "mentor", "hidden")
    assert "No people found" in _search(cast, "auditor", "ada")


def test_search_results_are_logged_as_consultations(cast: Cast) -> None:
    _search(cast, "police_liaison", "example")
    event = AuditEvent.objects.get(operation=Operation.CONSULTATION)
    assert event.case_id == cast.case.pk
    assert event.details["channel"] == "search"
    assert event.actor == cast.police_liaison


@pytest.mark.parametrize(
    ("q", "message"),
    [("a", "Enter at least 2 characters"), ("", "Enter a name, alias, case reference or identifier")],
)
def test_a_too_short_search_is_explained(cast: Cast, q: str, message: str) -> None:
    assert message in _search(cast, "lead", q)


@pytest.mark.parametrize("q", ["a_a", "%%", "e\\a", "xa%"])
def test_a_search_word_is_matched_as_written_never_as_a_pattern(cast: Cast, q: str) -> None:
    """`_` and `%` are what SQL's LIKE takes for any character: a word holding them finds nobody here
    ("a_a" would find Ada, "%%" everybody)."""
    assert "No people found" in _search(cast, "lead", q)
    assert "Example, Ada" in _search(cast, "lead", "ada")


def test_a_manager_finds_a_case_of_their_agency_outside_their_caseload_by_reference(cast: Cast) -> None:
    """The manager is not on the case's team: the match is counted, and shown when they give a reason."""
    html = _search(cast, "manager", cast.case.reference.lower())
    assert "1 more person matches among cases shared with you outside your own caseload" in html
    assert "Example, Ada" not in html
    client = cast.client_for(cast.manager)
    shown = client.get(reverse("cases:search"), {"q": cast.case.reference, "reason": "supervision"}).text
    assert "Example, Ada" in shown
