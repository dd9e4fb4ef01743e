from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from throughcare.lib.errors import ActionRefused

LONG_TEXT = 10_000  # free text: a page or two, never a pasted file


def long_text(
    label: str,
    *,
    rows: int = 3,
    required: bool = False,
    max_length: int = LONG_TEXT,
    help_text: str = "",
    required_message: str = "",
    **messages: str,
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
        error_messages={"max_length": f"Keep it to {max_length:,} characters or fewer", **messages},
    )


def date_input() -> forms.DateInput:
    """A date field's control: the browser's date picker, the value as the ISO date it sends."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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


class DatePartsField(forms.DateField):
    """A date typed as day, month and year; each part refused in words ("must include a year")."""

    widget = DatePartsInput

    def to_python(self, value: Any) -> Any:
        if not isinstance(value, list):
            return super().to_python(value)
        day, month, year = value
        label = str(self.label or "The date")
        for part, typed in zip(DatePartsInput.PARTS, value, strict=True):
            if not typed:
                raise forms.ValidationError(f"{label} must include a {part}", code="incomplete")
            if not (typed.isascii() and typed.isdigit()):
                raise forms.ValidationError(f"{label} must be a real date, in numbers", code="invalid")
        if len(year) != 4:
            raise forms.ValidationError(f"{label}: enter the year in full, e.g. 1993", code="invalid")
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"{label} must be a real date", code="invalid") from None


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
