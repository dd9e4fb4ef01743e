from __future__ import annotations

import pytest
from django.urls import reverse

from throughcare.audit.models import AuditEvent, Operation
from throughcare.cases.models import Case, CaseTeamMember
from throughcare.people.models import Person
from throughcare.test import Cast

pytestmark = pytest.mark.django_db

FORM = {
    "given_name": "Noor",
    "family_name": "Newcase",
    "date_of_birth": "1994-02-03",
    "gender": "female",
    "nationality": "Testland",
    "languages": "Testish",
    "subject_category": "convicted",
    "sentence_summary": "3 years, financing terrorism",
    "phase": "custody",
    "function": "Prison offender manager",
}


def test_a_practitioner_opens_a_case_and_leads_its_team(cast: Cast) -> None:
    client = cast.client_for(cast.prison_manager)
    response = client.post(reverse("cases:new"), FORM | {"agency": str(cast.prison.pk)}, follow=True)
    case = Case.objects.get(person__family_name="Newcase")
    assert f"Case {case.reference} opened. You lead the case team." in response.text
    lead = CaseTeamMember.objects.get(case=case)
    assert (lead.user, lead.agency, lead.responsibility) == (cast.prison_manager, cast.prison, "lead")
    assert case.phase == "custody"
    assert AuditEvent.objects.filter(operation=Operation.COLLECTION, object_type="people.person").exists()
    assert cast.client_for(cast.lead).get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_a_practitioner_cannot_open_a_case_for_an_agency_they_do_not_belong_to(cast: Cast) -> None:
    client = cast.client_for(cast.prison_manager)
    response = client.post(reverse("cases:new"), FORM | {"agency": str(cast.police.pk)})
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert not Person.objects.filter(family_name="Newcase").exists()


def test_missing_names_are_explained_and_nothing_is_written(cast: Cast) -> None:
    client = cast.client_for(cast.prison_manager)
    response = client.post(reverse("cases:new"), FORM | {"agency": str(cast.prison.pk), "family_name": ""})
    assert response.status_code == 400
    assert "Enter the family name" in response.text
    assert Case.objects.count() == 1


@pytest.mark.parametrize("who", ["auditor", "analyst"])
def test_auditors_and_analysts_cannot_open_cases(cast: Cast, who: str) -> None:
    response = cast.client_for(getattr(cast, who)).get(reverse("cases:new"))
    assert response.status_code == 403
    assert "Only practitioners and managers can open cases." in response.text
