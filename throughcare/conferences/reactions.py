"""How the conferences take part in the whole: their reactions to other capabilities' events, their Needs
attention items and their daily job (all registered in `ConferencesConfig.ready`)."""

from __future__ import annotations

from django.utils.translation import gettext

from throughcare.cases.events import CaseReleased
from throughcare.cases.facts import sentence_facts
from throughcare.cases.models import Case
from throughcare.conferences import attention
from throughcare.conferences.actions import release_conference_held
from throughcare.conferences.meetings import escalate_overdue_actions
from throughcare.lib.daily import DailyJob, register_daily
from throughcare.lib.errors import ActionRefused
from throughcare.lib.events import subscribe


def refuse_release_without_conference(event: CaseReleased) -> None:
    """A release the jurisdiction says needs a release conference is refused until one is recorded, unless
    a manager overrode it with a reason (then the event says so)."""
    if event.release_conference_overridden:
        return
    case = Case.objects.get(pk=event.case_id)
    profile = sentence_facts().release_conference_required_by(case)
    if profile and not release_conference_held(case):
        raise ActionRefused(
            gettext(
                "A release conference is required before this release (%(profile)s). "
                "Record it first; a manager may release without it by giving a reason."
            )
            % {"profile": profile},
            field="to_phase",
        )


def register() -> None:
    attention.contribute()
    register_daily(
        "conferences.actions",
        DailyJob(70, "Overdue conference actions escalated to managers: {count}.", escalate_overdue_actions),
    )
    subscribe(CaseReleased, refuse_release_without_conference)
