"""Verbs that change a case. Each runs in one transaction and writes its audit event inside it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Model
from django.utils import formats, timezone
from django.utils.translation import gettext

from throughcare.accounts.models import Agency, Membership, Role, User
from throughcare.audit.log import record
from throughcare.audit.models import Operation
from throughcare.cases.events import (
    CaseClosed,
    CaseOpened,
    CasePhaseChanged,
    CaseReleased,
    IntelligenceRecorded,
)
from throughcare.cases.gateway import gate
from throughcare.cases.models import (
    NEXT_PHASE,
    Case,
    CaseTeamMember,
    DataCategory,
    Nature,
    Phase,
    PhaseChange,
    TimelineEntry,
    case_reference,
)
from throughcare.cases.standing import Capability, Relation, Standing
from throughcare.lib.dates import midday
from throughcare.lib.errors import ActionRefused, EditConflict
from throughcare.lib.events import emit
from throughcare.lib.wording import Wording, label_of, midsentence, paragraph, worded
from throughcare.people.models import Person, SubjectCategory


@dataclass(frozen=True)
class NewPerson:
    given_name: str
    family_name: str
    date_of_birth: date | None
    gender: str
    nationality: str = ""
    languages: str = ""
    subject_category: str = SubjectCategory.CONVICTED


def open_case(
    details: NewPerson,
    *,
    by: User,
    agency: Agency,
    function: str,
    sentence_summary: str = "",
    phase: str = Phase.CUSTODY,
    opened_at: datetime | None = None,
) -> Case:
    """Create the person and their case, with the creator as lead of the case team."""
    opened_at = opened_at or timezone.now()
    with transaction.atomic():
        person = Person(**details.__dict__)
        person.refresh_search_text()
        person.save()
        case = Case.objects.create(
            reference=f"pending-{uuid.uuid4().hex[:12]}",
            person=person,
            sentence_summary=sentence_summary,
            phase=phase,
            opened_at=opened_at,
            last_activity_at=opened_at,
        )
        # Numbered from the primary key, so two cases opened at once never get the same reference.
        case.reference = case_reference(case.pk, opened_at)
        case.save(update_fields=["reference"])
        CaseTeamMember.objects.create(
            case=case,
            user=by,
            agency=agency,
            responsibility=CaseTeamMember.Responsibility.LEAD,
            function=function,
            started_at=opened_at,
        )
        PhaseChange.objects.create(case=case, to_phase=phase, changed_at=opened_at, changed_by=by)
        record_on_timeline(
            case,
            TimelineEntry.Kind.CASE_OPENED,
            worded("Case opened in phase %(phase)s.", phase=midsentence(Phase(phase).label)),
            by,
            agency,
            at=opened_at,
        )
        record(
            Operation.COLLECTION,
            person,
            by=by,
            agency=agency,
            case_id=case.pk,
            justification="case opened",
            details={"fields": sorted(details.__dict__)},
        )
        record(Operation.COLLECTION, case, by=by, agency=agency, case_id=case.pk, justification="case opened")
        emit(CaseOpened(case_id=case.pk, by_id=by.pk, at=opened_at, phase=phase))
    return case


def note_moment(day: date | None) -> datetime | None:
    """When a note typed with this day happened: now (None) for today or no day; else that day's midday."""
    if day is None or day == timezone.localdate():
        return None
    return midday(day)


def add_note(
    case: Case,
    *,
    by: User,
    body: str,
    category: str,
    nature: str,
    occurred_at: datetime | None = None,
) -> TimelineEntry:
    body = body.strip()
    if not body:
        raise ActionRefused(gettext("Enter the note"), field="body")
    if len(body) > settings.NOTE_MAX_LENGTH:
        raise ActionRefused(
            gettext("The note must be %(NOTE_MAX_LENGTH)s characters or fewer")
            % {"NOTE_MAX_LENGTH": format(settings.NOTE_MAX_LENGTH, ",")},
            field="body",
        )
    if category not in DataCategory.values:
        raise ActionRefused(gettext("Choose a category from the list"), field="category")
    if nature not in Nature.values:
        raise ActionRefused(gettext("Say whether this is a fact or an assessment"), field="nature")
    now = timezone.now()
    if occurred_at is not None and occurred_at > now:
        raise ActionRefused(gettext("The date it happened cannot be in the future"), field="occurred_at")
    if category == DataCategory.INTELLIGENCE and not gate().is_cleared(by):
        raise ActionRefused(
            gettext("Only cleared officers can record intelligence. Pass it to the police CT liaison."),
            field="category",
        )
    standing = gate().require_writer(by, case, category, doing="add notes in this category")
    with transaction.atomic():
        entry = TimelineEntry.objects.create(
            case=case,
            kind=TimelineEntry.Kind.NOTE,
            category=category,
            nature=nature,
            body=body,
            occurred_at=occurred_at or now,
            recorded_at=now,
            author=by,
            author_agency=standing.agency,
        )
        Case.objects.filter(pk=case.pk).update(last_activity_at=now)
        _audit(Operation.COLLECTION, entry, case, standing, by, {"category": category, "nature": nature})
        if category == DataCategory.INTELLIGENCE:
            emit(IntelligenceRecorded(case_id=case.pk, by_id=by.pk, at=entry.occurred_at))
    return entry


def change_phase(
    case: Case,
    *,
    by: User,
    to_phase: str,
    expected_version: int,
    reason: str | Wording = "",
    override_reason: str = "",
    closing: bool = False,
) -> PhaseChange:
    """Move the case to its next phase, refusing stale forms (someone else moved it first).

    The consequences are the reactions to the events it emits, in its transaction: `CasePhaseChanged`
    (responsibility is recomputed) and, on release, `CaseReleased` — refused while a release conference the
    jurisdiction requires is missing, unless a manager of an agency on the team overrides with
    `override_reason` (recorded); otherwise the notification requirement starts and the plan is reviewed.
    """
    standing = _phase_changer(by, case, reason=str(reason), override_reason=override_reason, closing=closing)
    _check_move(case, to_phase, closing=closing)
    overridden = bool(override_reason.strip())
    if overridden:
        override = worded(
            "Released without the required release conference — override by %(person)s: %(reason)s",
            person=str(by),
            reason=override_reason.strip(),
        )
        reason = paragraph([str(reason).strip(), override])
    now = timezone.now()
    try:
        change = _move(case, by, standing, to_phase, expected_version, reason, now, overridden)
    except ActionRefused:
        case.refresh_from_db()  # a reaction refused: nothing of the move was committed
        raise
    return change


def _move(
    case: Case,
    by: User,
    standing: Standing,
    to_phase: str,
    expected_version: int,
    reason: str | Wording,
    now: datetime,
    overridden: bool,
) -> PhaseChange:
    from_phase = case.phase
    with transaction.atomic():
        updated = Case.objects.filter(pk=case.pk, version=expected_version, phase=case.phase).update(
            phase=to_phase, version=F("version") + 1, last_activity_at=now
        )
        if updated != 1:
            raise EditConflict(_conflict_message(case))
        change = PhaseChange.objects.create(
            case=case,
            from_phase=case.phase,
            to_phase=to_phase,
            changed_at=now,
            changed_by=by,
            reason=reason.strip()[:500] if isinstance(reason, str) else reason,
        )
        phases = {"old": midsentence(Phase(case.phase).label), "new": midsentence(Phase(to_phase).label)}
        given = reason.strip() if isinstance(reason, str) else reason
        text = (
            worded("Phase changed from %(old)s to %(new)s. Reason: %(reason)s", reason=given, **phases)
            if given
            else worded("Phase changed from %(old)s to %(new)s.", **phases)
        )
        record_on_timeline(
            case,
            TimelineEntry.Kind.PHASE_CHANGE,
            text,
            by,
            standing.agency,
            at=now,
        )
        _audit(
            Operation.ALTERATION,
            case,
            case,
            standing,
            by,
            {"field": "phase", "from": case.phase, "to": to_phase},
        )
        # The consequences belong to the change: a release without its duties is never committed.
        case.refresh_from_db()
        emit(CasePhaseChanged(case_id=case.pk, by_id=by.pk, at=now, from_phase=from_phase, to_phase=to_phase))
        if to_phase == Phase.COMMUNITY:
            emit(
                CaseReleased(
                    case_id=case.pk,
                    by_id=by.pk,
                    at=now,
                    released_on=timezone.localdate(now),
                    release_conference_overridden=overridden,
                )
            )
        if to_phase == Phase.CLOSED:
            emit(CaseClosed(case_id=case.pk, by_id=by.pk, at=now))
    return change


def _phase_changer(by: User, case: Case, *, reason: str, override_reason: str, closing: bool) -> Standing:
    """Who may move the phase: the lead or a manager of the lead agency, giving a reason; a manager
    overriding the release conference; the closure, once its own rule (sign-off) was applied."""
    if override_reason.strip():
        return _override_standing(by, case)
    if closing:
        return gate().require_writer(by, case, None, doing="close this case")
    gate().require_capability(by, Capability.CHANGE_PHASE, doing="change the phase of this case", case=case)
    if not reason.strip():
        raise ActionRefused(gettext("Give the reason for the change of phase"), field="reason")
    return gate().standing_on_case(by, case)


def _check_move(case: Case, to_phase: str, *, closing: bool) -> None:
    if closing and to_phase == Phase.CLOSED and case.phase != Phase.CLOSED:
        return  # closing (rehab.closure) may end a case from any phase once the agencies have signed off
    if NEXT_PHASE.get(case.phase) != to_phase:
        allowed = NEXT_PHASE.get(case.phase)
        hint = (
            f" It can only move to {Phase(allowed).label}." if allowed else " A closed case cannot move on."
        )
        raise ActionRefused(
            gettext("A case in %(phase)s cannot move to %(_label)s.%(hint)s")
            % {"phase": case.get_phase_display(), "_label": _label(to_phase), "hint": hint},
            field="to_phase",
        )
    if to_phase == Phase.CLOSED:
        raise ActionRefused(
            gettext(
                "A case is closed from “Criteria and closure”: the criteria are reviewed with evidence and "
                "the agencies sign off."
            ),
            field="to_phase",
        )


def update_person(
    person: Person, case: Case, *, by: User, changes: dict[str, object], expected_version: int
) -> Person:
    """Correct identity details, refusing to overwrite someone else's newer edit."""
    standing = gate().require_writer(by, case, DataCategory.IDENTITY, doing="correct identity details")
    # Compare with the stored row: a bound ModelForm has already copied the new values onto `person`.
    stored = Person.objects.get(pk=person.pk)
    changed = {name: value for name, value in changes.items() if getattr(stored, name) != value}
    if not changed:
        return person
    with transaction.atomic():
        updated = Person.objects.filter(pk=person.pk, version=expected_version).update(
            **changed, version=F("version") + 1
        )
        if updated != 1:
            raise EditConflict(
                gettext(
                    "Someone else changed these identity details after you opened the form. "
                    "Your changes were not saved: review the current details and make your changes again."
                )
            )
        person.refresh_from_db()
        person.refresh_search_text()
        person.save(update_fields=["search_text"])
        names = [Person._meta.get_field(n).verbose_name for n in sorted(changed)]  # type: ignore[union-attr]
        record_on_timeline(
            case,
            TimelineEntry.Kind.RECORD_CHANGE,
            worded("Identity details corrected: %(fields)s.", fields=names),
            by,
            standing.agency,
            category=DataCategory.IDENTITY,
        )
        _audit(Operation.ALTERATION, person, case, standing, by, {"fields": sorted(changed)})
    return person


# The case team, managed by its lead -----------------------------------------------------------------


def add_to_team(
    case: Case, *, by: User, user: User, agency: Agency, responsibility: str, function: str = ""
) -> CaseTeamMember:
    """Give a worker a place on the team, acting for an agency they belong to. Making them the lead hands
    the lead over: the lead before stays on the team as supporting."""
    gate().require_capability(by, Capability.MANAGE_TEAM, doing="change the case team", case=case)
    if not Membership.objects.filter(
        user=user, agency=agency, is_active=True, role__in=[Role.PRACTITIONER, Role.MANAGER]
    ).exists():
        raise ActionRefused(
            gettext("%(user)s does not work for %(agency)s: choose an agency they belong to")
            % {"user": user, "agency": agency},
            field="agency",
        )
    if case.team.active().filter(user=user).exists():
        raise ActionRefused(
            gettext("%(user)s is already on the case team: change their place instead") % {"user": user},
            field="user",
        )
    if responsibility not in CaseTeamMember.Responsibility.values:
        raise ActionRefused(gettext("Choose lead or supporting"), field="responsibility")
    with transaction.atomic():
        if responsibility == CaseTeamMember.Responsibility.LEAD:
            _step_down_lead(case, by)
        place = CaseTeamMember.objects.create(
            case=case, user=user, agency=agency, responsibility=responsibility, function=function.strip()
        )
        record_team_change(place, by=by, changed=["created"])
    return place


def change_place(
    place: CaseTeamMember, *, by: User, responsibility: str, function: str, expected: str
) -> CaseTeamMember:
    """Change a place's responsibility or function. `expected` is the place as the form showed it
    (`place_state`): a place someone else changed since is not overwritten."""
    gate().require_capability(by, Capability.MANAGE_TEAM, doing="change the case team", case=place.case)
    if responsibility not in CaseTeamMember.Responsibility.values:
        raise ActionRefused(gettext("Choose lead or supporting"), field="responsibility")
    with transaction.atomic():
        current = CaseTeamMember.objects.select_for_update().get(pk=place.pk)
        if place_state(current) != expected:
            raise EditConflict(_team_conflict(current))
        if current.ended_at is not None:
            raise ActionRefused(
                gettext("%(user)s has left the case team: add them again instead") % {"user": current.user}
            )
        if (
            current.responsibility == CaseTeamMember.Responsibility.LEAD
            and responsibility != CaseTeamMember.Responsibility.LEAD
        ):
            raise ActionRefused(
                gettext(
                    "A case always has a lead: make someone else the lead, and this place becomes supporting"
                ),
                field="responsibility",
            )
        changed = []
        if responsibility != current.responsibility:
            _step_down_lead(place.case, by)
            changed.append("responsibility")
        if function.strip() != current.function:
            changed.append("function")
        if not changed:
            return current
        CaseTeamMember.objects.filter(pk=current.pk).update(
            responsibility=responsibility, function=function.strip()
        )
        current.refresh_from_db()
        record_team_change(current, by=by, changed=changed)
    return current


def end_place(place: CaseTeamMember, *, by: User, reason: str, expected: str) -> CaseTeamMember:
    """End a place on the team, with the reason. The worker keeps read-only access for the residual period,
    as the gate says; the history of who was on the team stays."""
    gate().require_capability(by, Capability.MANAGE_TEAM, doing="change the case team", case=place.case)
    if not reason.strip():
        raise ActionRefused(gettext("Give the reason their place ends"), field="reason")
    with transaction.atomic():
        current = CaseTeamMember.objects.select_for_update().get(pk=place.pk)
        if place_state(current) != expected:
            raise EditConflict(_team_conflict(current))
        if current.ended_at is not None:
            return current
        if current.responsibility == CaseTeamMember.Responsibility.LEAD:
            raise ActionRefused(
                gettext("Make someone else the lead before the lead's place ends"), field="reason"
            )
        CaseTeamMember.objects.filter(pk=current.pk).update(ended_at=timezone.now())
        current.refresh_from_db()
        record_team_change(current, by=by, changed=["ended_at"], reason=reason.strip())
    return current


def place_state(place: CaseTeamMember) -> str:
    """What a form saw of a place, to detect a change made by someone else in between."""
    ended = place.ended_at.isoformat() if place.ended_at else ""
    return f"{place.responsibility}|{place.function}|{ended}"


def _step_down_lead(case: Case, by: User) -> None:
    """The active lead becomes supporting (a case has one lead: the constraint keeps it so)."""
    for lead in CaseTeamMember.objects.select_for_update().filter(
        case=case, ended_at__isnull=True, responsibility=CaseTeamMember.Responsibility.LEAD
    ):
        CaseTeamMember.objects.filter(pk=lead.pk).update(
            responsibility=CaseTeamMember.Responsibility.SUPPORTING
        )
        lead.refresh_from_db()
        record_team_change(lead, by=by, changed=["responsibility"])


def _team_conflict(place: CaseTeamMember) -> str:
    return gettext(
        "Someone else changed %(person)s's place on the team after you opened the form, so your change was "
        "not saved. The page now shows the team as it is."
    ) % {"person": place.user}


def record_team_change(place: CaseTeamMember, *, by: User, changed: list[str], reason: str = "") -> None:
    """Put a change of the case team on the timeline and in the audit log.

    Called by the team verbs above and by the administration screens, inside their transaction, after the
    place was saved; `changed` names the changed fields, or is ["created"] for a new place.
    """
    created = changed == ["created"]
    text = _team_change_text(place, changed)
    if text and reason:
        text = worded("%(change)s Reason: %(reason)s", change=text, reason=reason)
    if text:
        record_on_timeline(place.case, TimelineEntry.Kind.TEAM_CHANGE, text, by, None)
    operation = Operation.COLLECTION if created else Operation.ALTERATION
    record(
        operation,
        place,
        by=by,
        case_id=place.case_id,
        justification="case team administration",
        details={"user": place.user_id, "agency": place.agency_id, "fields": changed}
        | ({"reason": reason} if reason else {}),
    )


def _team_change_text(place: CaseTeamMember, changed: list[str]) -> Wording | None:
    who = f"{place.user} ({place.agency.label})"
    role = midsentence(label_of(place, "responsibility"))
    if changed == ["created"] and place.function:
        return worded(
            "%(who)s joined the case team: %(role)s, %(function)s.",
            who=who,
            role=role,
            function=place.function,
        )
    if changed == ["created"]:
        return worded("%(who)s joined the case team: %(role)s.", who=who, role=role)
    if "ended_at" in changed and place.ended_at is not None:
        return worded(
            "%(who)s left the case team on %(date)s.", who=who, date=timezone.localdate(place.ended_at)
        )
    if "responsibility" in changed:
        return worded("%(who)s is now %(role)s on the case team.", who=who, role=role)
    if "function" in changed and place.function:
        return worded(
            "%(who)s's function on the case team is now: %(function)s.", who=who, function=place.function
        )
    if "function" in changed:
        return worded("%(who)s's function on the case team is no longer given.", who=who)
    return None


def _override_standing(by: User, case: Case) -> Standing:
    standing = gate().standing_on_case(by, case)
    if standing.relation != Relation.MANAGER:
        managing = Membership.objects.filter(
            user=by,
            role=Role.MANAGER,
            is_active=True,
            agency__case_places__case=case,
            agency__case_places__ended_at__isnull=True,
        ).exists()
        if not managing:
            raise ActionRefused(
                gettext("Only a manager of an agency on the case team can override the release conference.")
            )
    return standing


def _audit(
    operation: Operation, obj: Model, case: Case, standing: Standing, by: User, details: dict[str, Any]
) -> None:
    record(
        operation,
        obj,
        by=by,
        agency=standing.agency,
        case_id=case.pk,
        justification=standing.justification,
        details=details,
    )


def record_on_timeline(  # a fact the system records, e.g. a phase change or a sharing decision
    case: Case,
    kind: str,
    body: Wording | str,
    by: User,
    agency: Agency | None,
    *,
    at: datetime | None = None,
    category: str = DataCategory.GENERAL,
) -> TimelineEntry:
    at = at or timezone.now()
    Case.objects.filter(pk=case.pk).update(last_activity_at=at)
    return TimelineEntry.objects.create(
        case=case,
        kind=kind,
        category=category,
        nature=Nature.FACT,
        body=body,
        occurred_at=at,
        recorded_at=at,
        author=by,
        author_agency=agency,
    )


def _label(phase: str) -> str:
    return str(Phase(phase).label) if phase in Phase.values else repr(phase)


def _conflict_message(case: Case) -> str:
    latest = PhaseChange.objects.filter(case=case).select_related("changed_by").last()
    if latest is None:
        return gettext(
            "This case was changed after you opened it, so your change was not saved. The page now shows the "
            "current phase."
        )
    return gettext(
        "This case was changed by %(person)s at %(time)s after you opened it, so your change was not saved. "
        "The page now shows the current phase."
    ) % {"person": latest.changed_by, "time": formats.time_format(timezone.localtime(latest.changed_at))}
