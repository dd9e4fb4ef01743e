from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from throughcare.audit.chain import seal_all
from throughcare.audit.models import UNSEALED, AuditEvent, ConsultedCase, Operation
from throughcare.cases import actions as case_actions
from throughcare.cases.models import TimelineEntry
from throughcare.lib.errors import ActionRefused
from throughcare.notifications.models import Notification
from throughcare.sharing import actions
from throughcare.sharing.models import BreakGlass, Consent, SharingAgreement
from throughcare.test import Cast, open_test_case, texts

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int, int]:
    return (
        SharingAgreement.objects.count(),
        Consent.objects.count(),
        BreakGlass.objects.count(),
        AuditEvent.objects.exclude(operation=Operation.CONSULTATION).count(),
    )


def _agreement_form(cast: Cast, **changes: object) -> dict[str, object]:
    return {
        "recipient_agency": cast.police.pk,
        "categories": ["legal", "risk"],
        "purpose": "public protection",
        "legal_basis": "statutory_duty",
    } | changes


def test_the_lead_shares_with_an_agency_and_it_is_a_recorded_disclosure(cast: Cast) -> None:
    url = reverse("sharing:new_agreement", args=[cast.case.pk])
    response = cast.client_for(cast.lead).post(url, _agreement_form(cast), follow=True)
    assert "Shared with Police CT." in response.text
    event = AuditEvent.objects.get(operation=Operation.DISCLOSURE)
    assert event.recipients == ["Police CT"]
    assert event.details["categories"] == ["legal", "risk"]
    assert event.justification == "sharing agreement: public protection"
    assert any(
        t.startswith("Shared with Police CT: legal, risk.") for t in texts(TimelineEntry.objects.all())
    )
    assert (
        cast.client_for(cast.police_outsider).get(reverse("cases:detail", args=[cast.case.pk])).status_code
        == 200
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"recipient": "ngo", "categories": ["intelligence"]}, "cannot hold intelligence"),
        (
            {"recipient": "ngo", "categories": ["health"], "legal_basis": "statutory_duty"},
            "receives health only with the person&#x27;s consent",
        ),
        (
            {"recipient": "ngo", "categories": ["risk"], "legal_basis": "consent"},
            "There is no consent in force for Exit NGO to receive risk",
        ),
        ({"categories": ["health"]}, "can never hold health data under the sharing rules"),
        ({"categories": []}, "Choose at least one category to share"),
        ({"purpose": ""}, "Enter the purpose of sharing"),
        (
            {"valid_from": "2030-01-10", "valid_until": "2030-01-01"},
            "The end of the agreement must be after its start",
        ),
        (
            {"override_reason": "urgent", "recipient": "ngo", "categories": ["risk"]},
            "Only a manager with the consent-override permission",
        ),
    ],
)
def test_bad_agreements_are_refused_with_a_message_and_nothing_is_written(
    cast: Cast, changes: dict[str, object], message: str
) -> None:
    if changes.pop("recipient", None) == "ngo":
        changes["recipient_agency"] = cast.ngo.pk
    before = _counts()
    response = cast.client_for(cast.lead).post(
        reverse("sharing:new_agreement", args=[cast.case.pk]), _agreement_form(cast, **changes)
    )
    assert response.status_code == 400
    assert message in response.text
    assert _counts() == before


def test_a_manager_may_share_without_consent_giving_a_reason_and_it_is_recorded(cast: Cast) -> None:
    form = _agreement_form(
        cast,
        recipient_agency=cast.ngo.pk,
        categories=["risk"],
        legal_basis="vital_interest",
        override_reason="Credible threat to the mentor's safety",
    )
    response = cast.client_for(cast.manager).post(reverse("sharing:new_agreement", args=[cast.case.pk]), form)
    assert response.status_code == 302
    agreement = SharingAgreement.objects.get()
    assert agreement.consent_override_by == cast.manager
    assert AuditEvent.objects.get(operation=Operation.DISCLOSURE).details["override"] is True
    assert any(
        "Shared without consent — override by Probation Manager" in t
        for t in texts(TimelineEntry.objects.all())
    )


def test_only_the_lead_or_a_manager_of_the_lead_agency_may_share(cast: Cast) -> None:
    with pytest.raises(ActionRefused, match="Only the case lead"):
        actions.grant_agreement(
            cast.case,
            actions.AgreementRequest(
                recipient_agency=cast.police,
                recipient_user=None,
                categories=["risk"],
                purpose="p",
                legal_basis="statutory_duty",
                valid_from=timezone.now(),
                valid_until=None,
            ),
            by=cast.police_liaison,
        )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"given_on": "2026-03-10", "expires_on": "2026-03-01"},
            "The consent cannot end before it was given",
        ),
        ({"categories": []}, "Choose at least one category"),
        ({"evidence": ""}, "Say what shows the consent"),
        ({"given_on": "2150-01-01"}, "The date consent was given cannot be in the future"),
        ({"given_on": "yesterday"}, "Enter the date consent was given as a real date"),
    ],
)
def test_bad_consents_are_refused_with_a_message_and_nothing_is_written(
    cast: Cast, changes: dict[str, object], message: str
) -> None:
    form = {
        "recipient_agency": cast.ngo.pk,
        "categories": ["risk"],
        "purpose": "mentoring",
        "evidence": "signed form",
        "given_on": "2026-03-01",
    } | changes
    before = _counts()
    response = cast.client_for(cast.lead).post(reverse("sharing:new_consent", args=[cast.case.pk]), form)
    assert response.status_code == 400
    assert message in response.text
    assert _counts() == before


def test_withdrawing_consent_takes_effect_at_once_and_tells_the_partner(cast: Cast) -> None:
    form = {
        "recipient_agency": cast.ngo.pk,
        "categories": ["risk"],
        "purpose": "mentoring",
        "evidence": "signed form",
        "given_on": timezone.localdate().isoformat(),
    }
    client = cast.client_for(cast.lead)
    client.post(reverse("sharing:new_consent", args=[cast.case.pk]), form)
    case_actions.add_note(
        cast.case, by=cast.lead, body="Risk note for the mentor", category="risk", nature="fact"
    )
    mentor = cast.client_for(cast.mentor)
    url = reverse("cases:timeline", args=[cast.case.pk])
    assert "Risk note for the mentor" in mentor.get(url).text
    consent = Consent.objects.get()
    client.post(
        reverse("sharing:withdraw_consent", args=[cast.case.pk, consent.pk]), {"note": "asked to stop"}
    )
    assert "Risk note for the mentor" not in mentor.get(url).text
    assert any(
        t.startswith("Consent withdrawn")
        for t in texts(Notification.objects.filter(recipient=cast.mentor), "subject")
    )


def test_break_glass_needs_a_reason_and_nothing_is_written_without_one(cast: Cast) -> None:
    cast.stranger.memberships.update(may_break_glass=True)
    client = cast.client_for(cast.stranger)
    before = _counts()
    response = client.post(reverse("sharing:break_glass"), {"reference": cast.case.reference, "reason": ""})
    assert response.status_code == 400
    assert "Explain why you need emergency access" in response.text
    response = client.post(
        reverse("sharing:break_glass"), {"reference": cast.case.reference, "reason": "urgent"}
    )
    assert "at least a sentence" in response.text
    assert _counts() == before


def test_break_glass_opens_the_case_tells_the_lead_and_manager_and_waits_for_review(cast: Cast) -> None:
    cast.stranger.memberships.update(may_break_glass=True)
    reason = "Neighbour reports he left with a weapon; lead unreachable"
    response = cast.client_for(cast.stranger).post(
        reverse("sharing:break_glass"), {"reference": cast.case.reference, "reason": reason}, follow=True
    )
    assert "Emergency access opened" in response.text
    assert f"break-glass: {reason}" in response.text  # the standing shown on the case page
    for told in (cast.lead, cast.manager, cast.auditor):
        assert any("Break-glass" in t for t in texts(Notification.objects.filter(recipient=told), "subject"))
    review = cast.client_for(cast.auditor).get(reverse("sharing:break_glass_review")).text
    assert reason in review
    access = BreakGlass.objects.get()
    cast.client_for(cast.auditor).post(
        reverse("sharing:review_break_glass", args=[access.pk]), {"outcome": "justified", "note": "fine"}
    )
    access.refresh_from_db()
    assert access.outcome == "justified" and access.reviewed_by == cast.auditor
    with pytest.raises(ActionRefused, match="already been reviewed"):
        actions.review_break_glass(access, by=cast.auditor, outcome="justified", note="")


def test_break_glass_expires(cast: Cast) -> None:
    cast.stranger.memberships.update(may_break_glass=True)
    actions.open_break_glass(cast.case, by=cast.stranger, reason="A credible threat was reported tonight")
    url = reverse("cases:detail", args=[cast.case.pk])
    assert cast.client_for(cast.stranger).get(url).status_code == 200
    BreakGlass.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert cast.client_for(cast.stranger).get(url).status_code == 404


def test_break_glass_cannot_open_a_restricted_case(cast: Cast) -> None:
    actions.add_restriction(
        cast.case, by=cast.lead, user=cast.stranger, kind="never", message="m", reason="r"
    )
    cast.stranger.memberships.update(may_break_glass=True)
    with pytest.raises(ActionRefused, match="restricted"):
        actions.open_break_glass(cast.case, by=cast.stranger, reason="A credible threat was reported tonight")


def test_without_the_permission_there_is_no_break_glass(cast: Cast) -> None:
    assert cast.client_for(cast.stranger).get(reverse("sharing:break_glass")).status_code == 403


def test_recording_intelligence_raises_the_flag_with_its_author_as_owner(cast: Cast) -> None:
    case_actions.add_note(
        cast.case,
        by=cast.police_liaison,
        body="Tried to buy ammunition abroad",
        category="intelligence",
        nature="assessment",
    )
    flag = cast.case.intelligence_flags.get()
    assert flag.owner == cast.police_liaison
    assert any(
        t.startswith("Intelligence exists")
        for t in texts(Notification.objects.filter(recipient=cast.lead), "subject")
    )
    with pytest.raises(ActionRefused, match="Only cleared officers can record intelligence"):
        case_actions.add_note(cast.case, by=cast.lead, body="x", category="intelligence", nature="fact")


def test_the_note_form_offers_only_categories_the_author_may_see(cast: Cast) -> None:
    html = cast.client_for(cast.mentor).get(reverse("cases:timeline", args=[cast.case.pk])).text
    form = html[html.index('id="note-form"') :]
    assert 'value="interventions"' in form
    assert 'value="risk"' not in form.split("</select>")[0]


def test_what_is_shared_about_me_lists_recipients_categories_and_basis(cast: Cast) -> None:
    actions.grant_agreement(
        cast.case,
        actions.AgreementRequest(
            recipient_agency=cast.police,
            recipient_user=None,
            categories=["legal", "risk"],
            purpose="public protection",
            legal_basis="statutory_duty",
            valid_from=timezone.now(),
            valid_until=None,
        ),
        by=cast.lead,
    )
    html = cast.client_for(cast.lead).get(reverse("sharing:shared_about_me", args=[cast.case.pk])).text
    assert "What we share about you" in html
    assert "Statutory duty — public protection" in html
    assert "Ngo Mentor, Exit NGO" in html
    assert (
        cast.client_for(cast.police_outsider)
        .get(reverse("sharing:shared_about_me", args=[cast.case.pk]))
        .status_code
        == 404
    )


def test_the_access_log_can_be_filtered_by_person_and_operation(cast: Cast) -> None:
    cast.client_for(cast.mentor).get(reverse("cases:detail", args=[cast.case.pk]))
    client = cast.client_for(cast.auditor)
    url = reverse("sharing:access_log", args=[cast.case.pk])
    everything = client.get(url).text
    assert "Ngo Mentor" in everything and "Collection" in everything
    mentor_only = client.get(url, {"actor": str(cast.mentor.pk), "operation": "consultation"}).text
    assert "case team: supporting" in mentor_only
    assert "case opened" not in mentor_only


@pytest.mark.parametrize(
    ("page", "channel"),
    [
        ("cases:caseload", "caseload"),
        ("sharing:overview", "sharing overview"),
        ("sharing:shared_about_me", "what is shared about me"),
        ("cases:edit_person", "identity form"),
        ("cases:detail", "case overview"),
        ("custody:section", "custody and licence"),
        ("risk:section", "risk section"),
        ("cases:timeline", "timeline"),
    ],
)
def test_every_page_that_shows_case_data_logs_a_consultation(cast: Cast, page: str, channel: str) -> None:
    args = [] if page == "cases:caseload" else [cast.case.pk]
    cast.client_for(cast.lead).get(reverse(page, args=args))
    event = AuditEvent.objects.filter(operation=Operation.CONSULTATION).latest("id")
    assert event.details["channel"] == channel
    assert event.case_id == cast.case.pk
    assert event.actor == cast.lead
    assert event.justification.startswith(("case team", "caseload"))


def _access_log_shows(cast: Cast, query: dict[str, str]) -> tuple[str, list[int]]:
    """The auditor's view of the case's access log: its text, and the events in its rows, in order (the
    same events the log of the view itself records)."""
    page = cast.client_for(cast.auditor).get(reverse("sharing:access_log", args=[cast.case.pk]), query)
    rows = [event.pk for event in page.context["page"]]
    told = AuditEvent.objects.filter(actor=cast.auditor, object_type="audit.auditevent").latest("id")
    assert told.details["shown"] == sorted(rows)
    return page.text, rows


def _newest_about(cast: Cast) -> list[int]:
    return list(AuditEvent.objects.about_case(cast.case.pk).order_by("-id").values_list("pk", flat=True))


def test_the_access_log_shows_every_event_about_the_case_newest_first_fifty_a_page(cast: Cast) -> None:
    """The case's own events and the lists that named it, each once, newest first, counted; an event the
    index names that the log does not hold (deleted) is shown in its place as missing; filtered, the same
    events in the same order."""
    lead = cast.client_for(cast.lead)
    for _ in range(30):
        lead.get(reverse("cases:caseload"))  # a list naming the case
        lead.get(reverse("cases:detail", args=[cast.case.pk]))  # the case itself
    missing: list[int] = []
    for dangling in (False, True):
        if dangling:  # the index names an event the log no longer holds
            missing.append(AuditEvent.objects.latest("id").pk + 1000)
            ConsultedCase.objects.create(event_id=missing[0], case_id=cast.case.pk)
        newest = sorted([*_newest_about(cast), *missing], reverse=True)
        assert len(newest) > 60
        text, shown = _access_log_shows(cast, {})
        assert shown == newest[:50] and f"{len(newest)} events" in text
        assert ("Not in the log" in text) is dangling
        newest = sorted([*_newest_about(cast), *missing], reverse=True)  # with the view just logged
        _, shown = _access_log_shows(cast, {"page": "2"})
        assert shown == newest[50:100]
        consultations = AuditEvent.objects.about_case(cast.case.pk).filter(operation=Operation.CONSULTATION)
        text, shown = _access_log_shows(cast, {"operation": "consultation"})
        assert shown == list(consultations.order_by("-id").values_list("pk", flat=True)[:50])
        assert f"{consultations.count()} events" in text


def test_the_access_log_finds_an_event_its_index_places_in_another_month(cast: Cast) -> None:
    """Each event is read from the month its index names; one sealed into its month since the index was
    read (or the index wrong) is still shown, once, in its place. Who acted is told from the index."""
    open_test_case(cast.lead, cast.probation, given="Second")
    lead, mentor = cast.client_for(cast.lead), cast.client_for(cast.mentor)
    for _ in range(3):
        mentor.get(reverse("cases:detail", args=[cast.case.pk]))
    for _ in range(50):
        lead.get(reverse("cases:caseload"))  # lists naming the case: the whole first page
    seal_all()
    ConsultedCase.objects.filter(case_id=cast.case.pk).update(month=UNSEALED)  # as read before the sealer
    newest = _newest_about(cast)
    text, shown = _access_log_shows(cast, {})
    assert shown == newest[:50] and f"{len(newest)} events" in text and "Not in the log" not in text
    by_lead = AuditEvent.objects.about_case(cast.case.pk).filter(actor=cast.lead).order_by("-id")
    text, shown = _access_log_shows(cast, {"actor": str(cast.lead.pk)})
    assert shown == list(by_lead.values_list("pk", flat=True)[:50]) and f"{by_lead.count()} events" in text
    assert cast.lead.get_full_name() in text and cast.mentor.get_full_name() in text  # people to choose from
