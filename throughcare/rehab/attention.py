"""What rehabilitation puts in Needs attention: follow-ups after exit and closures awaiting a sign-off.
Contributed in `RehabConfig.ready`."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_noop

from throughcare.accounts.models import User
from throughcare.cases.contributions import (
    AttentionItem,
    AttentionScope,
    Audience,
    Deadline,
    contribute_attention,
    contribute_attention_feeds,
    contribute_deadline,
)
from throughcare.cases.models import CaseTeamMember
from throughcare.lib.wording import label_of, midsentence, worded
from throughcare.rehab.models import Closure, ClosureSignOff, FollowUp
from throughcare.sharing.access import viewer_for


def rehab_items(scope: AttentionScope) -> list[AttentionItem]:
    return _follow_ups(scope) + _closures(scope)


def contribute() -> None:
    contribute_attention(gettext_noop("Rehabilitation"), 30, rehab_items)  # a heading, translated where shown
    # A sign-off is asked of each one on the team whose agencies (on any case's team) have not given it.
    contribute_attention_feeds(
        (FollowUp, "case"),
        (Closure, "case"),
        (ClosureSignOff, "closure__case"),
        (CaseTeamMember, "user__case_places__case"),
    )
    contribute_deadline(
        Deadline(
            "follow-up",
            gettext_noop("Follow-up after exit"),
            FollowUp,
            "due_on",
            "done_at",
            "owner",
            among_cases=False,
        )
    )


def _follow_ups(scope: AttentionScope) -> list[AttentionItem]:
    """Check-ins after exit: the case is closed, so they are found by owner (or the owner's agencies)."""
    today = scope.today
    dues = scope.rows(FollowUp, among_cases=False).filter(
        done_at__isnull=True, due_on__lte=today + timedelta(days=14)
    )
    user = scope.user
    if scope.decided is not None or user is None:
        pass  # one case: everyone working on it sees its follow-ups (or every item, to be kept)
    elif scope.mine or not viewer_for(user).managed:
        dues = dues.filter(owner=user)
    else:
        dues = dues.filter(owner__memberships__agency__in=list(viewer_for(user).managed)).distinct()
    return [
        AttentionItem(
            f.case,
            worded("Follow-up after exit"),
            f.due_on,
            f.due_on < today,
            url=_criteria_url(f.case_id),
            owner=f.owner,
            audience=Audience.FOLLOW_UP,
            category=FollowUp.data_category,
        )
        for f in dues.select_related("case", "owner")
    ]


def _closures(scope: AttentionScope) -> list[AttentionItem]:
    """Proposals to close a case that the user's agency has not signed off yet."""
    if scope.user is None:
        return _sign_offs_asked(scope)
    user = scope.user
    places = CaseTeamMember.objects.active().filter(case=OuterRef("case"), user=user)
    proposals = (
        scope.rows(Closure)
        .filter(closed_at__isnull=True, cancelled_at__isnull=True)
        .filter(Exists(places))
        .exclude(sign_offs__agency__in=CaseTeamMember.objects.active().filter(user=user).values("agency"))
        .select_related("case", "proposed_by")
    )
    return [_sign_off(c, user) for c in proposals]


def _sign_offs_asked(scope: AttentionScope) -> list[AttentionItem]:
    """Every item of every person asked: each one working on the case whose agencies (on any team) have
    not signed off. Three queries for any number of cases."""
    proposals = list(
        scope.rows(Closure)
        .filter(closed_at__isnull=True, cancelled_at__isnull=True)
        .select_related("case", "proposed_by")
        .prefetch_related("sign_offs")
    )
    places = CaseTeamMember.objects.active().filter(case__in=[c.case_id for c in proposals])
    working: dict[int, dict[int, User]] = defaultdict(dict)
    for place in places.select_related("user"):
        working[place.case_id][place.user_id] = place.user
    agencies: dict[int, set[int]] = defaultdict(set)
    everyone = {user for people in working.values() for user in people}
    for user, agency in (
        CaseTeamMember.objects.active().filter(user__in=everyone).values_list("user", "agency")
    ):
        agencies[user].add(agency)
    items = []
    for closure in proposals:
        signed = {sign_off.agency_id for sign_off in closure.sign_offs.all()}
        items += [
            _sign_off(closure, user)
            for pk, user in sorted(working[closure.case_id].items())
            if not agencies[pk] & signed
        ]
    return items


def _sign_off(c: Closure, user: User) -> AttentionItem:
    return AttentionItem(
        c.case,
        worded(
            "Closing proposed by %(person)s (%(reason)s): your agency's sign-off",
            person=str(c.proposed_by),
            reason=midsentence(label_of(c, "reason")),
        ),
        None,
        False,
        url=_criteria_url(c.case_id),
        owner=user,
        audience=Audience.PERSONAL,
        category=Closure.data_category,
    )


def _criteria_url(case_id: int) -> str:
    return reverse("rehab:criteria", args=[case_id]) + "#closure"
