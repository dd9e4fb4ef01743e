"""Case conferences centred on decisions and actions.

The chair schedules a conference, builds an agenda of cases, invites agencies and named people, attaches a
curated briefing per case (a recorded disclosure to the attendees of that meeting only), records
attendance, and — once the conference is quorate — decisions with their rationale and actions with an
owner and a deadline. A risk-relevant request on a case is decided only here, when it is on the agenda, or
by a person with delegated authority. Minutes are produced from the record; restricted sections go only to
cleared attendees; approved minutes are locked and later corrections are addenda.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from django.db import transaction
from django.db.models import F, Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from throughcare.accounts.models import Agency, AgencyKind, Membership, User
from throughcare.audit.log import record
from throughcare.audit.models import Operation
from throughcare.cases.actions import record_on_timeline
from throughcare.cases.events import ConferenceDecisionRecorded, RequestDecided
from throughcare.cases.models import Case, DataCategory, TimelineEntry
from throughcare.conferences.access import conference_standing
from throughcare.conferences.models import (
    ActionItem,
    Addendum,
    AgendaItem,
    Attendance,
    Conference,
    ConferenceKind,
    Decision,
    Invitation,
    MinutesCopy,
    QuorumRule,
    RiskRequest,
)
from throughcare.lib.errors import ActionRefused, EditConflict
from throughcare.lib.events import emit
from throughcare.lib.wording import english, label_of, lowered, midsentence, worded
from throughcare.notifications.send import managers_of, notify
from throughcare.sharing.access import (
    Capability,
    Standing,
    disclosure_gaps,
    has_capability,
    require_capability,
    require_writer,
    standing_on_case,
    viewer_for,
)

Status = Conference.Status
Outcome = RiskRequest.Outcome
DEFAULT_QUORUM: dict[str, tuple[int, list[str]]] = {
    ConferenceKind.RELEASE: (3, ["prison", "probation"]),
    ConferenceKind.CASE: (2, ["probation"]),
    ConferenceKind.PANEL_2: (3, ["probation", "police_ct"]),
    ConferenceKind.PANEL_3: (4, ["probation", "police_ct"]),
    ConferenceKind.URGENT: (2, []),
}


def ensure_default_quorum(model: type[QuorumRule] = QuorumRule) -> None:
    """The default quorum rules (data: administrators change them)."""
    for kind, (minimum, kinds) in DEFAULT_QUORUM.items():
        model.objects.get_or_create(kind=kind, defaults={"min_agencies": minimum, "required_kinds": kinds})


def _url(conference: Conference) -> str:
    return reverse("conferences:detail", args=[conference.pk])


def _chair(conference: Conference, by: User, doing: str) -> None:
    if conference.chair_id != by.pk:
        raise ActionRefused(gettext("Only the chair can %(doing)s.") % {"doing": doing})


def _open(conference: Conference) -> None:
    if conference.locked:
        raise ActionRefused(gettext("The minutes are approved and locked: add an addendum instead."))
    if conference.status == Status.CANCELLED:
        raise ActionRefused(gettext("This conference was cancelled."))


def _audit(
    operation: Operation, obj: Model, by: User | None, case: Case | None, why: str, **details: object
) -> None:
    record(
        operation,
        obj,
        by=by,
        agency=by.primary_agency() if by else None,
        case_id=case.pk if case else None,
        justification=why,
        details=dict(details),
    )


# Scheduling --------------------------------------------------------------------------------------------


def schedule(
    *, by: User, kind: str, held_on: date | None, starts_at: time | None = None, place: str = ""
) -> Conference:
    require_capability(by, Capability.CHAIR_CONFERENCES, doing="schedule and chair conferences")
    if kind not in ConferenceKind.values:
        raise ActionRefused(gettext("Choose the kind of conference"), field="kind")
    if held_on is None:
        raise ActionRefused(gettext("Give the date of the meeting"), field="held_on")
    if held_on < timezone.localdate():
        raise ActionRefused(gettext("A conference is scheduled for today or later"), field="held_on")
    with transaction.atomic():
        conference = Conference.objects.create(
            kind=kind, held_on=held_on, starts_at=starts_at, place=place.strip(), chair=by, created_by=by
        )
        _audit(Operation.COLLECTION, conference, by, None, "conference scheduled")
    return conference


def add_case(conference: Conference, case: Case, *, by: User) -> AgendaItem:
    """The chair puts a case on the agenda — one they may see themselves."""
    _chair(conference, by, "build the agenda")
    _open(conference)
    standing_on_case(by, case)  # Http404 if the chair may not see it: like missing
    if AgendaItem.objects.filter(conference=conference, case=case).exists():
        raise ActionRefused(
            gettext("%(reference)s is on the agenda already.") % {"reference": case.reference}
        )
    with transaction.atomic():
        item = AgendaItem.objects.create(conference=conference, case=case, order=conference.items.count())
        _audit(Operation.ALTERATION, conference, by, case, "case added to a conference agenda")
    return item


def invite(
    conference: Conference, *, by: User, agency: Agency | None, user: User | None = None
) -> Invitation:
    _chair(conference, by, "invite")
    _open(conference)
    if agency is None:
        raise ActionRefused(gettext("Choose the agency to invite"), field="agency")
    if user is not None and not Membership.objects.filter(user=user, agency=agency, is_active=True).exists():
        raise ActionRefused(
            gettext("%(user)s does not work for %(agency)s.") % {"user": user, "agency": agency}, field="user"
        )
    if Invitation.objects.filter(conference=conference, agency=agency, user=user).exists():
        raise ActionRefused(gettext("%(value)s is invited already.") % {"value": user or agency})
    with transaction.atomic():
        invitation = Invitation.objects.create(conference=conference, agency=agency, user=user, invited_by=by)
        _audit(Operation.ALTERATION, conference, by, None, "invitation", invited=str(user or agency))
        people = [user] if user else managers_of([agency])
        notify(
            people,
            worded(
                "Invited: %(conference)s on %(date)s",
                conference=midsentence(label_of(conference, "kind")),
                date=conference.held_on,
            ),
            worded("Chaired by %(person)s, %(place)s.", person=str(conference.chair), place=conference.place)
            if conference.place
            else worded("Chaired by %(person)s.", person=str(conference.chair)),
            _url(conference),
        )
    return invitation


def set_briefing(
    item: AgendaItem, *, by: User, text: str, categories: list[str], override_reason: str = ""
) -> None:
    """The chair's curated briefing on a case, for this meeting's attendees only: a recorded disclosure.

    The chair names the categories it draws on (only ones they hold themselves; intelligence goes in the
    restricted section). A briefing to a partner whose kind needs consent for one of them needs that consent
    in force — or an override, with its reason, by someone permitted to override consent."""
    conference = item.conference
    _chair(conference, by, "write the briefing")
    _open(conference)
    standing = standing_on_case(by, item.case)
    categories = sorted(set(categories))
    _check_briefing(item, by, standing, text, categories, override_reason)
    invitations = list(conference.invitations.select_related("user", "agency"))
    recipients = sorted(str(i.user or i.agency) for i in invitations)
    with transaction.atomic():
        AgendaItem.objects.filter(pk=item.pk).update(
            briefing=text.strip(),
            briefing_categories=categories,
            briefing_override_reason=override_reason.strip()[:500],
        )
        record(
            Operation.DISCLOSURE,
            item,
            by=by,
            agency=standing.agency,
            case_id=item.case_id,
            justification=f"briefing for the {english(conference)}"
            + (f"; consent overridden: {override_reason.strip()}" if override_reason.strip() else ""),
            recipients=recipients,
            details={"meeting only": True, "categories": categories},
        )


def _check_briefing(
    item: AgendaItem, by: User, standing: Standing, text: str, categories: list[str], override: str
) -> None:
    if not text.strip():
        return
    if not categories:
        raise ActionRefused(
            gettext("Say which kinds of information the briefing draws on"), field="categories"
        )
    if DataCategory.INTELLIGENCE in categories:
        raise ActionRefused(
            gettext("Intelligence goes in the restricted section, which only cleared attendees receive"),
            field="categories",
        )
    not_held = [c for c in categories if not standing.holds(c)]
    if not_held:
        raise ActionRefused(
            gettext("You can brief only on information you hold yourself"), field="categories"
        )
    gaps = briefing_gaps(item, categories)
    if not gaps:
        return
    if not override.strip():
        told = "; ".join(f"{agency}: {', '.join(missing)}" for agency, missing in gaps)
        raise ActionRefused(
            gettext(
                "These invitees may not receive this without the person's consent — "
                "%(told)s. Leave it out, or a manager permitted to override consent "
                "records why."
            )
            % {"told": told},
            field="categories",
        )
    require_capability(by, Capability.OVERRIDE_CONSENT, doing="brief a partner without its consent")


def briefing_gaps(item: AgendaItem, categories: list[str] | None = None) -> list[tuple[Agency, list[str]]]:
    """Invited agencies that may not receive the briefing's categories about this case."""
    wanted = item.briefing_categories if categories is None else categories
    agencies = {i.agency_id: i.agency for i in item.conference.invitations.select_related("agency")}
    gaps = [(agency, disclosure_gaps(item.case, agency, wanted)) for agency in agencies.values()]
    return [(agency, missing) for agency, missing in gaps if missing]


# Risk-relevant requests --------------------------------------------------------------------------------


def make_request(
    case: Case,
    *,
    by: User,
    kind: str,
    details: str,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> RiskRequest:
    standing = require_writer(by, case, DataCategory.RISK, doing="record a request")
    if kind not in RiskRequest.Kind.values:
        raise ActionRefused(gettext("Choose what is asked for"), field="kind")
    if len(details.strip()) < 10:
        raise ActionRefused(gettext("Say where, when, with whom and why"), field="details")
    if starts_on and ends_on and ends_on < starts_on:
        raise ActionRefused(gettext("The end cannot be before the start"), field="ends_on")
    with transaction.atomic():
        made = RiskRequest.objects.create(
            case=case,
            kind=kind,
            details=details.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
            requested_by=by,
        )
        record_on_timeline(
            case,
            TimelineEntry.Kind.RECORD_CHANGE,
            worded(
                "%(request)s request recorded: %(details)s — pending a decision.",
                request=label_of(made, "kind"),
                details=made.details,
            ),
            by,
            standing.agency,
            category=DataCategory.RISK,
        )
        _audit(Operation.COLLECTION, made, by, case, standing.justification)
    return made


def put_on_agenda(request: RiskRequest, item: AgendaItem, *, by: User) -> None:
    standing = standing_on_case(by, request.case)
    if not standing.can_write:
        raise ActionRefused(gettext("Only members of the case team can put a request on the agenda."))
    if item.case_id != request.case_id:
        raise ActionRefused(
            gettext("The request is about another case than this agenda item."), field="request"
        )
    if request.outcome != Outcome.PENDING:
        raise ActionRefused(gettext("This request is decided already."), field="request")
    _open(item.conference)
    with transaction.atomic():
        request.agenda_items.add(item)
        _audit(Operation.ALTERATION, request, by, request.case, "request put on a conference agenda")


def decide_by_delegate(
    request: RiskRequest, *, by: User, outcome: str, conditions: str, rationale: str
) -> None:
    """A person with delegated authority decides outside a conference; the decision is recorded the same."""
    if not has_capability(by, Capability.DECIDE_REQUESTS, request.case):
        raise ActionRefused(
            gettext(
                "Only a person with delegated authority in an agency on the case team can decide outside a "
                "conference."
            )
        )
    if not rationale.strip():
        raise ActionRefused(gettext("Give the rationale of the decision"), field="rationale")
    with transaction.atomic():
        _settle(request, outcome, conditions, by=by, delegate_rationale=rationale.strip())


def _settle(
    request: RiskRequest, outcome: str, conditions: str, *, by: User, delegate_rationale: str = ""
) -> None:
    if outcome not in (Outcome.APPROVED, Outcome.WITH_CONDITIONS, Outcome.REFUSED):
        raise ActionRefused(
            gettext("Decide: approved, approved with conditions, or refused"), field="outcome"
        )
    if outcome == Outcome.WITH_CONDITIONS and not conditions.strip():
        raise ActionRefused(
            gettext("Write the conditions attached (e.g. escort, notification)"), field="conditions"
        )
    updated = RiskRequest.objects.filter(pk=request.pk, outcome=Outcome.PENDING).update(
        outcome=outcome,
        conditions=conditions.strip(),
        decided_at=timezone.now(),
        delegate=by if delegate_rationale else None,
        delegate_rationale=delegate_rationale,
    )
    if updated != 1:
        raise ActionRefused(gettext("This request is decided already."), field="request")
    request.refresh_from_db()
    decided = {"request": label_of(request, "kind"), "outcome": midsentence(label_of(request, "outcome"))}
    text = (
        worded(
            "%(request)s request %(outcome)s — conditions: %(conditions)s.",
            conditions=request.conditions,
            **decided,
        )
        if request.conditions
        else worded("%(request)s request %(outcome)s.", **decided)
    )
    place = request.case.team.active().filter(user=by).select_related("agency").first()
    agency = place.agency if place else by.primary_agency()
    if agency is not None:
        record_on_timeline(
            request.case, TimelineEntry.Kind.RECORD_CHANGE, text, by, agency, category=DataCategory.RISK
        )
    _audit(Operation.ALTERATION, request, by, request.case, "request decided", outcome=outcome)
    emit(
        RequestDecided(
            case_id=request.case_id,
            by_id=by.pk,
            at=timezone.now(),
            request_id=request.pk,
            kind=request.kind,
            outcome=outcome,
        )
    )
    notify(
        [request.requested_by],
        f"Request decided on {request.case.reference}",
        text,
        reverse("conferences:requests", args=[request.case_id]),
        case_id=request.case_id,
        category=RiskRequest.data_category,
    )


# The meeting ---------------------------------------------------------------------------------------------


def record_attendance(
    conference: Conference, *, by: User, entries: list[tuple[Agency, User | None, str]]
) -> None:
    """Who came, sent apologies or was absent, by agency (and person). The meeting is then held."""
    _chair(conference, by, "record attendance")
    _open(conference)
    if conference.held_on > timezone.localdate():
        raise ActionRefused(gettext("Attendance is recorded on the day of the meeting or after."))
    if not entries:
        raise ActionRefused(gettext("Record at least one agency's attendance"), field="attendance")
    for _, _, status in entries:
        if status not in Attendance.Status.values:
            raise ActionRefused(
                gettext("Say for each agency: present, sent apologies or absent"), field="attendance"
            )
    with transaction.atomic():
        conference.attendance.all().delete()
        Attendance.objects.bulk_create(
            Attendance(conference=conference, agency=agency, user=user, status=status)
            for agency, user, status in entries
        )
        Conference.objects.filter(pk=conference.pk).update(status=Status.HELD, version=F("version") + 1)
        _audit(Operation.ALTERATION, conference, by, None, "attendance recorded", entries=len(entries))
    conference.refresh_from_db()


@dataclass(frozen=True)
class Quorum:
    met: bool
    message: str


def quorum(conference: Conference) -> Quorum:
    rule = QuorumRule.objects.filter(kind=conference.kind).first()
    if rule is None:
        ensure_default_quorum()
        rule = QuorumRule.objects.get(kind=conference.kind)
    present = conference.attendance.filter(status=Attendance.Status.PRESENT).select_related("agency")
    agencies = {a.agency_id: a.agency for a in present}
    kinds = {a.kind for a in agencies.values()}
    missing = [k for k in rule.required_kinds if k not in kinds]
    met = len(agencies) >= rule.min_agencies and not missing
    return Quorum(met, _quorum_message(met, rule, len(agencies), [a.short_name for a in agencies.values()]))


def _quorum_message(met: bool, rule: QuorumRule, present: int, names: list[str]) -> str:
    """Whether the meeting is quorate, in whole sentences of the reader's language."""
    kinds = ", ".join(_kind_label(k) for k in rule.required_kinds)
    needed = rule.min_agencies
    if met and kinds:
        return ngettext(
            "Quorate: %(count)s agency present; it needs at least %(needed)s, including %(kinds)s.",
            "Quorate: %(count)s agencies present; it needs at least %(needed)s, including %(kinds)s.",
            present,
        ) % {"count": present, "needed": needed, "kinds": kinds}
    if met:
        return ngettext(
            "Quorate: %(count)s agency present; it needs at least %(needed)s.",
            "Quorate: %(count)s agencies present; it needs at least %(needed)s.",
            present,
        ) % {"count": present, "needed": needed}
    values = {"count": needed, "kinds": kinds, "present": ", ".join(names) or gettext("none recorded")}
    if kinds:
        return (
            ngettext(
                "Not quorate: at least %(count)s agency must be present, including %(kinds)s; present: "
                "%(present)s.",
                "Not quorate: at least %(count)s agencies must be present, including %(kinds)s; present: "
                "%(present)s.",
                needed,
            )
            % values
        )
    return (
        ngettext(
            "Not quorate: at least %(count)s agency must be present; present: %(present)s.",
            "Not quorate: at least %(count)s agencies must be present; present: %(present)s.",
            needed,
        )
        % values
    )


def _kind_label(kind: str) -> str:
    return lowered(str(AgencyKind(kind).label)) if kind in AgencyKind.values else kind


@dataclass(frozen=True)
class DecisionInput:
    decision: str
    rationale: str
    decided_by: User | None = None
    request: RiskRequest | None = None
    outcome: str = ""
    conditions: str = ""
    triggers_plan_review: bool = False
    condition_change: str = ""


def decide(item: AgendaItem, data: DecisionInput, *, by: User) -> Decision:
    conference = item.conference
    _chair(conference, by, "record decisions")
    _open(conference)
    if conference.status != Status.HELD:
        raise ActionRefused(
            gettext("Record attendance first: decisions are made at a meeting that was held.")
        )
    met = quorum(conference)
    if not met.met:
        raise ActionRefused(gettext("%(quorum)s No decision can be recorded.") % {"quorum": met.message})
    if not data.decision.strip() or not data.rationale.strip():
        raise ActionRefused(gettext("Every decision needs its rationale"), field="rationale")
    if data.request is not None and not data.request.agenda_items.filter(pk=item.pk).exists():
        raise ActionRefused(
            gettext("That request is not on this conference's agenda: the case team puts it there first."),
            field="request",
        )
    with transaction.atomic():
        decision = Decision.objects.create(
            item=item,
            decision=data.decision.strip(),
            rationale=data.rationale.strip(),
            decided_by=data.decided_by or by,
            request=data.request,
            outcome=data.outcome if data.request else "",
            conditions=data.conditions.strip(),
            triggers_plan_review=data.triggers_plan_review,
            condition_change=data.condition_change.strip(),
        )
        if data.request is not None:
            _settle(data.request, data.outcome, data.conditions, by=by)
        _decision_effects(item, decision, by)
    return decision


def _decision_effects(item: AgendaItem, decision: Decision, by: User) -> None:
    case = item.case
    place = case.team.active().filter(user=by).select_related("agency").first()
    agency = place.agency if place else by.primary_agency()
    if agency is not None:
        record_on_timeline(
            case,
            TimelineEntry.Kind.RECORD_CHANGE,
            worded(
                "%(conference)s decided: %(decision)s (because %(rationale)s)",
                conference=item.conference.wording,
                decision=decision.decision,
                rationale=decision.rationale,
            ),
            by,
            agency,
            category=DataCategory.RISK,
        )
    _audit(Operation.COLLECTION, decision, by, case, "conference decision")
    emit(
        ConferenceDecisionRecorded(
            case_id=case.pk,
            by_id=by.pk,
            at=timezone.now(),
            conference_id=item.conference_id,
            decision_id=decision.pk,
            triggers_plan_review=decision.triggers_plan_review,
            summary=worded(
                "%(conference)s: %(decision)s", conference=item.conference.wording, decision=decision.decision
            ),
        )
    )
    if decision.condition_change:
        lead = case.team.lead()
        notify(
            [lead.user] if lead else [],
            worded("Condition change decided for %(case)s", case=case.reference),
            worded(
                "%(conference)s: %(change)s. Apply to the authority that sets conditions.",
                conference=item.conference.wording,
                change=decision.condition_change,
            ),
            reverse("custody:licence", args=[case.pk]),
            case_id=case.pk,
            category=DataCategory.LEGAL,
        )


def add_action(
    item: AgendaItem, *, by: User, description: str, owner: User | None, due_on: date | None
) -> ActionItem:
    conference = item.conference
    _chair(conference, by, "record actions")
    _open(conference)
    if not description.strip():
        raise ActionRefused(gettext("Say what is to be done"), field="description")
    if owner is None or due_on is None:
        raise ActionRefused(gettext("Every action needs an owner and a deadline"), field="owner")
    with transaction.atomic():
        action = ActionItem.objects.create(
            item=item, description=description.strip(), owner=owner, due_on=due_on
        )
        _audit(Operation.COLLECTION, action, by, item.case, "conference action")
        notify(
            [owner],
            worded("Action for you from the %(conference)s", conference=conference.wording),
            worded(
                "%(action)s — by %(date)s (%(case)s).",
                action=action.description,
                date=due_on,
                case=item.case.reference,
            ),
            _url(conference),
        )
    return action


def complete_action(action: ActionItem, *, by: User, note: str = "") -> None:
    if by.pk not in (action.owner_id, action.item.conference.chair_id):
        raise ActionRefused(gettext("Only the owner or the chair can mark this action done."))
    with transaction.atomic():
        updated = ActionItem.objects.filter(pk=action.pk, done_at__isnull=True).update(
            done_at=timezone.now(), done_note=note.strip()[:500]
        )
        if updated != 1:
            raise ActionRefused(gettext("This action is done already."))
        _audit(Operation.ALTERATION, action, by, action.item.case, "conference action done")


def escalate_overdue_actions(today: date) -> int:
    """Tell the owner's managers, once, of each overdue conference action."""
    overdue = ActionItem.objects.filter(
        done_at__isnull=True, escalated_at__isnull=True, due_on__lt=today
    ).select_related("owner", "item__conference", "item__case")
    count = 0
    for action in overdue:
        agencies = Membership.objects.filter(user=action.owner, is_active=True).values("agency")
        with transaction.atomic():
            notify(
                managers_of(agencies),
                worded("Conference action overdue: %(person)s", person=str(action.owner)),
                worded(
                    "“%(action)s”, due %(date)s (%(case)s).",
                    action=action.description,
                    date=action.due_on,
                    case=action.item.case.reference,
                ),
                _url(action.item.conference),
            )
            ActionItem.objects.filter(pk=action.pk).update(escalated_at=timezone.now())
            _audit(Operation.ALTERATION, action, None, action.item.case, "overdue action escalated")
        count += 1
    return count


# Minutes ---------------------------------------------------------------------------------------------------


def write_minutes(
    item: AgendaItem, *, by: User, discussion: str, restricted: str, expected_version: int
) -> None:
    """The chair writes the discussion; the restricted section only a cleared chair."""
    conference = item.conference
    _chair(conference, by, "write the minutes")
    _open(conference)
    if restricted.strip() != item.restricted and not viewer_for(by).cleared:
        raise ActionRefused(
            gettext("Only a cleared chair can write the restricted section."), field="restricted"
        )
    _save_minutes(item, by, discussion, restricted, expected_version)


def write_restricted(item: AgendaItem, *, by: User, restricted: str, expected_version: int) -> None:
    """A cleared attendee (e.g. the police liaison) writes the restricted section of an item."""

    standing = conference_standing(by, item.conference)
    if standing is None or not standing.cleared:
        raise ActionRefused(
            gettext("Only a cleared attendee can write the restricted section."), field="restricted"
        )
    _open(item.conference)
    _save_minutes(item, by, item.shared, restricted, expected_version)


def _save_minutes(
    item: AgendaItem, by: User, discussion: str, restricted: str, expected_version: int
) -> None:
    with transaction.atomic():
        moved = Conference.objects.filter(pk=item.conference_id, version=expected_version).update(
            version=F("version") + 1
        )
        if moved != 1:
            raise EditConflict(
                gettext("The minutes were changed meanwhile. Nothing was saved: look at them again.")
            )
        AgendaItem.objects.filter(pk=item.pk).update(shared=discussion.strip(), restricted=restricted.strip())
        _audit(Operation.ALTERATION, item, by, item.case, "minutes written")


def approve_minutes(conference: Conference, *, by: User) -> None:
    _chair(conference, by, "approve the minutes")
    if conference.status == Status.APPROVED:
        raise ActionRefused(gettext("The minutes are approved already."))
    if conference.status != Status.HELD:
        raise ActionRefused(gettext("Minutes are approved after the meeting was held."))
    with transaction.atomic():
        updated = Conference.objects.filter(pk=conference.pk, status=Status.HELD).update(
            status=Status.APPROVED,
            minutes_approved_at=timezone.now(),
            minutes_approved_by=by,
            version=F("version") + 1,
        )
        if updated != 1:
            raise ActionRefused(gettext("The minutes are approved already."))
        _audit(Operation.ALTERATION, conference, by, None, "minutes approved")
    conference.refresh_from_db()


def add_addendum(conference: Conference, *, by: User, text: str, restricted: bool = False) -> Addendum:
    _chair(conference, by, "correct the minutes")
    if not conference.locked:
        raise ActionRefused(gettext("The minutes are not approved yet: correct them directly."))
    if not text.strip():
        raise ActionRefused(gettext("Write the correction"), field="text")
    if restricted and not viewer_for(by).cleared:
        raise ActionRefused(
            gettext("Only a cleared chair can add a restricted correction."), field="restricted"
        )
    with transaction.atomic():
        addendum = Addendum.objects.create(
            conference=conference, text=text.strip(), restricted=restricted, written_by=by
        )
        _audit(Operation.COLLECTION, addendum, by, None, "minutes corrected by an addendum")
    return addendum


def recipients(conference: Conference) -> list[User]:
    """Those who receive the minutes: the chair, named invitees and named attendees."""
    people = {conference.chair_id: conference.chair}
    for invitation in conference.invitations.filter(user__isnull=False).select_related("user"):
        assert invitation.user is not None
        people[invitation.user.pk] = invitation.user
    for attendance in conference.attendance.filter(user__isnull=False).select_related("user"):
        assert attendance.user is not None
        people[attendance.user.pk] = attendance.user
    return list(people.values())


def circulate(conference: Conference, *, by: User) -> list[MinutesCopy]:
    """Send the approved minutes: each recipient's copy holds the restricted sections only if cleared."""
    _chair(conference, by, "circulate the minutes")
    if not conference.locked:
        raise ActionRefused(gettext("Approve the minutes before circulating them."))
    people = recipients(conference)
    with transaction.atomic():
        copies = [
            MinutesCopy.objects.create(
                conference=conference,
                recipient=person,
                with_restricted=viewer_for(person).cleared,
                circulated_by=by,
            )
            for person in people
        ]
        for item in conference.items.select_related("case"):
            record(
                Operation.DISCLOSURE,
                conference,
                by=by,
                agency=by.primary_agency(),
                case_id=item.case_id,
                justification=f"minutes of the {english(conference)} circulated",
                recipients=[
                    f"{c.recipient}{' (with restricted sections)' if c.with_restricted else ''}"
                    for c in copies
                ],
            )
        notify(
            people,
            worded("Minutes of the %(conference)s", conference=conference.wording),
            worded("The approved minutes are ready for you to read and print."),
            reverse("conferences:minutes", args=[conference.pk]),
        )
    return copies
