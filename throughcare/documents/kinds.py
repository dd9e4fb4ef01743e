"""The documents practitioners send, generated from the record — never typed separately.

Each kind names the data categories it needs (the reader must hold all of them on the case), builds its
content from the record through the gate's querysets for the reader's standing, and says why it cannot be
made yet when the record lacks what it needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from throughcare.cases.models import Case, DataCategory
from throughcare.cases.standing import Standing
from throughcare.custody.models import (
    CaseCondition,
    ComplianceEvent,
    ConditionStatus,
    FdMeasure,
    Handover,
    HandoverItem,
    Offence,
    Sentence,
)
from throughcare.documents.forms import RESIDENCE, BreachReportForm, CertificateForm, SendForm
from throughcare.sharing.access import active_team

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Context = dict[str, Any]


@dataclass(frozen=True)
class Kind:
    key: str
    title: StrOrPromise
    description: StrOrPromise
    categories: frozenset[str]
    form: type[SendForm]
    build: Callable[[Case, Standing, dict[str, Any]], Context]
    missing: Callable[[Case, Standing], str]  # why it cannot be made yet ("" when it can)

    def shown_to(self, standing: Standing) -> bool:
        return all(standing.holds(category) for category in self.categories)


def _sentence(case: Case, standing: Standing) -> Sentence | None:
    return Sentence.objects.on_case_as(case, standing).select_related("profile").first()


def _base(case: Case, standing: Standing) -> Context:
    sentence = _sentence(case, standing)
    return {
        "sentence": sentence,
        "offences": list(Offence.objects.on_case_as(case, standing)) if sentence else [],
        "team": active_team(case),
    }


# The handover report -------------------------------------------------------------------------------------


def _latest_handover(case: Case, standing: Standing) -> Handover | None:
    return Handover.objects.on_case_as(case, standing).order_by("-created_at", "-pk").first()


def _handover_missing(case: Case, standing: Standing) -> str:
    return "" if _latest_handover(case, standing) else gettext("No handover has been started on this case.")


def _handover(case: Case, standing: Standing, data: dict[str, Any]) -> Context:
    handover = _latest_handover(case, standing)
    items = list(
        HandoverItem.objects.on_case_as(case, standing)
        .filter(handover=handover)
        .select_related("owner", "done_by")
        .order_by("order", "pk")
    )
    today = timezone.localdate()
    return _base(case, standing) | {
        "handover": handover,
        "items": items,
        "open_mandatory": [i for i in items if i.mandatory and not i.done_at],
        "overdue": [i for i in items if not i.done_at and i.is_overdue(today)],
    }


# The licence conditions summary ----------------------------------------------------------------------


def _conditions(case: Case, standing: Standing) -> list[CaseCondition]:
    return list(CaseCondition.objects.on_case_as(case, standing).select_related("template"))


def _licence_missing(case: Case, standing: Standing) -> str:
    return "" if _conditions(case, standing) else gettext("No licence condition is recorded on this case.")


def _licence(case: Case, standing: Standing, data: dict[str, Any]) -> Context:
    conditions = _conditions(case, standing)
    return _base(case, standing) | {
        "ordered": [c for c in conditions if c.status == ConditionStatus.ORDERED],
        "recommended": [c for c in conditions if c.status == ConditionStatus.RECOMMENDED],
        "ended": [
            c for c in conditions if c.status not in (ConditionStatus.ORDERED, ConditionStatus.RECOMMENDED)
        ],
    }


# Framework Decision 2008/947/JHA: the certificate (Annex I) and the breach report (Annex II) ---------------


def _ordered(case: Case, standing: Standing) -> list[CaseCondition]:
    return [c for c in _conditions(case, standing) if c.status == ConditionStatus.ORDERED]


def _certificate_missing(case: Case, standing: Standing) -> str:
    if _sentence(case, standing) is None:
        return gettext("Record the sentence first: the certificate describes the judgment.")
    if not _ordered(case, standing):
        return gettext("No condition is ordered yet: the certificate lists the probation measures ordered.")
    return ""


def _measures(conditions: list[CaseCondition]) -> list[dict[str, Any]]:
    """The ordered conditions under the Art. 4(1) measure each maps to (the catalogue says which)."""
    by_letter: dict[str, list[CaseCondition]] = {}
    for condition in conditions:
        by_letter.setdefault(condition.template.fd_measure, []).append(condition)
    return [
        {"letter": measure.value, "label": measure.label, "conditions": by_letter.get(measure.value, [])}
        for measure in FdMeasure
    ]


def _certificate(case: Case, standing: Standing, data: dict[str, Any]) -> Context:
    ordered = _ordered(case, standing)
    return _base(case, standing) | {
        "person": case.person,
        "measures": _measures(ordered),
        "ordered": ordered,
        "asked": data,
        "residence_label": dict(RESIDENCE).get(data.get("residence", ""), ""),
    }


def breaches(case: Case, standing: Standing) -> list[ComplianceEvent]:
    return list(
        ComplianceEvent.objects.on_case_as(case, standing)
        .filter(kind=ComplianceEvent.Kind.BREACH)
        .select_related("condition__template", "recorded_by")
        .order_by("-occurred_on", "-pk")
    )


def _breach_missing(case: Case, standing: Standing) -> str:
    return "" if breaches(case, standing) else gettext("No breach is recorded on this case.")


def _breach(case: Case, standing: Standing, data: dict[str, Any]) -> Context:
    chosen = next((b for b in breaches(case, standing) if b.pk == data.get("breach")), None)
    decision = getattr(chosen, "decision", None) if chosen else None
    measure = FdMeasure(chosen.condition.template.fd_measure) if chosen and chosen.condition else None
    return _base(case, standing) | {
        "person": case.person,
        "breach": chosen,
        "decision": decision,
        "measure": measure,
        "asked": data,
    }


LEGAL = frozenset({DataCategory.LEGAL})
LEGAL_AND_IDENTITY = frozenset({DataCategory.LEGAL, DataCategory.IDENTITY})

KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in [
        Kind(
            "handover",
            _("Handover report"),
            _(
                "The sentence, who is responsible, and the custody-to-community checklist: done, "
                "open, overdue."
            ),
            LEGAL,
            SendForm,
            _handover,
            _handover_missing,
        ),
        Kind(
            "licence",
            _("Licence conditions summary"),
            _("The conditions ordered, recommended and ended, in their wording, with their dates."),
            LEGAL,
            SendForm,
            _licence,
            _licence_missing,
        ),
        Kind(
            "certificate",
            _("Certificate for transferring supervision (Framework Decision 2008/947/JHA, Annex I)"),
            _(
                "To another Member State: the judgment, the person, and the ordered conditions mapped to the "
                "probation measures of Art. 4(1). You give what the record cannot say."
            ),
            LEGAL_AND_IDENTITY,
            CertificateForm,
            _certificate,
            _certificate_missing,
        ),
        Kind(
            "breach",
            _("Breach report (Framework Decision 2008/947/JHA, Annex II)"),
            _(
                "A recorded breach, reported to the authority of the issuing State: what happened, the "
                "condition and its measure, and what was decided."
            ),
            LEGAL_AND_IDENTITY,
            BreachReportForm,
            _breach,
            _breach_missing,
        ),
    ]
}


def _breach_choice(occurred_on: date, note: str) -> str:
    day = formats.date_format(occurred_on, "SHORT_DATE_FORMAT")
    if not note:
        return gettext("Breach of %(date)s") % {"date": day}
    return gettext("%(date)s: %(note)s") % {"date": day, "note": note[:80]}


def form_for(kind: Kind, case: Case, standing: Standing, data: Any = None) -> forms.Form:
    if kind.form is BreachReportForm:
        choices = [(b.pk, _breach_choice(b.occurred_on, b.note)) for b in breaches(case, standing)]
        return BreachReportForm(data, breaches=choices)
    return kind.form(data)
