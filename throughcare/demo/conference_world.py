"""The demo world's conferences: a case conference held last month with its approved, circulated minutes
(a restricted section among them), decisions and actions — one done, one overdue and escalated — an
upcoming panel review others are invited to, and a travel request on Ruben Petrescu's case waiting for a
decision, ready for `panel.chair` to put on a new conference.

Written through the same actions users call, then moved back in time where a meeting happened earlier.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from throughcare.cases.models import Case, CaseTeamMember, Phase
from throughcare.conferences import meetings
from throughcare.conferences.models import ActionItem, Conference
from throughcare.custody.models import Sentence
from throughcare.sharing.models import IntelligenceFlag

if TYPE_CHECKING:
    from throughcare.demo.world import WorldBuilder


class ConferenceWriter:
    def __init__(self, world: WorldBuilder) -> None:
        self.world = world
        self.u = world.users
        self.a = world.agencies
        self.today = timezone.localdate(world.now)
        # Meetings are scheduled for a real day (never the past); then moved to the demo's own calendar.
        self.bookable = max(self.today, timezone.localdate())

    def write(self) -> None:
        meetings.ensure_default_quorum()
        showcase = IntelligenceFlag.objects.get().case
        other = self._other_case(showcase)
        self._past_conference(showcase, other)
        self._upcoming_review(other)
        quarterly_panel(self)
        meetings.make_request(
            showcase,
            by=self.u["probation.officer"],
            kind="travel",
            details="To his sister's wedding in Port Aldene, 14–16 of next month, staying with her family",
            starts_on=self.today + timedelta(days=20),
            ends_on=self.today + timedelta(days=22),
        )

    def _other_case(self, showcase: Case) -> Case:
        """A second community case the panel chair and the probation officer both work on."""
        chair_cases = CaseTeamMember.objects.active().filter(user=self.u["panel.chair"]).values("case")
        officer_cases = (
            CaseTeamMember.objects.active().filter(user=self.u["probation.officer"]).values("case")
        )
        case = (
            Case.objects.filter(pk__in=chair_cases, phase=Phase.COMMUNITY)
            .filter(pk__in=officer_cases)
            .exclude(pk=showcase.pk)
            .order_by("reference")
            .first()
        )
        assert case is not None
        return case

    def _past_conference(self, showcase: Case, other: Case) -> None:
        chair, officer, police = self.u["panel.chair"], self.u["probation.officer"], self.u["ct.police"]
        conference = meetings.schedule(
            by=chair, kind="case", held_on=self.bookable, place="City Hall, room 4"
        )
        first = meetings.add_case(conference, showcase, by=chair)
        second = meetings.add_case(conference, other, by=chair)
        for user, agency in [(officer, "probation"), (police, "police")]:
            meetings.invite(conference, by=chair, agency=self.a[agency], user=user)
        meetings.set_briefing(
            first,
            by=chair,
            text="Six months into licence; works at the bakery; sister's support is strong.",
            categories=["risk"],
        )
        # Invited after the briefing: the mentor receives it only while the person's consent to share
        # risk information with Turning Point is in force.
        meetings.invite(conference, by=chair, agency=self.a["exit_ngo"], user=self.u["ngo.mentor"])
        meetings.record_attendance(
            conference,
            by=chair,
            entries=[
                (self.a["municipality"], chair, "present"),
                (self.a["probation"], officer, "present"),
                (self.a["police"], police, "present"),
                (self.a["exit_ngo"], self.u["ngo.mentor"], "apologies"),
            ],
        )
        conference.refresh_from_db()
        meetings.write_minutes(
            first,
            by=chair,
            discussion="Keeps every appointment; the mentor reports open talk about his old friends.",
            restricted="",
            expected_version=conference.version,
        )
        conference.refresh_from_db()
        meetings.write_restricted(
            first,
            by=police,
            restricted="A partner service placed him near two members of the old network in September.",
            expected_version=conference.version,
        )
        meetings.decide(
            first,
            meetings.DecisionInput(
                "Keep weekly supervision; mentor sessions continue",
                "Steady progress; the contact reported by the partner service is to be watched",
                triggers_plan_review=False,
            ),
            by=chair,
        )
        done = meetings.add_action(
            first,
            by=chair,
            description="Send the updated exclusion-zone map to the mentor",
            owner=officer,
            due_on=self.today + timedelta(days=7),
        )
        meetings.complete_action(done, by=officer, note="Sent")
        meetings.add_action(
            second,
            by=chair,
            description="Confirm the new employer's address with the police",
            owner=police,
            due_on=self.today + timedelta(days=10),
        )
        meetings.decide(
            second,
            meetings.DecisionInput(
                "Support the move to the new job", "Stable work is his strongest protective factor"
            ),
            by=chair,
        )
        meetings.approve_minutes(conference, by=chair)
        meetings.circulate(conference, by=chair)
        self._back_in_time(conference, days=40)

    def _back_in_time(self, conference: Conference, *, days: int) -> None:
        """The meeting was held `days` ago; its actions fell due accordingly (one is now overdue)."""
        held = self.today - timedelta(days=days)
        Conference.objects.filter(pk=conference.pk).update(held_on=held)
        for action in ActionItem.objects.filter(item__conference=conference):
            ActionItem.objects.filter(pk=action.pk).update(due_on=action.due_on - timedelta(days=days))
        meetings.escalate_overdue_actions(self.today)

    def _upcoming_review(self, case: Case) -> None:
        chair = self.u["panel.chair"]
        review = meetings.schedule(
            by=chair,
            kind="panel_2",
            held_on=self.bookable + timedelta(days=10),
            place="Probation office, Westmark",
        )
        Conference.objects.filter(pk=review.pk).update(held_on=self.today + timedelta(days=10))
        meetings.add_case(review, case, by=chair)
        meetings.invite(review, by=chair, agency=self.a["probation"], user=self.u["probation.officer"])
        meetings.invite(review, by=chair, agency=self.a["police"])


def quarterly_panel(writer: ConferenceWriter) -> None:
    """Last quarter's panel review of the terrorism cases under supervision, chaired by the probation
    manager: each had its first case conference of the supervision period there."""

    chair = writer.u["probation.manager"]
    held = writer.today - timedelta(days=75)
    sentences = Sentence.objects.filter(case__phase=Phase.COMMUNITY).select_related("case")
    cases = [s.case for s in sentences if s.is_terrorism and s.release_date and s.release_date < held]
    if not cases:
        return
    panel = meetings.schedule(
        by=chair, kind="panel_2", held_on=writer.bookable, place="Probation office, Westmark"
    )
    for case in cases:
        meetings.add_case(panel, case, by=chair)
    meetings.record_attendance(
        panel,
        by=chair,
        entries=[
            (writer.a["probation"], chair, "present"),
            (writer.a["police"], writer.u["ct.police2"], "present"),
            (writer.a["municipality"], writer.u["council.coordinator"], "present"),
        ],
    )
    for item in panel.items.all():
        meetings.decide(
            item,
            meetings.DecisionInput("Continue the current plan", "Reviewed at the quarterly panel"),
            by=chair,
        )
    meetings.approve_minutes(panel, by=chair)
    Conference.objects.filter(pk=panel.pk).update(held_on=held)
