from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from throughcare.accounts.models import User
from throughcare.custody.models import (
    BreachDecision,
    ComplianceEvent,
    ConditionTemplate,
    Responsibility,
    SentenceType,
)
from throughcare.lib.forms import DateField, IntegerField, ModelChoiceField

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label: StrOrPromise, required: bool = False, help_text: StrOrPromise = "") -> DateField:
    return DateField(
        label=label,
        required=required,
        widget=DATE,
        help_text=help_text,
        error_messages={
            "invalid": _("Enter the %(lower)s as a real date") % {"lower": label.lower()},
            "required": _("Enter the %(lower)s") % {"lower": label.lower()},
        },
    )


class DatesForm(forms.Form):
    sentence_start = _date("Sentence start", required=True)
    sentence_end = _date("Sentence end", help_text=_("Leave empty for an indeterminate sentence."))
    earliest_release = _date("Earliest release")
    parole_eligibility = _date("Parole eligibility")
    conditional_release = _date("Conditional release")
    licence_end = _date("Licence or probation end")
    panel_level = forms.TypedChoiceField(
        label=_("Multi-agency panel level"),
        coerce=int,
        choices=[(1, "Level 1"), (2, "Level 2"), (3, "Level 3")],
        initial=1,
    )
    high_profile = forms.BooleanField(label=_("High profile case"), required=False)


class SentenceForm(DatesForm):
    sentence_type = forms.ChoiceField(
        label=_("Type of sentence"),
        choices=SentenceType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the type of sentence")},
    )
    offence = forms.CharField(
        label=_("Offence"), max_length=300, error_messages={"required": _("Enter the offence")}
    )
    terrorism_offence = forms.BooleanField(label=_("A terrorism offence"), required=False)
    terrorist_connection = forms.BooleanField(
        label=_("Another offence with a terrorist connection"), required=False
    )

    field_order = ["sentence_type", "offence", "terrorism_offence", "terrorist_connection"]


class ChangeDatesForm(DatesForm):
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=300,
        help_text=_("For example: parole board decision of 3 March; added days."),
        error_messages={"required": _("Give the reason for changing the dates")},
    )
    version = IntegerField(widget=forms.HiddenInput)

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in DatesForm.base_fields}


class OverrideForm(forms.Form):
    responsibility = forms.ChoiceField(
        label=_("Who is responsible"),
        choices=Responsibility.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who is responsible")},
    )
    reason = forms.CharField(
        label=_("Reason for overriding the rules"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for overriding the rules")},
    )


# The licence page: one form per verb, errors next to the field -------------------------------------


def _text(label: str, max_length: int, required: bool = True, message: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages={
            "required": message or f"Enter {label.lower()}",
            "max_length": _("%(label)s must be %(max_length)s characters or fewer")
            % {"label": label, "max_length": format(max_length, ",")},
        },
    )


class RecommendForm(forms.Form):
    """The wording a condition from the catalogue needs (its inputs, e.g. the area of an exclusion zone)."""

    def __init__(self, *args: Any, template: ConditionTemplate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.template = template
        for name in template.inputs():
            self.fields[name] = _text(template.input_labels.get(name, name), 200, required=False)


class OrderForm(forms.Form):
    authority = _text("Ordered by (authority)", 200, required=False)
    ordered_on = _date("Date ordered", required=True)


class NotOrderedForm(forms.Form):
    reason = _text("Not ordered because", 500, required=False)


class ComplianceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What happened"),
        choices=ComplianceEvent.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what happened"), "invalid_choice": _("Choose what happened")},
    )
    occurred_on = _date("Date", required=True)
    note = _text("Note", 1000, required=False)


class BreachDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=BreachDecision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the decision"), "invalid_choice": _("Choose the decision")},
    )
    decided_by = ModelChoiceField(
        label=_("Decided by"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Choose who decided"),
        error_messages={"invalid_choice": _("Choose who decided from the list")},
    )
    rationale = _text("Rationale", 1000, required=False)

    def __init__(self, *args: Any, deciders: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_by"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=[u.pk for u in deciders]
        ).order_by("last_name")


class NotifiedForm(forms.Form):
    notified_on = _date("Notification made on", required=True)


class ChangeNotifiedForm(forms.Form):
    details = _text("What changed", 300, required=False)
    notified_on = _date("Notified on", required=True)


class TravelForm(forms.Form):
    destination = _text("Destination", 200, required=False)
    departs_on = _date("Departure", required=True)
    returns_on = _date("Return", required=True)


class AbandonHandoverForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        error_messages={"required": _("Give the reason for abandoning the handover")},
    )
