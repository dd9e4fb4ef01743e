from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from throughcare.accounts.models import Agency, User
from throughcare.cases.models import Case, DataCategory
from throughcare.conferences.models import Attendance, ConferenceKind, RiskRequest
from throughcare.lib.forms import (
    DateField,
    FoundChoice,
    IntegerField,
    ModelChoiceField,
    ModelMultipleChoiceField,
    date_input,
    long_text,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ReleaseConferenceForm(forms.Form):
    held_on = DateField(
        label=_("Date held"),
        widget=date_input(),
        error_messages={
            "required": _("Enter the date the conference was held"),
            "invalid": _("Enter the date held as a real date"),
        },
    )
    chair = ModelChoiceField(
        label=_("Chair"),
        queryset=User.objects.none(),
        empty_label=_("Choose the chair"),
        error_messages={"required": _("Choose the chair")},
    )
    present = ModelMultipleChoiceField(
        label=_("Agencies present"),
        queryset=Agency.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Say which agencies attended")},
    )
    apologies = ModelMultipleChoiceField(
        label=_("Agencies that sent apologies"),
        queryset=Agency.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    shared = forms.CharField(
        label=_("What was shared"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    decision = forms.CharField(
        label=_("Decision"),
        max_length=500,
        error_messages={"required": _("Record at least one decision: a conference is for deciding")},
    )
    rationale = forms.CharField(
        label=_("Rationale for the decision"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Every decision needs its rationale")},
    )
    action = forms.CharField(label=_("Action (optional)"), max_length=500, required=False)
    action_owner = ModelChoiceField(
        label=_("Action owner"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Choose the owner"),
    )
    action_due = DateField(
        label=_("Action deadline"),
        widget=date_input(),
        required=False,
        error_messages={"invalid": _("Enter the deadline as a real date")},
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("chair", "action_owner"):
            field = self.fields[name]
            assert isinstance(field, ModelChoiceField)
            field.queryset = people
        self.fields["held_on"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") and not (data.get("action_owner") and data.get("action_due")):
            self.add_error("action_owner", _("Every action needs an owner and a deadline"))
        return data


class OverrideReleaseForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Reason for releasing without the release conference"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for releasing without the release conference")},
    )


class RequestForm(forms.Form):
    """A risk-relevant request: travel, an event, a new address or job, contact with a named person …"""

    kind = forms.ChoiceField(
        label=_("What is asked for"),
        choices=[("", _("Choose")), *RiskRequest.Kind.choices],
        error_messages={
            "required": _("Choose what is asked for"),
            "invalid_choice": _("Choose what is asked for"),
        },
    )
    details = forms.CharField(
        label=_("Where, when, with whom, why"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Say where, when, with whom and why"),
            "max_length": _("The details must be 2,000 characters or fewer"),
        },
    )
    starts_on = DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter the start date as a real date")},
    )
    ends_on = DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter the end date as a real date")},
    )


class DelegateDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("Choose"))]
        + [c for c in RiskRequest.Outcome.choices if c[0] not in ("pending", "withdrawn")],
        error_messages={"required": _("Choose the outcome"), "invalid_choice": _("Choose the outcome")},
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("The conditions must be 2,000 characters or fewer")},
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Give the rationale of the decision"),
            "max_length": _("The rationale must be 2,000 characters or fewer"),
        },
    )


# The meeting: one form per verb ---------------------------------------------------------------------------


class CaseChoice(ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.reference} — {obj.person.given_name} {obj.person.family_name}"


class RequestChoice(ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_kind_display()}: {Truncator(obj.details).chars(60)}"


class ScheduleForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=ConferenceKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the kind of conference"),
            "invalid_choice": _("Choose the kind"),
        },
    )
    held_on = DateField(
        label=_("Date"),
        widget=date_input(),
        error_messages={
            "required": _("Give the date of the meeting"),
            "invalid": _("Enter the date as a real date"),
        },
    )
    starts_at = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Enter the time as hours and minutes, e.g. 10:00")},
    )
    place = forms.CharField(label=_("Where"), max_length=200, required=False)


class InviteForm(forms.Form):
    agency = ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.order_by("name"),
        empty_label=_("Choose"),
        error_messages={
            "required": _("Choose the agency to invite"),
            "invalid_choice": _("Choose the agency"),
        },
    )
    user = ModelChoiceField(
        label=_("Person (optional: otherwise the agency)"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("The agency"),
        error_messages={"invalid_choice": _("Choose one of the people offered")},
    )

    def __init__(self, *args: Any, people: Any, shown: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_or_ask(self, "user", people, _find_person, PERSON_HELP, shown)


class AgendaForm(forms.Form):
    case = CaseChoice(
        label=_("Add a case"),
        queryset=Case.objects.none(),
        empty_label=_("Choose a case"),
        error_messages={
            "required": _("Choose the case"),
            "invalid_choice": _("Choose one of the cases offered"),
        },
    )

    def __init__(self, *args: Any, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offers_cases = _offer_or_ask(self, "case", cases, _find_case, CASE_HELP) > 0


class BriefingForm(forms.Form):
    briefing = long_text(_("Briefing (shared with this meeting's attendees only)"))
    categories = forms.MultipleChoiceField(
        label=_("The briefing draws on"),
        help_text=_(
            "Partners that need the person's consent for one of these receive the briefing only with it."
        ),
        choices=[c for c in DataCategory.choices if c[0] != DataCategory.INTELLIGENCE],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Choose among the kinds offered")},
    )
    override_reason = forms.CharField(
        label=_("Override of consent (managers permitted to override only): why"),
        max_length=500,
        required=False,
    )


class PutOnAgendaForm(forms.Form):
    request = RequestChoice(
        label=_("Put a pending request on the agenda"),
        queryset=RiskRequest.objects.none(),
        empty_label=None,
        error_messages={"required": _("Choose the request"), "invalid_choice": _("Choose a pending request")},
    )

    def __init__(self, *args: Any, pending: Any, shown: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer(self, "request", pending, shown)


class DecisionForm(forms.Form):
    decision = forms.CharField(
        label=_("Decision"), max_length=500, error_messages={"required": _("Write the decision")}
    )
    rationale = long_text(_("Rationale"), rows=2, required=True)
    request = RequestChoice(
        label=_("On the request (optional)"),
        queryset=RiskRequest.objects.none(),
        required=False,
        empty_label=_("No request"),
        error_messages={"invalid_choice": _("Choose a pending request on this agenda item")},
    )
    outcome = forms.ChoiceField(
        label=_("Outcome for the request"),
        choices=[
            ("", _("Choose")),
            *[c for c in RiskRequest.Outcome.choices if c[0] not in ("pending", "withdrawn")],
        ],
        required=False,
    )
    conditions = long_text(_("Conditions attached"), rows=2)
    triggers_plan_review = forms.BooleanField(
        label=_("The risk management plan must be reviewed"), required=False
    )
    condition_change = forms.CharField(
        label=_("A licence condition to vary (optional)"), max_length=500, required=False
    )

    def __init__(self, *args: Any, requests: Any, shown: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rationale"].error_messages["required"] = "Every decision needs its rationale"
        _offer(self, "request", requests, shown)
        if not (shown if shown is not None else requests.exists()):
            for name in ("request", "outcome", "conditions"):
                del self.fields[name]


class ActionForm(forms.Form):
    description = forms.CharField(
        label=_("What is to be done"),
        max_length=500,
        error_messages={"required": _("Say what is to be done")},
    )
    owner = ModelChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Choose"),
        error_messages={"invalid_choice": _("Choose one of the people offered")},
    )
    due_on = DateField(
        label=_("Deadline"),
        widget=date_input(),
        required=False,
        error_messages={"invalid": _("Enter the deadline as a real date")},
    )

    def __init__(self, *args: Any, people: Any, shown: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_or_ask(self, "owner", people, _find_person, PERSON_HELP, shown)


class DoneForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)


class MinutesForm(forms.Form):
    """The chair's minutes of an item; the restricted section only for a cleared chair."""

    discussion = long_text(_("Discussion"), rows=4)
    restricted = long_text(_("Restricted section (only cleared attendees receive it)"), rows=2)
    version = IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)

    def __init__(self, *args: Any, cleared: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not cleared:
            del self.fields["restricted"]


class RestrictedForm(forms.Form):
    restricted = long_text(_("Restricted section (only cleared attendees receive it)"), rows=2)
    version = IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)


class AttendanceForm(forms.Form):
    """One choice per invited agency or person: present, sent apologies, absent — or not recorded yet."""

    def __init__(self, *args: Any, rows: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            label = f"{row['agency']}" + (f" — {row['user']}" if row["user"] else "")
            self.fields[f"attendance-{row['key']}"] = forms.ChoiceField(
                label=label,
                choices=[("", _("Not recorded")), *Attendance.Status.choices],
                required=False,
                initial=row["status"],
                error_messages={"invalid_choice": _("Choose present, sent apologies or absent")},
            )

    def entries(self) -> list[tuple[Agency, User | None, str]]:
        return [
            (row["agency"], row["user"], status)
            for row in self.rows
            if (status := self.cleaned_data.get(f"attendance-{row['key']}"))
        ]


class AddendumForm(forms.Form):
    text = long_text(_("Correction"), rows=2)
    restricted = forms.BooleanField(label=_("Restricted: only cleared attendees receive it"), required=False)

    def __init__(self, *args: Any, cleared: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not cleared:
            del self.fields["restricted"]


def _offer(form: forms.Form, name: str, queryset: Any, shown: list[Any] | None = None) -> None:
    """The rows a choice accepts (`queryset`, checked when the form is sent) and those it shows: `shown`,
    rows the page fetched once for all its forms, or else the queryset (fetched as the form renders)."""
    field = form.fields[name]
    assert isinstance(field, ModelChoiceField)
    field.queryset = queryset
    if shown is not None:
        empty = [("", field.empty_label)] if field.empty_label is not None else []
        field.choices = empty + [(row.pk, field.label_from_instance(row)) for row in shown]


PERSON_HELP = _("Too many people to list: type their username, or their first and last name")
CASE_HELP = _("Too many cases to list: type the case's reference")


def _offer_or_ask(
    form: forms.Form,
    name: str,
    queryset: Any,
    find: Callable[[Any, str], Any],
    help_text: StrOrPromise,
    shown: list[Any] | None = None,
) -> int:
    """A list of the rows when there are no more than `LONGEST_CHOICE_LIST` (`shown`: the rows the page
    fetched for all its forms, one more than that at most); beyond, a box that asks for one by name,
    accepting the same rows. Returns how many rows were found, up to one more than a list offers."""
    longest = settings.LONGEST_CHOICE_LIST
    rows = shown if shown is not None else list(queryset[: longest + 1])
    if len(rows) <= longest:
        _offer(form, name, queryset, rows)
        return len(rows)
    field = form.fields[name]
    form.fields[name] = FoundChoice(
        queryset=queryset,
        find=find,
        label=field.label,
        required=field.required,
        help_text=help_text,
        error_messages={"required": field.error_messages["required"]},
    )
    return len(rows)


def _find_case(cases: Any, text: str) -> Any:
    return cases.filter(reference__iexact=text)


def _find_person(people: Any, text: str) -> Any:
    """By username, or by first and last name (a family name alone when one word is given). The text comes
    stripped (`FoundChoice` is a CharField)."""
    first, _, last = text.partition(" ")
    by_name = (
        Q(first_name__iexact=first, last_name__iexact=last.strip()) if last else Q(last_name__iexact=first)
    )
    return people.filter(Q(username__iexact=text) | by_name)


class ApproveMinutesForm(forms.Form):
    """Approving locks the minutes. Where an agenda item has nothing written about it, the chair confirms
    that it was not discussed (a forgotten item cannot be added once the minutes are locked, only an
    addendum)."""

    nothing_discussed = forms.BooleanField(
        label=_("Yes, nothing was discussed on these cases"),
        required=False,
    )

    def __init__(self, *args: Any, empty: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.empty = empty
        if not empty:
            del self.fields["nothing_discussed"]

    def clean_nothing_discussed(self) -> bool:
        checked: bool = self.cleaned_data["nothing_discussed"]
        if self.empty and not checked:
            raise forms.ValidationError(
                gettext("Write what was discussed on %(items)s first, or confirm that nothing was discussed")
                % {"items": ", ".join(self.empty)}
            )
        return checked
