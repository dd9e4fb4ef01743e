"""Building a training case: pseudonymised, scrubbed, dates shifted, rarity checked, nothing excluded
included — and all of it, or nothing."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from pytest_django.fixtures import Settings

from throughcare.accounts.models import User
from throughcare.audit.models import AuditEvent, Operation
from throughcare.cases import actions as case_actions
from throughcare.cases.models import Case, DataCategory, Nature, TimelineEntry
from throughcare.learning import pipeline
from throughcare.learning.models import TrainingCase, TrainingEntry, TrainingSource, TrainingStage
from throughcare.learning.scrub import IdentifierLeft
from throughcare.lib.errors import ActionRefused
from throughcare.test import Cast, join_team, open_test_case

pytestmark = pytest.mark.django_db


def _all_text(training: TrainingCase) -> str:
    parts = [training.title, training.pseudonym, *map(str, training.profile.values())]
    parts += [f"{e.heading} {e.text}" for e in training.entries.all()]
    parts += [f"{s.question} {s.decision_heading} {s.decision}" for s in training.stages.all()]
    return "\n".join(parts)


def test_a_training_case_names_no_one(cast: Cast, trainer: User, custody_case: Case) -> None:
    made = pipeline.build_training_case(custody_case.pk, by=trainer, title="Continuity at the gate")
    text = _all_text(made).lower()
    for word in [
        "zoë",
        "zoe",
        "janssens",
        "loor",
        "safiya",
        "a1234bc",
        "0470",
        "lead officer",
        "prison manager",
    ]:
        assert word not in text, word
    assert made.pseudonym.split()[0] in _all_text(made)
    first = made.entries.get(position=1)
    assert first.heading == "Note — the probation officer"
    assert (
        first.text
        == f"Met {made.pseudonym} at the prison; she asked to be called {made.pseudonym} on the wing."
    )
    second = made.entries.get(position=2).text
    assert "[prison number]" in second and "[telephone number]" in second
    assert made.profile["Age band"] == "25 to 34" and "Zoë" not in str(made.profile)


def test_a_training_case_is_written_in_the_language_its_builder_chooses(
    cast: Cast, trainer: User, custody_case: Case
) -> None:
    """A German probation service's notes are German: what replaces a name, a number or a date, the question
    and what the system wrote are German too, and a date written in German moves with the rest."""
    with time_machine.travel(datetime(2024, 3, 20, 10, tzinfo=UTC), tick=False):  # after the story
        case_actions.add_note(
            custody_case,
            by=cast.lead,
            body="Termin beim Jobcenter am 3. März 2024 vereinbart.",
            category=DataCategory.GENERAL,
            nature=Nature.FACT,
        )
    made = pipeline.build_training_case(custody_case.pk, by=trainer, title="Übergang", language="de")
    assert made.language == "de"
    assert made.entries.get(position=1).heading == "Notiz – die Fachkraft der Bewährungshilfe"
    second = made.entries.get(position=2).text
    assert "[Gefangenenbuchnummer]" in second and "[Telefonnummer]" in second
    stage = made.stages.get()
    assert (
        stage.question
        == "Der Fall hat einen Entscheidungspunkt erreicht. Was würden Sie jetzt tun, und warum?"
    )
    assert "Haft" in stage.decision and "Custody" not in stage.decision
    moved = date(2024, 3, 3) + timedelta(days=made.source.offset_days)
    note = made.entries.order_by("position").last()
    assert (
        note is not None
        and note.text == f"Termin beim Jobcenter am {moved:%-d}. {_german_month(moved)} vereinbart."
    )
    with pytest.raises(ActionRefused, match="languages offered"):
        pipeline.build_training_case(custody_case.pk, by=trainer, title="Unknown", language="xx")


def _german_month(day: date) -> str:
    from django.utils import translation
    from django.utils.dates import MONTHS

    with translation.override("de"):
        return f"{MONTHS[day.month]} {day.year}"


def test_dates_move_by_one_offset_so_intervals_stay_true(
    cast: Cast, trainer: User, custody_case: Case
) -> None:
    made = pipeline.build_training_case(custody_case.pk, by=trainer, title="Intervals", rng=random.Random(3))
    source = TrainingSource.objects.get(training_case=made)
    originals = TimelineEntry.objects.filter(case=custody_case).order_by("occurred_at", "pk")
    days = [e.day for e in made.entries.order_by("position")]
    assert [(b - a).days for a, b in zip(days, days[1:], strict=False)] == [
        (b.occurred_at.date() - a.occurred_at.date()).days
        for a, b in zip(originals, originals[1:], strict=False)
    ]
    assert source.offset_days <= -200
    assert days[0] != originals[0].occurred_at.date()


def test_the_release_becomes_a_stage_with_what_came_before(
    cast: Cast, trainer: User, custody_case: Case
) -> None:
    made = pipeline.build_training_case(custody_case.pk, by=trainer, title="Release")
    stage = made.stages.get()
    assert stage.decision_heading == "Phase change"
    assert "Custody to Release planning" in stage.decision
    shown = [e.text for e in made.entries.filter(position__lt=stage.shown_until)]
    assert any("education place" in t for t in shown)
    assert not any("supervision appointment" in t for t in shown)
    assert stage.reveal_until == made.entries.count()


def test_building_is_combination_audited_with_the_source(
    cast: Cast, trainer: User, custody_case: Case
) -> None:
    made = pipeline.build_training_case(custody_case.pk, by=trainer, title="Audited")
    event = AuditEvent.objects.get(operation=Operation.COMBINATION, object_type="learning.trainingcase")
    assert event.case_id == custody_case.pk and event.object_id == str(made.pk)
    assert made.status == TrainingCase.Status.AWAITING_REVIEW


def test_intelligence_health_and_erasures_never_enter(cast: Cast, trainer: User, custody_case: Case) -> None:
    from throughcare.accounts.models import Membership
    from throughcare.rights.report import erase_entry

    Membership.objects.filter(user=trainer).update(
        intelligence_cleared=True
    )  # only the pipeline keeps it out
    join_team(custody_case, cast.police_liaison, cast.police, "CT liaison")
    case_actions.add_note(
        custody_case,
        by=cast.police_liaison,
        body="Covert source reports contact with a recruiter.",
        category=DataCategory.INTELLIGENCE,
        nature=Nature.ASSESSMENT,
    )
    case_actions.add_note(
        custody_case,
        by=cast.lead,
        body="Diagnosed with PTSD; medication reviewed.",
        category=DataCategory.HEALTH,
        nature=Nature.FACT,
    )
    wrong = case_actions.add_note(
        custody_case,
        by=cast.lead,
        body="Wrongly recorded: visited by her cousin Karim.",
        category=DataCategory.GENERAL,
        nature=Nature.FACT,
    )
    erase_entry(wrong, by=cast.auditor, reason="Recorded on the wrong case by mistake.")
    made = pipeline.build_training_case(custody_case.pk, by=trainer, title="Exclusions")
    text = _all_text(made)
    assert "recruiter" not in text and "PTSD" not in text and "Karim" not in text and "erased" not in text
    assert pipeline.HEALTH_STATEMENT in text
    assert "intelligence" not in TrainingSource.objects.get(training_case=made).categories


def test_a_failure_half_way_leaves_nothing(cast: Cast, trainer: User, custody_case: Case) -> None:
    before = AuditEvent.objects.count()
    failing = mock.patch.object(TrainingSource.objects, "create", side_effect=RuntimeError("disk full"))
    with failing, pytest.raises(RuntimeError):
        pipeline.build_training_case(custody_case.pk, by=trainer, title="Half way")
    assert not TrainingCase.objects.exists() and not TrainingEntry.objects.exists()
    assert not TrainingStage.objects.exists() and AuditEvent.objects.count() == before


def test_an_identifier_that_cannot_be_replaced_refuses_saying_where(
    cast: Cast, trainer: User, custody_case: Case
) -> None:
    with (
        mock.patch.object(
            pipeline, "scrub", side_effect=IdentifierLeft("A known identifier (name) survived")
        ),
        pytest.raises(IdentifierLeft) as refused,
    ):
        pipeline.build_training_case(custody_case.pk, by=trainer, title="Refused")
    assert "in “Case opened" in refused.value.message and "2024" in refused.value.message
    assert not TrainingCase.objects.exists()


def test_only_trainers_build_and_only_from_cases_they_see(
    cast: Cast, trainer: User, custody_case: Case
) -> None:
    from django.http import Http404

    with pytest.raises(Http404):
        pipeline.build_training_case(custody_case.pk, by=cast.lead, title="Not a trainer")
    other = open_test_case(cast.stranger, cast.probation, given="Nobody", family="Elsewhere")
    with pytest.raises(Http404):
        pipeline.build_training_case(other.pk, by=trainer, title="Not visible")


def test_a_case_without_a_decision_is_refused(cast: Cast, trainer: User) -> None:
    with pytest.raises(ActionRefused, match="no recorded decision"):
        pipeline.build_training_case(cast.case.pk, by=trainer, title="Nothing decided")


def test_a_rare_combination_is_generalised_until_k_cases_share_it(
    cast: Cast, trainer: User, custody_case: Case, settings: Settings
) -> None:
    for index in range(5):
        open_test_case(cast.lead, cast.probation, given=f"Other{index}", family="Person")
    settings.TRAINING_K = 5
    made = pipeline.build_training_case(custody_case.pk, by=trainer, title="Generalised")
    assert made.generalised, "a Belgian woman born in 1994 is rare among Testland women born in 1990"
    assert made.profile["Nationality"] in ("Europe", "Not stated")
    assert any("region of the world" in line for line in made.generalised)


def test_a_population_smaller_than_k_refuses_and_says_why(
    cast: Cast, trainer: User, custody_case: Case, settings: Settings
) -> None:
    settings.TRAINING_K = 50
    with pytest.raises(ActionRefused, match="Fewer than 50 cases share"):
        pipeline.build_training_case(custody_case.pk, by=trainer, title="Too rare")
