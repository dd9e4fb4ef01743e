from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from throughcare.accounts.models import Agency, Membership, Role, User
from throughcare.cases.models import DataCategory, Nature, Phase
from throughcare.lib.forms import DateField, DatePartsField, IntegerField, ModelChoiceField
from throughcare.lib.translated import format_lazy_message
from throughcare.people.models import Gender, Person, SubjectCategory


class NoteForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("Choose a category")), *DataCategory.choices],
        help_text=_("Decides who may see this note."),
        error_messages={"required": _("Choose a category")},
    )
    nature = forms.ChoiceField(
        label=_("Is this a fact or an assessment?"),
        choices=Nature.choices,
        widget=forms.RadioSelect,
        help_text=_("A fact can be checked (an appointment was missed); an assessment is a judgement."),
        error_messages={"required": _("Say whether this is a fact or an assessment")},
    )
    body = forms.CharField(
        label=_("Note"),
        max_length=settings.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Enter the note"),
            "max_length": format_lazy_message(
                _("The note must be %(NOTE_MAX_LENGTH)s characters or fewer"),
                {"NOTE_MAX_LENGTH": format(settings.NOTE_MAX_LENGTH, ",")},
            ),
        },
    )
    occurred_on = DateField(
        label=_("Date it happened (optional)"),
        required=False,
        help_text=_("Leave empty if it happened today."),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the date it happened as a real date")},
    )

    def clean_occurred_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("occurred_on")
        if value is not None and value > timezone.localdate():
            raise forms.ValidationError(_("The date it happened cannot be in the future"))
        return value

    def limit_categories(self, allowed: frozenset[str]) -> NoteForm:
        """Offer only the categories the author may see, so nobody writes what they could not read back."""
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [
            ("", _("Choose a category")),
            *((v, label) for v, label in DataCategory.choices if v in allowed),
        ]
        return self


class PhaseChangeForm(forms.Form):
    to_phase = forms.ChoiceField(choices=Phase.choices, widget=forms.HiddenInput)
    version = IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("e.g. released on licence on 3 March; licence period ended"),
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": _("Give the reason for the change of phase"),
            "max_length": _("The reason must be 500 characters or fewer"),
        },
    )
    HIDDEN = ("to_phase", "version")

    def only_visible_errors(self) -> bool:
        """Errors a person can correct (not a tampered or stale hidden field)."""
        return not any(name in self.errors for name in self.HIDDEN)


class CaseloadFilterForm(forms.Form):
    SORTS = {
        "person": ("person__family_name", "person__given_name"),
        "phase": ("phase_order", "person__family_name"),
        "agency": ("lead_agency_name", "person__family_name"),
        "activity": ("last_activity_at",),
    }
    phase = forms.ChoiceField(
        label=_("Phase"), required=False, choices=[("", _("All phases")), *Phase.choices]
    )
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in SORTS])
    order = forms.ChoiceField(required=False, choices=[("asc", "asc"), ("desc", "desc")])
    scope = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("mine", _("Cases where I am on the team")), ("all", _("All cases I can see"))],
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, alias, case reference or identifier"),
        help_text=_("A prison number, a national identity number or another identifier, written in full."),
        max_length=100,
        min_length=2,
        error_messages={
            "required": _("Enter a name, alias, case reference or identifier to search for"),
            "min_length": _("Enter at least 2 characters"),
            "max_length": _("Enter 100 characters or fewer"),
        },
    )
    reason = forms.CharField(
        label=_("Reason for searching outside your caseload"),
        max_length=300,
        required=False,
        help_text=_("Recorded with every result you see outside your own cases."),
    )


class PersonForm(forms.ModelForm[Person]):
    version = IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Person
        fields = [
            "given_name",
            "family_name",
            "date_of_birth",
            "gender",
            "nationality",
            "languages",
            "subject_category",
            "is_returnee",
        ]
        labels = {
            "given_name": _("Given name"),
            "family_name": _("Family name"),
            "date_of_birth": _("Date of birth"),
            "gender": _("Gender"),
            "nationality": _("Nationality"),
            "languages": _("Languages"),
            "is_returnee": _("Returned from a conflict zone"),
            "subject_category": _("Category of data subject"),
        }
        field_classes = {"date_of_birth": DatePartsField}
        error_messages = {
            "given_name": {"required": _("Enter the given name")},
            "family_name": {"required": _("Enter the family name")},
            "date_of_birth": {"invalid": "Enter the date of birth as a real date"},
        }

    def clean_date_of_birth(self) -> date | None:
        value: date | None = self.cleaned_data.get("date_of_birth")
        if value is not None and value > timezone.localdate():
            raise forms.ValidationError(_("The date of birth must be in the past"))
        return value


class NewCaseForm(forms.Form):
    given_name = forms.CharField(
        label=_("Given name"), max_length=100, error_messages={"required": _("Enter the given name")}
    )
    family_name = forms.CharField(
        label=_("Family name"), max_length=100, error_messages={"required": _("Enter the family name")}
    )
    date_of_birth = DatePartsField(
        label=_("Date of birth"),
        required=False,
        error_messages={"invalid": _("Enter the date of birth as a real date")},
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN)
    nationality = forms.CharField(label=_("Nationality"), max_length=100, required=False)
    languages = forms.CharField(
        label=_("Languages"), max_length=200, required=False, help_text=_("Separate languages with commas.")
    )
    subject_category = forms.ChoiceField(
        label=_("Category of data subject"),
        choices=SubjectCategory.choices,
        initial=SubjectCategory.CONVICTED,
    )
    sentence_summary = forms.CharField(
        label=_("Sentence"),
        max_length=200,
        required=False,
        help_text=_("For example: 6 years, preparation of terrorist acts."),
    )
    phase = forms.ChoiceField(label=_("Current phase"), choices=Phase.choices[:-1], initial=Phase.CUSTODY)
    agency = ModelChoiceField(label=_("You act for"), queryset=Agency.objects.none(), empty_label=None)
    function = forms.CharField(
        label=_("Your role on the case"),
        max_length=100,
        help_text=_("For example: Community offender manager."),
        error_messages={"required": _("Enter your role on the case")},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        assert isinstance(agency, ModelChoiceField)
        agency.queryset = Agency.objects.filter(
            memberships__user=user,
            memberships__is_active=True,
            memberships__role__in=[Role.PRACTITIONER, Role.MANAGER],
        ).distinct()

    def clean_date_of_birth(self) -> date | None:
        value: date | None = self.cleaned_data.get("date_of_birth")
        if value is not None and value > timezone.localdate():
            raise forms.ValidationError(_("The date of birth must be in the past"))
        return value


def can_open_cases(user: User) -> bool:
    return Membership.objects.filter(
        user=user, is_active=True, role__in=[Role.PRACTITIONER, Role.MANAGER]
    ).exists()


# The case team --------------------------------------------------------------------------------------


class AddPlaceForm(forms.Form):
    user = ModelChoiceField(
        label=_("Worker"),
        queryset=User.objects.none(),
        error_messages={
            "required": _("Choose the worker"),
            "invalid_choice": _("Choose a worker from the list"),
        },
    )
    agency = ModelChoiceField(
        label=_("Acting for"),
        queryset=Agency.objects.order_by("name"),
        help_text=_("The agency they work for on this case"),
        error_messages={
            "required": _("Choose the agency"),
            "invalid_choice": _("Choose an agency from the list"),
        },
    )
    responsibility = forms.ChoiceField(
        label=_("Role on the team"),
        choices=[("supporting", _("Supporting")), ("lead", _("Lead (hands the lead over to them)"))],
        initial="supporting",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose lead or supporting"),
            "invalid_choice": _("Choose lead or supporting"),
        },
    )
    function = forms.CharField(
        label=_("Function (optional)"),
        required=False,
        max_length=100,
        help_text=_("e.g. Community offender manager, mentor"),
        error_messages={"max_length": _("The function must be 100 characters or fewer")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        workers = Membership.objects.filter(is_active=True, role__in=[Role.PRACTITIONER, Role.MANAGER])
        self.fields["user"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(is_active=True, memberships__in=workers).distinct().order_by("last_name")
        )


class ChangePlaceForm(forms.Form):
    responsibility = forms.ChoiceField(
        label=_("Role on the team"),
        choices=[("supporting", _("Supporting")), ("lead", _("Lead"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose lead or supporting"),
            "invalid_choice": _("Choose lead or supporting"),
        },
    )
    function = forms.CharField(
        label=_("Function"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("The function must be 100 characters or fewer")},
    )
    state = forms.CharField(widget=forms.HiddenInput, max_length=200)


class EndPlaceForm(forms.Form):
    reason = forms.CharField(
        label=_("Why their place ends"),
        max_length=300,
        help_text=_("e.g. moved to another region; the programme ended. They keep read-only access a while."),
        error_messages={
            "required": _("Give the reason their place ends"),
            "max_length": _("The reason must be 300 characters or fewer"),
        },
    )
    state = forms.CharField(widget=forms.HiddenInput, max_length=200)
