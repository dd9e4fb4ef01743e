from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from throughcare.cases.models import DataCategory
from throughcare.lib.forms import DateField
from throughcare.rights.models import Ground


class OpenRequestForm(forms.Form):
    reference = forms.CharField(
        label=_("Case reference of the person"),
        max_length=30,
        error_messages={"required": _("Enter a case reference of the person")},
    )
    received_on = DateField(
        label=_("Date received"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Enter the date the request was received"),
            "invalid": _("Enter the date received as a real date"),
        },
    )
    how_received = forms.CharField(
        label=_("How it was received"),
        max_length=300,
        error_messages={"required": _("Say how the request was received")},
    )


class RestrictForm(forms.Form):
    category = forms.ChoiceField(label=_("Category to withhold"), choices=DataCategory.choices)
    ground = forms.ChoiceField(
        label=_("Legal ground (Article 15(1))"),
        choices=Ground.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the legal ground for withholding it")},
    )
    reasons = forms.CharField(
        label=_("Reasons (for the supervisory authority, never sent to the person)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Document the reasons: the supervisory authority may ask for them")},
    )
    tell_person = forms.BooleanField(
        label=_("Tell the person that information was withheld, and on which ground"),
        required=False,
        initial=True,
    )


class IncludeIntelligenceForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the person's copy should include intelligence (kept for the supervisory authority)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("Give the reason for including intelligence")},
    )


class EraseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for erasing the entry"),
        max_length=300,
        error_messages={"required": _("Give the reason for erasing this entry")},
    )
