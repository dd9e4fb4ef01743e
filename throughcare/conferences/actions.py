"""Recording conferences: decisions with their rationale, and actions with owners and deadlines."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from throughcare.accounts.models import Agency, User
from throughcare.audit.log import record
from throughcare.audit.models import Operation
from throughcare.cases.actions import record_on_timeline
from throughcare.cases.events import ReleaseConferenceRecorded
from throughcare.cases.models import Case, DataCategory, TimelineEntry
from throughcare.conferences.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Conference,
    ConferenceKind,
    Decision,
)
from throughcare.lib.errors import ActionRefused
from throughcare.lib.events import emit
from throughcare.lib.wording import sentences, worded
from throughcare.sharing.access import writer_agency


@dataclass(frozen=True)
class DecisionInput:
    decision: str
    rationale: str
    decided_by: User | None


@dataclass(frozen=True)
class ActionInput:
    description: str
    owner: User | None
    due_on: date | None


@dataclass(frozen=True)
class ReleaseConferenceInput:
    held_on: date
    chair: User
    present: list[Agency]
    apologies: list[Agency] = field(default_factory=list)
    shared: str = ""
    decisions: list[DecisionInput] = field(default_factory=list)
    actions: list[ActionInput] = field(default_factory=list)


def record_release_conference(case: Case, data: ReleaseConferenceInput, *, by: User) -> Conference:
    agency = _team_agency(by, case)
    _check(data)
    with transaction.atomic():
        conference = Conference.objects.create(
            kind=ConferenceKind.RELEASE,
            held_on=data.held_on,
            chair=data.chair,
            created_by=by,
            status=Conference.Status.HELD,
        )
        item = AgendaItem.objects.create(conference=conference, case=case, shared=data.shared.strip())
        Attendance.objects.bulk_create(
            [
                Attendance(conference=conference, agency=a, status=Attendance.Status.PRESENT)
                for a in data.present
            ]
            + [
                Attendance(conference=conference, agency=a, status=Attendance.Status.APOLOGIES)
                for a in data.apologies
                if a not in data.present
            ]
        )
        Decision.objects.bulk_create(
            Decision(
                item=item,
                decision=d.decision.strip(),
                rationale=d.rationale.strip(),
                decided_by=d.decided_by or data.chair,
            )
            for d in data.decisions
        )
        ActionItem.objects.bulk_create(
            ActionItem(item=item, description=a.description.strip(), owner=a.owner, due_on=a.due_on)
            for a in data.actions
            if a.owner and a.due_on
        )
        _on_timeline(case, conference, data, by, agency)
        record(
            Operation.COLLECTION,
            conference,
            by=by,
            agency=agency,
            case_id=case.pk,
            justification="release conference recorded",
            details={"decisions": len(data.decisions), "actions": len(data.actions)},
        )
        emit(
            ReleaseConferenceRecorded(
                case_id=case.pk,
                by_id=by.pk,
                at=timezone.now(),
                conference_id=conference.pk,
                label=conference.wording,
            )
        )
    return conference


def _check(data: ReleaseConferenceInput) -> None:
    if data.held_on > timezone.localdate():
        raise ActionRefused(
            gettext("Record a conference once it has been held: the date cannot be in the future"),
            field="held_on",
        )
    if not data.present:
        raise ActionRefused(gettext("Say which agencies attended"), field="present")
    if not data.decisions:
        raise ActionRefused(
            gettext("Record at least one decision: a conference is for deciding"), field="decision"
        )
    for decision in data.decisions:
        if not decision.decision.strip() or not decision.rationale.strip():
            raise ActionRefused(gettext("Every decision needs its rationale"), field="rationale")
    for action in data.actions:
        if action.description.strip() and (action.owner is None or action.due_on is None):
            raise ActionRefused(gettext("Every action needs an owner and a deadline"), field="action_owner")


def _on_timeline(
    case: Case, conference: Conference, data: ReleaseConferenceInput, by: User, agency: Agency
) -> None:
    decisions = [
        worded(
            "Decision: %(decision)s (because %(rationale)s).",
            decision=d.decision.strip(),
            rationale=d.rationale.strip(),
        )
        for d in data.decisions
    ]
    actions = [
        worded(
            "Action: %(action)s — %(person)s, by %(date)s.",
            action=a.description.strip(),
            person=str(a.owner),
            date=a.due_on,
        )
        for a in data.actions
        if a.owner and a.due_on
    ]
    text = worded(
        "Release conference held on %(date)s, chaired by %(chair)s. Present: %(present)s. %(outcome)s",
        date=data.held_on,
        chair=str(data.chair),
        present=[a.label for a in data.present],
        outcome=sentences(decisions + actions),
    )
    record_on_timeline(
        case,
        TimelineEntry.Kind.RECORD_CHANGE,
        text,
        by,
        agency,
        category=DataCategory.RISK,
    )


HELD_STATUSES = [Conference.Status.HELD, Conference.Status.APPROVED]


def release_conference_held(case: Case) -> bool:
    return AgendaItem.objects.filter(
        case=case, conference__kind=ConferenceKind.RELEASE, conference__status__in=HELD_STATUSES
    ).exists()


def _team_agency(user: User, case: Case) -> Agency:
    return writer_agency(user, case, DataCategory.RISK, doing="record a conference on this case")
