"""Referrals: their life, consent gating, and the curated summary — a provider never sees more than was
shared, and sees nothing of the case itself."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from throughcare.accounts.models import AgencyKind, Membership
from throughcare.cases import actions as case_actions
from throughcare.cases.models import Phase
from throughcare.lib.errors import ActionRefused
from throughcare.people.models import Person
from throughcare.rehab import referrals, support
from throughcare.rehab.access import get_referral_for_user
from throughcare.rehab.models import Programme, Referral, ReferralEvent, Session
from throughcare.sharing import actions as share
from throughcare.test import Cast, make_agency, make_user, open_test_case, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(cast: Cast) -> Programme:
    """A women's service run by a partner that works with consent; its worker is not on any case team."""
    provider = make_agency("Harbour Women's Service", AgencyKind.NGO, government=False)
    make_user("womens.worker", provider)
    return Programme.objects.create(
        name="Women's resettlement support",
        description="One-to-one support before and after release.",
        provider=provider,
        setting="community",
        audience="general",
        eligible_gender="women",
        women_only_delivery=True,
        trauma_informed=True,
        capacity=12,
        requires_consent=True,
    )


def _consent(cast: Cast, service: Programme, categories: list[str]) -> None:
    share.record_consent(
        cast.case,
        share.ConsentRequest(
            recipient_agency=service.provider,
            categories=categories,
            purpose="resettlement support",
            evidence="signed form",
            given_on=timezone.localdate(),
            expires_on=None,
        ),
        by=cast.lead,
    )


def _refer(cast: Cast, service: Programme, sections: list[str] | None = None) -> Referral:
    return referrals.make_referral(
        cast.case,
        service,
        by=cast.lead,
        reason="Support with housing and her children on release",
        sections=sections if sections is not None else ["about", "family"],
        note_for_provider="Prefers a woman worker; appointments in the morning.",
    )


def _worker(service: Programme):  # type: ignore[no-untyped-def]
    return Membership.objects.get(agency=service.provider).user


def test_a_referral_to_a_consent_based_provider_is_refused_without_consent(
    cast: Cast, service: Programme
) -> None:
    with pytest.raises(ActionRefused, match="works with consent: record Ada's consent"):
        _refer(cast, service)
    _consent(cast, service, ["interventions"])
    with pytest.raises(ActionRefused, match="does not cover: Family"):
        _refer(cast, service)
    assert not Referral.objects.exists()
    _consent(cast, service, ["interventions", "family"])
    assert _refer(cast, service).status == "started"


def test_only_a_permitted_manager_refers_without_consent(cast: Cast, service: Programme) -> None:
    def override() -> Referral:
        return referrals.make_referral(
            cast.case,
            service,
            by=cast.lead,
            reason="Urgent: release tomorrow",
            sections=[],
            consent_override_reason="She cannot be reached before release; the service must plan now.",
        )

    with pytest.raises(ActionRefused, match="Only a manager permitted to override consent"):
        override()
    Membership.objects.filter(user=cast.lead).update(may_override_consent=True)
    assert override().consent_override_reason.startswith("She cannot be reached")


def test_a_referral_to_a_programme_whose_eligibility_excludes_the_person_is_refused(cast: Cast) -> None:
    men_only = Programme.objects.create(
        name="Fathers' group",
        description="For fathers.",
        provider=cast.probation,
        setting="community",
        audience="family",
        eligible_gender="men",
        capacity=8,
    )
    with pytest.raises(ActionRefused, match="Fathers' group is for men only. Choose another programme."):
        referrals.make_referral(cast.case, men_only, by=cast.lead, reason="Parenting support", sections=[])
    old_enough = Programme.objects.create(
        name="Young adults",
        description="18 to 25.",
        provider=cast.probation,
        setting="both",
        audience="general",
        max_age=25,
        capacity=8,
    )
    with pytest.raises(ActionRefused, match="takes people aged up to 25; Ada is"):
        referrals.make_referral(cast.case, old_enough, by=cast.lead, reason="Mentoring support", sections=[])
    assert not Referral.objects.exists()


def test_the_provider_sees_only_the_curated_summary_and_nothing_of_the_case(
    cast: Cast, service: Programme
) -> None:
    _consent(cast, service, ["interventions", "family"])
    case_actions.add_note(
        cast.case, by=cast.lead, category="general", nature="fact", body="Moved to a new flat"
    )
    support.add_support_need(
        cast.case, by=cast.lead, kind="domestic_abuse", detail="Former partner", safety_plan="Refuge address"
    )
    referral = _refer(cast, service, ["about"])  # support needs not shared
    worker = _worker(service)
    client = cast.client_for(worker)
    url = reverse("rehab:referral", args=[referral.pk])
    assert client.get(url).status_code == 404  # not sent yet
    referrals.move(
        referral, "submitted", by=cast.lead, standing=get_referral_for_user(cast.lead, referral.pk)[1]
    )
    page = client.get(url).text
    assert "Support with housing and her children" in page and "Ada Example" in page
    assert "Prefers a woman worker" in page
    assert "Former partner" not in page and "Refuge address" not in page and "new flat" not in page
    assert client.get(reverse("cases:detail", args=[cast.case.pk])).status_code == 404
    assert "Women&#x27;s resettlement support" in client.get(reverse("rehab:inbox")).text


def test_withdrawn_consent_hides_the_referral_from_the_provider(cast: Cast, service: Programme) -> None:
    _consent(cast, service, ["interventions", "family"])
    referral = _refer(cast, service)
    referrals.move(
        referral, "submitted", by=cast.lead, standing=get_referral_for_user(cast.lead, referral.pk)[1]
    )
    consent = cast.case.person.consents.get()
    share.withdraw_consent(consent, cast.case, by=cast.lead, note="She asked us to stop")
    assert (
        cast.client_for(_worker(service)).get(reverse("rehab:referral", args=[referral.pk])).status_code
        == 404
    )


def test_the_whole_life_of_a_referral(cast: Cast, service: Programme) -> None:
    _consent(cast, service, ["interventions", "family"])
    referral = _refer(cast, service)
    team = get_referral_for_user(cast.lead, referral.pk)[1]
    referrals.move(referral, "submitted", by=cast.lead, standing=team)
    worker = _worker(service)
    provider = get_referral_for_user(worker, referral.pk)[1]
    assert provider.as_provider
    with pytest.raises(ActionRefused, match="cannot be moved to “assessed suitable” by the case team"):
        referrals.move(referral, "suitable", by=cast.lead, standing=team)
    for step in ("awaiting_assessment", "suitable"):
        referrals.move(referral, step, by=worker, standing=provider)
    referrals.set_action_plan(
        referral,
        by=worker,
        standing=provider,
        plan="Weekly sessions",
        outcomes=["Housing secured", "Confidence"],
    )
    referrals.move(referral, "on_programme", by=worker, standing=provider)
    referrals.record_session(
        referral, by=worker, standing=provider, held_on=timezone.localdate(), attendance="attended"
    )
    with pytest.raises(ActionRefused, match="Write the end-of-service report"):
        referrals.move(referral, "complete", by=worker, standing=provider)
    outcomes = {o.description: o.pk for o in referral.outcomes.all()}
    with pytest.raises(ActionRefused, match="Say how far “Confidence” was achieved"):
        referrals.end_of_service(
            referral,
            by=worker,
            standing=provider,
            report="Went well",
            achievements={outcomes["Housing secured"]: "achieved"},
        )
    referrals.end_of_service(
        referral,
        by=worker,
        standing=provider,
        report="Housed; attends a women's group.",
        achievements={outcomes["Housing secured"]: "achieved", outcomes["Confidence"]: "partly"},
    )
    referral.refresh_from_db()
    assert referral.status == "complete"
    assert list(ReferralEvent.objects.filter(referral=referral).values_list("status", flat=True)) == [
        "started",
        "submitted",
        "awaiting_assessment",
        "suitable",
        "on_programme",
        "complete",
    ]
    assert any(t.endswith(": complete.") for t in texts(cast.case.timeline.filter(category="interventions")))


def test_ending_a_referral_needs_a_reason(cast: Cast, service: Programme) -> None:
    _consent(cast, service, ["interventions", "family"])
    referral = _refer(cast, service)
    team = get_referral_for_user(cast.lead, referral.pk)[1]
    with pytest.raises(ActionRefused, match="Choose the reason"):
        referrals.move(referral, "withdrawn", by=cast.lead, standing=team)
    referrals.move(
        referral, "withdrawn", by=cast.lead, standing=team, end_reason="personal", note="Moved away"
    )
    referral.refresh_from_db()
    assert (referral.status, referral.end_reason) == ("withdrawn", "personal")


def test_a_referral_made_in_custody_carries_on_after_release(cast: Cast, service: Programme) -> None:
    case = open_test_case(cast.lead, cast.probation, "Mira", "Sample", phase=Phase.RELEASE_PLANNING)
    share.record_consent(
        case,
        share.ConsentRequest(
            service.provider, ["interventions", "family"], "support", "form", date(2026, 1, 1), None
        ),
        by=cast.lead,
    )
    referral = referrals.make_referral(
        case, service, by=cast.lead, reason="Support on release", sections=["about"]
    )
    referrals.move(
        referral, "submitted", by=cast.lead, standing=get_referral_for_user(cast.lead, referral.pk)[1]
    )
    worker = _worker(service)
    provider = get_referral_for_user(worker, referral.pk)[1]
    for step in ("awaiting_assessment", "suitable", "on_programme"):
        referrals.move(referral, step, by=worker, standing=provider)
    case_actions.change_phase(
        case, by=cast.lead, to_phase=Phase.COMMUNITY, expected_version=case.version, reason="Planned move"
    )
    referral.refresh_from_db()
    session = referrals.record_session(
        referral, by=worker, standing=provider, held_on=timezone.localdate(), attendance="attended"
    )
    assert session.referral_id == referral.pk and referral.status == "on_programme"


def test_attendance_for_a_session_in_the_future_is_refused(cast: Cast, service: Programme) -> None:
    _consent(cast, service, ["interventions", "family"])
    referral = _refer(cast, service)
    referrals.move(
        referral, "submitted", by=cast.lead, standing=get_referral_for_user(cast.lead, referral.pk)[1]
    )
    worker = _worker(service)
    provider = get_referral_for_user(worker, referral.pk)[1]
    for step in ("awaiting_assessment", "suitable", "on_programme"):
        referrals.move(referral, step, by=worker, standing=provider)
    response = cast.client_for(worker).post(
        reverse("rehab:record_session", args=[referral.pk]),
        {
            "held_on": (timezone.localdate() + timedelta(days=1)).isoformat(),
            "attendance": "attended",
        },
        follow=True,
    )
    assert "Attendance cannot be recorded for a session in the future" in response.text
    assert not Session.objects.exists()


def test_the_referral_form_prepares_then_sends(cast: Cast, service: Programme) -> None:
    _consent(cast, service, ["interventions", "family"])
    client = cast.client_for(cast.lead)
    url = reverse("rehab:new_referral", args=[cast.case.pk])
    assert "Women&#x27;s resettlement support" in client.get(url).text
    refused = client.post(url, {"programme": service.pk, "reason": "x"})
    assert refused.status_code == 400 and "Say why this programme" in refused.text
    response = client.post(
        url, {"programme": service.pk, "reason": "Support with her children", "sections": ["about", "family"]}
    )
    referral = Referral.objects.get()
    assert response["Location"] == reverse("rehab:referral", args=[referral.pk])
    client.post(reverse("rehab:move_referral", args=[referral.pk, "submitted"]))
    referral.refresh_from_db()
    assert referral.status == "submitted" and referral.submitted_at is not None


def test_a_full_programme_takes_no_one_more(cast: Cast) -> None:
    from throughcare.test import join_team

    group = Programme.objects.create(
        name="Thinking skills",
        description="Group",
        provider=cast.probation,
        setting="both",
        audience="general",
        capacity=1,
    )
    worker = make_user("group.facilitator", cast.probation)
    other = open_test_case(cast.lead, cast.probation, "Bo", "Sample")
    join_team(other, worker, cast.probation)
    made = []
    for case in (cast.case, other):
        referral = referrals.make_referral(
            case, group, by=cast.lead, reason="Problem solving work", sections=[]
        )
        referrals.move(
            referral, "submitted", by=cast.lead, standing=get_referral_for_user(cast.lead, referral.pk)[1]
        )
        made.append(referral)
    provider = get_referral_for_user(cast.stranger, made[0].pk)[1]  # a probation colleague, as the provider
    for referral in made:
        for step in ("awaiting_assessment", "suitable"):
            referrals.move(referral, step, by=cast.stranger, standing=provider)
    referrals.move(made[0], "on_programme", by=cast.stranger, standing=provider)
    with pytest.raises(ActionRefused, match=r"Thinking skills is full \(1 of 1 places taken\)"):
        referrals.move(made[1], "on_programme", by=cast.stranger, standing=provider)


def test_a_manager_who_reads_the_referral_cannot_move_it(cast: Cast, service: Programme) -> None:
    """Found by the URL matrix: the move verb did not ask whether the reader may write."""
    _consent(cast, service, ["interventions", "family"])
    referral = _refer(cast, service)
    response = cast.client_for(cast.manager).post(
        reverse("rehab:move_referral", args=[referral.pk, "submitted"])
    )
    assert response.status_code == 400 and "you can read it" in response.text
    referral.refresh_from_db()
    assert referral.status == "started"


def test_the_referrals_received_list_pages_them_newest_first_and_leaves_out_a_withdrawn_consent(
    cast: Cast, service: Programme, settings: Any
) -> None:
    """The provider's list, a page at a time: each referral sent, newest first, with its programme and who
    referred; one whose person withdrew their consent is not listed."""
    settings.CASELOAD_PAGE_SIZE = 2
    Person.objects.create(given_name="No", family_name="Case")  # no case's id is its person's
    sent: dict[str, Referral] = {}
    for given in ("Bea", "Cleo", "Dana", "Eve"):
        cast.case = open_test_case(cast.lead, cast.probation, given=given)
        _consent(cast, service, ["interventions", "family"])
        referral = _refer(cast, service)
        team = get_referral_for_user(cast.lead, referral.pk)[1]
        referrals.move(referral, "submitted", by=cast.lead, standing=team)
        sent[given] = referral
    withdrawn = sent["Cleo"].case
    share.withdraw_consent(
        withdrawn.person.consents.get(), withdrawn, by=cast.lead, note="She asked us to stop"
    )
    client = cast.client_for(_worker(service))
    pages = [client.get(reverse("rehab:inbox") + f"?page={n}").text for n in (1, 2)]
    listed = [re.findall(r'href="/referrals/(\d+)/"', page) for page in pages]
    assert listed == [[str(sent["Eve"].pk), str(sent["Dana"].pk)], [str(sent["Bea"].pk)]]
    assert "3 referrals" in pages[0] and "Women&#x27;s resettlement support" in pages[1]
    assert all(
        page.count('<td class="govuk-table__cell">Probation</td>') == len(rows)
        for page, rows in zip(pages, listed, strict=True)
    )
