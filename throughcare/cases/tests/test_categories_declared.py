"""Every model that holds case data declares its data category once, and answers `visible_to` in SQL;
what one record creates because of another carries the category of its cause; an action commits whole."""

from __future__ import annotations

from datetime import date
from unittest import mock

import pytest
from django.apps import apps
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from throughcare.audit.log import AuditOutsideTransaction, record
from throughcare.audit.models import AuditEvent, Operation
from throughcare.cases import actions as case_actions
from throughcare.cases.models import Case, CaseData, DataCategory, Phase, PhaseChange, TimelineEntry
from throughcare.custody import actions as custody_actions
from throughcare.custody.models import NotificationRequirement, Offence
from throughcare.risk import information
from throughcare.risk.models import ReviewDue
from throughcare.sharing.access import Relation, standing_on_case
from throughcare.sharing.actions import flag_intelligence
from throughcare.test import Cast, open_test_case

pytestmark = pytest.mark.django_db

# Not case content: the gate's own policy data (who may see what) and the people themselves, shown only
# through the gate's decisions on the sharing pages and the identity section.
POLICY_AND_PEOPLE = {
    "cases.case",
    "cases.caseteammember",
    "sharing.sharingagreement",
    "sharing.agreementcategory",
    "sharing.restriction",
    "sharing.breakglass",
    "sharing.intelligenceflag",
    "sharing.consent",
    "sharing.consentcategory",
    "conferences.conference",  # a meeting, seen by its invitees; its cases are agenda items
    "conferences.invitation",
    "conferences.attendance",
    "conferences.addendum",
    "conferences.minutescopy",
    "rights.subjectaccessrequest",
    "rights.accessrestriction",
}


def _reaches_a_case(model: type[models.Model], depth: int = 0) -> bool:
    if depth > 3:
        return False
    for field in model._meta.get_fields():
        if isinstance(field, models.ForeignKey | models.OneToOneField) and not field.auto_created:
            target = field.related_model
            if target is Case or (
                isinstance(target, type) and target is not model and _reaches_a_case(target, depth + 1)
            ):
                return True
    return False


def test_every_model_that_reaches_a_case_declares_its_category() -> None:
    undeclared = [
        m._meta.label_lower
        for m in apps.get_models()
        if m.__module__.startswith("throughcare.")
        and _reaches_a_case(m)
        and m._meta.label_lower not in POLICY_AND_PEOPLE
        and not issubclass(m, CaseData)
    ]
    assert undeclared == []


def test_each_declaration_names_real_categories_and_a_path_to_its_case() -> None:
    for model in apps.get_models():
        if issubclass(model, CaseData):
            assert model.categories_declared() <= set(DataCategory.values), model
            manager = model._default_manager
            assert manager.filter(**{f"{model.case_path}__isnull": False}).query is not None
            assert hasattr(manager, "visible_to"), model


def test_visible_to_filters_by_case_and_category_in_sql(cast: Cast) -> None:
    Offence.objects.create(case=cast.case, description="Preparation of terrorist acts")
    assert Offence.objects.visible_to(cast.lead).count() == 1
    assert Offence.objects.visible_to(cast.mentor).count() == 0  # legal needs the person's consent
    assert Offence.objects.visible_to(cast.stranger).count() == 0
    with CaptureQueriesContext(connection) as queries:  # decided in SQL: one query, nothing dropped later
        assert len(Offence.objects.visible_to(cast.police_liaison)) == 1
    assert len([q for q in queries if "custody_offence" in q["sql"]]) == 1  # besides reading the viewer


def test_standing_is_typed(cast: Cast) -> None:
    assert standing_on_case(cast.lead, cast.case).relation == Relation.LEAD
    assert standing_on_case(cast.mentor, cast.case).relation == Relation.TEAM
    assert standing_on_case(cast.manager, cast.case).relation == Relation.MANAGER
    assert standing_on_case(cast.lead, cast.case).is_lead


# Derived entries --------------------------------------------------------------------------------------


def test_what_intelligence_causes_is_intelligence_or_carries_no_trace(cast: Cast) -> None:
    flag_intelligence(cast.case, by=cast.police_liaison, owner=cast.police_liaison)
    cast.client_for(cast.police_liaison).post(
        reverse("risk:require_review", args=[cast.case.pk]) + "?intelligence=1", {}
    )
    (entry,) = [
        e
        for e in TimelineEntry.objects.filter(case=cast.case)
        if str(e.body).startswith("Plan review required")
    ]
    assert entry.category == DataCategory.INTELLIGENCE
    due = ReviewDue.objects.get(case=cast.case, reason="new_information")
    assert "ntelligence" not in str(due.note)
    assert not TimelineEntry.objects.visible_to(cast.lead).filter(body__contains="Intelligence held").exists()


@pytest.mark.parametrize("category", ["intelligence", "health", "risk"])
def test_acknowledging_information_files_what_follows_in_its_category(cast: Cast, category: str) -> None:
    by = cast.police_liaison if category == "intelligence" else cast.lead
    info = information.record_information(
        cast.case,
        by=by,
        source="A partner service abroad",
        received_on=timezone.localdate(),
        reliability="B",
        credibility="2",
        category=category,
        summary="Summary-marker",
    )
    information.acknowledge(info, by=cast.lead, decision="plan_review")
    derived = TimelineEntry.objects.filter(case=cast.case, body__contains="acknowledged")
    assert {e.category for e in derived} == {category}
    (review_entry,) = [
        e
        for e in TimelineEntry.objects.filter(case=cast.case)
        if str(e.body).startswith("Plan review required")
    ]
    assert review_entry.category == category


def test_a_note_in_a_category_stays_in_it(cast: Cast) -> None:
    for category in ["health", "family", "intelligence"]:
        by = cast.police_liaison if category == "intelligence" else cast.lead
        entry = case_actions.add_note(
            cast.case, by=by, body=f"{category} marker", category=category, nature="fact"
        )
        assert entry.category == category


# Whole or nothing -------------------------------------------------------------------------------------


def test_audit_refuses_to_write_outside_the_transaction_of_a_change(cast: Cast) -> None:
    with pytest.raises(AuditOutsideTransaction):
        record(Operation.ALTERATION, cast.case, by=cast.lead, case_id=cast.case.pk)
    with transaction.atomic():
        record(Operation.ALTERATION, cast.case, by=cast.lead, case_id=cast.case.pk)


def test_a_release_failing_half_way_leaves_no_row_entry_or_audit_event(cast: Cast) -> None:
    case = open_test_case(cast.lead, cast.probation, "Half", "Way", phase=Phase.RELEASE_PLANNING)
    custody_actions.record_sentence(
        case,
        custody_actions.SentenceDetails(
            sentence_type="determinate",
            sentence_start=date(2023, 1, 1),
            sentence_end=date(2029, 1, 1),
            earliest_release=timezone.localdate(),
        ),
        [Offence(description="x", terrorism_offence=True)],
        by=cast.lead,
    )
    before = (PhaseChange.objects.count(), TimelineEntry.objects.count(), AuditEvent.objects.count())
    with (
        mock.patch(
            "throughcare.risk.reviews.ReviewDue.objects.create", side_effect=RuntimeError("disk full")
        ),
        pytest.raises(RuntimeError),
    ):
        case_actions.change_phase(
            case, by=cast.lead, to_phase=Phase.COMMUNITY, expected_version=case.version, reason="Released"
        )
    case.refresh_from_db()
    assert case.phase == Phase.RELEASE_PLANNING
    assert (PhaseChange.objects.count(), TimelineEntry.objects.count(), AuditEvent.objects.count()) == before
    assert not NotificationRequirement.objects.filter(case=case).exists()


def test_administration_audits_a_change_of_capability(cast: Cast) -> None:
    from throughcare.accounts.models import Membership

    admin = cast.lead
    admin.is_staff = admin.is_superuser = True
    admin.save()
    membership = Membership.objects.get(user=cast.mentor)
    client = cast.client_for(admin)
    url = reverse("admin:accounts_membership_change", args=[membership.pk])
    response = client.post(
        url,
        {
            "user": cast.mentor.pk,
            "agency": cast.ngo.pk,
            "role": "practitioner",
            "is_active": "on",
            "may_break_glass": "on",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(object_type="accounts.membership", object_id=str(membership.pk)).get()
    assert event.details["fields"] == ["may_break_glass"]
    assert event.actor == admin  # clearance, which takes two people, is tested in workspace/test_duties


def test_a_notification_naming_a_case_reaches_only_those_who_hold_its_category(cast: Cast) -> None:
    from throughcare.notifications.send import notify
    from throughcare.sharing.access import notifications_for

    notify(
        [cast.mentor, cast.lead], "Risk notice", "About the plan", "/", case_id=cast.case.pk, category="risk"
    )
    notify([cast.mentor], "General notice", "About the case", "/", case_id=cast.case.pk)
    notify([cast.mentor], "Not about a case", "", "/")
    assert {n.subject for n in notifications_for(cast.mentor)} == {"General notice", "Not about a case"}
    assert {n.subject for n in notifications_for(cast.lead)} == {"Risk notice"}
    page = cast.client_for(cast.mentor).get(reverse("sharing:notifications")).text
    assert "Risk notice" not in page and "General notice" in page
