"""The demo world's conferences: a case conference held forty days ago, its minutes approved and
circulated (a restricted section among them), its decisions and actions — one done, one overdue and
escalated — an upcoming panel review others are invited to, last quarter's panel review, release conferences
held before the releases the release-conference profile requires them for, and a travel request on Nourdin
Yilmazer's case waiting for a decision, ready for `panel.chair` to put on a new conference.

Written through the same actions users call, each on the day it happened.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from throughcare.cases.models import Case, CaseTeamMember, Phase
from throughcare.conferences import meetings
from throughcare.conferences.actions import DecisionInput, ReleaseConferenceInput, record_release_conference
from throughcare.conferences.models import AgendaItem, Conference
from throughcare.custody.models import Sentence
from throughcare.demo.story import Thread, fresh, released_at

if TYPE_CHECKING:
    from throughcare.demo.world import WorldBuilder


def quorum_rules(world: WorldBuilder) -> None:
    """Reference data: which agencies make a conference quorate."""
    meetings.ensure_default_quorum()


class ConferenceWriter:
    def __init__(self, world: WorldBuilder) -> None:
        self.world = world
        self.u = world.users
        self.a = world.agencies
        self.today = world.today
        self.ago = world.ago

    def write(self) -> None:
        story = self.world.story
        showcase = self.world.showcase
        other = self._other_case(showcase)
        story.add(self._past_conference(showcase, other))
        story.add(self._upcoming_review(other))
        story.add(self._quarterly_panel())
        story.at(self.ago(4, 14), lambda: self._travel_request(showcase))
        for case in Case.objects.filter(phase__in=[Phase.COMMUNITY, Phase.REINTEGRATION, Phase.CLOSED]):
            profile = self.world.profiles.get(case.pk)
            if profile is not None and profile.release_conference != "none":  # a release conference
                story.add(self._release_conference(case))

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

    def _past_conference(self, showcase: Case, other: Case) -> Thread:
        """Held forty days ago, some months into the showcase's licence."""
        chair, officer, police = self.u["panel.chair"], self.u["probation.officer"], self.u["ct.police"]
        held = self.today - timedelta(days=40)
        released = released_at(showcase)
        assert released is not None and released.date() < held, "the showcase was released before it"
        months = (held - released.date()).days // 30
        yield self.ago(54, 9, 30)
        conference = meetings.schedule(by=chair, kind="case", held_on=held, place="City Hall, room 4")
        first = meetings.add_case(conference, fresh(showcase), by=chair)
        second = meetings.add_case(conference, fresh(other), by=chair)
        for user, agency in [(officer, "probation"), (police, "police")]:
            meetings.invite(conference, by=chair, agency=self.a[agency], user=user)
        yield self.ago(43, 16)
        meetings.set_briefing(
            first,
            by=chair,
            text=f"{_count(months)} into licence; works at the bakery; his sister's support is strong.",
            categories=["risk"],
        )
        yield self.ago(42, 9)
        # Invited after the briefing: the mentor receives it only while the person's consent to share
        # risk information with Turning Point is in force.
        meetings.invite(conference, by=chair, agency=self.a["exit_ngo"], user=self.u["ngo.mentor"])
        yield self.ago(40, 10)
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
        yield self.ago(40, 12)
        self._minutes(conference, first, second)
        yield self.ago(38, 15)
        meetings.approve_minutes(conference, by=chair)
        meetings.circulate(conference, by=chair)
        yield self.ago(35, 11)
        done = first.actions.get()
        meetings.complete_action(done, by=officer, note="Sent")

    def _minutes(self, conference: Conference, first: AgendaItem, second: AgendaItem) -> None:
        chair, officer, police = self.u["panel.chair"], self.u["probation.officer"], self.u["ct.police"]
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
            restricted="A partner service placed him near two members of the old network last month.",
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
        meetings.add_action(
            first,
            by=chair,
            description="Send the updated exclusion-zone map to the mentor",
            owner=officer,
            due_on=timezone.localdate() + timedelta(days=7),
        )
        meetings.add_action(
            second,
            by=chair,
            description="Confirm the new employer's address with the police",
            owner=police,
            due_on=timezone.localdate() + timedelta(days=10),
        )
        meetings.decide(
            second,
            meetings.DecisionInput(
                "Support the move to the new job", "Stable work is his strongest protective factor"
            ),
            by=chair,
        )

    def _upcoming_review(self, case: Case) -> Thread:
        chair = self.u["panel.chair"]
        yield self.ago(6, 10)
        review = meetings.schedule(
            by=chair,
            kind="panel_2",
            held_on=self.today + timedelta(days=10),
            place="Probation office, Westmark",
        )
        meetings.add_case(review, fresh(case), by=chair)
        meetings.invite(review, by=chair, agency=self.a["probation"], user=self.u["probation.officer"])
        meetings.invite(review, by=chair, agency=self.a["police"])

    def _quarterly_panel(self) -> Thread:
        """Last quarter's panel review of the terrorism cases under supervision, chaired by the probation
        manager: each had its first case conference of the supervision period there."""
        chair = self.u["probation.manager"]
        held = self.today - timedelta(days=75)
        yield self.ago(96, 10)
        sentences = Sentence.objects.filter(case__phase=Phase.COMMUNITY).select_related("case")
        cases = [s.case for s in sentences if s.is_terrorism and s.release_date and s.release_date < held]
        if not cases:
            return
        panel = meetings.schedule(by=chair, kind="panel_2", held_on=held, place="Probation office, Westmark")
        for case in cases:
            meetings.add_case(panel, case, by=chair)
        yield self.ago(75, 10)
        meetings.record_attendance(
            panel,
            by=chair,
            entries=[
                (self.a["probation"], chair, "present"),
                (self.a["police"], self.u["ct.police2"], "present"),
                (self.a["municipality"], self.u["council.coordinator"], "present"),
            ],
        )
        for item in panel.items.all():
            meetings.decide(
                item,
                meetings.DecisionInput("Continue the current plan", "Reviewed at the quarterly panel"),
                by=chair,
            )
        yield self.ago(74, 16)
        meetings.approve_minutes(panel, by=chair)

    def _travel_request(self, case: Case) -> None:
        meetings.make_request(
            fresh(case),
            by=self.u["probation.officer"],
            kind="travel",
            details="To his sister's wedding in Port Aldene, 14–16 of next month, staying with her family",
            starts_on=self.today + timedelta(days=20),
            ends_on=self.today + timedelta(days=22),
        )

    def _release_conference(self, case: Case) -> Thread:
        """The profile's multi-agency conference, a fortnight before the release it allowed."""
        released = released_at(case)
        assert released is not None
        recorder = self.world.member(case, "probation")
        yield released - timedelta(days=14)
        record_release_conference(
            fresh(case),
            ReleaseConferenceInput(
                held_on=timezone.localdate(),
                chair=self.u["panel.chair"],
                present=[self.a["prison"], self.a["probation"], self.a["police"]],
                decisions=[
                    DecisionInput(
                        "Release on the conditions recommended by probation, with two case conferences "
                        "during supervision",
                        "Stable address and work; contact with the old group remains the main risk.",
                        self.u["panel.chair"],
                    )
                ],
            ),
            by=recorder.user,
        )


def _count(months: int) -> str:
    words = ["Less than a month", "One month", "Two months", "Three months", "Four months", "Five months"]
    return words[months] if months < len(words) else f"{months} months"
