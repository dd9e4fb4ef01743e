"""Referrals: made by the case team with a curated summary, sent to the provider, assessed and
delivered by the provider, ended with a reason or completed with an end-of-service report.

The referrer chooses what the provider sees; the summary is frozen when it is made, so the provider
never sees more than was shared (nor what the case says later). A provider that needs consent gets a
referral only with the person's recorded consent covering every part shared — or a permitted override.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from throughcare.accounts.models import User
from throughcare.audit.log import record
from throughcare.audit.models import Operation
from throughcare.cases.actions import record_on_timeline
from throughcare.cases.events import ReferralStateChanged
from throughcare.cases.facts import sentence_facts
from throughcare.cases.models import Case, DataCategory, Phase, TimelineEntry
from throughcare.lib.errors import ActionRefused, EditConflict
from throughcare.lib.events import emit
from throughcare.lib.wording import label_of, midsentence, worded
from throughcare.notifications.send import notify
from throughcare.rehab.access import ReferralStanding
from throughcare.rehab.models import (
    CLOSED_STATUSES,
    Achievement,
    DesiredOutcome,
    EndReason,
    PathwayNeed,
    Programme,
    Referral,
    ReferralEvent,
    Session,
    Setting,
    Status,
    SupportNeed,
)
from throughcare.sharing.access import Capability, has_capability, require_writer
from throughcare.sharing.actions import consented_categories, modes_for

S = Status

# Who moves a referral where. The case team sends and may withdraw; the provider assesses and delivers.
TEAM_MOVES: dict[str, set[str]] = {
    S.STARTED: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.WITHDRAWN},
    S.AWAITING_ASSESSMENT: {S.WITHDRAWN},
    S.SUITABLE: {S.WITHDRAWN},
    S.NOT_READY: {S.WITHDRAWN},
    S.ON_PROGRAMME: {S.WITHDRAWN},
}
PROVIDER_MOVES: dict[str, set[str]] = {
    S.SUBMITTED: {S.AWAITING_ASSESSMENT, S.NOT_ELIGIBLE},
    S.AWAITING_ASSESSMENT: {S.SUITABLE, S.NOT_SUITABLE, S.NOT_READY},
    S.NOT_READY: {S.SUITABLE, S.NOT_SUITABLE},
    S.SUITABLE: {S.ON_PROGRAMME},
    S.ON_PROGRAMME: {S.COMPLETE, S.DESELECTED},
}
NEEDS_REASON = {S.NOT_SUITABLE, S.NOT_ELIGIBLE, S.NOT_READY, S.DESELECTED, S.WITHDRAWN}


@dataclass(frozen=True)
class Section:
    code: str
    heading: str
    category: str


SECTIONS = [  # headings translated where they are shown (the summary a provider receives keeps its words)
    Section("about", gettext_noop("About the person"), DataCategory.IDENTITY),
    Section("sentence", gettext_noop("Sentence and release"), DataCategory.LEGAL),
    Section("pathways", gettext_noop("Resettlement needs"), DataCategory.GENERAL),
    Section("support", gettext_noop("Gender-responsive needs and safety"), DataCategory.FAMILY),
    Section("family", gettext_noop("Children and family"), DataCategory.FAMILY),
]
SECTION_BY_CODE = {s.code: s for s in SECTIONS}


def eligibility_problem(programme: Programme, case: Case, today: date) -> str | None:
    """Why the person cannot go on this programme, or None (in the reader's language)."""
    person = case.person
    values: dict[str, Any] = {"programme": programme.translated("name"), "person": person.given_name}
    if programme.eligible_gender == Programme.Eligible.WOMEN and person.gender != "female":
        return gettext("%(programme)s is for women only.") % values
    if programme.eligible_gender == Programme.Eligible.MEN and person.gender != "male":
        return gettext("%(programme)s is for men only.") % values
    age = person.age_on(today)
    if age is not None and programme.min_age and age < programme.min_age:
        return gettext("%(programme)s takes people aged %(min)s and over; %(person)s is %(age)s.") % {
            **values,
            "min": programme.min_age,
            "age": age,
        }
    if age is not None and programme.max_age and age > programme.max_age:
        return gettext("%(programme)s takes people aged up to %(max)s; %(person)s is %(age)s.") % {
            **values,
            "max": programme.max_age,
            "age": age,
        }
    # A community programme may be arranged from custody, to start on release; not the other way round.
    in_custody = case.phase in (Phase.CUSTODY, Phase.RELEASE_PLANNING)
    if programme.setting == Setting.CUSTODY and not in_custody:
        return gettext("%(programme)s is delivered in custody; the person is in the community.") % values
    if not programme.is_active:
        return gettext("%(programme)s no longer takes referrals.") % values
    return None


def make_referral(
    case: Case,
    programme: Programme,
    *,
    by: User,
    reason: str,
    sections: list[str],
    note_for_provider: str = "",
    consent_override_reason: str = "",
) -> Referral:
    """A referral in the state "started", with its curated summary for the referrer to check and send."""
    standing = require_writer(by, case, DataCategory.INTERVENTIONS, doing="refer")
    assert standing.agency is not None  # require_writer refuses a standing without one
    problem = eligibility_problem(programme, case, timezone.localdate())
    if problem:
        raise ActionRefused(
            gettext("%(problem)s Choose another programme.") % {"problem": problem}, field="programme"
        )
    if len(reason.strip()) < 10:
        raise ActionRefused(gettext("Say why this programme and what it should achieve"), field="reason")
    unknown = [code for code in sections if code not in SECTION_BY_CODE]
    if unknown:
        raise ActionRefused(gettext("Choose what to share from the list"), field="sections")
    not_held = [
        gettext(SECTION_BY_CODE[c].heading)
        for c in sections
        if SECTION_BY_CODE[c].category not in standing.categories
    ]
    if not_held:
        raise ActionRefused(
            gettext("You cannot share what you do not hold: %(join)s.") % {"join": ", ".join(not_held)},
            field="sections",
        )
    _check_consent(case, programme, sections, by, consent_override_reason)
    summary = [[gettext_noop("Why this referral"), reason.strip()]] + [
        [SECTION_BY_CODE[code].heading, _section_text(case, code)] for code in sections
    ]
    if note_for_provider.strip():
        summary.append([gettext_noop("What you should know to work safely"), note_for_provider.strip()])
    with transaction.atomic():
        referral = Referral.objects.create(
            case=case,
            programme=programme,
            reason=reason.strip(),
            summary=summary,
            consent_override_reason=consent_override_reason.strip(),
            referred_by=by,
            referring_agency=standing.agency,
        )
        ReferralEvent.objects.create(referral=referral, status=S.STARTED, by=by)
        record(
            Operation.COLLECTION,
            referral,
            by=by,
            agency=standing.agency,
            case_id=case.pk,
            justification=standing.justification,
            details={"programme": programme.name, "sections": sections},
        )
    return referral


def _check_consent(case: Case, programme: Programme, sections: list[str], by: User, override: str) -> None:
    if not programme.requires_consent:
        return
    if override.strip():
        if not has_capability(by, Capability.OVERRIDE_CONSENT):
            raise ActionRefused(
                gettext("Only a manager permitted to override consent can refer without it."), field="consent"
            )
        return

    consented = consented_categories(case, programme.provider)
    if not consented:
        raise ActionRefused(
            gettext(
                "%(provider)s works with consent: record %(given_name)s's consent to "
                "share with them first (Sharing, consent and restrictions), or a "
                "permitted manager overrides with a reason."
            )
            % {"provider": programme.provider, "given_name": case.person.given_name},
            field="consent",
        )
    # What the sharing rules give this kind of agency outright needs no consent; the rest does.
    always = {c for c, mode in modes_for(programme.provider.kind).items() if mode == "always"}
    wanted = {SECTION_BY_CODE[c].category for c in sections} | {DataCategory.INTERVENTIONS}
    missing = sorted(DataCategory(c).label for c in wanted - consented - always)
    if missing:
        raise ActionRefused(
            gettext(
                "The consent recorded for %(provider)s does not cover: %(join)s. Share "
                "less, or record consent that covers it."
            )
            % {"provider": programme.provider, "join": ", ".join(map(str, missing))},
            field="sections",
        )


def _section_text(case: Case, code: str) -> str:
    person = case.person
    if code == "about":
        age = person.age_on(timezone.localdate())
        return (
            f"{person.given_name} {person.family_name}"
            + (f", {age}" if age is not None else "")
            + f", {person.get_gender_display().lower()}. Languages: {person.languages or 'not recorded'}."
        )
    if code == "sentence":
        return _sentence_text(case)
    if code == "pathways":
        needs = PathwayNeed.objects.filter(case=case).exclude(
            state__in=[PathwayNeed.State.MET, PathwayNeed.State.NOT_NEEDED]
        )
        return "; ".join(f"{n.get_pathway_display()}: {n.need}" for n in needs) or "None recorded."
    if code == "support":
        return "; ".join(
            f"{n.get_kind_display()}: {n.detail}" for n in SupportNeed.objects.filter(case=case)
        ) or ("None recorded.")
    dependants = case.dependants.select_related("person")
    return (
        "; ".join(
            f"{d.get_relation_display()}, {d.person.given_name}"
            + (f", {d.person.age_on(timezone.localdate())}" if d.person.date_of_birth else "")
            + (f" ({d.care_arrangement})" if d.care_arrangement else "")
            for d in dependants
        )
        or "None recorded."
    )


def _sentence_text(case: Case) -> str:
    release = sentence_facts().release_date(case)
    text = f"Phase: {case.get_phase_display()}."
    if release:
        text += f" Release date: {release:%d %B %Y}."
    return text


def move(
    referral: Referral, to: str, *, by: User, standing: ReferralStanding, end_reason: str = "", note: str = ""
) -> None:
    """Move the referral on in its life; refuses moves the user's side may not make, and endings without
    a reason."""
    _may_write(standing)
    moves = PROVIDER_MOVES if standing.as_provider else TEAM_MOVES
    if to not in Status.values:
        raise ActionRefused(gettext("Choose what happens next from the buttons shown"), field="status")
    if to not in moves.get(referral.status, set()):
        side = "the provider" if standing.as_provider else "the case team"
        raise ActionRefused(
            gettext("A referral that is “%(lower)s” cannot be moved to “%(lower2)s” by %(side)s.")
            % {
                "lower": referral.get_status_display().lower(),
                "lower2": Status(to).label.lower(),
                "side": side,
            },
            field="status",
        )
    if to in NEEDS_REASON and end_reason not in EndReason.values:
        raise ActionRefused(
            gettext("Choose the reason (motivation, operational, personal, administrative, other)"),
            field="end_reason",
        )
    if to == S.COMPLETE:
        _check_complete(referral)
    if to == S.ON_PROGRAMME:
        _check_capacity(referral.programme)
    if to == S.SUBMITTED:
        eligibility = eligibility_problem(referral.programme, referral.case, timezone.localdate())
        if eligibility:
            raise ActionRefused(eligibility, field="programme")
    _apply(referral, to, by=by, standing=standing, end_reason=end_reason, note=note)


def _may_write(standing: ReferralStanding) -> None:
    """Reading a referral (a manager overseeing the case) is not working on it."""
    if not standing.can_write:
        raise ActionRefused(
            gettext("Only the case team and the provider work on a referral; you can read it.")
        )


def _check_capacity(programme: Programme) -> None:
    taken = Referral.objects.filter(programme=programme, status=S.ON_PROGRAMME).count()
    if taken >= programme.capacity:
        raise ActionRefused(
            gettext(
                "%(name)s is full (%(taken)s of %(capacity)s places taken). Keep the "
                "person as assessed suitable until a place frees up."
            )
            % {"name": programme.name, "taken": taken, "capacity": programme.capacity},
            field="status",
        )


def _check_complete(referral: Referral) -> None:
    if not referral.end_of_service_report.strip():
        raise ActionRefused(
            gettext("Write the end-of-service report before completing"), field="end_of_service_report"
        )
    unrated = [o.description for o in referral.outcomes.all() if not o.achievement]
    if unrated:
        raise ActionRefused(
            gettext("Say how far each outcome was achieved: %(join)s") % {"join": ", ".join(unrated)},
            field="outcomes",
        )


def _apply(
    referral: Referral, to: str, *, by: User, standing: ReferralStanding, end_reason: str, note: str
) -> None:
    now = timezone.now()
    fields: dict[str, object] = {"status": to, "version": F("version") + 1}
    if to == S.SUBMITTED:
        fields["submitted_at"] = now
    if to in NEEDS_REASON:
        fields |= {"end_reason": end_reason, "end_note": note.strip()[:500]}
    with transaction.atomic():
        moved = Referral.objects.filter(
            pk=referral.pk, status=referral.status, version=referral.version
        ).update(**fields)
        if moved != 1:
            raise EditConflict(
                gettext("Someone changed this referral meanwhile. Nothing was saved: look again.")
            )
        ReferralEvent.objects.create(referral=referral, status=to, note=note.strip()[:500], by=by, at=now)
        referral.refresh_from_db()
        moved_to = {"programme": str(referral.programme), "status": midsentence(label_of(referral, "status"))}
        text = (
            worded(
                "Referral to %(programme)s: %(status)s (%(reason)s: %(note)s)",
                reason=midsentence(label_of(referral, "end_reason")),
                note=referral.end_note,
                **moved_to,
            )
            if to in NEEDS_REASON
            else worded("Referral to %(programme)s: %(status)s.", **moved_to)
        )
        record_on_timeline(
            referral.case,
            TimelineEntry.Kind.RECORD_CHANGE,
            text,
            by,
            standing.agency,
            category=DataCategory.INTERVENTIONS,
        )
        sent = to == S.SUBMITTED
        record(
            Operation.DISCLOSURE if sent else Operation.ALTERATION,
            referral,
            by=by,
            agency=standing.agency,
            case_id=referral.case_id,
            justification=standing.justification,
            recipients=[referral.programme.provider.name] if sent else (),
            details={"status": to} | ({"sections": [h for h, _ in referral.summary]} if sent else {}),
        )
        emit(
            ReferralStateChanged(
                case_id=referral.case_id, by_id=by.pk, at=now, referral_id=referral.pk, state=to
            )
        )
        _tell(referral, to, by)


def _tell(referral: Referral, to: str, by: User) -> None:
    url = reverse("rehab:referral", args=[referral.pk])
    if to == S.SUBMITTED:
        workers = User.objects.filter(
            memberships__agency=referral.programme.provider, memberships__is_active=True
        ).exclude(memberships__role__in=["auditor", "analyst", "admin"])
        notify(
            workers,
            worded("New referral to %(programme)s", programme=str(referral.programme)),
            worded("From %(agency)s.", agency=str(referral.referring_agency)),
            url,
        )
    elif to in PROVIDER_MOVES.get(referral.status, set()) or to in CLOSED_STATUSES:
        notify(
            [referral.referred_by],
            worded(
                "Referral to %(programme)s: %(status)s",
                programme=str(referral.programme),
                status=midsentence(Status(to).label),
            ),
            worded("By %(person)s.", person=str(by)),
            url,
        )


def set_action_plan(
    referral: Referral, *, by: User, standing: ReferralStanding, plan: str, outcomes: list[str]
) -> None:
    _may_write(standing)
    if not standing.as_provider:
        raise ActionRefused(gettext("The provider writes the action plan."))
    if referral.status not in (S.SUITABLE, S.ON_PROGRAMME):
        raise ActionRefused(gettext("The action plan is written once the person is assessed suitable."))
    wanted = [o.strip() for o in outcomes if o.strip()]
    if not plan.strip() or not wanted:
        raise ActionRefused(
            gettext("Write the action plan and at least one desired outcome"), field="action_plan"
        )
    with transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(action_plan=plan.strip(), version=F("version") + 1)
        existing = {o.description for o in referral.outcomes.all()}
        DesiredOutcome.objects.bulk_create(
            DesiredOutcome(referral=referral, description=o[:300]) for o in wanted if o not in existing
        )
        _audit_delivery(referral, by, standing, "action plan")
    referral.refresh_from_db()


def record_session(
    referral: Referral,
    *,
    by: User,
    standing: ReferralStanding,
    held_on: date,
    attendance: str,
    note: str = "",
) -> Session:
    _may_write(standing)
    if not standing.as_provider:
        raise ActionRefused(gettext("The provider records sessions."))
    if referral.status != S.ON_PROGRAMME:
        raise ActionRefused(gettext("Sessions are recorded while the person is on the programme."))
    if held_on > timezone.localdate():
        raise ActionRefused(
            gettext("Attendance cannot be recorded for a session in the future"), field="held_on"
        )
    if attendance not in Session.Attendance.values:
        raise ActionRefused(gettext("Say whether the person attended"), field="attendance")
    with transaction.atomic():
        session = Session.objects.create(
            referral=referral, held_on=held_on, attendance=attendance, note=note.strip()[:500], recorded_by=by
        )
        record_on_timeline(
            referral.case,
            TimelineEntry.Kind.NOTE,
            worded(
                "%(programme)s: session of %(date)s — %(attendance)s.",
                programme=str(referral.programme),
                date=held_on,
                attendance=midsentence(label_of(session, "attendance")),
            ),
            by,
            standing.agency,
            category=DataCategory.INTERVENTIONS,
        )
        _audit_delivery(referral, by, standing, "session")
    return session


def end_of_service(
    referral: Referral, *, by: User, standing: ReferralStanding, report: str, achievements: dict[int, str]
) -> None:
    """The end-of-service report: each desired outcome with how far it was achieved; then complete."""
    _may_write(standing)
    if not standing.as_provider:
        raise ActionRefused(gettext("The provider writes the end-of-service report."))
    outcomes = list(referral.outcomes.all())
    for outcome in outcomes:
        if achievements.get(outcome.pk) not in Achievement.values:
            raise ActionRefused(
                gettext("Say how far “%(description)s” was achieved") % {"description": outcome.description},
                field="outcomes",
            )
    if not report.strip():
        raise ActionRefused(gettext("Write the end-of-service report"), field="end_of_service_report")
    with transaction.atomic():
        for outcome in outcomes:
            DesiredOutcome.objects.filter(pk=outcome.pk).update(achievement=achievements[outcome.pk])
        Referral.objects.filter(pk=referral.pk).update(end_of_service_report=report.strip())
        referral.refresh_from_db()
        move(referral, S.COMPLETE, by=by, standing=standing)


def _audit_delivery(referral: Referral, by: User, standing: ReferralStanding, what: str) -> None:
    record(
        Operation.COLLECTION,
        referral,
        by=by,
        agency=standing.agency,
        case_id=referral.case_id,
        justification=standing.justification,
        details={"recorded": what},
    )
