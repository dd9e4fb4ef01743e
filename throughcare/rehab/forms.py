"""Forms of rehabilitation: every input is read by a form, its errors shown next to the field."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from throughcare.accounts.models import Agency
from throughcare.lib.forms import (
    DateField,
    DatePartsField,
    DateTimeField,
    IntegerField,
    ModelChoiceField,
    date_input,
    long_text,
)
from throughcare.rehab.models import (
    Achievement,
    ClosureReason,
    Criterion,
    CriterionReview,
    Dependant,
    DesiredOutcome,
    EndReason,
    OwnPlanRecord,
    PathwayNeed,
    Programme,
    Session,
    SupportNeed,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class OwnPlanResponseForm(forms.Form):
    shown_on = DateField(
        label=_("Date shown"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Enter the date the plan was shown"),
            "invalid": _("Enter the date shown as a real date, e.g. 2027-03-01"),
        },
    )
    response = forms.ChoiceField(
        label=_("Their response"),
        choices=OwnPlanRecord.Response.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Say whether they agreed"),
            "invalid_choice": _("Say whether they agreed"),
        },
    )
    own_words = forms.CharField(
        label=_("In their own words"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Their own words must be 2,000 characters or fewer")},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("initial", {"shown_on": timezone.localdate()})
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


# The rehabilitation page, the referral and closure: one form per verb ----------------------------------


def _choice(
    label: StrOrPromise, choices: Any, *, empty: StrOrPromise = "", required: bool = False
) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[("", empty or _("Choose")), *choices],
        required=required,
        error_messages={"invalid_choice": _("Choose one of the options offered")},
    )


class NeedForm(forms.Form):
    pathway = _choice(_("Pathway"), [])
    need = forms.CharField(label=_("Need"), max_length=300, required=False)
    owner_kind = _choice(_("Owned by"), PathwayNeed.Owner.choices)
    owner_agency = ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.order_by("name"),
        required=False,
        empty_label=_("Choose"),
        error_messages={"invalid_choice": _("Choose one of the agencies offered")},
    )

    def __init__(self, *args: Any, pathways: Sequence[tuple[str, StrOrPromise]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["pathway"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose")), *pathways]


class NeedStateForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Status"),
        choices=PathwayNeed.State.choices,
        error_messages={"required": _("Choose the status")},
    )
    version = IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)


class SupportNeedForm(forms.Form):
    kind = _choice(_("Kind"), SupportNeed.Kind.choices)
    detail = forms.CharField(label=_("Detail"), max_length=500, required=False)
    safety_plan = long_text(_("Safety plan (needed for domestic abuse and coercive control)"), rows=2)


class DependantForm(forms.Form):
    given_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    date_of_birth = DatePartsField(
        label=_("Date of birth"),
        required=False,
        error_messages={"invalid": _("Enter the date of birth as a real date")},
    )
    relation = _choice(_("Relation"), Dependant.Relation.choices)
    lives_with = forms.BooleanField(required=False)
    care_arrangement = forms.CharField(label=_("Care arrangement"), max_length=300, required=False)

    def __init__(self, *args: Any, given_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lives_with"].label = gettext("Lives with %(name)s (or will on release)") % {
            "name": given_name
        }


class AppointmentForm(forms.Form):
    starts_at = DateTimeField(
        label=_("Date and time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": _("Enter the date and time, e.g. 2027-03-01 10:00")},
    )
    with_whom = forms.CharField(label=_("With whom"), max_length=200, required=False)
    place = forms.CharField(label=_("Where"), max_length=200, required=False)
    purpose = forms.CharField(label=_("What for"), max_length=300, required=False)

    def clean_starts_at(self) -> datetime | None:
        moment: datetime | None = self.cleaned_data.get("starts_at")
        if moment is not None and abs(moment - timezone.now()) > timedelta(days=5 * 366):
            raise forms.ValidationError(_("An appointment is within five years from today"))
        return moment


class ReferralForm(forms.Form):
    programme = ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.filter(is_active=True),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the programme"),
            "invalid_choice": _("Choose a programme offered"),
        },
    )
    reason = long_text(_("Why this programme, and what it should achieve"))
    sections = forms.MultipleChoiceField(
        label=_("What the provider will see"),
        help_text=_(
            "The provider sees only the reason, what you tick here and your note, as they are now. "
            "Share what they need to deliver the programme safely, no more."
        ),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Share only the parts offered")},
    )
    note = long_text(_("What the provider should know to work safely (optional)"), rows=2)
    consent_override_reason = forms.CharField(
        label=_("Why the referral cannot wait for consent"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, sections: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["sections"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = sections


class MoveForm(forms.Form):
    """A move of the referral: the next status is in the URL; endings need a reason."""

    end_reason = _choice(_("Reason"), EndReason.choices, empty=_("Choose a reason"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ActionPlanForm(forms.Form):
    action_plan = long_text(_("Action plan"))
    outcomes = long_text(_("Desired outcomes, one per line"))


class SessionForm(forms.Form):
    held_on = DateField(
        label=_("Date"),
        widget=date_input(),
        error_messages={
            "required": _("Give the date of the session"),
            "invalid": _("Enter the date as a real date"),
        },
    )
    attendance = _choice(_("Attendance"), Session.Attendance.choices)
    note = forms.CharField(label=_("What happened in the session"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class EndOfServiceForm(forms.Form):
    """The report, and for each desired outcome how far it was achieved."""

    report = long_text(_("Report"), rows=4)

    def __init__(self, *args: Any, outcomes: list[DesiredOutcome], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outcomes = outcomes
        for outcome in outcomes:
            self.fields[f"achievement-{outcome.pk}"] = _choice(outcome.description, Achievement.choices)
        self.order_fields([f"achievement-{o.pk}" for o in outcomes])

    def achievements(self) -> dict[int, str]:
        return {o.pk: self.cleaned_data.get(f"achievement-{o.pk}", "") for o in self.outcomes}


class CriteriaReviewForm(forms.Form):
    """Where each criterion stands now, with its evidence: all of them saved, or none."""

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"state-{criterion.pk}"] = _choice(
                _("Where it stands now"), CriterionReview.State.choices, empty=_("No change")
            )
            self.fields[f"evidence-{criterion.pk}"] = long_text(_("Evidence"), rows=2)

    def reviews(self) -> list[tuple[Criterion, str, str]]:
        data = self.cleaned_data
        return [
            (c, data[f"state-{c.pk}"], data[f"evidence-{c.pk}"])
            for c in self.criteria
            if data[f"state-{c.pk}"]
        ]


class ProposeClosingForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason for closing"),
        choices=ClosureReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the reason for closing"),
            "invalid_choice": _("Choose a reason"),
        },
    )
    note = long_text(_("Note"), rows=2)
    override_reason = long_text(_("If mandatory criteria are not met: why close all the same"), rows=2)


class NoteForm(forms.Form):
    """A sign-off, a cancellation or a check-in: an optional or required short note (the action says)."""

    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, label: str = "Note", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].label = label
