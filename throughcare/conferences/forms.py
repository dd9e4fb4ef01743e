from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from throughcare.accounts.models import Agency, User
from throughcare.conferences.models import RiskRequest

DATE = forms.DateInput(attrs={"type": "date"})


class ReleaseConferenceForm(forms.Form):
    held_on = forms.DateField(
        label="Date held",
        widget=DATE,
        error_messages={
            "required": "Enter the date the conference was held",
            "invalid": "Enter the date held as a real date",
        },
    )
    chair = forms.ModelChoiceField(
        label="Chair",
        queryset=User.objects.none(),
        empty_label="Choose the chair",
        error_messages={"required": "Choose the chair"},
    )
    present = forms.ModelMultipleChoiceField(
        label="Agencies present",
        queryset=Agency.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Say which agencies attended"},
    )
    apologies = forms.ModelMultipleChoiceField(
        label="Agencies that sent apologies",
        queryset=Agency.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    shared = forms.CharField(
        label="What was shared", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    decision = forms.CharField(
        label="Decision",
        max_length=500,
        error_messages={"required": "Record at least one decision: a conference is for deciding"},
    )
    rationale = forms.CharField(
        label="Rationale for the decision",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Every decision needs its rationale"},
    )
    action = forms.CharField(label="Action (optional)", max_length=500, required=False)
    action_owner = forms.ModelChoiceField(
        label="Action owner", queryset=User.objects.none(), required=False, empty_label="Choose the owner"
    )
    action_due = forms.DateField(
        label="Action deadline",
        widget=DATE,
        required=False,
        error_messages={"invalid": "Enter the deadline as a real date"},
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("chair", "action_owner"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = people
        self.fields["held_on"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") and not (data.get("action_owner") and data.get("action_due")):
            self.add_error("action_owner", "Every action needs an owner and a deadline")
        return data


class OverrideReleaseForm(forms.Form):
    override_reason = forms.CharField(
        label="Reason for releasing without the release conference",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for releasing without the release conference"},
    )


class RequestForm(forms.Form):
    """A risk-relevant request: travel, an event, a new address or job, contact with a named person …"""

    kind = forms.ChoiceField(
        label="What is asked for",
        choices=[("", "Choose"), *RiskRequest.Kind.choices],
        error_messages={"required": "Choose what is asked for", "invalid_choice": "Choose what is asked for"},
    )
    details = forms.CharField(
        label="Where, when, with whom, why",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Say where, when, with whom and why",
            "max_length": "The details must be 2,000 characters or fewer",
        },
    )
    starts_on = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the start date as a real date"},
    )
    ends_on = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the end date as a real date"},
    )


class DelegateDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[("", "Choose")]
        + [c for c in RiskRequest.Outcome.choices if c[0] not in ("pending", "withdrawn")],
        error_messages={"required": "Choose the outcome", "invalid_choice": "Choose the outcome"},
    )
    conditions = forms.CharField(
        label="Conditions",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "The conditions must be 2,000 characters or fewer"},
    )
    rationale = forms.CharField(
        label="Rationale",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Give the rationale of the decision",
            "max_length": "The rationale must be 2,000 characters or fewer",
        },
    )
