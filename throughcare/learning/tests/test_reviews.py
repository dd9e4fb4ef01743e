"""Case reviews, recommendations and lessons, as managers, owners, reviewers and the DPO meet them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from throughcare.accounts.models import Membership, User
from throughcare.audit.models import AuditEvent, Operation
from throughcare.cases import actions as case_actions
from throughcare.cases.contributions import decision_points
from throughcare.cases.models import Case, DataCategory, Nature
from throughcare.learning import actions
from throughcare.learning.models import CaseReview, Lesson, Recommendation
from throughcare.lib.errors import ActionRefused, EditConflict
from throughcare.notifications.models import Notification
from throughcare.risk import information
from throughcare.sharing.access import standing_on_case
from throughcare.test import Cast, join_team
from throughcare.workspace.attention import needs_attention

pytestmark = pytest.mark.django_db


def _review(cast: Cast, case: Case | None = None) -> CaseReview:
    return actions.open_review(
        case or cast.case, by=cast.manager, trigger="near_miss", terms="Why did information wait a week?"
    )


def _recommend(cast: Cast, review: CaseReview, days: int = 30) -> Recommendation:
    return actions.add_recommendation(
        review,
        by=cast.manager,
        theme="information",
        text="Name an owner for every piece of incoming information.",
        agency=cast.probation,
        owner=cast.lead,
        due_on=timezone.localdate() + timedelta(days=days),
    )


def test_a_manager_opens_a_review_and_its_chronology_holds_the_decision_points(cast: Cast) -> None:
    information.record_information(
        cast.case,
        by=cast.lead,
        source="A partner abroad",
        received_on=timezone.localdate(),
        reliability="B",
        credibility="2",
        category="risk",
        summary="Seen near a port",
    )
    Membership.objects.filter(user=cast.police_liaison).update(may_chair_conferences=True)
    review = _review(cast)
    client = cast.client_for(cast.manager)
    page = client.get(reverse("learning:review", args=[review.pk])).content.decode()
    assert "Near miss review" in page and "Why did information wait a week?" in page
    assert AuditEvent.objects.filter(
        operation=Operation.COLLECTION, object_type="learning.casereview"
    ).exists()
    with pytest.raises(ActionRefused, match="Only a manager of an agency working on the case"):
        actions.open_review(cast.case, by=cast.lead, trigger="near_miss", terms="Not my place")


def test_the_chronology_reads_in_the_reviewers_language(cast: Cast) -> None:
    """Its headings and what the system says of each point; what people wrote stays as written."""
    case_actions.change_phase(
        cast.case, by=cast.lead, to_phase="reintegration", expected_version=cast.case.version, reason="Stable"
    )
    info = information.record_information(
        cast.case,
        by=cast.lead,
        source="A partner abroad",
        received_on=timezone.localdate(),
        reliability="B",
        credibility="2",
        category="risk",
        summary="Seen near a port",
    )
    information.acknowledge(info, by=cast.lead, decision="no_action", note="Nothing new")
    review = _review(cast)
    cast.manager.language = "de"
    cast.manager.save(update_fields=["language"])
    page = cast.client_for(cast.manager).get(reverse("learning:review", args=[review.pk])).content.decode()
    assert "Phasenwechsel" in page and "Von Bewährungsaufsicht zu Wiedereingliederung: Stable" in page
    assert (
        "Information bestätigt" in page
        and "Information von A partner abroad nach 0 Stunden bestätigt." in page
    )
    assert "Nothing new" in page
    assert "Phase change" not in page and "acknowledged after" not in page


def test_an_uncleared_reviewer_never_sees_an_intelligence_point(cast: Cast) -> None:
    information.record_information(
        cast.case,
        by=cast.police_liaison,
        source="Covert source",
        received_on=timezone.localdate(),
        reliability="C",
        credibility="3",
        category="intelligence",
        summary="Contact with a recruiter",
    )
    from throughcare.risk.models import IncomingInformation

    IncomingInformation.objects.update(acknowledge_by=timezone.now() - timedelta(hours=1))  # now late
    cleared = decision_points(cast.case, standing_on_case(cast.police_liaison, cast.case))
    assert any(p.category == "intelligence" for p in cleared)
    review = _review(cast)
    page = cast.client_for(cast.manager).get(reverse("learning:review", args=[review.pk])).content.decode()
    assert "Covert source" not in page and "Information not acknowledged" not in page


def test_a_note_on_a_point_carries_its_category(cast: Cast) -> None:
    case_actions.add_note(
        cast.case, by=cast.lead, body="x", category=DataCategory.GENERAL, nature=Nature.FACT
    )
    review = _review(cast)
    with pytest.raises(ActionRefused, match="not in the chronology"):
        actions.note_point(review, "risk.review:999", by=cast.manager, text="Made up")


def test_an_overdue_recommendation_needs_the_owners_attention_and_escalates_once(cast: Cast) -> None:
    review = _review(cast)
    made = _recommend(cast, review)
    assert Notification.objects.filter(
        recipient=cast.lead, subject__contains="Recommendation for you"
    ).exists()
    Recommendation.objects.filter(pk=made.pk).update(due_on=timezone.localdate() - timedelta(days=3))
    items = needs_attention(cast.lead, timezone.localdate())
    item = next(i for i in items if "Review recommendation" in str(i.text))
    assert item.overdue and item.owner == cast.lead
    assert actions.escalate_overdue_recommendations(timezone.localdate()) == 1
    assert actions.escalate_overdue_recommendations(timezone.localdate()) == 0
    assert Notification.objects.filter(
        recipient=cast.manager, subject__contains="recommendation overdue"
    ).exists()


def test_an_owner_must_be_able_to_read_it(cast: Cast) -> None:
    review = _review(cast)
    with pytest.raises(ActionRefused, match="may not see this case's risk data"):
        actions.add_recommendation(
            review,
            by=cast.manager,
            theme="other",
            text="x",
            agency=cast.probation,
            owner=cast.stranger,
            due_on=timezone.localdate(),
        )


def test_implemented_needs_evidence_and_a_stale_form_saves_nothing(cast: Cast) -> None:
    made = _recommend(cast, _review(cast))
    with pytest.raises(ActionRefused, match="Enter the evidence"):
        actions.update_recommendation(
            made, by=cast.lead, status="implemented", evidence="", reason="", expected_version=1
        )
    actions.update_recommendation(
        made, by=cast.lead, status="in_progress", evidence="", reason="", expected_version=1
    )
    with pytest.raises(EditConflict):
        actions.update_recommendation(
            made, by=cast.manager, status="rejected", evidence="", reason="Too costly", expected_version=1
        )
    with pytest.raises(ActionRefused, match="Only the owner"):
        actions.update_recommendation(
            made, by=cast.prison_manager, status="rejected", evidence="", reason="No", expected_version=2
        )
    made.refresh_from_db()
    assert made.status == "in_progress" and made.done_at is None


def test_a_lesson_that_names_the_person_is_refused_where_it_does(cast: Cast) -> None:
    review = _review(cast)
    with pytest.raises(ActionRefused, match="names someone or something known") as refused:
        actions.write_lesson(
            review,
            by=cast.manager,
            statement="ada EXAMPLE's file was not shared",
            theme="information",
            phase="community",
            agency_kinds=["probation"],
            recommendation="Share it",
            what_changed="",
        )
    assert refused.value.field == "statement"
    assert not Lesson.objects.exists()


def test_a_lesson_reaches_the_library_only_once_a_second_person_approves(cast: Cast, trainer: User) -> None:
    review = _review(cast)
    lesson = actions.write_lesson(
        review,
        by=cast.manager,
        statement="Name one owner for information from abroad",
        theme="information",
        phase="community",
        agency_kinds=["probation", "police_ct"],
        recommendation="Owners",
        what_changed="",
    )
    reader = cast.client_for(cast.prison_manager)
    assert "Name one owner" not in reader.get(reverse("learning:library")).content.decode()
    with pytest.raises(ActionRefused, match="other than its author"):
        Membership.objects.filter(user=cast.manager).update(may_train=True)
        actions.review_lesson(lesson, by=cast.manager, approve=True, note="", expected_version=1)
    actions.review_lesson(lesson, by=cast.auditor, approve=True, note="", expected_version=1)
    page = reader.get(reverse("learning:library") + "?q=owner+ABROAD&agency_kind=police_ct").content.decode()
    assert "Name one owner for information from abroad" in page
    assert (
        "Name one owner" not in reader.get(reverse("learning:library") + "?agency_kind=ngo").content.decode()
    )
    exported = reader.get(reverse("learning:export_json")).json()
    assert exported["format"] == "throughcare-lessons/1"
    assert exported["lessons"][0]["agency_kinds"][0] == {
        "code": "police_ct",
        "label": "Police counter-terrorism",
    }
    pdf = reader.get(reverse("learning:export_pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(operation=Operation.DISCLOSURE, object_type="learning.lesson").exists()


def test_bad_input_gets_a_message_next_to_the_field(cast: Cast) -> None:
    client = cast.client_for(cast.manager)
    review = _review(cast)
    for data, message in [
        ({"theme": "information", "went": "did_not", "text": "a\x00b"}, "Null characters are not allowed"),
        ({"theme": "information", "went": "did_not", "text": "x" * 10_001}, "10,000 characters or fewer"),
        ({"theme": "nonsense", "went": "did_not", "text": "Fine"}, "Choose a theme from the list"),
    ]:
        response = client.post(reverse("learning:finding", args=[review.pk]), data)
        assert response.status_code == 400 and message in response.content.decode()
    response = client.post(
        reverse("learning:recommendation", args=[review.pk]),
        {
            "theme": "other",
            "text": "x",
            "agency": cast.probation.pk,
            "owner": cast.lead.pk,
            "due_on": "99999-01-01",
        },
    )
    assert response.status_code == 400 and "Enter the deadline as a real date" in response.content.decode()


def test_concluding_locks_the_review(cast: Cast) -> None:
    review = _review(cast)
    with pytest.raises(ActionRefused, match="at least one finding"):
        actions.conclude_review(review, by=cast.manager, conclusion="Done", expected_version=1)
    actions.add_finding(review, by=cast.manager, theme="risk", went="worked", text="Quick recall", factors="")
    actions.conclude_review(review, by=cast.manager, conclusion="Lessons drawn", expected_version=1)
    review.refresh_from_db()
    with pytest.raises(ActionRefused, match="concluded"):
        actions.add_finding(review, by=cast.manager, theme="risk", went="worked", text="Late", factors="")


def test_a_review_is_risk_data_behind_the_gate(cast: Cast) -> None:
    review = _review(cast)
    join_team(cast.case, cast.stranger, cast.probation)
    assert cast.client_for(cast.mentor).get(reverse("learning:review", args=[review.pk])).status_code == 404
    assert cast.client_for(cast.analyst).get(reverse("learning:review", args=[review.pk])).status_code == 404
    assert cast.client_for(cast.stranger).get(reverse("learning:review", args=[review.pk])).status_code == 200


def test_a_lesson_says_the_language_it_is_written_in_wherever_it_is_read(cast: Cast) -> None:
    """A Dutch reviewer writes in Dutch: a German reader finds the lesson by its language, reads it marked as
    Dutch (a screen reader speaks it so), and a partner's file says which language it is in."""
    review = _review(cast)
    response = cast.client_for(cast.manager).post(
        reverse("learning:write_lesson", args=[review.pk]),
        {
            "statement": "Eén eigenaar voor informatie uit het buitenland",
            "language": "nl",
            "theme": "information",
            "phase": "community",
            "agency_kinds": ["probation"],
            "recommendation": "Wijs een eigenaar aan",
        },
    )
    assert response.status_code == 302
    lesson = Lesson.objects.get()
    assert lesson.language == "nl"
    actions.review_lesson(lesson, by=cast.auditor, approve=True, note="", expected_version=1)
    User.objects.filter(pk=cast.prison_manager.pk).update(language="de")
    reader = cast.client_for(cast.prison_manager)
    library = reader.get(reverse("learning:library") + "?language=nl").content.decode()
    assert (
        '<a class="govuk-link" href="{}" lang="nl">Eén eigenaar'.format(
            reverse("learning:lesson", args=[lesson.pk])
        )
        in library
    )
    assert "Eén eigenaar" not in reader.get(reverse("learning:library") + "?language=de").content.decode()
    page = reader.get(reverse("learning:lesson", args=[lesson.pk])).content.decode()
    assert '<h1 class="govuk-heading-l" lang="nl">Eén eigenaar' in page
    assert '<span lang="nl">Nederlands</span>' in page and "Noch nicht erfasst" in page
    assert reader.get(reverse("learning:export_json")).json()["lessons"][0]["language"] == "nl"
