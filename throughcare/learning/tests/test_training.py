"""The second person's review of a training case, and trainees working through it in stages."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from throughcare.accounts.models import Membership, User
from throughcare.audit.models import AuditEvent, Operation
from throughcare.cases import actions as case_actions
from throughcare.cases.models import Case, DataCategory, Nature, TimelineEntry
from throughcare.learning import actions, pipeline
from throughcare.learning.models import TrainingAttempt, TrainingCase
from throughcare.lib.errors import ActionRefused
from throughcare.rights.report import erase_entry
from throughcare.risk.models import Certification
from throughcare.test import Cast, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def training(cast: Cast, trainer: User, custody_case: Case) -> TrainingCase:
    return pipeline.build_training_case(custody_case.pk, by=trainer, title="Continuity at the gate")


def test_the_dpo_sees_original_and_training_case_side_by_side(cast: Cast, training: TrainingCase) -> None:
    page = cast.client_for(cast.auditor).get(reverse("learning:training_review", args=[training.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert '<mark class="tc-mark" title="a name">Zoë Janssens-Loor' in text  # the original, highlighted
    assert f'<mark class="tc-mark" title="a name">{training.pseudonym}' in text  # and what it became
    assert '<mark class="tc-mark" title="an identifier">A1234BC' in text
    read = AuditEvent.objects.filter(operation=Operation.CONSULTATION, actor=cast.auditor).latest("pk")
    assert read.details["channel"] == "training review"
    assert read.justification == "data protection review of a training case"


def test_nothing_reaches_trainees_before_a_second_person_approves(
    cast: Cast, trainer: User, trainee: User, training: TrainingCase
) -> None:
    trainee_client = cast.client_for(trainee)
    assert trainee_client.get(reverse("learning:training_case", args=[training.pk])).status_code == 404
    assert "Continuity at the gate" not in trainee_client.get(reverse("learning:training")).content.decode()
    with pytest.raises(ActionRefused, match="Someone other than the trainer who built it"):
        actions.review_training_case(training, by=trainer, approve=True, note="", expected_version=1)
    actions.review_training_case(training, by=cast.auditor, approve=True, note="", expected_version=1)
    assert trainee_client.get(reverse("learning:training_case", args=[training.pk])).status_code == 200
    event = AuditEvent.objects.get(operation=Operation.DISCLOSURE, object_type="learning.trainingcase")
    assert event.recipients == ["trainees"]


def test_a_reviewer_without_a_category_of_the_source_cannot_approve(
    cast: Cast, trainer: User, custody_case: Case
) -> None:
    from throughcare.test import join_team

    case_actions.add_note(
        custody_case,
        by=cast.lead,
        body="Licence conditions drafted.",
        category=DataCategory.LEGAL,
        nature=Nature.FACT,
    )
    training = pipeline.build_training_case(custody_case.pk, by=trainer, title="With legal data")
    other = make_user("ngo.trainer", cast.ngo, may_train=True)
    join_team(custody_case, other, cast.ngo, "Mentor")  # the NGO holds no legal data
    with pytest.raises(ActionRefused, match="You do not hold legal data"):
        actions.review_training_case(training, by=other, approve=True, note="", expected_version=1)
    page = (
        cast.client_for(other).get(reverse("learning:training_review", args=[training.pk])).content.decode()
    )
    assert "You do not hold legal data of this case" in page


def test_sent_back_it_goes_to_its_builder_who_submits_again(
    cast: Cast, trainer: User, training: TrainingCase
) -> None:
    with pytest.raises(ActionRefused, match="Enter what must change"):
        actions.review_training_case(training, by=cast.auditor, approve=False, note="", expected_version=1)
    actions.review_training_case(
        training,
        by=cast.auditor,
        approve=False,
        note="Stage 1's question gives the answer away",
        expected_version=1,
    )
    page = (
        cast.client_for(trainer).get(reverse("learning:training_case", args=[training.pk])).content.decode()
    )
    assert "Stage 1&#x27;s question gives the answer away" in page and "Submit it for review again" in page
    response = cast.client_for(trainer).post(
        reverse("learning:edit_question", args=[training.pk, 1]), {"question": "What do you recommend now?"}
    )
    assert response.status_code == 302
    actions.resubmit(TrainingCase.objects.get(pk=training.pk), by=trainer)
    assert TrainingCase.objects.get(pk=training.pk).status == TrainingCase.Status.AWAITING_REVIEW


def test_an_entry_erased_later_leaves_the_training_case_and_it_is_checked_again(
    cast: Cast, training: TrainingCase, custody_case: Case
) -> None:
    actions.review_training_case(training, by=cast.auditor, approve=True, note="", expected_version=1)
    entry = TimelineEntry.objects.filter(case=custody_case, body__contains="education place").get()
    count = training.entries.count()
    erase_entry(entry, by=cast.auditor, reason="Recorded about the wrong person.")
    training.refresh_from_db()
    assert training.entries.count() == count - 1
    assert not training.entries.filter(text__contains="education place").exists()
    assert training.status == TrainingCase.Status.SENT_BACK


def test_a_trainee_answers_each_stage_before_the_decision_is_revealed(
    cast: Cast, trainer: User, trainee: User, training: TrainingCase
) -> None:
    actions.review_training_case(training, by=cast.auditor, approve=True, note="", expected_version=1)
    client = cast.client_for(trainee)
    attempt_url = client.post(reverse("learning:start", args=[training.pk]))["Location"]
    page = client.get(attempt_url).content.decode()
    stage = training.stages.get(number=1)
    assert stage.question in page and "Custody to Release planning" not in page
    assert "education place" in page and "supervision appointment" not in page
    attempt = TrainingAttempt.objects.get(trainee=trainee)
    response = client.post(reverse("learning:answer", args=[attempt.pk, 1]), {"would_do": "", "why": ""})
    assert response.status_code == 400 and "Say what you would do" in response.content.decode()
    client.post(
        reverse("learning:answer", args=[attempt.pk, 1]),
        {"would_do": "Start release planning with the prison", "why": "Six months to go"},
    )
    page = client.get(attempt_url).content.decode()
    assert "Custody to Release planning" in page and "supervision appointment" in page
    assert "Scenario completed" in page
    with pytest.raises(ActionRefused, match="already answered"):
        actions.answer(attempt, stage, by=trainee, would_do="Again", why="Again")

    # the trainer of the trainee's agency reads and comments; the trainee sees it
    trainer_page = cast.client_for(trainer).get(reverse("learning:trainees")).content.decode()
    assert "New Officer" in trainer_page
    answer = attempt.answers.get()
    cast.client_for(trainer).post(
        reverse("learning:comment", args=[answer.pk]), {"text": "Bring police in too."}
    )
    assert "Bring police in too." in client.get(attempt_url).content.decode()
    assert cast.client_for(cast.mentor).get(attempt_url).status_code == 404


def test_a_training_record_holds_scenarios_and_certifications(
    cast: Cast, trainee: User, training: TrainingCase
) -> None:
    actions.review_training_case(training, by=cast.auditor, approve=True, note="", expected_version=1)
    training.refresh_from_db()
    attempt = actions.start(training, by=trainee)
    actions.answer(attempt, training.stages.get(), by=trainee, would_do="Plan", why="Time")
    Certification.objects.create(
        user=trainee, instrument_code="erg22", certified_on=date(2025, 1, 6), expires_on=date(2030, 1, 6)
    )
    mine = cast.client_for(trainee).get(reverse("learning:my_record")).content.decode()
    assert "Continuity at the gate" in mine and "erg22" in mine
    manager = cast.client_for(cast.manager)
    assert "New Officer" in manager.get(reverse("learning:records")).content.decode()
    assert "erg22" in manager.get(reverse("learning:record_of", args=[trainee.pk])).content.decode()
    outsider = make_user("police.manager", cast.police, "manager")
    assert cast.client_for(outsider).get(reverse("learning:record_of", args=[trainee.pk])).status_code == 404
    Membership.objects.filter(user=trainee).update(is_active=False)


def test_health_is_only_a_general_statement(cast: Cast, trainer: User, custody_case: Case) -> None:
    case_actions.add_note(
        custody_case,
        by=cast.lead,
        body="Seen by the psychiatrist about panic attacks.",
        category=DataCategory.HEALTH,
        nature=Nature.FACT,
    )
    made = pipeline.build_training_case(custody_case.pk, by=trainer, title="Health")
    assert made.entries.filter(text=pipeline.HEALTH_STATEMENT).exists()
    assert not made.entries.filter(text__contains="psychiatrist").exists()
