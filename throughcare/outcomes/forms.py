from __future__ import annotations

from typing import Any

from django import forms

from throughcare.lib.forms import date_input, long_text
from throughcare.outcomes.actions import EVIDENCE_MAX, OutcomeInput
from throughcare.outcomes.models import CensorReason, OffenceKind, OutcomeKind, ProvenBy, Reliability


def _date(label: str, what: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=date_input(),
        error_messages={"required": f"Give the {what}", "invalid": f"Enter the {what} as a real date"},
    )


def _choice(label: str, choices: list[tuple[str, str]]) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=[("", "Choose"), *choices], required=False)


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(
        label="What happened",
        choices=OutcomeKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened"},
    )
    occurred_on = _date("Date it happened", "date it happened")
    offence_kind = _choice("Kind of offence (a reoffence)", OffenceKind.choices)
    proven_by = _choice("Proven by (a reoffence)", ProvenBy.choices)
    proven_on = _date(
        "Date of the conviction or caution", "date of the conviction or caution", required=False
    )
    censor_reason = _choice("Why they left the follow-up", CensorReason.choices)
    reliability = _choice("Reliability of the source (re-engagement)", Reliability.choices)
    source = forms.CharField(label="Source", max_length=200, required=False)
    evidence = long_text("Evidence", max_length=EVIDENCE_MAX)

    def outcome(self) -> OutcomeInput:
        data: dict[str, Any] = self.cleaned_data
        return OutcomeInput(**{name: data[name] for name in OutcomeInput.__dataclass_fields__})


class CorrectionForm(OutcomeForm):
    correction_reason = forms.CharField(label="Why it is corrected", max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)
