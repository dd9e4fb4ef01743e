from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from throughcare.accounts.models import Agency, User
from throughcare.audit.models import Operation
from throughcare.cases.models import DataCategory
from throughcare.lib.forms import DateField, ModelChoiceField
from throughcare.sharing.models import BreakGlass, LegalBasis, Restriction

CATEGORY_CHOICES = DataCategory.choices
DATE = forms.DateInput(attrs={"type": "date"})


def _start_of(day: date | None) -> datetime | None:
    return timezone.make_aware(datetime.combine(day, time.min)) if day else None


class AgreementForm(forms.Form):
    recipient_agency = ModelChoiceField(
        label=_("Share with agency"),
        queryset=Agency.objects.all(),
        empty_label=_("Choose an agency"),
        error_messages={"required": _("Choose the agency to share with")},
    )
    recipient_user = ModelChoiceField(
        label=_("Only this worker (optional)"),
        queryset=User.objects.filter(is_active=True).order_by("last_name"),
        required=False,
        empty_label=_("Every worker of the agency"),
        help_text=_("Leave as 'every worker' to share with the whole agency."),
    )
    categories = forms.MultipleChoiceField(
        label=_("Categories to share"),
        choices=CATEGORY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one category to share")},
    )
    purpose = forms.CharField(
        label=_("Purpose"), max_length=300, error_messages={"required": _("Enter the purpose of sharing")}
    )
    legal_basis = forms.ChoiceField(
        label=_("Legal basis"),
        choices=LegalBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the legal basis")},
    )
    valid_from = DateField(
        label=_("From"),
        widget=DATE,
        required=False,
        help_text=_("Leave empty for today."),
        error_messages={"invalid": _("Enter the start as a real date")},
    )
    valid_until = DateField(
        label=_("Until (optional)"),
        widget=DATE,
        required=False,
        error_messages={"invalid": _("Enter the end as a real date")},
    )
    override_reason = forms.CharField(
        label=_("Share without consent: reason (managers only)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only if the person's consent cannot be sought and sharing is necessary. This is recorded."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start = data.get("valid_from") or timezone.localdate()
        end = data.get("valid_until")
        if end is not None and end <= start:
            self.add_error("valid_until", _("The end of the agreement must be after its start"))
        return data

    def window(self) -> tuple[datetime, datetime | None]:
        start = self.cleaned_data.get("valid_from")
        begin = _start_of(start) if start and start > timezone.localdate() else timezone.now()
        assert begin is not None
        return begin, _start_of(self.cleaned_data.get("valid_until"))


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for ending the agreement"),
        max_length=500,
        error_messages={"required": _("Give the reason for ending the agreement")},
    )


class ConsentForm(forms.Form):
    recipient_agency = ModelChoiceField(
        label=_("Consent to share with"),
        queryset=Agency.objects.filter(is_government=False),
        empty_label=_("Choose a partner"),
        error_messages={"required": _("Choose the partner")},
    )
    categories = forms.MultipleChoiceField(
        label=_("Categories the person agreed to share"),
        choices=[c for c in CATEGORY_CHOICES if c[0] != DataCategory.INTELLIGENCE],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one category")},
    )
    purpose = forms.CharField(
        label=_("Purpose"), max_length=300, error_messages={"required": _("Enter the purpose")}
    )
    evidence = forms.CharField(
        label=_("Evidence of consent"),
        max_length=300,
        help_text=_("For example: signed consent form dated 3 March 2026, kept on file."),
        error_messages={"required": _("Say what shows the consent, e.g. a signed form")},
    )
    given_on = DateField(
        label=_("Date consent was given"),
        widget=DATE,
        error_messages={
            "required": _("Enter the date consent was given"),
            "invalid": _("Enter the date consent was given as a real date"),
        },
    )
    expires_on = DateField(
        label=_("Consent ends on (optional)"),
        widget=DATE,
        required=False,
        error_messages={"invalid": _("Enter the end as a real date")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given, ends = data.get("given_on"), data.get("expires_on")
        if given and ends and ends < given:
            self.add_error("expires_on", _("The consent cannot end before it was given"))
        if given and given > timezone.localdate():
            self.add_error("given_on", _("The date consent was given cannot be in the future"))
        return data


class WithdrawForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)


class RestrictionForm(forms.Form):
    user = ModelChoiceField(
        label=_("User"),
        queryset=User.objects.filter(is_active=True).order_by("last_name"),
        empty_label=_("Choose a user"),
        error_messages={"required": _("Choose the user")},
    )
    kind = forms.ChoiceField(
        label=_("Kind of restriction"),
        choices=Restriction.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of restriction")},
    )
    message = forms.CharField(
        label=_("Message shown to people kept out"),
        max_length=300,
        initial="This case is restricted. Contact the case lead.",
        error_messages={"required": _("Enter the message shown to people kept out")},
    )
    reason = forms.CharField(
        label=_("Reason (recorded, not shown)"),
        max_length=500,
        error_messages={"required": _("Give the reason for the restriction")},
    )


class BreakGlassForm(forms.Form):
    reference = forms.CharField(
        label=_("Case reference"), max_length=30, error_messages={"required": _("Enter the case reference")}
    )
    reason = forms.CharField(
        label=_("Why do you need emergency access?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Your reason is recorded, the case lead and your manager are told at once, and the data "
            "protection officer reviews every emergency access."
        ),
        error_messages={"required": _("Explain why you need emergency access")},
    )


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=BreakGlass.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the access was justified")},
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class FlagForm(forms.Form):
    owner = ModelChoiceField(
        label=_("Accountable owner"),
        queryset=User.objects.none(),
        empty_label=_("Choose the owner"),
        error_messages={"required": _("Choose the accountable owner")},
    )
    contact_note = forms.CharField(
        label=_("How to reach them (no content)"),
        max_length=300,
        required=False,
        help_text=_("For example: call the CT liaison desk before any decision on travel or events."),
    )

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, ModelChoiceField)
        owner.queryset = owners


class AccessLogFilterForm(forms.Form):
    actor = ModelChoiceField(
        label=_("Person"), queryset=User.objects.none(), required=False, empty_label=_("Anyone")
    )
    agency = ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.all(), required=False, empty_label=_("Any agency")
    )
    operation = forms.ChoiceField(label=_("Operation"), required=False, choices=[("", _("Any operation"))])
    since = DateField(label=_("From"), required=False, widget=DATE)
    until = DateField(label=_("To"), required=False, widget=DATE)

    def __init__(self, *args: Any, actors: Any, **kwargs: Any) -> None:

        super().__init__(*args, **kwargs)
        actor = self.fields["actor"]
        assert isinstance(actor, ModelChoiceField)
        actor.queryset = actors
        operation = self.fields["operation"]
        assert isinstance(operation, forms.ChoiceField)
        operation.choices = [("", gettext("Any operation")), *Operation.choices]
