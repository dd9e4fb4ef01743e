"""The risk management plan: the living object every agency on the case works from.

Every review creates a new version with its reason; any two versions can be compared side by side.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext

from throughcare.accounts.models import Agency, User
from throughcare.audit.log import record
from throughcare.audit.models import Operation
from throughcare.cases.actions import record_on_timeline
from throughcare.cases.models import Case, DataCategory, Nature, TimelineEntry
from throughcare.lib.errors import ActionRefused, EditConflict
from throughcare.lib.wording import english, label_of, midsentence, worded
from throughcare.notifications.send import managers_of, notify
from throughcare.risk import reviews
from throughcare.risk.actions import risk_writer
from throughcare.risk.models import (
    Assessment,
    PlanSection,
    PlanVersion,
    ReviewDue,
    ReviewReason,
    Scenario,
    SignObservation,
    Strategy,
    WarningSign,
)


@dataclass(frozen=True)
class StrategyInput:
    section: str
    description: str
    review_on: date | None
    owner: User | None = None
    owner_agency: Agency | None = None


@dataclass(frozen=True)
class WarningSignInput:
    description: str
    triggers: list[int] = field(default_factory=list)  # indexes into the strategies, contingency only


@dataclass(frozen=True)
class PlanContent:
    formulation: str
    protective_factors: str = ""
    judgement: str = ""  # the reviewer's own, optional; never computed
    judgement_rationale: str = ""
    scenarios: list[tuple[str, str]] = field(default_factory=list)  # (kind, description)
    strategies: list[StrategyInput] = field(default_factory=list)
    warning_signs: list[WarningSignInput] = field(default_factory=list)


def save_version(
    case: Case,
    content: PlanContent,
    *,
    by: User,
    reason: str,
    reason_note: str = "",
    based_on: int | None = None,
) -> PlanVersion:
    """Save a new version. `based_on`: the version the reviewer started from; if someone has saved a
    newer one since, nothing is saved (EditConflict) — a review never silently replaces another."""
    agency = risk_writer(by, case)
    _check(content, reason)
    try:
        with transaction.atomic():
            return _save(
                case, content, by=by, agency=agency, reason=reason, note=reason_note, based_on=based_on
            )
    except IntegrityError:  # two reviews saved at the same moment: the second is told
        raise EditConflict(_conflict(case)) from None


def _conflict(case: Case) -> str:
    latest = PlanVersion.objects.filter(case=case).select_related("created_by").first()
    if latest is None:
        return gettext(
            "The plan was changed while you were reviewing. Nothing was saved: your changes are below. Look "
            "at the plan, then save again."
        )
    return gettext(
        "Version %(number)s of the plan was saved by %(person)s at %(time)s while you were reviewing. "
        "Nothing was saved: your changes are below. Look at version %(number)s, then save again."
    ) % {
        "number": latest.number,
        "person": latest.created_by,
        "time": formats.time_format(timezone.localtime(latest.created_at)),
    }


def _save(
    case: Case,
    content: PlanContent,
    *,
    by: User,
    agency: Agency,
    reason: str,
    note: str,
    based_on: int | None,
) -> PlanVersion:
    latest = PlanVersion.objects.filter(case=case).aggregate(n=Max("number"))["n"] or 0
    if based_on is not None and based_on != latest:
        raise EditConflict(_conflict(case))
    if latest and reason == ReviewReason.FIRST:
        raise ActionRefused(
            gettext("The plan exists already: choose the reason for this review"), field="reason"
        )
    version = PlanVersion.objects.create(
        case=case,
        number=latest + 1,
        reason=reason,
        reason_note=note.strip(),
        formulation=content.formulation.strip(),
        protective_factors=content.protective_factors.strip(),
        judgement=content.judgement,
        judgement_rationale=content.judgement_rationale.strip() if content.judgement else "",
        created_by=by,
    )
    _write_rows(version, content)
    plan = {"number": version.number, "reason": midsentence(ReviewReason(reason).label)}
    text = (
        worded(
            "Risk management plan version %(number)s (%(reason)s): %(note)s", note=version.reason_note, **plan
        )
        if version.reason_note
        else worded("Risk management plan version %(number)s (%(reason)s).", **plan)
    )
    if version.judgement:
        text = worded(
            "%(plan)s Judged %(judgement)s by %(person)s.",
            plan=text,
            judgement=midsentence(label_of(version, "judgement")),
            person=str(by),
        )
    entry = record_on_timeline(
        case,
        TimelineEntry.Kind.RECORD_CHANGE,
        text,
        by,
        agency,
        category=DataCategory.RISK,
    )
    TimelineEntry.objects.filter(pk=entry.pk).update(nature=Nature.ASSESSMENT)
    record(
        Operation.COLLECTION,
        version,
        by=by,
        agency=agency,
        case_id=case.pk,
        justification=f"risk management plan: {english(ReviewReason(reason).label).lower()}",
        details={"version": version.number},
    )
    reviews.reviewed(case, ReviewDue.Kind.PLAN, version=version)
    return version


def _write_rows(version: PlanVersion, content: PlanContent) -> None:
    Scenario.objects.bulk_create(
        Scenario(version=version, kind=k, description=d.strip()) for k, d in content.scenarios
    )
    strategies = [
        Strategy.objects.create(
            version=version,
            section=s.section,
            description=s.description.strip(),
            owner=s.owner,
            owner_agency=s.owner_agency,
            review_on=s.review_on or date.max,  # checked before: never None here
            order=n,
        )
        for n, s in enumerate(content.strategies)
    ]
    for sign in content.warning_signs:
        created = WarningSign.objects.create(version=version, description=sign.description.strip())
        created.triggers.set([strategies[i] for i in sign.triggers])


def observe_sign(sign: WarningSign, *, by: User, observed_on: date, note: str) -> SignObservation:
    """A team member saw a warning sign: it goes on the record and the owners of the contingency actions
    it sets off are alerted (the alert names the action, not what was seen)."""
    case = sign.version.case
    agency = risk_writer(by, case)
    current = PlanVersion.objects.filter(case=case).first()
    if current is None or current.pk != sign.version_id:
        raise ActionRefused(gettext("This warning sign belongs to an older version of the plan."))
    if observed_on > timezone.localdate():
        raise ActionRefused(gettext("The date observed cannot be in the future"), field="observed_on")
    if not note.strip():
        raise ActionRefused(gettext("Say what was observed, when and by whom"), field="note")
    actions = list(sign.triggers.select_related("owner", "owner_agency"))
    with transaction.atomic():
        observation = SignObservation.objects.create(
            sign=sign, case=case, observed_on=observed_on, note=note.strip(), recorded_by=by
        )
        record_on_timeline(
            case,
            TimelineEntry.Kind.NOTE,
            worded(
                "Warning sign observed on %(date)s: “%(sign)s”. %(note)s",
                date=observed_on,
                sign=sign.description,
                note=observation.note,
            ),
            by,
            agency,
            category=DataCategory.RISK,
        )
        record(
            Operation.COLLECTION,
            observation,
            by=by,
            agency=agency,
            case_id=case.pk,
            justification="warning sign observed",
            details={"alerted_actions": len(actions)},
        )
        for action in actions:
            notify(
                _owners(action, case),
                worded(
                    "Warning sign observed on %(case)s: act on your contingency action", case=case.reference
                ),
                worded(
                    "A warning sign linked to “%(action)s” was observed on %(date)s and recorded by "
                    "%(person)s.",
                    action=action.description,
                    date=observed_on,
                    person=str(by),
                ),
                reverse("risk:plan", args=[case.pk]) + "#warning-signs",
            )
    return observation


def _owners(action: Strategy, case: Case) -> list[User]:
    """The owner of a contingency action; for an agency, its workers on the team, else its managers."""
    if action.owner is not None:
        return [action.owner]
    workers = [p.user for p in case.team.active().filter(agency=action.owner_agency).select_related("user")]
    return workers or (managers_of([action.owner_agency]) if action.owner_agency else [])


def ordered_strategies(version: PlanVersion) -> list[Strategy]:
    """The strategies in the plan's own order of sections (supervision first, contingency last)."""
    rank = {section: n for n, section in enumerate(PlanSection.values)}
    rows = version.strategies.select_related("owner", "owner_agency")
    return sorted(rows, key=lambda s: (rank.get(s.section, len(rank)), s.order))


def _check(content: PlanContent, reason: str) -> None:
    if reason not in ReviewReason.values:
        raise ActionRefused(gettext("Choose the reason for this version"), field="reason")
    if len(content.formulation.strip()) < 20:
        raise ActionRefused(
            gettext("Write the formulation: why this person, what drives the risk"), field="formulation"
        )
    if content.judgement and content.judgement not in Assessment.Priority.values:
        raise ActionRefused(gettext("Choose a judgement from the list, or none"), field="judgement")
    if content.judgement and len(content.judgement_rationale.strip()) < 20:
        raise ActionRefused(
            gettext("Explain your judgement: what drives the risk, for whom, how soon"),
            field="judgement_rationale",
        )
    for strategy in content.strategies:
        _check_strategy(strategy)
    for sign in content.warning_signs:
        _check_sign(sign, content.strategies)


def _check_strategy(strategy: StrategyInput) -> None:
    name = strategy.description.strip()
    if strategy.section not in PlanSection.values or not name:
        raise ActionRefused(gettext("Every strategy needs a section and a description"), field="strategies")
    if strategy.owner is None and strategy.owner_agency is None:
        raise ActionRefused(
            gettext("The strategy “%(name)s” needs an owner (a person or an agency)") % {"name": name},
            field="strategies",
        )
    if strategy.review_on is None:
        raise ActionRefused(
            gettext("The strategy “%(name)s” needs a review date") % {"name": name}, field="strategies"
        )


def _check_sign(sign: WarningSignInput, strategies: list[StrategyInput]) -> None:
    for index in sign.triggers:
        if index >= len(strategies) or strategies[index].section != PlanSection.CONTINGENCY:
            raise ActionRefused(
                gettext("The warning sign “%(description)s” must set off contingency actions")
                % {"description": sign.description},
                field="warning_signs",
            )


@dataclass(frozen=True)
class Difference:
    label: str
    before: str
    after: str

    @property
    def kind(self) -> str:
        if not self.before:
            return "added"
        return "removed" if not self.after else "changed"


def compare(older: PlanVersion, newer: PlanVersion) -> list[Difference]:
    """What changed between two versions, field by field and strategy by strategy."""
    differences = [
        Difference(label, getattr(older, name), getattr(newer, name))
        for name, label in (("formulation", "Formulation"), ("protective_factors", "Protective factors"))
        if getattr(older, name) != getattr(newer, name)
    ]
    differences += _compare_rows("Scenario", _scenarios(older), _scenarios(newer))
    differences += _compare_rows("Strategy", _strategies(older), _strategies(newer))
    differences += _compare_rows("Warning sign", _signs(older), _signs(newer))
    return differences


def _scenarios(version: PlanVersion) -> dict[str, str]:
    return {f"{s.get_kind_display()}: {s.description}": "" for s in version.scenarios.all()}


def _strategies(version: PlanVersion) -> dict[str, str]:
    return {
        f"{s.get_section_display()}: {s.description}": f"owner {s.owner_label}, review {s.review_on:%d %b %Y}"
        for s in version.strategies.select_related("owner", "owner_agency")
    }


def _signs(version: PlanVersion) -> dict[str, str]:
    return {
        s.description: "sets off: " + "; ".join(t.description for t in s.triggers.all())
        for s in version.warning_signs.prefetch_related("triggers")
    }


def _compare_rows(label: str, before: dict[str, str], after: dict[str, str]) -> list[Difference]:
    rows = []
    for key in list(before) + [k for k in after if k not in before]:
        old = f"{key} ({before[key]})" if before.get(key) else key if key in before else ""
        new = f"{key} ({after[key]})" if after.get(key) else key if key in after else ""
        if old != new:
            rows.append(Difference(label, old, new))
    return rows


def text_diff(before: str, after: str) -> list[tuple[str, str]]:
    """Word-level changes for showing a changed formulation: ("-", words), ("+", words) or (" ", words)."""
    marks = {"- ": "-", "+ ": "+", "  ": " "}
    return [
        (marks[line[:2]], line[2:])
        for line in difflib.ndiff(before.split(), after.split())
        if line[:2] in marks
    ]
