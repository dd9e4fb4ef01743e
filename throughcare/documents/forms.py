from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from throughcare.lib.forms import DateField, date_input
from throughcare.lib.translated import format_lazy_message

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _text(
    label: StrOrPromise, required: StrOrPromise, *, help_text: StrOrPromise = "", max_length: int = 300
) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        help_text=help_text,
        error_messages={
            "required": required,
            "max_length": format_lazy_message(
                _("Use %(max_length)s characters or fewer"), {"max_length": max_length}
            ),
        },
    )


class SendForm(forms.Form):
    """Every document: to whom it goes (the disclosure the audit log records), and in which form."""

    recipients = _text(
        _("Who it is for"),
        _("Say who the document is for"),
        help_text=_("Names and agencies, e.g. Jonas Feldkamp, Westmark Probation. Logged as a disclosure."),
    )
    output = forms.ChoiceField(
        label=_("Format"),
        choices=[("pdf", _("PDF to download")), ("html", _("A page to print"))],
        initial="pdf",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose PDF or a page to print")},
    )

    def clean_recipients(self) -> str:
        value: str = self.cleaned_data["recipients"].strip()
        if "\x00" in value:
            raise forms.ValidationError(_("Remove the invisible characters"))
        return value


RESIDENCE = [
    (
        "lawful",
        _("The person lawfully and ordinarily resides there and has returned or wants to (Art. 5(1))"),
    ),
    ("consent", _("Another State, which consented to receive the supervision (Art. 5(2))")),
]


class CertificateForm(SendForm):
    """What the record cannot say, asked of the user (Framework Decision 2008/947/JHA, Annex I)."""

    executing_state = _text(
        _("Executing State"), _("Name the Member State the supervision goes to"), max_length=100
    )
    executing_authority = _text(
        _("Competent authority in the executing State"),
        _("Name the authority that will supervise"),
        max_length=300,
    )
    issuing_authority = _text(
        _("Issuing authority"), _("Name the authority that issues the certificate"), max_length=300
    )
    court = _text(_("Court that gave the judgment"), _("Name the court"), max_length=200)
    judgment_on = DateField(
        label=_("Date of the judgment"),
        widget=date_input(),
        error_messages={"required": _("Give the date of the judgment"), "invalid": _("Enter a real date")},
    )
    residence = forms.ChoiceField(
        label=_("Why the executing State"),
        choices=RESIDENCE,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say why this State")},
    )
    address = _text(
        _("The person's address in the executing State"),
        _("Give the address in the executing State"),
        max_length=300,
    )

    def clean_judgment_on(self) -> Any:
        day = self.cleaned_data["judgment_on"]
        if day.year < 1950 or day.year > 2100:
            raise forms.ValidationError(_("Enter the date of the judgment, e.g. 14 3 2022"))
        return day


class BreachReportForm(SendForm):
    """Annex II: a breach recorded on the case, reported to the issuing State."""

    breach = forms.TypedChoiceField(
        label=_("The breach"), coerce=int, error_messages={"required": _("Choose the breach to report")}
    )
    issuing_authority = _text(
        _("Competent authority of the issuing State"), _("Name the authority told"), max_length=300
    )
    executing_authority = _text(
        _("Reporting authority"), _("Name the authority that reports"), max_length=300
    )

    def __init__(self, *args: Any, breaches: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["breach"].choices = [("", gettext("Choose")), *breaches]  # type: ignore[attr-defined]
