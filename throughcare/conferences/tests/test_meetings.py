"""Case conferences: scheduling, per-attendee views, quorum, requests that need a decision, actions that
escalate, minutes whose restricted sections never reach uncleared attendees, and addenda after approval."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from throughcare.accounts.models import AgencyKind, Membership
from throughcare.api.models import OutboxEvent
from throughcare.audit.models import AuditEvent
from throughcare.cases.models import TimelineEntry
from throughcare.conferences import meetings
from throughcare.conferences.access import conferences_for
from throughcare.conferences.models import ActionItem, Conference, Decision, RiskRequest
from throughcare.lib.errors import ActionRefused
from throughcare.notifications.models import Notification
from throughcare.risk.models import ReviewDue
from throughcare.sharing import actions as sharing
from throughcare.test import Cast, join_team, make_agency, make_user, open_test_case, texts
from throughcare.workspace.attention import needs_attention

pytestmark = pytest.mark.django_db

SECRET = "Partner service reports contact with a recruiter in the port city"


def _meeting(cast: Cast, *, present: list[str] | None = None) -> Conference:
    """A case conference today, chaired by the (cleared) police liaison, with the mentor attending."""
    chair = cast.police_liaison
    Membership.objects.filter(user=chair).update(may_chair_conferences=True)  # chairs the panel
    conference = meetings.schedule(by=chair, kind="case", held_on=timezone.localdate())
    meetings.add_case(conference, cast.case, by=chair)
    meetings.invite(conference, by=chair, agency=cast.probation, user=cast.lead)
    meetings.invite(conference, by=chair, agency=cast.ngo, user=cast.mentor)
    rows = {
        "police": (cast.police, chair),
        "probation": (cast.probation, cast.lead),
        "ngo": (cast.ngo, cast.mentor),
    }
    wanted = present if present is not None else list(rows)
    meetings.record_attendance(
        conference, by=chair, entries=[(rows[k][0], rows[k][1], "present") for k in wanted]
    )
    return conference


def _travel(cast: Cast) -> RiskRequest:
    return meetings.make_request(
        cast.case, by=cast.lead, kind="travel", details="Visit his mother in the port city for three days"
    )


def test_the_chair_schedules_and_invitees_see_it_in_needs_attention(cast: Cast) -> None:
    conference = meetings.schedule(
        by=cast.lead, kind="case", held_on=timezone.localdate() + timedelta(days=7)
    )
    meetings.invite(conference, by=cast.lead, agency=cast.ngo, user=cast.mentor)
    texts = [str(i.text) for i in needs_attention(cast.mentor, timezone.localdate())]
    assert "Case conference: invited by Lead Officer" in texts
    with pytest.raises(ActionRefused, match="Only the chair can build the agenda"):
        meetings.add_case(conference, cast.case, by=cast.mentor)
    with pytest.raises(ActionRefused, match="scheduled for today or later"):
        meetings.schedule(by=cast.lead, kind="case", held_on=timezone.localdate() - timedelta(days=1))


def test_the_chair_cannot_put_on_the_agenda_a_case_they_may_not_see(cast: Cast) -> None:
    Membership.objects.filter(user=cast.stranger).update(may_chair_conferences=True)
    conference = meetings.schedule(by=cast.stranger, kind="case", held_on=timezone.localdate())
    with pytest.raises(Http404):
        meetings.add_case(conference, cast.case, by=cast.stranger)


def test_no_decision_without_quorum(cast: Cast) -> None:
    conference = _meeting(cast, present=["police", "ngo"])  # a case conference needs probation present
    item = conference.items.get()
    with pytest.raises(
        ActionRefused,
        match="Not quorate: at least 2 agencies must be present, including probation; present: ",
    ):
        meetings.decide(item, meetings.DecisionInput("Continue", "Stable"), by=cast.police_liaison)
    with translation.override("de"):
        assert meetings.quorum(conference).message.startswith(
            "Nicht beschlussfähig: Mindestens 2 Stellen müssen anwesend sein, darunter Bewährungshilfe"
        )
    meetings.record_attendance(
        conference,
        by=cast.police_liaison,
        entries=[(cast.police, cast.police_liaison, "present"), (cast.probation, cast.lead, "present")],
    )
    assert meetings.quorum(conference).met
    meetings.decide(item, meetings.DecisionInput("Continue", "Stable"), by=cast.police_liaison)


def test_a_request_is_approved_only_by_a_decision_on_the_agenda_or_by_delegated_authority(cast: Cast) -> None:
    conference = _meeting(cast)
    item = conference.items.get()
    travel = _travel(cast)
    decision = meetings.DecisionInput(
        "Travel allowed",
        "Family support matters",
        request=travel,
        outcome="approved_conditions",
        conditions="Notify police 48 hours before; daily phone check-in",
    )
    with pytest.raises(ActionRefused, match="not on this conference's agenda"):
        meetings.decide(item, decision, by=cast.police_liaison)
    with pytest.raises(ActionRefused, match="Only a person with delegated authority"):
        meetings.decide_by_delegate(travel, by=cast.lead, outcome="approved", conditions="", rationale="Fine")
    meetings.put_on_agenda(travel, item, by=cast.lead)
    without = meetings.DecisionInput(
        "Travel allowed", "Family", request=travel, outcome="approved_conditions"
    )
    with pytest.raises(ActionRefused, match="Write the conditions attached"):
        meetings.decide(item, without, by=cast.police_liaison)
    travel.refresh_from_db()
    assert travel.outcome == "pending" and not Decision.objects.exists()  # nothing half-written
    meetings.decide(item, decision, by=cast.police_liaison)
    travel.refresh_from_db()
    assert travel.outcome == "approved_conditions" and travel.conditions.startswith("Notify police")
    assert any("Travel request approved with conditions" in t for t in texts(cast.case.timeline.all()))


def test_delegated_authority_decides_outside_a_conference(cast: Cast) -> None:
    travel = _travel(cast)
    Membership.objects.filter(user=cast.lead).update(may_decide_requests=True)
    with pytest.raises(ActionRefused, match="Give the rationale"):
        meetings.decide_by_delegate(travel, by=cast.lead, outcome="refused", conditions="", rationale="")
    meetings.decide_by_delegate(
        travel, by=cast.lead, outcome="refused", conditions="", rationale="Exclusion zone"
    )
    travel.refresh_from_db()
    assert (travel.outcome, travel.delegate) == ("refused", cast.lead)


def test_an_action_needs_an_owner_and_a_deadline_and_escalates_once_when_overdue(cast: Cast) -> None:
    conference = _meeting(cast)
    item = conference.items.get()
    with pytest.raises(ActionRefused, match="Every action needs an owner and a deadline"):
        meetings.add_action(
            item, by=cast.police_liaison, description="Check the address", owner=None, due_on=None
        )
    assert not ActionItem.objects.exists()
    meetings.add_action(
        item,
        by=cast.police_liaison,
        description="Check the address",
        owner=cast.lead,
        due_on=timezone.localdate() + timedelta(days=3),
    )
    assert any(
        str(i.text) == "Conference action: Check the address" and i.owner == cast.lead
        for i in needs_attention(cast.lead, timezone.localdate())
    )
    with time_machine.travel(timezone.now() + timedelta(days=5)):
        assert meetings.escalate_overdue_actions(timezone.localdate()) == 1
        assert meetings.escalate_overdue_actions(timezone.localdate()) == 0
    told = texts(Notification.objects.filter(recipient=cast.manager), "subject")
    assert any(t.startswith("Conference action overdue") for t in told)


def test_restricted_sections_never_reach_uncleared_attendees(cast: Cast) -> None:
    conference = _meeting(cast)
    item = conference.items.get()
    meetings.write_minutes(
        item,
        by=cast.police_liaison,
        discussion="Progress at work is steady.",
        restricted=SECRET,
        expected_version=conference.version,
    )
    meetings.approve_minutes(conference, by=cast.police_liaison)
    meetings.add_addendum(
        conference, by=cast.police_liaison, text="Also seen near the harbour", restricted=True
    )
    copies = {c.recipient: c.with_restricted for c in meetings.circulate(conference, by=cast.police_liaison)}
    assert copies[cast.mentor] is False and copies[cast.police_liaison] is True
    mentor = cast.client_for(cast.mentor)
    pages = [
        mentor.get(reverse("conferences:minutes", args=[conference.pk])).text,
        mentor.get(reverse("conferences:detail", args=[conference.pk])).text,
        mentor.get(reverse("cases:detail", args=[cast.case.pk])).text,
        mentor.get(reverse("sharing:notifications")).text,
    ]
    assert "Progress at work is steady." in pages[0]
    assert all(SECRET not in page and "near the harbour" not in page for page in pages)
    assert not TimelineEntry.objects.filter(body__contains="recruiter").exists()
    assert not any("recruiter" in str(e.details) for e in AuditEvent.objects.all())
    police = (
        cast.client_for(cast.police_liaison).get(reverse("conferences:minutes", args=[conference.pk])).text
    )
    assert SECRET in police and "near the harbour" in police


def test_approved_minutes_are_locked_and_corrections_are_addenda(cast: Cast) -> None:
    conference = _meeting(cast)
    item = conference.items.get()
    meetings.approve_minutes(conference, by=cast.police_liaison)
    with pytest.raises(ActionRefused, match="approved already"):
        meetings.approve_minutes(conference, by=cast.police_liaison)
    with pytest.raises(ActionRefused, match="add an addendum instead"):
        meetings.write_minutes(
            item, by=cast.police_liaison, discussion="x", restricted="", expected_version=99
        )
    with pytest.raises(ActionRefused, match="add an addendum instead"):
        meetings.decide(item, meetings.DecisionInput("Late decision", "Forgot"), by=cast.police_liaison)
    meetings.add_addendum(conference, by=cast.police_liaison, text="The date of the next review is 3 March")
    page = cast.client_for(cast.police_liaison).get(reverse("conferences:minutes", args=[conference.pk])).text
    assert "The date of the next review is 3 March" in page


def test_a_decision_can_require_a_plan_review(cast: Cast) -> None:
    conference = _meeting(cast)
    meetings.decide(
        conference.items.get(),
        meetings.DecisionInput("Review the plan", "New contact reported", triggers_plan_review=True),
        by=cast.police_liaison,
    )
    due = ReviewDue.objects.get(case=cast.case, reason="conference", done_at__isnull=True)
    with translation.override(
        "de"
    ):  # the conference is named in the reader's language, its decision as written
        assert (
            str(due.note)
            == f"Fallkonferenz vom {date_format(conference.held_on, 'SHORT_DATE_FORMAT')}: Review the plan"
        )
    event = OutboxEvent.objects.get(type="conference.decision_recorded")
    assert event.data["summary"].startswith("Case conference of ")  # partner systems read English


def test_each_attendee_sees_each_case_only_as_the_gate_allows(cast: Cast) -> None:
    other = open_test_case(cast.police_liaison, cast.police, "Bo", "Sample")
    conference = _meeting(cast)
    meetings.add_case(conference, other, by=cast.police_liaison)
    item = conference.items.get(case=other)
    meetings.set_briefing(
        item, by=cast.police_liaison, text="Discussed for the housing panel only", categories=["general"]
    )
    page = cast.client_for(cast.mentor).get(reverse("conferences:detail", args=[conference.pk])).text
    assert f'href="{reverse("cases:detail", args=[cast.case.pk])}"' in page  # on the mentor's team
    assert f'href="{reverse("cases:detail", args=[other.pk])}"' not in page and "Bo Sample" not in page
    assert "Discussed for the housing panel only" in page
    assert AuditEvent.objects.filter(operation="disclosure", case_id=other.pk).exists()  # the briefing
    assert (
        cast.client_for(cast.stranger).get(reverse("conferences:detail", args=[conference.pk])).status_code
        == 404
    )


def test_the_meeting_page_refuses_bad_input_next_to_the_field_keeping_what_was_typed(cast: Cast) -> None:
    conference = _meeting(cast)
    item = conference.items.get()
    client = cast.client_for(cast.police_liaison)
    action = reverse("conferences:record_action", args=[conference.pk, item.pk])
    refused = client.post(action, {"description": "Visit the new address", "due_on": "2026-02-30"})
    assert refused.status_code == 400
    page = refused.text
    assert "There is a problem" in page and "Enter the deadline as a real date" in page
    assert f'id="action-{item.pk}-due_on-error"' in page  # next to its field
    assert 'value="Visit the new address"' in page  # what was typed is kept
    assert not item.actions.exists()
    missing = client.post(action, {"description": "Visit"})
    assert missing.status_code == 400 and "Every action needs an owner and a deadline" in missing.text
    approve = reverse("conferences:approve_minutes", args=[conference.pk])
    confirm = client.get(approve).text  # approving locks the minutes: a confirmation page first
    assert "Approve and lock the minutes?" in confirm
    assert f"Nothing is written about {cast.case.reference}." in confirm
    empty = client.post(approve)
    assert (
        empty.status_code == 400 and f"Write what was discussed on {cast.case.reference} first" in empty.text
    )
    assert client.post(approve, {"nothing_discussed": "on"}).status_code == 302
    again = client.post(approve, {"nothing_discussed": "on"})
    assert again.status_code == 400 and "The minutes are approved already." in again.text
    nul = client.post(
        reverse("conferences:record_decision", args=[conference.pk, item.pk]),
        {"decision": "Approve\x00d", "rationale": "x" * 20_000},
    )
    assert nul.status_code == 400 and "Null characters are not allowed." in nul.text
    assert (
        client.post(reverse("conferences:record_decision", args=[conference.pk, 999999])).status_code == 404
    )
    other = meetings.schedule(by=cast.police_liaison, kind="case", held_on=timezone.localdate())
    assert (  # an agenda item of another meeting is not found through this one
        client.post(reverse("conferences:write_minutes", args=[other.pk, item.pk])).status_code == 404
    )


def test_quorum_rules_are_data(cast: Cast) -> None:
    from throughcare.conferences.models import QuorumRule

    QuorumRule.objects.filter(kind="case").update(min_agencies=4, required_kinds=[])
    council = make_agency("Council", AgencyKind.MUNICIPALITY)
    make_user("council.worker", council)
    conference = _meeting(cast)
    assert not meetings.quorum(conference).met
    assert "at least 4 agencies must be present" in meetings.quorum(conference).message


def test_a_cleared_attendee_writes_the_restricted_section_and_nobody_else(cast: Cast) -> None:
    conference = meetings.schedule(by=cast.lead, kind="case", held_on=timezone.localdate())
    item = meetings.add_case(conference, cast.case, by=cast.lead)
    meetings.invite(conference, by=cast.lead, agency=cast.police, user=cast.police_liaison)
    meetings.invite(conference, by=cast.lead, agency=cast.ngo, user=cast.mentor)
    with pytest.raises(ActionRefused, match="Only a cleared attendee"):
        meetings.write_restricted(
            item, by=cast.mentor, restricted=SECRET, expected_version=conference.version
        )
    meetings.write_restricted(
        item, by=cast.police_liaison, restricted=SECRET, expected_version=conference.version
    )
    item.refresh_from_db()
    assert item.restricted == SECRET
    lead_page = cast.client_for(cast.lead).get(reverse("conferences:detail", args=[conference.pk])).text
    assert SECRET not in lead_page  # the chair is not cleared: the section exists, unseen


def test_a_terrorism_case_under_supervision_needs_its_case_conferences(cast: Cast) -> None:
    from throughcare.custody.models import Offence, Sentence
    from throughcare.jurisdictions.models import JurisdictionProfile

    today = timezone.localdate()
    Sentence.objects.create(
        case=cast.case,
        profile=JurisdictionProfile.default(),
        sentence_type="determinate",
        sentence_start=today - timedelta(days=1000),
        conditional_release=today - timedelta(days=250),
        licence_end=today + timedelta(days=350),
    )
    Offence.objects.create(case=cast.case, description="Preparing acts", terrorism_offence=True)

    def due() -> list[str]:
        return [str(i.text) for i in needs_attention(cast.lead, today) if "supervision period" in str(i.text)]

    assert due() == ["Case conference 1 of 2 in this supervision period"]  # due 1/3 through: passed
    assert [i.overdue for i in needs_attention(cast.lead, today) if "supervision period" in str(i.text)] == [
        True
    ]
    _meeting(cast)  # held today
    assert due() == []  # the second falls due 2/3 through the licence, more than a month away
    Sentence.objects.filter(case=cast.case).update(licence_end=today + timedelta(days=30))
    assert due() == ["Case conference 2 of 2 in this supervision period"]  # the licence ends soon
    assert not any(
        "supervision period" in str(i.text) for i in needs_attention(cast.mentor, today)
    )  # the lead's


def test_requests_are_made_and_decided_through_forms_one_url_per_verb(cast: Cast) -> None:
    client = cast.client_for(cast.lead)
    make = reverse("conferences:make_request", args=[cast.case.pk])
    refused = client.post(make, {"kind": "travel", "details": "", "starts_on": "tomorrow"})
    assert refused.status_code == 400 and not RiskRequest.objects.exists()
    assert 'id="id_details-error"' in refused.text and "Enter the start date as a real date" in refused.text
    assert 'value="travel" selected' in refused.text  # what was chosen is kept
    client.post(make, {"kind": "travel", "details": "A week with his sister abroad"})
    travel = RiskRequest.objects.get()
    Membership.objects.filter(user=cast.lead).update(may_decide_requests=True)
    decide = reverse("conferences:decide_request", args=[cast.case.pk, travel.pk])
    prefix = f"decide-{travel.pk}"
    no_reason = client.post(decide, {f"{prefix}-outcome": "refused", f"{prefix}-rationale": ""})
    assert no_reason.status_code == 400 and f'id="id_{prefix}-rationale-error"' in no_reason.text
    client.post(decide, {f"{prefix}-outcome": "refused", f"{prefix}-rationale": "Exclusion zone"})
    travel.refresh_from_db()
    assert travel.outcome == "refused"
    assert client.post(reverse("conferences:requests", args=[cast.case.pk]), {}).status_code == 405


def test_a_conference_is_listed_once_however_many_ways_the_user_is_in_it(cast: Cast) -> None:
    """The lead is invited by name, their agency is invited as a whole, and they attend: one row on the
    conferences page, not one per way in."""
    conference = _meeting(cast)
    meetings.invite(conference, by=cast.police_liaison, agency=cast.probation)
    client = cast.client_for(cast.lead)
    page = client.get(reverse("conferences:list")).text
    assert page.count(reverse("conferences:detail", args=[conference.pk])) == 1
    assert list(conferences_for(cast.lead)) == [conference]


def test_needs_attention_names_a_conference_and_an_action_once_however_many_ways_in(cast: Cast) -> None:
    """A manager whose agency is invited twice (as a whole and by a worker's name) and who is invited by
    name sees the conference once; an action owed by a worker of two agencies they manage, once."""
    manager = cast.manager
    Membership.objects.create(user=manager, agency=cast.police, role="manager")
    Membership.objects.filter(user=cast.police_liaison).update(may_chair_conferences=True)
    conference = meetings.schedule(
        by=cast.police_liaison, kind="case", held_on=timezone.localdate() + timedelta(days=3)
    )
    item = meetings.add_case(conference, cast.case, by=cast.police_liaison)
    meetings.invite(conference, by=cast.police_liaison, agency=cast.probation)
    meetings.invite(conference, by=cast.police_liaison, agency=cast.police)
    meetings.invite(conference, by=cast.police_liaison, agency=cast.probation, user=manager)
    worker = make_user("two.agencies", cast.probation)
    Membership.objects.create(user=worker, agency=cast.police, role="practitioner")
    ActionItem.objects.create(
        item=item, description="Check the address", owner=worker, due_on=timezone.localdate()
    )
    texts = [str(i.text) for i in needs_attention(manager, timezone.localdate(), scope="agency")]
    assert sum("Case conference: invited by" in t for t in texts) == 1
    assert texts.count("Conference action: Check the address") == 1


def test_the_meeting_page_reads_an_agenda_of_any_length_in_the_same_number_of_queries(cast: Cast) -> None:
    """Each case on the agenda is shown as far as the reader's standing on it goes, each briefing as far as
    consent lets it reach the reader's agency: decided for all the cases together, not case by case (an
    agenda of 15 cases was 60 queries more than one of none)."""
    conference = _meeting(cast)
    police_cases = [open_test_case(cast.police_liaison, cast.police, "Bo", f"Other{n}") for n in range(4)]
    meetings.add_case(conference, police_cases[0], by=cast.police_liaison)
    client = cast.client_for(cast.lead)
    url = reverse("conferences:detail", args=[conference.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as two:
        short = client.get(url).text
    for case in police_cases[1:]:
        meetings.add_case(conference, case, by=cast.police_liaison)
    with CaptureQueriesContext(connection) as five:
        long = client.get(url).text
    assert f"{cast.case.reference} — Ada Example" in short  # the lead's own case, named
    for case in police_cases:  # the police's cases, not shared with the lead: listed by reference alone
        assert case.reference in long
        assert f"{case.reference} — Bo" not in long
    assert len(five.captured_queries) == len(two.captured_queries)


def test_the_people_offered_are_the_invited_agencies_workers_the_teams_and_the_chair_each_once(
    cast: Cast,
) -> None:
    conference = _meeting(cast)  # probation and the NGO invited; the prison offender manager on the team
    second = open_test_case(cast.lead, cast.probation, "Cy", "Second")  # the lead on two agenda cases
    join_team(second, cast.police_liaison, cast.police, "CT liaison")
    meetings.add_case(conference, second, by=cast.police_liaison)
    page = cast.client_for(cast.police_liaison).get(reverse("conferences:detail", args=[conference.pk])).text
    select = re.search(r'<select[^>]*id="invite-user".*?</select>', page, re.S)
    assert select is not None
    offered = [int(pk) for pk in re.findall(r'<option value="(\d+)"', select.group(0))]
    expected = [cast.lead, cast.stranger, cast.mentor, cast.prison_manager, cast.police_liaison]
    for user in expected:
        assert offered.count(user.pk) == 1, user
    assert cast.police_outsider.pk not in offered  # police not invited, not on the team, not chairing


def test_the_conferences_a_case_was_on_are_listed_only_to_those_who_hold_its_general_record(
    cast: Cast,
) -> None:
    """An agenda item is general information about the case: a reader given the case's risk record alone
    (an agreement naming risk only) reads its requests, not which conferences discussed it."""
    conference = _meeting(cast)
    sharing.grant_agreement(
        cast.case,
        sharing.AgreementRequest(
            recipient_agency=cast.police,
            recipient_user=cast.police_outsider,
            categories=["risk"],
            purpose="travel risk assessment",
            legal_basis="statutory_duty",
            valid_from=timezone.now(),
            valid_until=None,
        ),
        by=cast.lead,
    )
    url = reverse("conferences:requests", args=[cast.case.pk])
    outsider = cast.client_for(cast.police_outsider).get(url)
    assert outsider.status_code == 200
    assert str(conference) not in outsider.text
    assert str(conference) in cast.client_for(cast.lead).get(url).text


def test_beyond_a_list_length_the_meeting_asks_for_a_name_or_a_reference_and_checks_it(
    cast: Cast, settings: Any
) -> None:
    """A national panel invites agencies of hundreds of workers: the owner of an action, a person to invite
    and a case to add are then typed (a username or a name, a reference), not chosen from a list of all.
    What is typed is checked against the same people and cases a list would offer."""
    settings.LONGEST_CHOICE_LIST = 2
    conference = _meeting(cast)
    chair = cast.client_for(cast.police_liaison)
    url = reverse("conferences:detail", args=[conference.pk])
    page = chair.get(url).text
    assert not re.search(r'<select[^>]*name="owner"', page) and not re.search(
        r'<select[^>]*name="user"', page
    )
    assert re.search(r'<input[^>]*name="owner"', page) and re.search(r'<input[^>]*name="user"', page)
    assert "Too many people to list" in page
    item = conference.items.get()
    action = reverse("conferences:record_action", args=[conference.pk, item.pk])
    due = (timezone.localdate() + timedelta(days=7)).isoformat()

    def record(owner: str) -> Any:
        return chair.post(action, {"description": "Check the address", "owner": owner, "due_on": due})

    for nasty in ("\x00", "é" * 400, "1 OR 1=1", "%", "_"):  # refused next to the field, never a 500
        assert record(nasty).status_code == 400, nasty
    unknown = record("Nobody Known")
    assert unknown.status_code == 400
    assert "Nothing offered here matches that" in unknown.text and "Nobody Known" in unknown.text
    outsider = record(cast.police_outsider.username)  # exists, but neither invited nor on a team
    assert outsider.status_code == 400 and "Nothing offered here matches that" in outsider.text
    assert record(cast.mentor.first_name).status_code == 400  # one word is a family name: no one's
    assert record(f"{cast.mentor.first_name} {cast.mentor.last_name}").status_code == 302
    assert ActionItem.objects.get(item=item).owner == cast.mentor
    twin = make_user(f"{cast.mentor.first_name.lower()}.{cast.mentor.last_name.lower()}2", cast.probation)
    twin.first_name, twin.last_name = cast.mentor.first_name, cast.mentor.last_name
    twin.save()
    several = record(f"{cast.mentor.first_name} {cast.mentor.last_name}")
    assert several.status_code == 400 and "More than one match that" in several.text
    assert record(twin.username.upper()).status_code == 302  # a username settles it
    assert ActionItem.objects.filter(item=item, owner=twin).exists()
    # Cases: the chair's open cases beyond the list are added by reference, their own only.
    mine = [open_test_case(cast.police_liaison, cast.police, "Bo", f"Other{n}") for n in range(3)]
    assert not re.search(r'<select[^>]*name="case"', chair.get(url).text)
    add = reverse("conferences:add_to_agenda", args=[conference.pk])
    hidden = open_test_case(cast.stranger, cast.probation, "Di", "Unseen")
    refused = chair.post(add, {"case": hidden.reference})
    assert refused.status_code == 400 and "Nothing offered here matches that" in refused.text
    assert chair.post(add, {"case": mine[2].reference.lower()}).status_code == 302
    assert conference.items.filter(case=mine[2]).exists()
