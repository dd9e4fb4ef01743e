from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command

from throughcare.accounts.models import User
from throughcare.cases.models import Case, CaseTeamMember, Phase, TimelineEntry
from throughcare.demo import scale, snapshot, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    snapshot.load_world()


def test_the_demo_world_prints_the_personas_and_password() -> None:
    out = StringIO()
    call_command("load_demo_world", password="demo-pass-123", stdout=out)
    printed = out.getvalue()
    for username in [
        "probation.officer",
        "prison.manager",
        "ct.police",
        "ngo.mentor",
        "womens.service",
        "panel.chair",
        "probation.manager",
        "dpo",
        "analyst",
        "admin",
    ]:
        assert username in printed
    assert "Password: demo-pass-123" in printed


def test_loading_twice_keeps_the_same_data(demo: None) -> None:
    before = (Case.objects.count(), TimelineEntry.objects.count(), User.objects.count())
    out = StringIO()
    call_command("load_demo_world", stdout=out)
    assert "already present" in out.getvalue()
    assert (Case.objects.count(), TimelineEntry.objects.count(), User.objects.count()) == before


def test_the_demo_world_spans_every_phase_with_women_and_returnees(demo: None) -> None:
    assert Case.objects.count() >= 60
    phases = Counter(Case.objects.values_list("phase", flat=True))
    assert set(phases) == set(Phase.values)
    assert Case.objects.filter(person__gender="female").count() >= 8
    assert Case.objects.filter(person__is_returnee=True, person__gender="female").exists()
    assert TimelineEntry.objects.filter(body__contains="children").exists()
    assert Case.objects.filter(sentence_summary__startswith="8 months").exists()
    assert Case.objects.filter(sentence_summary__startswith="Indeterminate").exists()


def test_each_persona_sees_exactly_their_cases(demo: None) -> None:
    officer = User.objects.get(username="probation.officer")
    leads = Case.objects.filter(team__user=officer, team__responsibility=CaseTeamMember.Responsibility.LEAD)
    assert leads.filter(phase=Phase.COMMUNITY).count() >= 5
    assert set(Case.objects.visible_to(officer)) == set(Case.objects.filter(team__user=officer))
    assert (
        Case.objects.visible_to(User.objects.get(username="womens.service"))
        .exclude(person__gender="female")
        .count()
        == 0
    )
    manager = User.objects.get(username="probation.manager")
    assert (
        Case.objects.visible_to(manager).count()
        == Case.objects.filter(team__agency__kind="probation").distinct().count()
    )
    for nobody in ["dpo", "analyst", "admin"]:
        assert not Case.objects.visible_to(User.objects.get(username=nobody)).exists()


def _people() -> list[tuple[object, ...]]:
    return list(
        Case.objects.order_by("pk").values_list(
            "person__given_name", "person__family_name", "phase", "sentence_summary"
        )
    )


def _wipe() -> None:
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":  # run the deferred foreign-key checks before TRUNCATE
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)


def test_the_demo_world_has_the_same_people_whatever_the_day_it_is_loaded() -> None:
    """The README names its people: loaded in winter or in summer (another offset from UTC), the world
    must hold the same people in the same phases, the same one of them carrying the intelligence flag."""
    from throughcare.sharing.models import IntelligenceFlag

    world.load("pw-one-two-three", now=datetime(2026, 1, 15, 12, 0, tzinfo=UTC))
    winter, showcase = _people(), IntelligenceFlag.objects.get().case.person.full_name
    _wipe()
    world.load("pw-one-two-three", now=datetime(2027, 7, 9, 12, 0, tzinfo=UTC))
    assert _people() == winter
    assert IntelligenceFlag.objects.get().case.person.full_name == showcase
    assert len(winter) == scale.CASE_COUNT + 1  # and the woman about to be released (rehabilitation story)


def test_the_demo_world_shows_need_to_know_sharing(demo: None) -> None:
    from throughcare.sharing.access import categories_for, viewer_for
    from throughcare.sharing.models import (
        BreakGlass,
        Consent,
        IntelligenceFlag,
        Restriction,
        SharingAgreement,
    )

    flag = IntelligenceFlag.objects.get()
    seen = {}
    for username in ["probation.officer", "ct.police", "ngo.mentor", "panel.chair"]:
        user = User.objects.get(username=username)
        seen[username] = categories_for(viewer_for(user), flag.case)
    assert len({frozenset(c) for c in seen.values()}) == 4  # each persona sees something different
    assert "intelligence" in seen["ct.police"] and "intelligence" not in seen["probation.officer"]
    assert "risk" in seen["ngo.mentor"]  # through consent
    assert SharingAgreement.objects.exists()
    assert Consent.objects.filter(withdrawn_at__isnull=False).exists()
    assert Consent.objects.filter(withdrawn_at__isnull=True).count() >= 2
    assert Restriction.objects.filter(user__username="ngo.mentor").exists()
    assert BreakGlass.objects.filter(reviewed_at__isnull=True).exists()
    assert "intact" in _verify()


def _verify() -> str:
    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def test_the_demo_world_has_cases_at_every_point_of_the_journey_to_release(demo: None) -> None:
    from throughcare.conferences.actions import release_conference_held
    from throughcare.custody.models import (
        BreachDecision,
        CaseCondition,
        ComplianceEvent,
        Handover,
        HandoverItem,
        Sentence,
    )

    assert Sentence.objects.count() == Case.objects.count()
    assert {"custody", "custody_with_community", "community"} <= set(
        Sentence.objects.values_list("responsibility", flat=True)
    )
    assert (
        Handover.objects.filter(state="created").exists()
        and Handover.objects.filter(state="accepted").exists()
    )
    assert HandoverItem.objects.filter(done_at__isnull=True, escalated_at__isnull=False).exists()  # overdue
    needing = [
        s.case
        for s in Sentence.objects.filter(case__phase=Phase.RELEASE_PLANNING)
        if s.profile.requires_release_conference(s)
    ]
    assert any(not release_conference_held(case) for case in needing)  # a missing conference
    assert CaseCondition.objects.filter(status="not_ordered").exists()
    breaches = ComplianceEvent.objects.filter(kind="breach")
    assert breaches.exists() and not BreachDecision.objects.filter(breach__in=breaches).exists()


def test_the_demo_world_has_risk_management_to_look_at(demo: None) -> None:
    from throughcare.risk.models import Assessment, HarmJudgement, Instrument, PlanVersion

    assert (
        Instrument.objects.filter(licensed=True).exists()
        and Instrument.objects.filter(licensed=False).exists()
    )
    assert Assessment.objects.filter(completed_at__isnull=False).exists()
    assert HarmJudgement.objects.exists()
    from django.db.models import Count
    from django.utils import timezone

    from throughcare.risk.models import ReviewDue

    per_case = PlanVersion.objects.values("case").annotate(n=Count("pk")).values_list("n", flat=True)
    assert max(per_case) >= 3 and min(per_case) == 1  # plans in several versions
    today = timezone.localdate()
    open_reviews = ReviewDue.objects.filter(done_at__isnull=True)
    overdue = open_reviews.filter(due_on__lt=today)
    assert overdue.exists() and not overdue.filter(escalated_at__isnull=True).exists()
    assert open_reviews.filter(due_on__gte=today).exists()
    assert PlanVersion.objects.exclude(judgement="").exists()  # reviewers' judgements on trajectories


def test_the_demo_world_has_rehabilitation_to_look_at(demo: None) -> None:
    from throughcare.rehab.models import Dependant, PathwayNeed, Programme, Referral, SupportNeed
    from throughcare.sharing.models import Consent

    assert Programme.objects.filter(women_only_delivery=True, requires_consent=True).exists()
    assert Programme.objects.filter(provider__is_government=True, setting="custody").exists()
    assert Referral.objects.filter(status="on_programme").exists()
    assert PathwayNeed.objects.values("pathway").distinct().count() >= 4
    assert Dependant.objects.filter(case__person__is_returnee=True).exists()
    assert SupportNeed.objects.filter(case__person__gender="female").exists()
    layla = Case.objects.get(person__family_name="Verhoeven")
    assert layla.phase == Phase.RELEASE_PLANNING and layla.person.gender == "female"
    assert Consent.objects.filter(person=layla.person, recipient_agency__short_name="Harbour Women's Service")


def test_the_demo_world_has_conferences_to_look_at(demo: None) -> None:
    from django.utils import timezone

    from throughcare.conferences.models import ActionItem, Conference, MinutesCopy, RiskRequest

    today = timezone.localdate()
    approved = Conference.objects.filter(status="approved", held_on__lt=today)
    assert approved.exists() and MinutesCopy.objects.filter(conference__in=approved).exists()
    assert approved.filter(items__restricted__gt="").exists()  # minutes with a restricted section
    open_actions = ActionItem.objects.filter(done_at__isnull=True)
    assert open_actions.filter(due_on__lt=today, escalated_at__isnull=False).exists()  # overdue, escalated
    assert ActionItem.objects.filter(done_at__isnull=False).exists()
    assert RiskRequest.objects.filter(kind="travel", outcome="pending").exists()
    assert Conference.objects.filter(status="scheduled", held_on__gt=today).exists()
