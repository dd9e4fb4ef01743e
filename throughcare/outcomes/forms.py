from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from throughcare.lib.forms import (
    DateField,
    IntegerField,
    ModelMultipleChoiceField,
    date_input,
    long_text,
    written,
)
from throughcare.outcomes.actions import EVIDENCE_MAX, OutcomeInput
from throughcare.outcomes.engine import OUTCOME_LABELS
from throughcare.outcomes.models import (
    CensorReason,
    MeasureDefinition,
    OffenceKind,
    OutcomeKind,
    Privacy,
    ProvenBy,
    ReferenceStudy,
    Reliability,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _date(
    label: StrOrPromise, missing: StrOrPromise, invalid: StrOrPromise, *, required: bool = True
) -> DateField:
    """A date with its messages, each a whole sentence: when it is left empty, and when it is no date."""
    return DateField(
        label=label,
        required=required,
        widget=date_input(),
        error_messages={"required": missing, "invalid": invalid},
    )


def _choice(label: StrOrPromise, choices: Sequence[tuple[str, StrOrPromise]]) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=[("", _("Choose")), *choices], required=False)


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What happened"),
        choices=OutcomeKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what happened")},
    )
    occurred_on = _date(
        _("Date it happened"), _("Give the date it happened"), _("Enter the date it happened as a real date")
    )
    offence_kind = _choice(_("Kind of offence (a reoffence)"), OffenceKind.choices)
    proven_by = _choice(_("Proven by (a reoffence)"), ProvenBy.choices)
    proven_on = _date(
        _("Date of the conviction or caution"),
        _("Give the date of the conviction or caution"),
        _("Enter the date of the conviction or caution as a real date"),
        required=False,
    )
    censor_reason = _choice(_("Why they left the follow-up"), CensorReason.choices)
    reliability = _choice(_("Reliability of the source (re-engagement)"), Reliability.choices)
    source = forms.CharField(label=_("Source"), max_length=200, required=False)
    evidence = long_text(_("Evidence"), max_length=EVIDENCE_MAX)

    def outcome(self) -> OutcomeInput:
        data: dict[str, Any] = self.cleaned_data
        return OutcomeInput(**{name: data[name] for name in OutcomeInput.__dataclass_fields__})


class CorrectionForm(OutcomeForm):
    correction_reason = forms.CharField(label=_("Why it is corrected"), max_length=500, required=False)
    version = IntegerField(widget=forms.HiddenInput)


class MeasureForm(forms.ModelForm[MeasureDefinition]):
    outcome = forms.ChoiceField(label=_("What counts"), choices=list(OUTCOME_LABELS.items()))
    censoring = forms.MultipleChoiceField(
        label=_("Who leaves the follow-up"),
        help_text=_("The reasons that end the time a person is followed (none ticked: every reason)."),
        choices=CensorReason.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = MeasureDefinition
        fields = [
            "name",
            "description",
            "source",
            "extract",
            "released_from",
            "released_to",
            "gender",
            "age_band",
            "profile",
            "sentence_band",
            "programme",
            "follow_up_years",
            "waiting_months",
            "outcome",
            "censoring",
            "group_by",
        ]
        widgets = {
            "released_from": date_input(),
            "released_to": date_input(),
            "description": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "name": _("Name"),
            "description": _("Description"),
            "source": _("Source"),
            "extract": _("Extract"),
            "released_from": _("First released from"),
            "released_to": _("First released until"),
            "gender": _("Gender"),
            "age_band": _("Age band"),
            "follow_up_years": _("Follow-up (years)"),
            "waiting_months": _("Waiting period for proof (months)"),
            "outcome": _("What counts"),
            "censoring": _("Who leaves the follow-up"),
            "group_by": _("Group by"),
            "profile": _("Jurisdiction profile (its code)"),
            "sentence_band": _("Length of sentence (e.g. “4 to 10 years”)"),
            "programme": _("Programme"),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("released_from"), data.get("released_to")
        if start and end and end < start:
            self.add_error("released_to", _("The period ends before it starts"))
        if data.get("source") == "extract" and not data.get("extract"):
            self.add_error("extract", _("Choose the extract to measure"))
        if not 1 <= (data.get("follow_up_years") or 0) <= 30:
            self.add_error("follow_up_years", _("The follow-up is between 1 and 30 years"))
        if (data.get("waiting_months") or 0) > 36:
            self.add_error("waiting_months", _("The waiting period is 36 months or less"))
        return data


class ReleaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = long_text(_("Summary for the public"), rows=3)
    definitions = ModelMultipleChoiceField(
        label=_("Measures"), queryset=MeasureDefinition.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    studies = ModelMultipleChoiceField(
        label=_("Published studies to show beside them"),
        queryset=ReferenceStudy.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    privacy = forms.ChoiceField(
        label=_("How the figures are protected"),
        choices=Privacy.choices,
        initial=Privacy.SUPPRESSION,
        widget=forms.RadioSelect,
    )
    epsilon = forms.FloatField(
        label=_("Differential privacy: ε of one computation"),
        help_text=_(
            "Smaller is more private and noisier; 0.5 to 1 is common. For differential privacy only."
        ),
        required=False,
        min_value=0,
        max_value=10,
    )
    epsilon_budget = forms.FloatField(
        label=_("Differential privacy: the release's budget (total ε)"),
        help_text=_(
            "Each computation (each submission) spends ε; once the budget is spent, no more are made."
        ),
        required=False,
        min_value=0,
        max_value=20,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("definitions", "studies"):  # their names are the analysts' words, not the interface's
            self.fields[name].label_from_instance = lambda row: written(row)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["epsilon"] = data.get("epsilon") or 0.0
        data["epsilon_budget"] = data.get("epsilon_budget") or 0.0
        return data


class NoticeForm(forms.Form):
    notice = long_text(_("Correction notice"), required=True, rows=3)


class SendBackForm(forms.Form):
    reason = long_text(_("What needs changing"), required=True, rows=3)
