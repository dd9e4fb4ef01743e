from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from throughcare.lib.errors import ActionRefused
from throughcare.lib.translated import format_lazy_message

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LONG_TEXT = 10_000  # free text: a page or two, never a pasted file

# Dates a case can have: a date of birth long past to a licence or retention end far ahead. Outside this
# window a typing slip ("0001", "9999") is refused; inside it, date arithmetic (a year on, a shift for
# anonymising) never overflows.
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
# Whole numbers a form takes: no more than a 32-bit column holds, so every database stores them.
LARGEST = 2**31 - 1


def _in_window(value: date, label: object) -> None:
    if not EARLIEST <= value <= LATEST:
        raise forms.ValidationError(
            gettext("%(value)s must be between %(year)s and %(year2)s")
            % {"value": label or gettext("The date"), "year": EARLIEST.year, "year2": LATEST.year},
            code="out_of_range",
        )


class DateField(forms.DateField):
    """A date between `EARLIEST` and `LATEST`, in ISO form or the locale's."""

    def to_python(self, value: Any) -> date | None:
        result = super().to_python(value)
        if result is not None:
            _in_window(result, self.label)
        return result


def _moment_in_window(moment: datetime | None, label: object) -> datetime | None:
    if moment is not None:
        _in_window(moment.date(), label)
    return moment


class DateTimeField(forms.DateTimeField):
    """A moment whose day lies between `EARLIEST` and `LATEST` (as local time)."""

    def to_python(self, value: Any) -> datetime | None:
        return _moment_in_window(super().to_python(value), self.label)


class SplitDateTimeField(forms.SplitDateTimeField):
    """The administration's date and time boxes, bounded as `DateTimeField`."""

    def compress(self, data_list: Any) -> datetime | None:
        return _moment_in_window(super().compress(data_list), self.label)


def is_id(value: object) -> bool:
    """Whether `value` can be a row's integer id: ASCII digits, no more than a 64-bit column holds."""
    text = str(value).strip()
    return text.isascii() and text.isdigit() and len(text) <= 18


def _integer_ids(field: forms.ModelChoiceField[Any]) -> bool:
    if field.queryset is None:
        return False
    meta = field.queryset.model._meta
    key = meta.get_field(field.to_field_name) if field.to_field_name else meta.pk
    return key is not None and key.get_internal_type() in ("AutoField", "BigAutoField", "IntegerField")


class ModelChoiceField(forms.ModelChoiceField[Any]):
    """A choice of one row by its id: a value that is no id (`abc`, `²`, thirty nines) is an invalid
    choice, as a missing row is — not a query SQLite cannot run."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and _integer_ids(self) and not is_id(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField[Any]):
    """Several rows by their ids, each checked as `ModelChoiceField` checks one."""

    def _check_values(self, value: Any) -> Any:
        if _integer_ids(self):
            for pk in value:
                if not is_id(pk):
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)  # type: ignore[misc]


class FoundChoice(forms.CharField):
    """One row of a list too long to offer, named by typing (a case's reference, a person's name): `find`
    narrows the rows the choice accepts to those the text names. None, or more than one, is an error next
    to the field, the same for a row that exists outside the accepted ones as for one that does not."""

    default_error_messages = {
        "not_found": _("Nothing offered here matches that: check the spelling"),
        "several": _("More than one match that: be more precise"),
    }

    def __init__(self, *, queryset: Any, find: Callable[[Any, str], Any], **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 150)
        super().__init__(**kwargs)
        self.queryset, self.find = queryset, find

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if not text:
            return None
        found = list(self.find(self.queryset, text)[:2])
        if not found:
            raise forms.ValidationError(self.error_messages["not_found"], code="not_found")
        if len(found) > 1:
            raise forms.ValidationError(self.error_messages["several"], code="several")
        return found[0]


class IntegerField(forms.IntegerField):
    """A whole number in ASCII digits (`²`, `①` and other scripts' digits are refused, not read as
    numbers), between `min_value` and `max_value` (by default 0 and `LARGEST`)."""

    def __init__(self, *, min_value: int | None = 0, max_value: int | None = LARGEST, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {}).setdefault("invalid", "Enter a whole number, in digits")
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str) and value.strip() and not value.strip().lstrip("-").isascii():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def long_text(
    label: StrOrPromise,
    *,
    rows: int = 3,
    required: bool = False,
    max_length: int = LONG_TEXT,
    help_text: StrOrPromise = "",
    required_message: StrOrPromise = "",
    **messages: StrOrPromise,
) -> forms.CharField:
    """A text area with a bound on its length and the message for it (and, if given, the message when it
    is required and left empty)."""
    if required_message:
        messages["required"] = required_message
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "max_length": format_lazy_message(
                _("Keep it to %(max_length)s characters or fewer"), {"max_length": format(max_length, ",")}
            ),
            **messages,
        },
    )


def date_input() -> forms.DateInput:
    """A date field's control: the browser's date picker, the value as the ISO date it sends."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def query_text(request: HttpRequest, name: str, *, max_length: int = 200) -> str:
    """One free-text parameter of a page's address (a search term, a filter), read through a form:
    "" when it is missing, too long or holds a NUL byte (which PostgreSQL cannot compare)."""
    field = forms.CharField(required=False, max_length=max_length)
    form = type("QueryForm", (forms.Form,), {name: field})(request.GET)
    return str(form.cleaned_data[name]) if form.is_valid() else ""


def run_action(form: forms.Form, action: Callable[[], Any]) -> bool:
    """Run an action; a refusal becomes an error on the form (on its field if it names one), and nothing
    was written."""
    try:
        action()
    except ActionRefused as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        return False
    return True


def submit(
    request: HttpRequest,
    form: forms.Form,
    action: Callable[[dict[str, Any]], object],
    *,
    done: str | Callable[[dict[str, Any]], str],
    then: str | Callable[[], str],
    again: Callable[[], HttpResponse],
) -> HttpResponse:
    """The one shape of a verb behind a form: valid input runs the action (given the cleaned data) and goes
    on to `then` with the `done` message; invalid input or a refusal shows the page `again`, the form bound
    with what was typed and the errors next to its fields."""
    if form.is_valid() and run_action(form, lambda: action(form.cleaned_data)):
        messages.success(request, done(form.cleaned_data) if callable(done) else done)
        return redirect(then() if callable(then) else then)
    return again()


def attempt(request: HttpRequest, action: Callable[[], Any], done: str) -> bool:
    """Run an action for a page without a Django form: say what happened as a message. A refusal is
    shown with its reason, and nothing was written."""
    try:
        action()
    except ActionRefused as refusal:
        messages.error(request, sentence(refusal.message) + " Nothing was saved.")
        return False
    messages.success(request, done)
    return True


def sentence(text: str) -> str:
    """A message that another sentence follows: ended by one full stop (field errors, GOV.UK style, have
    none; "Choose the reason" becomes "Choose the reason.", "Done." stays as it is)."""
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


class DatePartsInput(forms.Widget):
    """GOV.UK's date input: day, month and year as three boxes (`<name>-day`, `-month`, `-year`), the pattern
    people know for a date of birth or a date long past. A single ISO value under the field's own name is
    read too (what an API client or an older form sends)."""

    PARTS = ("day", "month", "year")

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if name in data:
            return data.get(name)
        parts = [str(data.get(f"{name}-{part}", "")).strip() for part in self.PARTS]
        return parts if any(parts) else ""

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and not any(f"{name}-{part}" in data for part in self.PARTS)


class DatePartsField(DateField):
    """A date typed as day, month and year; each part refused in words ("must include a year")."""

    widget = DatePartsInput

    def to_python(self, value: Any) -> Any:
        if not isinstance(value, list):
            return super().to_python(value)
        day, month, year = value
        label = str(self.label or "The date")
        for part, typed in zip(DatePartsInput.PARTS, value, strict=True):
            if not typed:
                raise forms.ValidationError(
                    gettext("%(label)s must include a %(part)s") % {"label": label, "part": part},
                    code="incomplete",
                )
            if not (typed.isascii() and typed.isdigit()):
                raise forms.ValidationError(
                    gettext("%(label)s must be a real date, in numbers") % {"label": label}, code="invalid"
                )
        if len(year) != 4:
            raise forms.ValidationError(
                gettext("%(label)s: enter the year in full, e.g. 1993") % {"label": label}, code="invalid"
            )
        try:
            typed = date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(
                gettext("%(label)s must be a real date") % {"label": label}, code="invalid"
            ) from None
        _in_window(typed, label)
        return typed


def date_parts(value: Any) -> dict[str, str]:
    """What the three boxes show: the parts typed, or those of a date."""
    if isinstance(value, list) and len(value) == 3:
        return dict(zip(DatePartsInput.PARTS, value, strict=True))
    if isinstance(value, str) and value:
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return {"day": "", "month": "", "year": ""}
    if isinstance(value, date):
        return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
    return {"day": "", "month": "", "year": ""}


def written(value: object) -> SafeString:
    """What a person wrote (a need, a measure's name), set inside a label or a button: marked
    ``translate="no"`` — it is not the interface's text, and a browser offering to translate the page
    leaves it as written."""
    return format_html('<span translate="no">{}</span>', value)
