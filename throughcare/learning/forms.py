from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from throughcare.accounts.models import Agency, AgencyKind, User
from throughcare.cases.models import Phase
from throughcare.learning.models import Finding, Lesson, Recommendation, Theme, Trigger
from throughcare.lib.forms import (
    DateField,
    IntegerField,
    ModelChoiceField,
    ModelMultipleChoiceField,
    date_input,
    long_text,
)
from throughcare.lib.translated import language_code

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _choice(
    label: StrOrPromise, choices: Any, required: StrOrPromise, invalid: StrOrPromise, *, radios: bool = False
) -> forms.ChoiceField:
    """A choice with its messages, each a whole sentence: when none is chosen, and when what came is not
    among the choices."""
    return forms.ChoiceField(
        label=label,
        choices=choices if radios else [("", _("Choose")), *choices],
        widget=forms.RadioSelect if radios else forms.Select,
        error_messages={"required": required, "invalid_choice": invalid},
    )


class OpenReviewForm(forms.Form):
    trigger = _choice(
        _("Why the review"),
        Trigger.choices,
        _("Choose why the case is reviewed"),
        _("Choose why the case is reviewed from the list"),
        radios=True,
    )
    terms = long_text(
        _("What the review asks"),
        required=True,
        help_text=_("The questions, and the period it covers"),
        required_message=_("Say what the review asks"),
    )


class NoteForm(forms.Form):
    text = long_text(
        _("Reviewer's note on this point"), rows=2, required=True, required_message=_("Write the note")
    )


class FindingForm(forms.Form):
    theme = _choice(_("Theme"), Theme.choices, _("Choose a theme"), _("Choose a theme from the list"))
    went = _choice(
        _("What it is"),
        Finding.Went.choices,
        _("Choose whether it worked"),
        _("Choose whether it worked from the list"),
        radios=True,
    )
    text = long_text(_("Finding"), required=True, required_message=_("Describe the finding"))
    factors = long_text(_("Contributing factors"), help_text=_("What made it go this way"))


class RecommendationForm(forms.Form):
    theme = _choice(_("Theme"), Theme.choices, _("Choose a theme"), _("Choose a theme from the list"))
    text = long_text(_("Recommendation"), required=True, required_message=_("Write the recommendation"))
    agency = ModelChoiceField(
        label=_("Owning agency"),
        queryset=Agency.objects.order_by("name"),
        empty_label=_("Choose"),
        error_messages={"required": _("Choose the owning agency"), "invalid_choice": _("Choose an agency")},
    )
    owner = ModelChoiceField(
        label=_("Owner"),
        queryset=User.objects.filter(is_active=True, memberships__is_active=True).distinct(),
        empty_label=_("Choose"),
        error_messages={
            "required": _("Choose who owns it"),
            "invalid_choice": _("Choose someone from the list"),
        },
    )
    due_on = DateField(
        label=_("Deadline"),
        widget=date_input(),
        error_messages={
            "required": _("Give the deadline"),
            "invalid": _("Enter the deadline as a real date"),
        },
    )

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        self.fields["owner"].label_from_instance = lambda u: f"{u} — {u.job_title}" if u.job_title else str(u)  # type: ignore[attr-defined]


class UpdateRecommendationForm(forms.Form):
    status = _choice(
        _("Status"),
        Recommendation.Status.choices,
        _("Choose a status"),
        _("Choose a status from the list"),
        radios=True,
    )
    evidence = long_text(_("Evidence it was implemented"), rows=2)
    reason = long_text(_("Why it was rejected"), rows=2)
    version = IntegerField(widget=forms.HiddenInput)


class ConcludeForm(forms.Form):
    conclusion = long_text(_("Conclusion"), rows=4, required=True, required_message=_("Write the conclusion"))
    version = IntegerField(widget=forms.HiddenInput)


def written_in(label: StrOrPromise, help_text: StrOrPromise) -> forms.ChoiceField:
    """The language a text is written in: one the product offers; blank, the writer's own."""
    return forms.ChoiceField(
        label=label,
        help_text=help_text,
        choices=lambda: settings.LANGUAGES,
        required=False,
        initial=language_code,  # the writer's own, when the form is shown
        error_messages={"invalid_choice": _("Choose one of the languages offered")},
    )


class LessonForm(forms.Form):
    statement = forms.CharField(
        label=_("The lesson"),
        max_length=300,
        help_text=_("One or two sentences, naming no one: roles and kinds of agency only"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Write the lesson"),
            "max_length": _("Keep the lesson to 300 characters"),
        },
    )
    theme = _choice(_("Theme"), Theme.choices, _("Choose a theme"), _("Choose a theme from the list"))
    phase = _choice(_("Phase"), Phase.choices, _("Choose the phase"), _("Choose the phase from the list"))
    agency_kinds = forms.MultipleChoiceField(
        label=_("Kinds of agency involved"),
        choices=AgencyKind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the kinds of agency involved")},
    )
    recommendation = long_text(
        _("What was recommended"), required=True, required_message=_("Say what was recommended")
    )
    what_changed = long_text(_("What changed as a result"))
    language = written_in(
        _("Language of the lesson"), _("The language you write it in: readers abroad find lessons by it")
    )


class ReviseLessonForm(forms.Form):
    statement = LessonForm.base_fields["statement"]
    recommendation = LessonForm.base_fields["recommendation"]
    what_changed = LessonForm.base_fields["what_changed"]
    version = IntegerField(widget=forms.HiddenInput)


class DecisionForm(forms.Form):
    """Approve, or send back with what must change."""

    decision = _choice(
        _("Your decision"),
        [("approve", _("Approve")), ("send_back", _("Send it back"))],
        _("Choose approve or send back"),
        _("Choose approve or send back from the list"),
        radios=True,
    )
    note = long_text(_("What must change (when sent back), or a note"), rows=2)
    version = IntegerField(widget=forms.HiddenInput)


class LessonFilterForm(forms.Form):
    q = forms.CharField(label=_("Search lessons"), required=False, max_length=200)
    theme = forms.ChoiceField(
        label=_("Theme"), choices=[("", _("All themes")), *Theme.choices], required=False
    )
    phase = forms.ChoiceField(
        label=_("Phase"), choices=[("", _("All phases")), *Phase.choices], required=False
    )
    agency_kind = forms.ChoiceField(
        label=_("Kind of agency"), choices=[("", _("All kinds")), *AgencyKind.choices], required=False
    )
    language = forms.ChoiceField(
        label=_("Written in"), choices=lambda: [("", _("Any language")), *settings.LANGUAGES], required=False
    )


class BuildForm(forms.Form):
    title = forms.CharField(
        label=_("Title of the training case"),
        max_length=200,
        help_text=_("What it teaches, e.g. “Information from abroad, and who owns it” — never a name"),
        error_messages={"required": _("Give the training case a title")},
    )
    language = written_in(
        _("Language of the training case"),
        _(
            "The language the case's notes are written in: what replaces names and dates, and the questions "
            "to the trainee, are written in it too"
        ),
    )


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=_("Question to the trainee"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write the question"), "max_length": _("Keep it to 300 characters")},
    )


class LinkLessonsForm(forms.Form):
    lessons = ModelMultipleChoiceField(
        label=_("Lessons it teaches"),
        queryset=Lesson.objects.filter(status=Lesson.Status.APPROVED),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class AnswerForm(forms.Form):
    would_do = long_text(
        _("What would you do?"), rows=4, required=True, required_message=_("Say what you would do")
    )
    why = long_text(_("Why?"), rows=3, required=True, required_message=_("Say why"))


class CommentForm(forms.Form):
    text = long_text(_("Your comment"), rows=2, required=True, required_message=_("Write your comment"))
