"""What one reader may see of one agenda item — the same on the conference page and in the minutes.

An attendee sees a case on the agenda exactly as far as their own standing on that case goes (the gate:
each part is shown only if its declared data category is held), plus what the chair's briefing disclosed
to the meeting. The person's name follows identity access; the restricted section goes to cleared readers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from throughcare.accounts.models import Agency, User
from throughcare.audit.log import record_consultation
from throughcare.cases.models import DataCategory
from throughcare.conferences.models import ActionItem, AgendaItem, Conference, Decision, RiskRequest
from throughcare.lib.wording import english
from throughcare.sharing.access import Standing, case_standings_or_none, disclosure_gaps_of, viewer_for


@dataclass(frozen=True)
class ItemReading:
    item: AgendaItem
    standing: Standing | None  # None: the case is not shared with the reader beyond the meeting
    shows_identity: bool
    briefing: str
    discussion: str
    restricted: str
    decisions: list[Decision]
    actions: list[ActionItem]
    requests: list[RiskRequest]
    pending: list[RiskRequest] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)  # what is left out, said without its content

    @property
    def title(self) -> str:
        person = self.item.case.person
        name = f" — {person.given_name} {person.family_name}" if self.shows_identity else ""
        return f"{self.item.case.reference}{name}"


def agenda(conference: Conference) -> list[AgendaItem]:
    """The conference's agenda items in order, with what `read_items` reads fetched with them."""
    return list(
        conference.items.select_related("case__person")
        .prefetch_related("decisions__decided_by", "decisions__request", "actions__owner", "requests")
        .order_by("order", "pk")
    )


def log_agenda_shown(
    user: User, agency: Agency | None, conference: Conference, items: list[AgendaItem], *, channel: str
) -> None:
    """Each item shown to an attendee is a consultation (as part of the case, or disclosed to the meeting)."""
    record_consultation(
        by=user,
        agency=agency,
        object_type="conferences.agendaitem",
        shown={item.case_id: [item.pk] for item in items},
        justification=f"conference attendee: {english(conference)}",
        channel=channel,
    )


def read_items(
    user: User, items: list[AgendaItem], *, cleared: bool, with_pending: bool = False
) -> list[ItemReading]:
    """Each item as `user` may read it. The items have their decisions, actions and requests prefetched
    (`agenda`); the reader's standing on their cases and the reach of their briefings are decided for all
    of them together: an agenda of any length in the same number of queries."""
    standings = case_standings_or_none(user, [item.case for item in items])
    briefed = _briefed(user, items)
    return [
        _read_item(user, item, standings[item.case_id], item.pk in briefed, cleared, with_pending)
        for item in items
    ]


def _read_item(
    user: User, item: AgendaItem, standing: Standing | None, briefed: bool, cleared: bool, with_pending: bool
) -> ItemReading:
    def holds(category: str) -> bool:
        return standing is not None and standing.holds(category)

    decisions = list(item.decisions.all())
    requests = list(item.requests.all())
    actions = list(item.actions.all())
    withheld = []
    if decisions and not holds(Decision.data_category):
        withheld.append(f"{len(decisions)} decision(s), shared with those who hold risk information")
    if requests and not holds(RiskRequest.data_category):
        withheld.append(f"{len(requests)} request(s), shared with those who hold risk information")
    if item.briefing and not briefed:
        withheld.append("the chair's briefing, which needs the person's consent to reach your agency")
    return ItemReading(
        item=item,
        standing=standing,
        shows_identity=holds(DataCategory.IDENTITY),
        briefing=item.briefing if briefed else "",
        discussion=item.shared if holds(AgendaItem.data_category) else "",
        restricted=item.restricted if cleared else "",
        decisions=decisions if holds(Decision.data_category) else [],
        # An action's owner always sees what they are to do; others as their standing allows.
        actions=[a for a in actions if holds(ActionItem.data_category) or a.owner_id == user.pk],
        requests=requests if holds(RiskRequest.data_category) else [],
        pending=_pending(item, standing) if with_pending else [],
        withheld=withheld,
    )


def _briefed(user: User, items: list[AgendaItem]) -> set[int]:
    """The items whose briefing reaches the reader: the chair's own, those whose override was recorded,
    and the others unless the reader's agency may not receive their categories (no consent in force, or
    a kind that never holds them)."""
    reached = {
        item.pk for item in items if item.conference.chair_id == user.pk or item.briefing_override_reason
    }
    asked = [item for item in items if item.briefing and item.pk not in reached]
    agency = viewer_for(user).primary_agency
    if agency is None or not asked:
        return reached
    gaps = disclosure_gaps_of([(item.case, item.briefing_categories) for item in asked], agency)
    return reached | {item.pk for item, missing in zip(asked, gaps, strict=True) if not missing}


def _pending(item: AgendaItem, standing: Standing | None) -> list[RiskRequest]:
    """Pending requests of the case that the reader's team may put on this agenda."""
    if standing is None or not standing.can_write:
        return []
    return list(
        RiskRequest.objects.on_case_as(item.case, standing)
        .filter(outcome=RiskRequest.Outcome.PENDING)
        .exclude(agenda_items=item)
    )
