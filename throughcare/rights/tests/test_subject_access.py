from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from throughcare.audit.models import AuditEvent, Operation
from throughcare.cases import actions as case_actions
from throughcare.rights.models import AccessRestriction, SubjectAccessRequest
from throughcare.sharing import actions
from throughcare.test import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_opened(cast: Cast) -> SubjectAccessRequest:
    case_actions.add_note(
        cast.case, by=cast.lead, body="Attends mosque study group weekly", category="general", nature="fact"
    )
    case_actions.add_note(
        cast.case,
        by=cast.police_liaison,
        body="Source reports contact with a recruiter",
        category="intelligence",
        nature="assessment",
    )
    actions.grant_agreement(
        cast.case,
        actions.AgreementRequest(
            recipient_agency=cast.police,
            recipient_user=None,
            categories=["risk", "intelligence"],
            purpose="counter-terrorism monitoring",
            legal_basis="statutory_duty",
            valid_from=timezone.now(),
            valid_until=None,
        ),
        by=cast.lead,
    )
    client = cast.client_for(cast.auditor)
    response = client.post(
        reverse("rights:requests"),
        {"reference": cast.case.reference, "received_on": "2026-11-01", "how_received": "letter"},
    )
    assert response.status_code == 302
    return SubjectAccessRequest.objects.get()


def test_the_dpo_sees_everything_held_its_purposes_recipients_and_retention(
    cast: Cast, request_opened: SubjectAccessRequest
) -> None:
    html = cast.client_for(cast.auditor).get(reverse("rights:detail", args=[request_opened.pk])).text
    for expected in [
        "Attends mosque study group weekly",
        "Source reports contact with a recruiter",
        "counter-terrorism monitoring",
        "Police CT",
        "kept while the case is open",
        "Managing your sentence",
        "Disclosures recorded in the audit log",
    ]:
        assert expected in html, expected
    assert AuditEvent.objects.filter(operation=Operation.COMBINATION).exists()


def test_a_restricted_category_is_left_out_of_the_persons_copy_with_the_ground_said(
    cast: Cast, request_opened: SubjectAccessRequest
) -> None:
    client = cast.client_for(cast.auditor)
    response = client.post(
        reverse("rights:detail", args=[request_opened.pk]),
        {
            "category": "intelligence",
            "ground": "national_security",
            "reasons": "Disclosure would reveal an ongoing operation",
            "tell_person": "on",
        },
    )
    assert response.status_code == 302
    letter = client.get(reverse("rights:letter", args=[request_opened.pk])).text
    assert "Attends mosque study group weekly" in letter
    assert "Source reports contact with a recruiter" not in letter
    assert "intelligence" not in letter.lower().split("what we hold about you")[1].split("how long")[0]
    assert "protect national security" in letter
    assert "Disclosure would reveal an ongoing operation" not in letter  # reasons stay internal
    internal = client.get(reverse("rights:detail", args=[request_opened.pk])).text
    assert "Disclosure would reveal an ongoing operation" in internal
    event = AuditEvent.objects.get(operation=Operation.DISCLOSURE, object_type="rights.subjectaccessrequest")
    assert event.details["withheld"] == ["intelligence"]
    assert event.recipients == ["the person: Ada Example"]
    request_opened.refresh_from_db()
    assert request_opened.answered_at is not None


def test_when_telling_would_undermine_the_purpose_the_person_is_not_told(
    cast: Cast, request_opened: SubjectAccessRequest
) -> None:
    client = cast.client_for(cast.auditor)
    client.post(
        reverse("rights:detail", args=[request_opened.pk]),
        {"category": "intelligence", "ground": "investigations", "reasons": "Live investigation"},
    )
    letter = client.get(reverse("rights:letter", args=[request_opened.pk])).text
    assert "Some information has been withheld" not in letter
    assert AccessRestriction.objects.get().tell_person is False


def test_a_restriction_needs_documented_reasons(cast: Cast, request_opened: SubjectAccessRequest) -> None:
    response = cast.client_for(cast.auditor).post(
        reverse("rights:detail", args=[request_opened.pk]),
        {"category": "intelligence", "ground": "investigations", "reasons": ""},
    )
    assert response.status_code == 400
    assert "Document the reasons" in response.text
    assert not AccessRestriction.objects.exists()


@pytest.mark.parametrize("who", ["lead", "manager", "police_liaison", "stranger", "analyst"])
def test_only_the_data_protection_officer_handles_subject_access(
    cast: Cast, who: str, request_opened: SubjectAccessRequest
) -> None:
    client = cast.client_for(getattr(cast, who))
    assert client.get(reverse("rights:requests")).status_code == 404
    assert client.get(reverse("rights:detail", args=[request_opened.pk])).status_code == 404
    assert client.get(reverse("rights:letter", args=[request_opened.pk])).status_code == 404


def test_the_dpo_erases_an_entry_and_the_log_keeps_no_content(
    cast: Cast, request_opened: SubjectAccessRequest
) -> None:
    from io import StringIO

    from django.core.management import call_command

    from throughcare.cases.models import TimelineEntry

    entry = TimelineEntry.objects.get(body="Attends mosque study group weekly")
    client = cast.client_for(cast.auditor)
    response = client.post(
        reverse("rights:erase", args=[request_opened.pk, entry.pk]),
        {"reason": "Recorded on the wrong person's case"},
        follow=True,
    )
    assert "The entry was erased" in response.text
    assert not TimelineEntry.objects.filter(pk=entry.pk).exists()
    event = AuditEvent.objects.get(operation=Operation.ERASURE)
    assert event.details == {"category": "general", "recorded_on": entry.recorded_at.strftime("%Y-%m-%d")}
    everything = " ".join(e.body for e in AuditEvent.objects.all())
    assert "mosque" not in everything
    assert not TimelineEntry.objects.filter(body__contains="mosque").exists()
    assert TimelineEntry.objects.filter(body__contains="was erased by the data protection officer").exists()
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "intact" in out.getvalue()


def test_erasing_needs_a_reason_and_the_dpo(cast: Cast, request_opened: SubjectAccessRequest) -> None:
    from throughcare.cases.models import TimelineEntry

    entry = TimelineEntry.objects.get(body="Attends mosque study group weekly")
    url = reverse("rights:erase", args=[request_opened.pk, entry.pk])
    confirm = cast.client_for(cast.auditor).get(url).text  # the entry is shown before it is erased
    assert "Erase this entry?" in confirm and "Attends mosque study group weekly" in confirm
    assert "An erasure cannot be undone." in confirm
    response = cast.client_for(cast.auditor).post(url, {"reason": ""})
    assert response.status_code == 400 and "Give the reason for erasing this entry" in response.text
    assert 'id="id_reason-error"' in response.text  # next to its field
    assert cast.client_for(cast.lead).get(url).status_code == 404
    assert cast.client_for(cast.lead).post(url, {"reason": "I want it gone now"}).status_code == 404
    assert TimelineEntry.objects.filter(pk=entry.pk).exists()


def test_every_request_is_reachable_page_by_page_newest_first(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The list showed the latest hundred and nothing older: the DPO pages through all of them."""
    monkeypatch.setattr("throughcare.rights.views.REQUESTS_PAGE_SIZE", 2)
    client = cast.client_for(cast.auditor)
    for day in ("2026-09-01", "2026-10-01", "2026-11-01"):
        response = client.post(
            reverse("rights:requests"),
            {"reference": cast.case.reference, "received_on": day, "how_received": "letter"},
        )
        assert response.status_code == 302
    first = client.get(reverse("rights:requests")).text
    second = client.get(reverse("rights:requests"), {"page": "2"}).text
    oldest = SubjectAccessRequest.objects.get(received_on="2026-09-01")
    newest = SubjectAccessRequest.objects.get(received_on="2026-11-01")
    assert reverse("rights:detail", args=[newest.pk]) in first
    assert reverse("rights:detail", args=[oldest.pk]) not in first
    assert 'rel="next"' in first
    assert reverse("rights:detail", args=[oldest.pk]) in second
