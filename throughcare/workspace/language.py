"""The language switcher in the header: every page offers the interface's languages, each named in its own
language. Choosing one sets the language cookie (for whoever is on this browser, signed in or not) and,
for a signed-in person, their account's language (`User.language`), which follows them to every device
(`lib.middleware.UserLanguage`). Without a choice, the browser's languages decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from throughcare.accounts.models import User


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=lambda: settings.LANGUAGES)
    next = forms.CharField(required=False, max_length=2000)


@login_not_required
@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    valid = form.is_valid()
    # Back to the page it was chosen on (the browser's Referer: a field would print the page's address into
    # every page, and the 404 page must read the same for any address).
    back = (form.cleaned_data.get("next") if valid else "") or request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("cases:home")
    response = HttpResponseRedirect(back)
    if not valid:
        return response  # an unknown language changes nothing
    language = form.cleaned_data["language"]
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=cast(Any, settings.LANGUAGE_COOKIE_SAMESITE),
    )
    if request.user.is_authenticated:
        User.objects.filter(pk=request.user.pk).update(language=language)
    return response
