"""How custody takes part in the whole: its reactions to other capabilities' events, its Needs attention
items and its daily jobs (all registered in `CustodyConfig.ready`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from throughcare.accounts.models import User
from throughcare.cases.events import CasePhaseChanged, CaseReleased, ReleaseConferenceRecorded
from throughcare.cases.models import Case, Phase
from throughcare.custody import attention
from throughcare.custody.actions import recompute
from throughcare.custody.handover import escalate_overdue, escalate_overdue_requirement_dues
from throughcare.custody.models import HandoverItem, HandoverState, Offence, Sentence
from throughcare.custody.notification_requirements import start_requirement
from throughcare.lib.daily import DailyJob, register_daily
from throughcare.lib.events import subscribe
from throughcare.lib.wording import worded


def recompute_on_phase_change(event: CasePhaseChanged) -> None:
    """Release (or recall) changes who is responsible: recompute at once rather than at the nightly run."""
    sentence = Sentence.objects.filter(case_id=event.case_id).select_related("profile", "case").first()
    if sentence is not None:
        by = User.objects.get(pk=event.by_id) if event.by_id else None
        recompute(sentence, timezone.localdate(event.at), by=by)


def start_notification_requirement(event: CaseReleased) -> None:
    """A terrorist offender released: the notification requirement starts (if the profile asks for one)."""
    if event.by_id is not None:
        by = User.objects.get(pk=event.by_id)
        start_requirement(Case.objects.get(pk=event.case_id), event.released_on, by=by)


def tick_release_conference(event: ReleaseConferenceRecorded) -> None:
    """The enhanced handover checklist asks for the release conference: recording it ticks that item."""
    HandoverItem.objects.filter(
        handover__case_id=event.case_id,
        handover__state__in=[HandoverState.CREATED, HandoverState.ACCEPTED],
        code="release-conference",
        done_at__isnull=True,
    ).update(
        done_at=event.at,
        done_by_id=event.by_id,
        note=worded("%(conference)s recorded", conference=event.label),
    )


class CustodyFacts:
    """Custody's answers to `throughcare.cases.facts.SentenceFacts`."""

    def is_terrorism_case(self, case: Case) -> bool:
        return Offence.objects.filter(
            Q(terrorism_offence=True) | Q(terrorist_connection=True), case=case
        ).exists()

    def release_date(self, case: Case) -> date | None:
        sentence = Sentence.objects.filter(case=case).first()
        return sentence.release_date if sentence else None

    def release_conference_required_by(self, case: Case) -> str:
        sentence = Sentence.objects.filter(case=case).select_related("profile").first()
        if sentence is None or not sentence.profile.requires_release_conference(sentence):
            return ""
        name: str = sentence.profile.name
        return name

    def sentences_for_statistics(self, user: User, case_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
        sentences = Sentence.objects.for_statistics(user).filter(case__in=list(case_ids))
        rows = sentences.values_list(
            "case_id", "profile__code", "sentence_type", "sentence_start", "sentence_end"
        )
        return {case: (code, sentence_band(kind, start, end)) for case, code, kind, start, end in rows}

    def offences_for_statistics(self, user: User, case_ids: Iterable[int]) -> dict[int, str]:
        offences = Offence.objects.for_statistics(user).filter(case__in=list(case_ids))
        ranks: dict[int, int] = {}
        for case, terrorism, connection in offences.values_list(
            "case_id", "terrorism_offence", "terrorist_connection"
        ):
            ranks[case] = min(ranks.get(case, 2), 0 if terrorism else 1 if connection else 2)
        kinds = {case: OFFENCE_KINDS[rank] for case, rank in ranks.items()}
        return kinds

    def recalls_for_statistics(self, user: User, case_ids: Iterable[int]) -> dict[int, date]:
        recalled = Sentence.objects.for_statistics(user).filter(
            case__in=list(case_ids), recalled_on__isnull=False
        )
        return dict(recalled.values_list("case_id", "recalled_on"))


OFFENCE_KINDS = [  # English in the data, translated where it is shown (a training case's profile)
    gettext_noop("Terrorism offence"),
    gettext_noop("Offence with a terrorist connection"),
    gettext_noop("Other offence"),
]
# Bands of the statistics' cohorts: English in the data, translated where a release is read.
SENTENCE_BANDS = [
    (0, 48, gettext_noop("Under 4 years")),
    (48, 120, gettext_noop("4 to 10 years")),
    (120, 10_000, gettext_noop("10 years or more")),
]


def sentence_band(kind: str, start: date, end: date | None) -> str:
    if kind == "indeterminate" or end is None:
        return gettext_noop("Indeterminate")
    months = (end.year - start.year) * 12 + end.month - start.month
    return next(label for low, high, label in SENTENCE_BANDS if low <= months < high)


def recompute_all(today: date) -> int:
    sentences = Sentence.objects.exclude(case__phase=Phase.CLOSED).select_related("case", "profile")
    return sum(recompute(sentence, today) for sentence in sentences.iterator())


def register() -> None:
    attention.contribute()
    register_daily(
        "custody.responsibility",
        DailyJob(
            10, "Responsibility recomputed as of {today:%Y-%m-%d}: {count} case(s) changed.", recompute_all
        ),
    )
    register_daily(
        "custody.handover",
        DailyJob(20, "Overdue handover items escalated to managers: {count}.", escalate_overdue),
    )
    register_daily(
        "custody.notification_requirements",
        DailyJob(
            30,
            "Overdue notification requirement dues escalated to managers: {count}.",
            escalate_overdue_requirement_dues,
        ),
    )
    subscribe(CasePhaseChanged, recompute_on_phase_change)
    subscribe(CaseReleased, start_notification_requirement)
    subscribe(ReleaseConferenceRecorded, tick_release_conference)
