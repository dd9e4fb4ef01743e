"""Rehabilitation's answers to `throughcare.cases.facts.RehabFacts`: what a case shows of success, for a
statistics computation (through the gate's statistics channel: nothing for anyone but an analyst)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.utils import timezone

from throughcare.accounts.models import User
from throughcare.cases.facts import Success
from throughcare.cases.models import Case
from throughcare.lib.wording import label_of
from throughcare.people.models import Person
from throughcare.rehab.models import (
    Closure,
    Criterion,
    CriterionReview,
    Dependant,
    FollowUp,
    Referral,
    Status,
)

DONE = {CriterionReview.State.MET, CriterionReview.State.NOT_APPLICABLE}
STARTED = {Status.ON_PROGRAMME, Status.COMPLETE}


class RehabFacts:
    def relatives(self, case: Case) -> list[tuple[Any, Person]]:
        dependants = Dependant.objects.of_case(case).select_related("person")
        return [(label_of(d, "relation"), d.person) for d in dependants]

    def success_for_statistics(self, user: User, case_ids: Iterable[int]) -> dict[int, Success]:
        ids = list(case_ids)
        closed = _closed(user, ids)
        met = _criteria_met(user, ids)
        started, completed = _programmes(user, ids)
        follow_ups = _follow_ups(user, ids)
        return {
            pk: Success(
                closed.get(pk),
                met.get(pk, False),
                started.get(pk, 0),
                completed.get(pk, 0),
                follow_ups.get(pk, ()),
            )
            for pk in ids
        }


def _closed(user: User, ids: list[int]) -> dict[int, date]:
    closures = Closure.objects.for_statistics(user).filter(case__in=ids, closed_at__isnull=False)
    return {case: timezone.localdate(at) for case, at in closures.values_list("case_id", "closed_at")}


def _criteria_met(user: User, ids: list[int]) -> dict[int, bool]:
    """Whether each case's latest review of every mandatory criterion says met (or not applicable)."""
    latest: dict[tuple[int, int], str] = {}
    reviews = (
        CriterionReview.objects.for_statistics(user).filter(case__in=ids).order_by("signed_off_at", "pk")
    )
    for case, criterion, state in reviews.values_list("case_id", "criterion_id", "state"):
        latest[(case, criterion)] = state
    mandatory = set(Criterion.objects.filter(mandatory=True).values_list("pk", flat=True))
    reviewed: dict[int, list[bool]] = defaultdict(list)
    for (case, criterion), state in latest.items():
        if criterion in mandatory:
            reviewed[case].append(state in DONE)
    return {case: bool(states) and all(states) for case, states in reviewed.items()}


def _programmes(user: User, ids: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    started: dict[int, int] = defaultdict(int)
    completed: dict[int, int] = defaultdict(int)
    referrals = Referral.objects.for_statistics(user).filter(case__in=ids, status__in=STARTED)
    for case, status in referrals.values_list("case_id", "status"):
        started[case] += 1
        completed[case] += status == Status.COMPLETE
    return started, completed


def _follow_ups(user: User, ids: list[int]) -> dict[int, tuple[date, ...]]:
    held: dict[int, list[date]] = defaultdict(list)
    done = (
        FollowUp.objects.for_statistics(user).filter(case__in=ids, done_at__isnull=False).order_by("done_at")
    )
    for case, at in done.values_list("case_id", "done_at"):
        held[case].append(timezone.localdate(at))
    return {case: tuple(days) for case, days in held.items()}
