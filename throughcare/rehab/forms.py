"""Forms of rehabilitation: every input is read by a form, its errors shown next to the field."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from throughcare.rehab.models import OwnPlanRecord


class OwnPlanResponseForm(forms.Form):
    shown_on = forms.DateField(
        label="Date shown",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Enter the date the plan was shown",
            "invalid": "Enter the date shown as a real date, e.g. 2027-03-01",
        },
    )
    response = forms.ChoiceField(
        label="Their response",
        choices=OwnPlanRecord.Response.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether they agreed", "invalid_choice": "Say whether they agreed"},
    )
    own_words = forms.CharField(
        label="In their own words",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Their own words must be 2,000 characters or fewer"},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("initial", {"shown_on": timezone.localdate()})
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
