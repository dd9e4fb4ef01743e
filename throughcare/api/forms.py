from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from throughcare.api.models import Scope
from throughcare.lib.forms import IntegerField


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("What the token is for"),
        max_length=100,
        help_text=_("For example: the probation case system, or a script of yours"),
        error_messages={"required": "Say what the token is for", "max_length": "Use 100 characters or fewer"},
    )
    scope = forms.ChoiceField(
        label=_("What it may do"),
        choices=Scope.choices,
        initial=Scope.READ,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the token may do", "invalid_choice": "Choose from the list"},
    )
    days = IntegerField(
        label=_("Days it lasts"),
        initial=30,
        min_value=1,
        max_value=settings.API_TOKEN_MAX_DAYS,
        error_messages={
            "required": "Say how many days the token lasts",
            "invalid": "Enter the number of days as a number, like 30",
            "min_value": "A token lasts at least 1 day",
            "max_value": f"A token lasts at most {settings.API_TOKEN_MAX_DAYS} days",
        },
    )
