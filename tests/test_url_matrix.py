"""The access matrix over every URL of the product: a new URL cannot escape it.

The URL configuration is enumerated. Every pattern must be listed in MATRIX with what it shows (the data
category it needs, or None for the case record every standing sees) and how it is reached (a case, a
conference, a referral, the data protection officer's pages, the user's own lists, or public). A case
holds a marker text in every data category — in timeline entries and in a row of every kind of case
record, in the category of the row (a test keeps a new kind from joining without one) — and each
persona, down to a reader given the case's risk record alone, opens every pattern:

- anonymous is sent to sign in;
- a persona without standing, or without the page's category, gets 404, exactly like missing;
- a page the persona may open shows only the markers of the categories they hold (timeline channels:
  exactly those);
- every POST pattern is tried by every persona: one who may not write there changes nothing (no audit
  event of a change), and the verbs with valid input show that the permitted ones do change it.

The expected categories of each persona are written here by hand from the sharing rules, never taken
from the gate under test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from throughcare.accounts.models import Membership, User
from throughcare.api import tokens
from throughcare.audit.models import AuditEvent, Operation
from throughcare.cases.contributions import decision_points
from throughcare.cases.models import Case, CaseData, DataCategory, PhaseChange, TimelineEntry
from throughcare.conferences import meetings
from throughcare.conferences.models import ActionItem, AgendaItem
from throughcare.custody import actions as custody_actions
from throughcare.custody import conditions, handover
from throughcare.custody.models import (
    BreachDecision,
    CaseCondition,
    ConditionTemplate,
    ConditionVariation,
    Handover,
    HandoverItem,
    NotificationDue,
    Offence,
    ResponsibilityOverride,
    Sentence,
)
from throughcare.custody.notification_requirements import start_requirement
from throughcare.learning import actions as learning
from throughcare.learning import pipeline
from throughcare.outcomes import publishing
from throughcare.outcomes.actions import OutcomeInput, record_outcome
from throughcare.outcomes.models import MeasureDefinition
from throughcare.outcomes.synthetic import load_cohort
from throughcare.people.models import Person
from throughcare.rehab import support
from throughcare.rehab.models import (
    Appointment,
    Closure,
    ClosureSignOff,
    Criterion,
    CriterionReview,
    Dependant,
    DesiredOutcome,
    FollowUp,
    OwnPlanRecord,
    PathwayNeed,
    Programme,
    Referral,
    ReferralEvent,
    Session,
    SupportNeed,
)
from throughcare.rights import report
from throughcare.risk import actions as risk_actions
from throughcare.risk import information, plans
from throughcare.risk.instrument_file import load
from throughcare.risk.models import (
    Assessment,
    HarmJudgement,
    Item,
    PlanVersion,
    Rating,
    ReviewDue,
    Scenario,
    SignObservation,
    Strategy,
    WarningSign,
)
from throughcare.risk.tests.test_instruments import DEMO
from throughcare.risk.tests.test_plans import _content
from throughcare.sharing import actions as share
from throughcare.sharing.access import standing_on_case
from throughcare.sharing.models import LegalBasis
from throughcare.test import Cast, join_team, make_agency, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_population(settings: Any) -> None:
    settings.TRAINING_K = 1  # one case in this world: the rarity check has its own tests


ALL = frozenset(DataCategory.values)
NOT_INTEL = ALL - {"intelligence"}
POLICE = frozenset({"identity", "legal", "risk", "intelligence", "general"})
NGO = frozenset({"identity", "general", "interventions"})


def mark(category: str) -> str:
    return f"MARK-{category.upper()}-MARK"


# The matrix --------------------------------------------------------------------------------------------

CASE, CONFERENCE, REFERRAL, DPO, OWN, PUBLIC = "case", "conference", "referral", "dpo", "own", "public"
STATISTICS = "statistics"  # analysts' work: everyone else finds nothing
TRAINING = "training"  # trainers only
TRAINING_REVIEW = "training_review"  # trainers and the data protection officer
MANAGERS = "managers"  # managers: their agencies' training records
ATTEMPT = "attempt"  # the lead's scenario: the lead, and the trainer of the lead's agency


@dataclass(frozen=True)
class Page:
    reach: str  # CASE, CONFERENCE, REFERRAL, DPO, OWN or PUBLIC
    category: str | None = None  # the category the page needs (None: the case record)
    exact: bool = False  # shows every entry the reader holds: the markers must be exactly theirs
    lead_only: bool = False  # beyond the category: the case lead (and the auditor) only
    team_only: bool = False  # beyond the category: those who work on the case
    managers_decide: bool = False  # a manager of the lead agency may do it too (not only the team)
    shows: frozenset[str] | None = None  # DPO channels: the markers they show (not the reader's own)
    to_the_dpo: frozenset[str] = frozenset()  # shown to the DPO by their function, beside their own


MATRIX: dict[str, Page] = {
    "login": Page(PUBLIC),
    "logout": Page(PUBLIC),
    "language": Page(PUBLIC),  # the language switcher: a cookie, and the account's language if signed in
    "healthz": Page(PUBLIC),
    "favicon": Page(PUBLIC),
    "cases:home": Page(OWN, to_the_dpo=frozenset({"identity"})),  # the DPO's queue: whose requests
    "cases:caseload": Page(OWN),
    "cases:calendar": Page(OWN),
    "cases:new_calendar_feed": Page(OWN),
    "cases:stop_calendar_feed": Page(OWN),
    "cases:calendar_feed": Page(PUBLIC),  # a secret in the address instead of a session (test_calendar)
    "cases:new": Page(OWN),
    "cases:search": Page(OWN),
    "cases:detail": Page(CASE),  # the overview: what is due, the team, the contributed panels
    "cases:team": Page(CASE),
    "cases:add_place": Page(CASE, managers_decide=True),
    "cases:change_place": Page(CASE, managers_decide=True),
    "cases:end_place": Page(CASE, managers_decide=True),
    "cases:timeline": Page(CASE, exact=True),
    "cases:export": Page(CASE, exact=True),
    "cases:add_note": Page(CASE),
    "cases:change_phase": Page(CASE, managers_decide=True),
    "cases:edit_person": Page(CASE, "identity"),
    "sharing:overview": Page(CASE, team_only=True),
    "sharing:new_agreement": Page(CASE, team_only=True, managers_decide=True),
    "sharing:revoke_agreement": Page(CASE, team_only=True, managers_decide=True),
    "sharing:new_consent": Page(CASE, team_only=True),
    "sharing:withdraw_consent": Page(CASE, team_only=True),
    "sharing:new_restriction": Page(CASE, team_only=True, managers_decide=True),
    "sharing:remove_restriction": Page(CASE, team_only=True, managers_decide=True),
    "sharing:flag_intelligence": Page(CASE, "intelligence"),
    "sharing:shared_about_me": Page(CASE, team_only=True),
    "sharing:access_log": Page(CASE, lead_only=True),
    "sharing:break_glass": Page(OWN),
    "sharing:break_glass_review": Page(DPO),
    "sharing:review_break_glass": Page(DPO),
    "sharing:notifications": Page(OWN),
    "rights:requests": Page(DPO, shows=frozenset({"identity"})),  # whose requests they are
    "rights:detail": Page(DPO, shows=ALL),  # the officer's view combines everything held (logged)
    "rights:letter": Page(DPO, exact=True, shows=NOT_INTEL),  # the person's copy: intelligence withheld
    "rights:letter_pdf": Page(DPO),  # the same copy as PDF (compressed: its text is checked in its own test)
    "rights:include_intelligence": Page(DPO),
    "rights:erase": Page(DPO),
    "cases:needs_attention": Page(OWN),
    "custody:section": Page(CASE, "legal"),
    "custody:record_sentence": Page(CASE, "legal"),
    "custody:change_dates": Page(CASE, "legal"),
    "custody:override": Page(CASE, "legal", managers_decide=True),  # the lead or a manager decides
    "custody:lift_override": Page(CASE, "legal", managers_decide=True),
    "custody:start_handover": Page(CASE, "legal"),
    "custody:accept_handover": Page(CASE, "legal"),
    "custody:complete_item": Page(CASE, "legal"),
    "custody:complete_handover": Page(CASE, "legal"),
    "custody:abandon_handover": Page(CASE, "legal"),
    "custody:licence": Page(CASE, "legal"),
    "custody:recommend": Page(CASE, "legal"),
    "custody:order": Page(CASE, "legal"),
    "custody:not_ordered": Page(CASE, "legal"),
    "custody:compliance": Page(CASE, "legal"),
    "custody:notified": Page(CASE, "legal"),
    "custody:travel": Page(CASE, "legal"),
    "custody:change_notified": Page(CASE, "legal"),
    "custody:decide_breach": Page(CASE, "legal"),
    "conferences:record_release": Page(CASE, "risk"),
    "conferences:release_without_conference": Page(CASE),
    "conferences:list": Page(OWN),
    "conferences:schedule": Page(OWN),
    "conferences:detail": Page(CONFERENCE),
    "conferences:invite": Page(CONFERENCE),
    "conferences:add_to_agenda": Page(CONFERENCE),
    "conferences:write_briefing": Page(CONFERENCE),
    "conferences:put_request_on_agenda": Page(CONFERENCE),
    "conferences:record_decision": Page(CONFERENCE),
    "conferences:record_action": Page(CONFERENCE),
    "conferences:write_minutes": Page(CONFERENCE),
    "conferences:write_restricted": Page(CONFERENCE),
    "conferences:complete_action": Page(CONFERENCE),
    "conferences:record_attendance": Page(CONFERENCE),
    "conferences:approve_minutes": Page(CONFERENCE),
    "conferences:circulate_minutes": Page(CONFERENCE),
    "conferences:add_addendum": Page(CONFERENCE),
    "conferences:minutes": Page(CONFERENCE),
    "conferences:minutes_pdf": Page(CONFERENCE),
    "conferences:requests": Page(CASE, "risk"),
    "conferences:make_request": Page(CASE, "risk"),
    "conferences:decide_request": Page(CASE, "risk"),
    "risk:section": Page(CASE, "risk"),
    "risk:assessments": Page(CASE, "risk"),
    "risk:start": Page(CASE, "risk"),
    "risk:assessment": Page(CASE, "risk"),
    "risk:judge_harm": Page(CASE, "risk"),
    "risk:plan": Page(CASE, "risk"),
    "risk:plan_review": Page(CASE, "risk"),
    "risk:require_review": Page(CASE, "risk"),  # ?intelligence=1: the flag owner (test_reviews)
    "risk:observe_sign": Page(CASE, "risk"),
    "risk:information": Page(CASE),
    "risk:record_information": Page(CASE),  # the category is the information's: the action's rule
    "risk:acknowledge_information": Page(CASE),
    "rehab:catalogue": Page(OWN),
    "rehab:inbox": Page(OWN),
    "rehab:referral": Page(REFERRAL, "interventions"),
    "rehab:move_referral": Page(REFERRAL, "interventions"),
    "rehab:write_action_plan": Page(REFERRAL, "interventions"),
    "rehab:record_session": Page(REFERRAL, "interventions"),
    "rehab:end_of_service": Page(REFERRAL, "interventions"),
    "rehab:overview": Page(CASE, "interventions"),
    "rehab:add_need": Page(CASE),  # the category is the pathway's (health, family …): the action's rule
    "rehab:update_need": Page(CASE),
    "rehab:add_support_need": Page(CASE),
    "rehab:add_dependant": Page(CASE),
    "rehab:add_appointment": Page(CASE),
    "rehab:new_referral": Page(CASE, "interventions"),
    "rehab:criteria": Page(CASE),
    "rehab:review_criteria": Page(CASE),
    "rehab:propose_closing": Page(CASE),
    "rehab:sign_off_closing": Page(CASE),
    "rehab:close_case": Page(CASE),
    "rehab:cancel_closing": Page(CASE),
    "rehab:record_follow_up": Page(CASE),
    "outcomes:work": Page(STATISTICS),
    "outcomes:new_measure": Page(STATISTICS),
    "outcomes:preview": Page(STATISTICS),
    "outcomes:new_release": Page(STATISTICS),
    "outcomes:work_release": Page(STATISTICS),
    "outcomes:submit_release": Page(STATISTICS),
    "outcomes:approve_release": Page(STATISTICS),
    "outcomes:send_back_release": Page(STATISTICS),
    "outcomes:correct_release": Page(STATISTICS),
    "outcomes:public_index": Page(PUBLIC),
    "outcomes:public_release": Page(PUBLIC),
    "outcomes:public_version": Page(PUBLIC),
    "outcomes:public_chart": Page(PUBLIC),
    "outcomes:public_rates_chart": Page(PUBLIC),
    "outcomes:public_csv": Page(PUBLIC),
    "outcomes:public_json": Page(PUBLIC),
    "outcomes:public_pdf": Page(PUBLIC),
    "learning:case_reviews": Page(CASE, "risk"),
    "learning:open_review": Page(CASE, "risk"),
    "learning:review": Page(CASE, "risk"),
    "learning:note": Page(CASE, "risk"),
    "learning:finding": Page(CASE, "risk"),
    "learning:recommendation": Page(CASE, "risk"),
    "learning:conclude": Page(CASE, "risk"),
    "learning:write_lesson": Page(CASE, "risk"),
    "learning:update_recommendation": Page(CASE, "risk"),
    "learning:library": Page(OWN),
    "learning:lesson": Page(OWN),
    "learning:export_json": Page(OWN),
    "learning:export_pdf": Page(OWN),
    "learning:review_lesson": Page(TRAINING_REVIEW),
    "learning:revise_lesson": Page(OWN),
    "learning:queue": Page(TRAINING_REVIEW),
    "learning:training": Page(OWN),
    "learning:build": Page(TRAINING),
    # trainees see an approved training case's introduction; trainers and the DPO its anonymised entries
    "learning:training_case": Page(OWN, shows=NOT_INTEL - {"health"}),
    "learning:edit_question": Page(TRAINING_REVIEW),
    "learning:link_lessons": Page(TRAINING_REVIEW),
    "learning:resubmit": Page(TRAINING_REVIEW),
    "learning:training_review": Page(TRAINING_REVIEW, shows=NOT_INTEL),  # the originals, side by side
    "learning:decide": Page(TRAINING_REVIEW),
    "learning:start": Page(OWN),
    "learning:attempt": Page(ATTEMPT),
    "learning:answer": Page(OWN),
    "learning:comment": Page(OWN),
    "learning:trainees": Page(TRAINING),
    "learning:my_record": Page(OWN),
    "learning:records": Page(MANAGERS),
    "learning:record_of": Page(MANAGERS),
    "outcomes:case": Page(CASE, "legal"),
    "outcomes:record": Page(CASE, "legal"),
    "outcomes:correct": Page(CASE, "legal"),
    "cases:own_plan": Page(CASE, "interventions"),
    "cases:record_own_plan": Page(CASE, "interventions"),
    "cases:own_plan_pdf": Page(CASE, "interventions"),
    # The JSON API (signed-in sessions may read it; anonymous callers get 401, not the sign-in page).
    "api-1:api-root": Page(PUBLIC),
    "api-1:unknown": Page(PUBLIC),  # any other address under /api/v1/: a problem+json 404
    "api-1:openapi-json": Page(PUBLIC),
    "api-1:openapi-view": Page(PUBLIC),
    "api-1:list_cases": Page(OWN),
    "api-1:case_detail": Page(CASE),
    "api-1:change_phase": Page(CASE, managers_decide=True),
    "api-1:timeline": Page(CASE, exact=True),
    "api-1:add_note": Page(CASE),
    "api-1:search": Page(OWN),
    "api-1:notifications": Page(OWN),
    "api-1:event_types": Page(OWN),
    "api-1:sentence": Page(CASE, "legal"),
    "api-1:licence_conditions": Page(CASE, "legal"),
    "api-1:push_information": Page(CASE),  # the category is the information's: the action's rule
    "api-1:reviews_due": Page(OWN),
    "api-1:requests": Page(CASE, "risk"),
    "api-1:referrals": Page(OWN),  # a provider's: the gate's provider channel
    "api-1:statistics": Page(PUBLIC),
    "api-1:needs_attention": Page(OWN),
    "api-1:conferences": Page(OWN),
    "api-1:conference": Page(CONFERENCE),
    "api-1:subscriptions": Page(OWN),  # a service account's own; persons are told only systems subscribe
    "api-1:subscribe": Page(OWN),
    "api-1:unsubscribe": Page(OWN),
    "documents:list": Page(CASE, "legal", team_only=True),
    "documents:document": Page(CASE, "legal", team_only=True),
    "api:account": Page(OWN),
    "api:new_token": Page(OWN),
    "api:revoke_token": Page(OWN),  # the lead's token: everyone else finds nothing
    "signin:verify": Page(OWN),  # one's own second factor
    "signin:set_up": Page(OWN),
    "signin:recovery_codes": Page(OWN),
    "signin:renew_recovery_codes": Page(OWN),
    "signin:turn_off": Page(OWN),
    "cases:access_oversight": Page(DPO),
}


def url_patterns() -> Iterator[tuple[str, URLPattern]]:
    def walk(resolver: URLResolver, namespace: str | None) -> Iterator[tuple[str, URLPattern]]:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue  # administration: staff only, audited in its own tests
                yield from walk(pattern, pattern.namespace or namespace)
            else:
                name = pattern.name or str(pattern.pattern).rstrip("/").split(".")[0]
                yield (f"{namespace}:{name}" if namespace else name), pattern

    return walk(get_resolver(), None)


def test_every_url_pattern_is_in_the_matrix() -> None:
    unlisted = sorted(name for name, _ in url_patterns() if name not in MATRIX)
    assert unlisted == [], "add each new URL to MATRIX with the category it shows"
    stale = sorted(set(MATRIX) - {name for name, _ in url_patterns()})
    assert stale == []


# The world: one case with a marker in every category, and a record behind every kind of id -------------


@dataclass
class World:
    cast: Cast
    ids: dict[str, int | str]
    conference_invitees: set[str]


def build_world(cast: Cast) -> World:
    case, lead = cast.case, cast.lead
    for category in DataCategory.values:
        TimelineEntry.objects.create(
            case=case,
            category=category,
            nature="fact",
            body=f"A note {mark(category)}",
            occurred_at=timezone.now(),
            author=lead,
            author_agency=cast.probation,
        )
    entry = TimelineEntry.objects.filter(case=case, category="general").first()
    assert entry is not None
    custody_actions.record_sentence(
        case,
        custody_actions.SentenceDetails(
            sentence_type="determinate",
            sentence_start=date(2023, 1, 1),
            sentence_end=date(2031, 1, 1),
            earliest_release=timezone.localdate(),
        ),
        [Offence(description=f"Preparation {mark('legal')}", terrorism_offence=True)],
        by=lead,
    )
    started = handover.start_handover(case, by=lead)
    requirement = start_requirement(case, timezone.localdate(), by=lead)
    assert requirement is not None
    template = ConditionTemplate.objects.filter(is_current=True, code="CON-01").get()
    condition = conditions.recommend(case, template, {"person": "Ezra Quill"}, by=lead)
    breach = conditions.record_compliance(
        case,
        conditions.EventInput(
            kind="breach", occurred_on=timezone.localdate(), note=f"Curfew {mark('legal')}"
        ),
        by=lead,
    )
    assessment = risk_actions.start_assessment(case, load(DEMO, by=None), by=lead)
    incoming = information.record_information(
        case,
        by=lead,
        source="A partner service",
        received_on=timezone.localdate(),
        reliability="B",
        credibility="2",
        category="health",
        summary=f"Seen at a clinic {mark('health')}",
    )
    meetings.make_request(case, by=lead, kind="travel", details=f"To the port city {mark('risk')}")
    provider = make_agency("Open Door Mentoring", "ngo", government=False)
    programme = Programme.objects.create(
        name="Pathways",
        description="x",
        provider=provider,
        setting="community",
        audience="general",
        capacity=5,
    )
    referral = Referral.objects.create(
        case=case,
        programme=programme,
        reason=f"Support {mark('interventions')}",
        referred_by=lead,
        referring_agency=cast.probation,
    )
    conference = _conference(cast)
    need = support.add_need(
        case,
        by=lead,
        pathway="finance_id",
        need="Open a bank account",
        owner_kind="probation",
        owner_agency=cast.probation,
    )
    plan = plans.save_version(case, _content(cast), by=lead, reason="first")
    proposal = Closure.objects.create(case=case, reason="licence_end", proposed_by=lead)
    follow_up = FollowUp.objects.create(case=case, due_on=timezone.localdate(), owner=lead)
    agreement = _risk_shared(cast, cast.police, None, "public protection")
    housing = make_agency("Housing Trust", "housing", government=False)
    consent = share.record_consent(
        case,
        share.ConsentRequest(
            recipient_agency=housing,
            categories=["general"],
            purpose="tenancy",
            evidence="signed form",
            given_on=timezone.localdate(),
            expires_on=None,
        ),
        by=lead,
    )
    restriction = share.add_restriction(
        case, by=lead, user=cast.police_outsider, kind="never", message="Contact the lead", reason="conflict"
    )
    request = report.open_request(
        case.person, by=cast.auditor, received_on=timezone.localdate(), how_received="x"
    )
    outcome = record_outcome(
        case,
        OutcomeInput(
            kind="censored", occurred_on=timezone.localdate(), censor_reason="abroad", source=mark("legal")
        ),
        by=lead,
    )
    history = load_cohort(
        "History", 60, date(2015, 1, 1), date(2018, 12, 31), seed=3, until=date(2024, 1, 1), by=None
    )
    measure = MeasureDefinition.objects.create(
        name="History",
        source="extract",
        extract=history,
        released_from=date(2015, 1, 1),
        released_to=date(2018, 12, 31),
        created_by=cast.analyst,
    )
    release = publishing.draft(publishing.ReleaseInput("History", "", [measure], []), by=cast.analyst)
    learned = _learning(cast)
    _mark_every_kind_of_record(cast, breach, proposal, referral)
    ids = {
        **learned,
        "measure_id": measure.pk,
        "release_id": release.pk,
        "slug": release.slug,
        "version": 1,
        "number": 1,
        "outcome_id": outcome.pk,
        "case_id": case.pk,
        "entry_id": entry.pk,
        "item_id": started.items.first().pk,  # type: ignore[union-attr]
        "condition_id": condition.pk,
        "due_id": requirement.dues.first().pk,  # type: ignore[union-attr]
        "event_id": breach.pk,
        "assessment_id": assessment.pk,
        "referral_id": referral.pk,
        "conference_id": conference.pk,
        "agenda_item_id": conference.items.get().pk,
        "action_id": conference.items.get().actions.get().pk,
        "agreement_id": agreement.pk,
        "consent_id": consent.pk,
        "restriction_id": restriction.pk,
        "request_id": request.pk,
        "need_id": need.pk,
        "template_id": template.pk,
        "token": "not-a-feed",
        "access_id": 1,  # no emergency access opened in this world: the review answers 404 to everyone
        "sign_id": plan.warning_signs.get().pk,
        "information_id": incoming.pk,
        "closure_id": proposal.pk,
        "follow_up_id": follow_up.pk,
        "to": "submitted",
        "key": "handover",
        "subscription_id": 1,  # none in this world: everyone finds nothing
        "token_id": tokens.issue(cast.lead, name="matrix", scope="write", days=1, by=cast.lead)[0].pk,
        "place_id": case.team.active().exclude(responsibility="lead").first().pk,  # type: ignore[union-attr]
    }
    return World(cast, ids, {"lead", "mentor", "mentor_with_consent", "police_liaison"})


# The text each kind of record shows on its pages: a marker of the row's category goes into it.
MARKED_TEXT: dict[type[Any], str] = {
    PhaseChange: "reason",
    Sentence: "responsibility_reason",
    ResponsibilityOverride: "reason",
    Handover: "abandon_reason",
    HandoverItem: "note",
    CaseCondition: "not_ordered_reason",
    ConditionVariation: "reason",
    BreachDecision: "rationale",
    NotificationDue: "details",
    AgendaItem: "briefing",
    ActionItem: "description",
    Assessment: "rationale",
    Rating: "evidence",
    HarmJudgement: "explanation",
    PlanVersion: "formulation",
    Scenario: "description",
    Strategy: "description",
    WarningSign: "description",
    ReviewDue: "note",
    SignObservation: "note",
    ReferralEvent: "note",
    DesiredOutcome: "description",
    Session: "note",
    PathwayNeed: "need",
    SupportNeed: "detail",
    Dependant: "care_arrangement",
    CriterionReview: "evidence",
    Closure: "note",
    ClosureSignOff: "note",
    FollowUp: "note",
    OwnPlanRecord: "own_words",
    Appointment: "purpose",
}


def _mark_every_kind_of_record(cast: Cast, breach: Any, proposal: Closure, referral: Referral) -> None:
    """A row of every kind of case record, its shown text holding a marker of the row's category: a page
    that reads a kind outside the gate shows a marker its reader does not hold. The person's name is
    identity: it holds that marker."""
    case, lead = cast.case, cast.lead
    Person.objects.filter(pk=case.person_id).update(family_name=f"Quill {mark('identity')}")
    sentence = Sentence.objects.get(case=case)
    ResponsibilityOverride.objects.create(
        sentence=sentence, responsibility="community", reason="x", decided_by=lead
    )
    condition = CaseCondition.objects.get(case=case)
    ConditionVariation.objects.create(
        condition=condition, before={}, after={}, reason="x", authority="Parole board", varied_by=lead
    )
    BreachDecision.objects.create(breach=breach, outcome="warning", decided_by=lead, rationale="x")
    assessment = Assessment.objects.get(case=case)
    item = Item.objects.filter(domain__instrument=assessment.instrument).earliest("pk")
    Rating.objects.create(assessment=assessment, item=item, value="present", evidence="x", rated_by=lead)
    HarmJudgement.objects.create(case=case, judged_by=lead, explanation="x")
    sign = WarningSign.objects.get(version__case=case)
    SignObservation.objects.create(
        sign=sign, case=case, observed_on=timezone.localdate(), note="x", recorded_by=lead
    )
    ReferralEvent.objects.create(referral=referral, status="submitted", by=lead, note="x")
    DesiredOutcome.objects.create(referral=referral, description="x")
    Session.objects.create(
        referral=referral, held_on=timezone.localdate(), attendance="attended", recorded_by=lead, note="x"
    )
    support.add_support_need(case, by=lead, kind="childcare", detail="x")
    support.add_dependant(
        case,
        by=lead,
        given_name="Nia",
        family_name="Quill",
        date_of_birth=None,
        relation="child",
        lives_with=False,
        care_arrangement="x",
    )
    CriterionReview.objects.create(
        case=case,
        criterion=Criterion.objects.earliest("pk"),
        state="partly",
        evidence="x",
        signed_off_by=lead,
    )
    ClosureSignOff.objects.create(closure=proposal, user=lead, agency=cast.probation, note="x")
    support.record_own_plan(case, by=lead, shown_on=timezone.localdate(), response="partly", own_words="x")
    support.add_appointment(
        case, by=lead, starts_at=timezone.now(), with_whom="Job centre", place="High Street", purpose="x"
    )
    for model, field in MARKED_TEXT.items():
        for row in model.objects.filter(**{model.case_path: case}):
            text = f"{getattr(row, field)} {mark(row.data_category_of())}".strip()
            model.objects.filter(pk=row.pk).update(**{field: text})


def _trainer(cast: Cast) -> User:
    """A trainer on the case team (may build training cases from it)."""
    found = User.objects.filter(username="senior.trainer").first()
    if found is None:
        found = make_user("senior.trainer", cast.probation, may_train=True)
        join_team(cast.case, found, cast.probation, "Practice supervisor")
    return found


def _learning(cast: Cast) -> dict[str, int | str]:
    """A review with a note, a finding and a recommendation; an approved lesson; an approved training case
    built from the case, which the lead has started and answered once."""
    manager, case = cast.manager, cast.case
    review = learning.open_review(case, by=manager, trigger="near_miss", terms=f"Terms {mark('risk')}")
    point = next(p for p in decision_points(case, standing_on_case(manager, case)) if p.decision)
    learning.note_point(review, point.key, by=manager, text=f"Noted {mark('risk')}")
    learning.add_finding(
        review, by=manager, theme="information", went="did_not", text=f"Found {mark('risk')}", factors=""
    )
    recommendation = learning.add_recommendation(
        review,
        by=manager,
        theme="information",
        text=f"Recommended {mark('risk')}",
        agency=cast.probation,
        owner=cast.lead,
        due_on=timezone.localdate() + timedelta(days=30),
    )
    lesson = learning.write_lesson(
        review,
        by=manager,
        statement="Name one owner for information from abroad",
        theme="information",
        phase="community",
        agency_kinds=["probation", "police_ct"],
        recommendation="Every piece of incoming information has a named owner.",
        what_changed="",
    )
    learning.review_lesson(lesson, by=cast.auditor, approve=True, note="", expected_version=1)
    trainer = _trainer(cast)
    training = pipeline.build_training_case(case.pk, by=trainer, title="Matrix scenario")
    learning.link_lessons(training, by=trainer, lessons=[lesson])
    learning.review_training_case(training, by=cast.auditor, approve=True, note="", expected_version=1)
    training.refresh_from_db()
    attempt = learning.start(training, by=cast.lead)
    stage = training.stages.get(number=1)
    learning.answer(attempt, stage, by=cast.lead, would_do="Call the liaison officer", why="Risk")
    return {
        "review_id": review.pk,
        "point": point.key,
        "recommendation_id": recommendation.pk,
        "lesson_id": lesson.pk,
        "training_id": training.pk,
        "number": 1,
        "attempt_id": attempt.pk,
        "answer_id": attempt.answers.get().pk,
        "user_id": cast.lead.pk,
    }


def _conference(cast: Cast) -> Any:
    chair = cast.police_liaison
    Membership.objects.filter(user=chair).update(may_chair_conferences=True)
    conference = meetings.schedule(by=chair, kind="case", held_on=timezone.localdate())
    item = meetings.add_case(conference, cast.case, by=chair)
    meetings.invite(conference, by=chair, agency=cast.probation, user=cast.lead)
    meetings.invite(conference, by=chair, agency=cast.ngo, user=cast.mentor)
    meetings.record_attendance(
        conference,
        by=chair,
        entries=[(cast.police, chair, "present"), (cast.probation, cast.lead, "present")],
    )
    meetings.decide(
        item,
        meetings.DecisionInput(decision="Approved premises", rationale=f"Because {mark('risk')}"),
        by=chair,
    )
    meetings.add_action(
        item, by=chair, description="Visit the address", owner=cast.lead, due_on=timezone.localdate()
    )
    meetings.approve_minutes(conference, by=chair)
    meetings.circulate(conference, by=chair)
    return conference


# The personas --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Persona:
    name: str
    user: Callable[[Cast], User | None]  # None: anonymous
    holds: frozenset[str] | None  # the case's categories they hold; None: no standing at all
    writes: bool = False  # an active place on the case team
    auditor: bool = False


def _with_consent(cast: Cast) -> User:
    share.record_consent(
        cast.case,
        share.ConsentRequest(
            recipient_agency=cast.ngo,
            categories=["risk", "family"],
            purpose="mentoring",
            evidence="signed form",
            given_on=timezone.localdate(),
            expires_on=None,
        ),
        by=cast.lead,
    )
    return cast.mentor


def _risk_shared(cast: Cast, agency: Any, user: User | None, purpose: str) -> Any:
    """The lead shares the case's risk record with an agency (or one person of it), on a statutory duty."""
    request = share.AgreementRequest(
        recipient_agency=agency,
        recipient_user=user,
        categories=["risk"],
        purpose=purpose,
        legal_basis=LegalBasis.STATUTORY_DUTY,
        valid_from=timezone.now(),
        valid_until=None,
    )
    return share.grant_agreement(cast.case, request, by=cast.lead)


def _risk_reader(cast: Cast) -> User:
    """A municipal officer outside the team, given the case's risk record alone by an agreement naming
    them: no identity, no general record (the narrowest standing the sharing rules allow)."""
    found = User.objects.filter(username="council.officer").first()
    if found is not None:
        return found
    agency = make_agency("Harbour Council", "municipality")
    reader = make_user("council.officer", agency)
    _risk_shared(cast, agency, reader, "safeguarding panel")
    return reader


PERSONAS = [
    Persona("lead", lambda c: c.lead, NOT_INTEL, writes=True),
    Persona("prison_manager", lambda c: c.prison_manager, NOT_INTEL, writes=True),  # uncleared partner
    Persona("police_liaison", lambda c: c.police_liaison, POLICE, writes=True),  # cleared, some categories
    Persona("mentor", lambda c: c.mentor, NGO, writes=True),  # consent-based, no consent
    Persona("mentor_with_consent", _with_consent, NGO | {"risk", "family"}, writes=True),
    Persona("trainer", _trainer, NOT_INTEL, writes=True),  # on the team, builds training cases
    Persona("manager", lambda c: c.manager, NOT_INTEL),  # read only
    Persona("risk_reader", _risk_reader, frozenset({"risk"})),  # an agreement naming risk alone
    Persona("stranger", lambda c: c.stranger, None),
    Persona("auditor", lambda c: c.auditor, None, auditor=True),
    Persona("analyst", lambda c: c.analyst, None),  # statistics only: no case content
    Persona("anonymous", lambda c: None, None),
]


def _client(cast: Cast, persona: Persona) -> Client:
    user = persona.user(cast)
    return cast.client_for(user) if user is not None else Client()


def _url(name: str, pattern: URLPattern, ids: dict[str, int | str]) -> str:
    wanted = pattern.pattern.regex.groupindex
    return reverse(name, kwargs={k: ids[k] for k in wanted}) if wanted else reverse(name)


# Pages reached by a function rather than by a standing on the case.
BY_FUNCTION: dict[str, Callable[[Persona], bool]] = {
    STATISTICS: lambda p: p.name == "analyst",
    TRAINING: lambda p: p.name == "trainer",
    TRAINING_REVIEW: lambda p: p.auditor or p.name == "trainer",
    MANAGERS: lambda p: p.name == "manager",
    ATTEMPT: lambda p: p.name in ("lead", "trainer"),
    DPO: lambda p: p.auditor,
}


def _reaches(page: Page, persona: Persona, world: World) -> bool:
    """Whether the persona may open the page at all, by the matrix (not by asking the gate)."""
    if page.reach in (OWN, PUBLIC):
        return True
    if page.reach in BY_FUNCTION:
        return BY_FUNCTION[page.reach](persona)
    if page.reach == CONFERENCE:
        return persona.name in world.conference_invitees
    if persona.holds is None:
        return persona.auditor and page.lead_only
    if page.category is not None and page.category not in persona.holds:
        return False
    if page.lead_only:
        return persona.name == "lead"
    if page.team_only:
        return persona.writes or persona.name == "manager"  # a place on the team, or its agency's manager
    return True


def _sent_to_sign_in(name: str, response: Any) -> bool:
    if name.startswith("api-1:"):
        return bool(response.status_code in (401, 405))  # 405: a verb's address, asked with GET
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


def _markers(text: str) -> set[str]:
    return {c for c in DataCategory.values if mark(c) in text}


def _changes() -> int:
    return AuditEvent.objects.exclude(operation=Operation.CONSULTATION).count()


@pytest.mark.parametrize("persona", PERSONAS, ids=[p.name for p in PERSONAS])
def test_every_page_answers_each_persona_as_the_matrix_says(cast: Cast, persona: Persona) -> None:
    world = build_world(cast)
    client = _client(cast, persona)
    for name, pattern in url_patterns():
        page = MATRIX[name]
        if page.reach == PUBLIC or name == "logout":
            continue
        response = client.get(_url(name, pattern, world.ids))
        where = f"GET {name} as {persona.name}"
        if persona.name == "anonymous":
            assert _sent_to_sign_in(name, response), where
            continue
        assert response.status_code != 500, where
        if not _reaches(page, persona, world):
            assert response.status_code in (404, 405) if page.reach != OWN else True, where
            assert response.status_code != 200, where
            continue
        if response.status_code != 200:
            asked_more = name.startswith("api-1:") and response.status_code == 422  # a required parameter
            assert response.status_code in (302, 403, 405) or asked_more, where
            continue
        held = page.shows if page.shows is not None else (persona.holds or frozenset())
        held |= page.to_the_dpo if persona.auditor else frozenset()
        shown = _markers(response.content.decode(errors="replace"))  # a PDF is bytes
        assert shown <= held, f"{where} shows {sorted(shown - held)}"
        if page.exact:
            assert shown == held, f"{where} misses {sorted(held - shown)}"


@pytest.mark.parametrize("persona", PERSONAS, ids=[p.name for p in PERSONAS])
def test_every_post_is_refused_to_those_without_the_standing_or_capability(
    cast: Cast, persona: Persona
) -> None:
    world = build_world(cast)
    client = _client(cast, persona)
    for name, pattern in url_patterns():
        page = MATRIX[name]
        if page.reach == PUBLIC:
            continue
        before = _changes()
        response = client.post(_url(name, pattern, world.ids), {})
        where = f"POST {name} as {persona.name}"
        assert response.status_code != 500, where
        if persona.name == "anonymous":
            assert _sent_to_sign_in(name, response), where
        elif name.startswith("api-1:"):  # a JSON API reads the body before the case: 4xx, never a change
            assert 400 <= response.status_code < 500, where
        elif not _reaches(page, persona, world) and page.reach != OWN:
            assert response.status_code in (404, 405), where
        may_decide = page.managers_decide and persona.name == "manager"
        if not persona.writes and not may_decide and page.reach in (CASE, REFERRAL):
            assert _changes() == before, f"{where} changed something"


# Verbs with valid input: the permitted persona changes the case, everyone else changes nothing ----------


def _valid_posts(world: World) -> dict[str, tuple[dict[str, str], set[str]]]:
    """name → (valid input, the personas who may do it)."""
    case = world.cast.case
    team = {"lead", "prison_manager", "police_liaison", "mentor", "mentor_with_consent", "trainer"}
    risk_team = team - {"mentor"}
    legal_team = {"lead", "prison_manager", "police_liaison", "trainer"}
    return {
        "cases:add_note": ({"body": "Seen at home", "category": "general", "nature": "fact"}, team),
        "cases:change_phase": (
            {
                "to_phase": "reintegration",
                "version": str(case.version),
                "reason": "Licence ended",
            },
            {"lead", "manager"},
        ),
        "risk:require_review": ({"reason": "change", "note": "Lost his job this week"}, risk_team),
        "conferences:make_request": (
            {"kind": "event", "details": "A football match in the capital"},
            risk_team,
        ),
        "custody:compliance": ({"kind": "kept", "occurred_on": timezone.localdate().isoformat()}, legal_team),
        "outcomes:record": (
            {
                "kind": "censored",
                "occurred_on": timezone.localdate().isoformat(),
                "censor_reason": "death",
                "source": "Registry",
            },
            legal_team,
        ),
        # the write rule's category check: a health pathway need, a family support need
        "rehab:add_need": (
            {
                "pathway": "health",
                "need": "Register with a GP",
                "owner_kind": "probation",
                "owner_agency": str(world.cast.probation.pk),
            },
            {"lead", "prison_manager", "trainer"},
        ),
        "learning:open_review": (
            {"trigger": "near_miss", "terms": "Why the information waited a week"},
            {"manager", "police_liaison"},  # a manager of an agency on the case; a panel chair
        ),
        "conferences:schedule": (
            {"kind": "case", "held_on": timezone.localdate().isoformat()},
            {"lead", "police_liaison"},
        ),
    }


@pytest.mark.parametrize("persona", PERSONAS, ids=[p.name for p in PERSONAS])
def test_valid_input_changes_the_case_only_for_those_permitted(cast: Cast, persona: Persona) -> None:
    world = build_world(cast)
    patterns = dict(url_patterns())
    for name, (data, permitted) in _valid_posts(world).items():
        client = _client(cast, persona)
        before = _changes()
        response = client.post(_url(name, patterns[name], world.ids), data)
        where = f"POST {name} as {persona.name}"
        assert response.status_code != 500, where
        changed = _changes() > before
        assert changed == (persona.name in permitted), where
        if changed and name == "cases:change_phase":  # put the case back for the next verb
            Case.objects.filter(pk=cast.case.pk).update(phase="community")


# Every kind of case record holds a marker -------------------------------------------------------------

# Case-data models whose rows carry no free text of their own (a marker has nowhere to go), or whose text
# is derived from rows that hold the markers already.
NO_TEXT_OF_THEIR_OWN = {
    "custody.NotificationRequirement",  # dates and a state; its dues carry the text
    "risk.HarmLevel",  # a level per group; the judgement carries the explanation
    "learning.LessonSource",  # links a lesson to a review
    "learning.TrainingSource",  # links a training case to its case
    "workspace.KeptCount",  # counts
    "workspace.KeptItem",  # kept from the rows above, in their categories
}


def _text_fields(model: type[Any]) -> list[str]:
    return [
        f.name
        for f in model._meta.get_fields()
        if isinstance(f, models.CharField | models.TextField) and not f.choices
    ]


def test_every_kind_of_case_record_holds_a_marker_of_its_category(cast: Cast) -> None:
    """A page that reads a kind of record outside the gate is caught only if that kind holds a marker: the
    world puts one in every case-data model with text of its own, in the category of the row."""
    build_world(cast)
    missing = []
    for model in apps.get_models():
        if not issubclass(model, CaseData) or model._meta.label in NO_TEXT_OF_THEIR_OWN:
            continue
        fields = _text_fields(model)
        marked = [
            row
            for row in model._default_manager.all()
            if any(mark(row.data_category_of()) in str(getattr(row, f)) for f in fields)
        ]
        if not marked:
            missing.append(model._meta.label)
    assert missing == [], "\n".join(missing)
