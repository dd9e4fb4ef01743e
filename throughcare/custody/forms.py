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
from throughcare.jurisdictions.models import JurisdictionProfile
from throughcare.lib.forms import DateField, IntegerField, ModelChoiceField
from throughcare.lib.translated import format_lazy_message

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(
    label: StrOrPromise,
    invalid: StrOrPromise,
    *,
    required: StrOrPromise = "",
    help_text: StrOrPromise = "",
) -> DateField:
    """A date field; `required` is the message when it is left empty (empty: the date is optional)."""
    return DateField(
        label=label,
        required=bool(required),
        widget=DATE,
        help_text=help_text,
        error_messages={"invalid": invalid, "required": required},
    )


class DatesForm(forms.Form):
    sentence_start = _date(
        _("Sentence start"),
        _("Enter the date the sentence started as a real date"),
        required=_("Enter the date the sentence started"),
    )
    sentence_end = _date(
        _("Sentence end"),
        _("Enter the end of the sentence as a real date"),
        help_text=_("Leave empty for an indeterminate sentence."),
    )
    earliest_release = _date(_("Earliest release"), _("Enter the earliest release date as a real date"))
    parole_eligibility = _date(_("Parole eligibility"), _("Enter the parole eligibility date as a real date"))
    conditional_release = _date(
        _("Conditional release"), _("Enter the conditional release date as a real date")
    )
    licence_end = _date(
        _("Licence or probation end"), _("Enter the end of the licence or probation as a real date")
    )
    panel_level = forms.TypedChoiceField(
        label=_("Multi-agency panel level"),
        coerce=int,
        choices=[(1, _("Level 1")), (2, _("Level 2")), (3, _("Level 3"))],
        initial=1,
    )
    high_profile = forms.BooleanField(label=_("High profile case"), required=False)
    profile = ModelChoiceField(
        label=_("Jurisdiction"),
        queryset=JurisdictionProfile.objects.all(),
        required=False,  # left out: the default profile (a sentence recorded before profiles were chosen)
        help_text=_("Whose rules decide this case's deadlines: handover, conditional release, notification."),
        error_messages={
            "invalid_choice": _("Choose a jurisdiction from the list"),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        profile = self.fields["profile"]
        profile.label_from_instance = lambda rules: rules.translated("name")  # type: ignore[attr-defined]
        self.initial.setdefault("profile", JurisdictionProfile.default().pk)


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
        changes = {name: self.cleaned_data[name] for name in DatesForm.base_fields}
        if changes["profile"] is None:
            del changes["profile"]  # not chosen: the sentence keeps its jurisdiction
        return changes


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


def _text(label: StrOrPromise, max_length: int) -> forms.CharField:
    """An optional line of text (what is required of it, the action says, naming the field)."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        error_messages={
            "max_length": format_lazy_message(
                _("%(label)s must be %(max_length)s characters or fewer"),
                {"label": label, "max_length": format(max_length, ",")},
            ),
        },
    )


class RecommendForm(forms.Form):
    """The wording a condition from the catalogue needs (its inputs, e.g. the area of an exclusion zone)."""

    def __init__(self, *args: Any, template: ConditionTemplate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.template = template
        for name in template.inputs():
            labels = template.translated("input_labels") or {}
            self.fields[name] = _text(str(labels.get(name, name)), 200)


class OrderForm(forms.Form):
    authority = _text(_("Ordered by (authority)"), 200)
    ordered_on = _date(
        _("Date ordered"), _("Enter the date ordered as a real date"), required=_("Enter the date ordered")
    )


class NotOrderedForm(forms.Form):
    reason = _text(_("Not ordered because"), 500)


class ComplianceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What happened"),
        choices=ComplianceEvent.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what happened"), "invalid_choice": _("Choose what happened")},
    )
    occurred_on = _date(_("Date"), _("Enter the date as a real date"), required=_("Enter the date"))
    note = _text(_("Note"), 1000)


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
    rationale = _text(_("Rationale"), 1000)

    def __init__(self, *args: Any, deciders: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_by"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=[u.pk for u in deciders]
        ).order_by("last_name")


class NotifiedForm(forms.Form):
    notified_on = _date(
        _("Notification made on"),
        _("Enter the date the notification was made as a real date"),
        required=_("Enter the date the notification was made"),
    )


class ChangeNotifiedForm(forms.Form):
    details = _text(_("What changed"), 300)
    notified_on = _date(
        _("Notified on"),
        _("Enter the date it was notified as a real date"),
        required=_("Enter the date it was notified"),
    )


class TravelForm(forms.Form):
    destination = _text(_("Destination"), 200)
    departs_on = _date(
        _("Departure"), _("Enter the departure as a real date"), required=_("Enter the departure")
    )
    returns_on = _date(_("Return"), _("Enter the return as a real date"), required=_("Enter the return"))


class AbandonHandoverForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        error_messages={"required": _("Give the reason for abandoning the handover")},
    )
