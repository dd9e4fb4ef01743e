"""The person's resettlement: pathway needs, gender-responsive needs and safety planning, children and
family as their own data subjects, appointments, and the record that the person saw their own plan.

Each is written by the case team within the data categories they hold, on the timeline and audited."""

from __future__ import annotations

from datetime import date, datetime

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from throughcare.accounts.models import Agency, User
from throughcare.audit.log import record
from throughcare.audit.models import Operation
from throughcare.cases.actions import record_on_timeline
from throughcare.cases.models import Case, DataCategory, TimelineEntry
from throughcare.lib.errors import ActionRefused, EditConflict
from throughcare.lib.wording import Wording, label_of, midsentence, worded
from throughcare.people.models import Person, SubjectCategory
from throughcare.rehab.models import (
    PATHWAY_CATEGORY,
    Appointment,
    Dependant,
    OwnPlanRecord,
    Pathway,
    PathwayNeed,
    SupportNeed,
)
from throughcare.sharing.access import Standing, require_writer


def _written(
    case: Case, by: User, standing: Standing, category: str, text: Wording, obj: models.Model, op: Operation
) -> None:
    assert standing.agency is not None
    record_on_timeline(case, TimelineEntry.Kind.RECORD_CHANGE, text, by, standing.agency, category=category)
    record(op, obj, by=by, agency=standing.agency, case_id=case.pk, justification=standing.justification)


def add_need(
    case: Case, *, by: User, pathway: str, need: str, owner_kind: str, owner_agency: Agency | None
) -> PathwayNeed:
    if pathway not in Pathway.values:
        raise ActionRefused(gettext("Choose the pathway"), field="pathway")
    category = PATHWAY_CATEGORY[Pathway(pathway)]
    standing = require_writer(by, case, category, doing="record resettlement needs")
    if not need.strip():
        raise ActionRefused(gettext("Describe the need"), field="need")
    if owner_kind not in PathwayNeed.Owner.values or owner_agency is None:
        raise ActionRefused(
            gettext("Say who owns this need: prison, probation or a partner, and which agency"),
            field="owner_kind",
        )
    with transaction.atomic():
        created = PathwayNeed.objects.create(
            case=case,
            pathway=pathway,
            need=need.strip()[:300],
            owner_kind=owner_kind,
            owner_agency=owner_agency,
            updated_by=by,
        )
        text = worded(
            "Resettlement need (%(pathway)s): %(need)s — owned by %(agency)s.",
            pathway=label_of(created, "pathway"),
            need=created.need,
            agency=str(owner_agency),
        )
        _written(case, by, standing, category, text, created, Operation.COLLECTION)
    return created


def update_need(need: PathwayNeed, *, by: User, state: str, expected_version: int) -> None:
    category = PATHWAY_CATEGORY[Pathway(need.pathway)]
    standing = require_writer(by, need.case, category, doing="update resettlement needs")
    if state not in PathwayNeed.State.values:
        raise ActionRefused(gettext("Choose the status"), field="state")
    with transaction.atomic():
        updated = PathwayNeed.objects.filter(pk=need.pk, version=expected_version).update(
            state=state, updated_by=by, updated_at=timezone.now(), version=F("version") + 1
        )
        if updated != 1:
            raise EditConflict(
                gettext("Someone updated “%(need)s” meanwhile. Nothing was saved: look at it again.")
                % {"need": need.need}
            )
        text = worded(
            "Resettlement need “%(need)s”: %(state)s.",
            need=need.need,
            state=midsentence(PathwayNeed.State(state).label),
        )
        _written(need.case, by, standing, category, text, need, Operation.ALTERATION)


def add_support_need(case: Case, *, by: User, kind: str, detail: str, safety_plan: str = "") -> SupportNeed:
    standing = require_writer(by, case, DataCategory.FAMILY, doing="record gender-responsive needs")
    if kind not in SupportNeed.Kind.values:
        raise ActionRefused(gettext("Choose the kind of need"), field="kind")
    if not detail.strip():
        raise ActionRefused(gettext("Describe the need"), field="detail")
    if kind == SupportNeed.Kind.DOMESTIC_ABUSE and not safety_plan.strip():
        raise ActionRefused(
            gettext("Domestic abuse and coercive control need a safety plan"), field="safety_plan"
        )
    with transaction.atomic():
        created = SupportNeed.objects.create(
            case=case, kind=kind, detail=detail.strip()[:500], safety_plan=safety_plan.strip(), recorded_by=by
        )
        need = midsentence(label_of(created, "kind"))
        text = (
            worded("Need recorded: %(kind)s. Safety plan in place.", kind=need)
            if created.safety_plan
            else worded("Need recorded: %(kind)s.", kind=need)
        )
        _written(case, by, standing, DataCategory.FAMILY, text, created, Operation.COLLECTION)
    return created


def add_dependant(
    case: Case,
    *,
    by: User,
    given_name: str,
    family_name: str,
    date_of_birth: date | None,
    relation: str,
    lives_with: bool,
    care_arrangement: str = "",
) -> Dependant:
    """A child or family member, recorded as their own data subject (family category)."""
    standing = require_writer(by, case, DataCategory.FAMILY, doing="record children and family")
    if not given_name.strip():
        raise ActionRefused(gettext("Give the first name"), field="given_name")
    if relation not in Dependant.Relation.values:
        raise ActionRefused(gettext("Choose the relation"), field="relation")
    if date_of_birth and date_of_birth > timezone.localdate():
        raise ActionRefused(gettext("The date of birth cannot be in the future"), field="date_of_birth")
    with transaction.atomic():
        person = Person(
            given_name=given_name.strip(),
            family_name=family_name.strip(),
            date_of_birth=date_of_birth,
            subject_category=SubjectCategory.OTHER,
        )
        person.refresh_search_text()
        person.save()
        dependant = Dependant.objects.create(
            case=case,
            person=person,
            relation=relation,
            lives_with=lives_with,
            care_arrangement=care_arrangement.strip()[:300],
            recorded_by=by,
        )
        record(
            Operation.COLLECTION,
            person,
            by=by,
            agency=standing.agency,
            case_id=case.pk,
            justification="family member recorded",
        )
        family = {"relation": label_of(dependant, "relation"), "name": person.given_name}
        text = (
            worded("%(relation)s recorded: %(name)s (%(care)s)", care=dependant.care_arrangement, **family)
            if dependant.care_arrangement
            else worded("%(relation)s recorded: %(name)s.", **family)
        )
        _written(case, by, standing, DataCategory.FAMILY, text, dependant, Operation.COLLECTION)
    return dependant


def add_appointment(
    case: Case, *, by: User, starts_at: datetime | None, with_whom: str, place: str, purpose: str
) -> Appointment:
    standing = require_writer(by, case, DataCategory.GENERAL, doing="add appointments")
    if starts_at is None:
        raise ActionRefused(gettext("Give the date and time"), field="starts_at")
    if not (with_whom.strip() and place.strip() and purpose.strip()):
        raise ActionRefused(gettext("Say with whom, where and what for"), field="purpose")
    with transaction.atomic():
        created = Appointment.objects.create(
            case=case,
            starts_at=starts_at,
            with_whom=with_whom.strip(),
            place=place.strip(),
            purpose=purpose.strip(),
            recorded_by=by,
        )
        text = worded(
            "Appointment %(moment)s with %(with_whom)s: %(purpose)s.",
            moment=starts_at,
            with_whom=created.with_whom,
            purpose=created.purpose,
        )
        _written(case, by, standing, DataCategory.GENERAL, text, created, Operation.COLLECTION)
    return created


def record_own_plan(case: Case, *, by: User, shown_on: date, response: str, own_words: str) -> OwnPlanRecord:
    """The person saw their plan: agreed, partly or not, in their own words."""
    standing = require_writer(
        by, case, DataCategory.GENERAL, doing="record the person's response to their plan"
    )
    if shown_on > timezone.localdate():
        raise ActionRefused(gettext("The date shown cannot be in the future"), field="shown_on")
    if response not in OwnPlanRecord.Response.values:
        raise ActionRefused(gettext("Say whether they agreed"), field="response")
    if response != OwnPlanRecord.Response.AGREED and not own_words.strip():
        raise ActionRefused(gettext("Write what they disagree with, in their own words"), field="own_words")
    with transaction.atomic():
        created = OwnPlanRecord.objects.create(
            case=case, shown_on=shown_on, response=response, own_words=own_words.strip(), recorded_by=by
        )
        seen = {"date": shown_on, "response": midsentence(label_of(created, "response"))}
        text = (
            worded(
                "The person saw their own plan on %(date)s: %(response)s. In their words: “%(words)s”",
                words=created.own_words,
                **seen,
            )
            if created.own_words
            else worded("The person saw their own plan on %(date)s: %(response)s.", **seen)
        )
        _written(case, by, standing, DataCategory.GENERAL, text, created, Operation.COLLECTION)
    return created
