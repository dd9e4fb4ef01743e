from __future__ import annotations

from typing import Any

from django import forms

from throughcare.custody.models import Responsibility, SentenceType

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label: str, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE,
        help_text=help_text,
        error_messages={
            "invalid": f"Enter the {label.lower()} as a real date",
            "required": f"Enter the {label.lower()}",
        },
    )


class DatesForm(forms.Form):
    sentence_start = _date("Sentence start", required=True)
    sentence_end = _date("Sentence end", help_text="Leave empty for an indeterminate sentence.")
    earliest_release = _date("Earliest release")
    parole_eligibility = _date("Parole eligibility")
    conditional_release = _date("Conditional release")
    licence_end = _date("Licence or probation end")
    panel_level = forms.TypedChoiceField(
        label="Multi-agency panel level",
        coerce=int,
        choices=[(1, "Level 1"), (2, "Level 2"), (3, "Level 3")],
        initial=1,
    )
    high_profile = forms.BooleanField(label="High profile case", required=False)


class SentenceForm(DatesForm):
    sentence_type = forms.ChoiceField(
        label="Type of sentence",
        choices=SentenceType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of sentence"},
    )
    offence = forms.CharField(
        label="Offence", max_length=300, error_messages={"required": "Enter the offence"}
    )
    terrorism_offence = forms.BooleanField(label="A terrorism offence", required=False)
    terrorist_connection = forms.BooleanField(
        label="Another offence with a terrorist connection", required=False
    )

    field_order = ["sentence_type", "offence", "terrorism_offence", "terrorist_connection"]


class ChangeDatesForm(DatesForm):
    reason = forms.CharField(
        label="Reason for the change",
        max_length=300,
        help_text="For example: parole board decision of 3 March; added days.",
        error_messages={"required": "Give the reason for changing the dates"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in DatesForm.base_fields}


class OverrideForm(forms.Form):
    responsibility = forms.ChoiceField(
        label="Who is responsible",
        choices=Responsibility.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who is responsible"},
    )
    reason = forms.CharField(
        label="Reason for overriding the rules",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for overriding the rules"},
    )
