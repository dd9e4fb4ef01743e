"""Forms of the risk pages: every input is read by a form, its errors shown next to the field.

The plan review, a form with two formsets, is in plan_form.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from throughcare.lib.forms import DateField, ModelChoiceField, date_input, long_text
from throughcare.risk.models import (
    Assessment,
    HarmTarget,
    IncomingInformation,
    Instrument,
    Item,
    ReviewReason,
    Setting,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _past_date(label: StrOrPromise, missing: StrOrPromise, invalid: StrOrPromise) -> DateField:
    """A date with its messages, each a whole sentence: when it is left empty, and when it is no date."""
    return DateField(
        label=label, widget=date_input(), error_messages={"required": missing, "invalid": invalid}
    )


class StartForm(forms.Form):
    instrument = ModelChoiceField(
        label=_("Instrument"),
        queryset=Instrument.objects.all(),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the instrument"),
            "invalid_choice": _("Choose an instrument offered"),
        },
    )


class RatingsForm(forms.Form):
    """The assessor's ratings, each with its evidence and source; and, to complete, the judgement."""

    judgement = forms.ChoiceField(
        label=_("Overall, in your judgement"),
        choices=Assessment.Priority.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Choose a judgement from the list")},
    )
    rationale = long_text(_("Rationale: what drives the risk, for whom, how soon"), rows=4)
    complete = forms.BooleanField(required=False)

    def __init__(self, *args: Any, items: list[Item], scale: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"value-{item.code}"] = forms.ChoiceField(
                label=f"{item.code} {item.text}",
                choices=scale,
                widget=forms.RadioSelect,
                required=False,
                error_messages={"invalid_choice": _("Choose a rating on the instrument's scale")},
            )
            self.fields[f"evidence-{item.code}"] = forms.CharField(
                label=_("Evidence"), max_length=2000, required=False
            )
            self.fields[f"source-{item.code}"] = forms.CharField(
                label=_("Source"), max_length=200, required=False
            )

    def ratings(self) -> list[tuple[Item, str, str, str]]:
        data = self.cleaned_data
        return [
            (i, data[f"value-{i.code}"], data[f"evidence-{i.code}"], data[f"source-{i.code}"])
            for i in self.items
            if data[f"value-{i.code}"]
        ]

    def completing(self) -> bool:
        return bool(self.cleaned_data.get("judgement") or self.cleaned_data.get("complete"))


class HarmForm(forms.Form):
    """The risk of serious harm: a level for each group who may be harmed, in custody and in the
    community, with the explanation."""

    explanation = long_text(_("Explanation: who, in what circumstances, how soon"))
    settings = Setting.choices

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for target, target_label in HarmTarget.choices:
            for setting, setting_label in Setting.choices:
                self.fields[f"level-{target}-{setting}"] = forms.ChoiceField(
                    label=f"{target_label}, {setting_label.lower()}",
                    choices=[("", _("Not judged")), *Assessment.Priority.choices],
                    required=False,
                    error_messages={"invalid_choice": _("Choose a level from the list")},
                )
        self.order_fields([f for f in self.fields if f != "explanation"])

    def levels(self) -> dict[tuple[str, str], str]:
        return {
            (t, s): self.cleaned_data[f"level-{t}-{s}"] for t in HarmTarget.values for s in Setting.values
        }

    def rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (str(label), [self[f"level-{t}-{s}"] for s in Setting.values]) for t, label in HarmTarget.choices
        ]


REQUESTABLE = [
    (ReviewReason.CHANGE, _("A change of circumstances")),
    (ReviewReason.NEW_INFORMATION, _("New information")),
    (ReviewReason.CONFERENCE, _("A conference decision")),
]


class RequireReviewForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Because of"),
        choices=REQUESTABLE,
        widget=forms.RadioSelect,
        required=False,
        initial=ReviewReason.CHANGE,
        error_messages={"invalid_choice": _("Choose what calls for the review")},
    )
    note = forms.CharField(label=_("What happened"), max_length=300, required=False)


class ObservationForm(forms.Form):
    observed_on = _past_date(
        _("Date observed"), _("Give the date observed"), _("Enter the date observed as a real date")
    )
    note = long_text(_("What was observed, by whom"), rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"observed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_observed_on(self) -> Any:
        observed = self.cleaned_data["observed_on"]
        if observed > timezone.localdate():
            raise forms.ValidationError(_("The date observed cannot be in the future"))
        return observed


class InformationForm(forms.Form):
    source = forms.CharField(label=_("Source"), max_length=200, required=False)
    received_on = _past_date(
        _("Date received"), _("Give the date received"), _("Enter the date received as a real date")
    )
    reliability = forms.ChoiceField(
        label=_("Reliability of the source"),
        choices=[("", _("Choose")), *IncomingInformation.Reliability.choices],
        required=False,
    )
    credibility = forms.ChoiceField(
        label=_("Credibility of the information"),
        choices=[("", _("Choose")), *IncomingInformation.Credibility.choices],
        required=False,
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    summary = long_text(_("Summary"))

    def __init__(self, *args: Any, categories: Sequence[tuple[str, StrOrPromise]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [("", _("Choose")), *categories]

    def clean_received_on(self) -> Any:
        received = self.cleaned_data["received_on"]
        if received > timezone.localdate():
            raise forms.ValidationError(_("The date received cannot be in the future"))
        return received


class AcknowledgeForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("What follows"),
        choices=IncomingInformation.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Decide what follows: no action, plan review, conference or urgent action"),
            "invalid_choice": _("Choose what follows from the list"),
        },
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
