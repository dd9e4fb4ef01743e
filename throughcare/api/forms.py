from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from throughcare.api.models import Scope
from throughcare.lib.forms import IntegerField
from throughcare.lib.translated import format_lazy_message


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("What the token is for"),
        max_length=100,
        help_text=_("For example: the probation case system, or a script of yours"),
        error_messages={
            "required": _("Say what the token is for"),
            "max_length": _("Use 100 characters or fewer"),
        },
    )
    scope = forms.ChoiceField(
        label=_("What it may do"),
        choices=Scope.choices,
        initial=Scope.READ,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what the token may do"),
            "invalid_choice": _("Choose from the list"),
        },
    )
    days = IntegerField(
        label=_("Days it lasts"),
        initial=30,
        min_value=1,
        max_value=settings.API_TOKEN_MAX_DAYS,
        error_messages={
            "required": _("Say how many days the token lasts"),
            "invalid": _("Enter the number of days as a number, like 30"),
            "min_value": _("A token lasts at least 1 day"),
            "max_value": format_lazy_message(
                _("A token lasts at most %(API_TOKEN_MAX_DAYS)s days"),
                {"API_TOKEN_MAX_DAYS": settings.API_TOKEN_MAX_DAYS},
            ),
        },
    )
