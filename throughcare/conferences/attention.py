"""What conferences put in Needs attention: invitations, actions owned and requests waiting for a decision.
(The case conferences a profile requires during supervision join custody's dates: the workspace lists
them.) Contributed in `ConferencesConfig.ready`."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_noop

from throughcare.accounts.models import Membership, User
from throughcare.cases.contributions import (
    AttentionItem,
    AttentionScope,
    Audience,
    Deadline,
    contribute_attention,
    contribute_attention_feeds,
    contribute_deadline,
    escalated,
)
from throughcare.conferences.models import ActionItem, AgendaItem, Conference, Invitation, RiskRequest
from throughcare.lib.wording import label_of, worded
from throughcare.sharing.access import viewer_for

GROUP = gettext_noop("Conferences")  # a heading, translated where shown


def conference_items(scope: AttentionScope) -> list[AttentionItem]:
    return _requests(scope)


def personal_items(scope: AttentionScope) -> list[AttentionItem]:
    """Invitations and actions: a user's, not about one case."""
    return _invitations(scope.person, scope.today) + _actions(scope)


def contribute() -> None:
    contribute_attention(GROUP, 40, conference_items, personal=(personal_items,))
    contribute_attention_feeds(
        (RiskRequest, "case"),
        (RiskRequest.agenda_items.through, "riskrequest__case"),
        (AgendaItem, "case"),
        (Conference, "items__case"),
        # Dated work: the weeks of a manager's chart count it by its dates (the actions themselves are
        # listed to their owners, computed each time).
        (ActionItem, "item__case", ("description", "done_note", "escalated_at")),
    )
    contribute_deadline(
        Deadline("action", gettext_noop("Conference action"), ActionItem, "due_on", "done_at", "owner")
    )


def led(scope: AttentionScope) -> Q:
    """Requests and required conferences are the lead's to arrange (a manager sees their agencies'; on
    one case's overview, everyone working on it). A condition on rows with a `case`."""
    if scope.user is None or scope.decided is not None or (not scope.mine and viewer_for(scope.user).managed):
        return Q()
    return Q(
        case__team__user=scope.user, case__team__responsibility="lead", case__team__ended_at__isnull=True
    )


def _invitations(user: User, today: date) -> list[AttentionItem]:
    # Each way in as a list of conference ids (joined to invitations, the rows were multiplied and made
    # distinct again, every column compared).
    ways = Q(chair=user) | Q(pk__in=Invitation.objects.filter(user=user).values("conference"))
    managed = list(viewer_for(user).managed)
    if managed:
        by_agency = Invitation.objects.filter(user__isnull=True, agency__in=managed)
        ways |= Q(pk__in=by_agency.values("conference"))
    upcoming = (
        Conference.objects.filter(status=Conference.Status.SCHEDULED, held_on__gte=today)
        .filter(ways)
        .select_related("chair")
    )
    return [
        AttentionItem(
            None,
            worded("%(conference)s: you chair it", conference=label_of(c, "kind"))
            if c.chair_id == user.pk
            else worded(
                "%(conference)s: invited by %(chair)s", conference=label_of(c, "kind"), chair=str(c.chair)
            ),
            c.held_on,
            False,
            "",
            reverse("conferences:detail", args=[c.pk]),
            owner=user,
        )
        for c in upcoming
    ]


def _actions(scope: AttentionScope) -> list[AttentionItem]:
    user, today = scope.person, scope.today
    actions = ActionItem.objects.filter(done_at__isnull=True, due_on__lte=today + timedelta(days=14))
    if scope.mine or not viewer_for(user).managed:
        actions = actions.filter(owner=user)
    else:
        workers = Membership.objects.filter(agency__in=list(viewer_for(user).managed)).values("user")
        actions = actions.filter(owner__in=workers)
    return [
        AttentionItem(
            None,
            escalated(worded("Conference action: %(action)s", action=a.description), a.escalated_at),
            a.due_on,
            a.due_on < today,
            "",
            reverse("conferences:detail", args=[a.item.conference_id]) + f"#action-{a.pk}",
            owner=a.owner,
        )
        for a in actions.select_related("owner", "item")
    ]


def _requests(scope: AttentionScope) -> list[AttentionItem]:
    """Requests waiting for a decision. Where the case is on the agenda of a conference coming up, the item
    leads to that agenda item, where the request is put before the meeting; otherwise to the case's
    requests."""
    today = scope.today
    on_agenda = RiskRequest.agenda_items.through.objects.filter(riskrequest=OuterRef("pk"))
    coming = AgendaItem.objects.filter(
        case=OuterRef("case"), conference__status=Conference.Status.SCHEDULED, conference__held_on__gte=today
    ).order_by("conference__held_on", "pk")
    pending = (
        scope.rows(RiskRequest)
        .filter(led(scope), outcome=RiskRequest.Outcome.PENDING)
        .annotate(on_agenda=Exists(on_agenda), next_item=Subquery(coming.values("pk")[:1]))
        .select_related("case")
    )
    requests = list(pending)
    wanted = [r.__dict__["next_item"] for r in requests if r.__dict__["next_item"]]
    coming_items = AgendaItem.objects.select_related("conference").in_bulk(wanted)
    return [_request_item(r, coming_items.get(r.__dict__["next_item"]), today) for r in requests]


def _request_item(r: RiskRequest, coming: AgendaItem | None, today: date) -> AttentionItem:
    """`coming`: the case's agenda item at the next scheduled conference, if any."""
    kind = label_of(r, "kind")
    text = worded("%(request)s request waiting for a decision", request=kind)
    url = reverse("conferences:requests", args=[r.case_id])
    if r.__dict__["on_agenda"]:
        text = worded("%(request)s request waiting for a decision (on a conference agenda)", request=kind)
    elif coming is not None:
        text = worded(
            "%(request)s request waiting for a decision: put it on the agenda of the conference of %(date)s",
            request=kind,
            date=coming.conference.held_on,
        )
        url = reverse("conferences:detail", args=[coming.conference_id]) + f"#item-{coming.pk}"
    return AttentionItem(
        r.case,
        text,
        r.starts_on,
        bool(r.starts_on and r.starts_on <= today),
        "",
        url,
        audience=Audience.LEAD,
        category=RiskRequest.data_category,
    )
