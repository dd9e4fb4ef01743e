"""The second factor at sign-in: a time-based code from an authenticator app (TOTP, RFC 6238), with ten
single-use recovery codes for the day the phone is lost (django-otp keeps the devices and throttles
guesses).

Required for whoever may read intelligence, may break glass or administers (`required_for`); optional for
everyone else, and once someone turns it on it is asked of them too. Until a person who needs it has
verified a code in this session, every page sends them to verify it (or to set it up, the first time);
the administration and session calls to the API likewise. An API token (a program's, or a service
account's) is its own credential and is not asked.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import django_otp
import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from throughcare.accounts.models import Role, User
from throughcare.audit.log import record
from throughcare.audit.models import Operation
from throughcare.lib.http import AuthedRequest
from throughcare.lib.request_cache import cached, forget
from throughcare.sharing.access import viewer_for

RECOVERY_CODES = 10
DEMO_DEVICE = "Demo authenticator"  # the demo world's personas' device (never in production)
# Pages a person who still owes a code may reach: signing in and out, the second factor's own pages, the
# front end's files. The API answers for itself (401, see api.auth).
OPEN_PATHS = ("/accounts/", "/static/", "/healthz", "/favicon.ico", "/api/")


def required_for(user: User) -> bool:
    """Whether this person must use a second factor (unless the tests of other features switched it off)."""
    return settings.SECOND_FACTOR_REQUIRED and needs_second_factor(user)


def needs_second_factor(user: User) -> bool:
    """Cleared for intelligence, may break glass, or administers (an administrator's role or the
    administration site)."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    viewer = viewer_for(user)
    return viewer.cleared or viewer.may_break_glass or Role.ADMIN in viewer.roles


def has_second_factor(user: User) -> bool:
    held: bool = cached(
        ("second factor", user.pk), lambda: TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    )
    return held


def owes_code(request: HttpRequest) -> bool:
    """A signed-in person who must give a code (they need one, or turned it on) and has not yet (django-otp's
    middleware gives the user `is_verified`)."""
    user: Any = request.user
    if not user.is_authenticated or user.is_verified():
        return False
    return required_for(user) or has_second_factor(user)


class SecondFactorRequired:
    """Sends a person who owes a code to give it (or to set up their app), and back where they were going."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(OPEN_PATHS) or not owes_code(request):
            return self.get_response(request)
        target = reverse("signin:verify") + "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request") == "true":
            response = HttpResponseRedirect(target, status=401)
            response["HX-Redirect"] = target
            return response
        return redirect(target)


def _safe_next(request: HttpRequest, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("cases:home")


class LoginForm(AuthenticationForm):
    """Django's sign-in form, with the username bounded by its column (Django sets the length after the
    field is made, so no validator checks it: a 10,000-character name reached the database)."""

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(getattr(username, "max_length", None) or 150))


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The 6-digit code your authenticator app shows now, or one of your recovery codes."),
        error_messages={"required": _("Enter the code from your authenticator app")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )
    next = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split()).lower()
        if not code.isascii() or not code.isalnum():
            raise forms.ValidationError(
                gettext("Enter the code as it is shown: digits, or a recovery code's letters")
            )
        return code


@require_http_methods(["GET", "POST"])
def verify(request: AuthedRequest) -> HttpResponse:
    """Give the code of this sign-in (after the password)."""
    if not request.user.is_authenticated:
        return redirect("login")
    if not has_second_factor(request.user):
        return redirect(reverse("signin:set_up") + "?" + urlencode({"next": request.GET.get("next", "")}))
    form = CodeForm(request.POST or None, initial={"next": request.GET.get("next", "")})
    if request.method == "POST" and form.is_valid():
        device = django_otp.match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            if isinstance(device, StaticDevice):
                _recovery_code_used(request, device)
            return redirect(_safe_next(request, form.cleaned_data["next"]))
        form.add_error(
            "code",
            gettext(
                "The code is not right, or has expired: enter the code your app shows now. After several "
                "wrong codes you wait longer before the next try."
            ),
        )
    status = 400 if request.method == "POST" else 200
    demo = not settings.PRODUCTION and TOTPDevice.objects.filter(user=request.user, name=DEMO_DEVICE).exists()
    return render(request, "registration/two_factor_verify.html", {"form": form, "demo": demo}, status=status)


def _recovery_code_used(request: AuthedRequest, device: StaticDevice) -> None:
    left = device.token_set.count()
    with transaction.atomic():
        record(
            Operation.ALTERATION,
            device,
            by=request.user,
            justification="signed in with a recovery code",
            details={"recovery_codes_left": left},
        )
    messages.warning(
        request,
        gettext(
            "You signed in with a recovery code; %(left)s left. If you lost your "
            "phone, set up the app again on the new one (Your account, Second "
            "factor)."
        )
        % {"left": left},
    )


@require_http_methods(["GET", "POST"])
def set_up(request: AuthedRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), then give the code it shows. A
    person who already has one must have given its code in this session to replace it."""
    if has_second_factor(request.user) and not request.user.is_verified():  # type: ignore[attr-defined]
        return redirect("signin:verify")
    device = _pending_device(request.user)
    form = CodeForm(request.POST or None, initial={"next": request.GET.get("next", "")})
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            codes = _confirm(request, device)
            request.session["recovery_codes"] = codes
            messages.success(
                request, gettext("Your second factor is on. Keep your recovery codes somewhere safe.")
            )
            return redirect(
                reverse("signin:recovery_codes") + "?" + urlencode({"next": form.cleaned_data["next"]})
            )
        form.add_error("code", gettext("The code is not right: enter the 6-digit code your app shows now"))
    context = {
        "form": form,
        "qr_code": segno.make(device.config_url, error="m").svg_inline(
            scale=4, title=gettext("QR code of your key")
        ),
        "key": _grouped(base64.b32encode(device.bin_key).decode()),
        "required": required_for(request.user),
    }
    return render(request, "registration/two_factor_set_up.html", context, status=400 if form.errors else 200)


def _pending_device(user: User) -> TOTPDevice:
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return pending or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def _confirm(request: AuthedRequest, device: TOTPDevice) -> list[str]:
    """The new app replaces any old one; ten new recovery codes replace any old ones."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(request.user)
        record(Operation.ALTERATION, device, by=request.user, justification="second factor set up")
    django_otp.login(request, device)
    forget()  # what this request read of the second factor no longer holds
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


def _grouped(key: str) -> str:
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@require_http_methods(["GET"])
def recovery_codes(request: AuthedRequest) -> HttpResponse:
    """The recovery codes just made, shown once."""
    codes = request.session.pop("recovery_codes", None)
    context = {"codes": codes, "next": _safe_next(request, request.GET.get("next", ""))}
    return render(request, "registration/two_factor_recovery_codes.html", context)


@require_POST
def renew_recovery_codes(request: AuthedRequest) -> HttpResponse:
    if owes_code(request):  # the password alone changes nothing of the second factor
        return redirect("signin:verify")
    if not has_second_factor(request.user):
        return redirect("signin:set_up")
    with transaction.atomic():
        request.session["recovery_codes"] = _new_recovery_codes(request.user)
        device = StaticDevice.objects.get(user=request.user)
        record(Operation.ALTERATION, device, by=request.user, justification="recovery codes renewed")
    messages.success(request, gettext("Your new recovery codes replace the old ones, which no longer work."))
    return redirect("signin:recovery_codes")


@require_POST
def turn_off(request: AuthedRequest) -> HttpResponse:
    """Someone for whom it is optional may turn it off, having given its code; for whoever it is required,
    it stays."""
    if owes_code(request):  # the password alone does not turn it off
        return redirect("signin:verify")
    if required_for(request.user):
        messages.error(
            request, gettext("Your access needs a second factor: it stays on. You can set up a new app.")
        )
        return redirect(reverse("api:account") + "#second-factor")
    with transaction.atomic():
        for device in TOTPDevice.objects.filter(user=request.user):
            record(Operation.ERASURE, device, by=request.user, justification="second factor turned off")
        TOTPDevice.objects.filter(user=request.user).delete()
        StaticDevice.objects.filter(user=request.user).delete()
    forget()
    messages.success(request, gettext("Your second factor is off. You sign in with your password only."))
    return redirect(reverse("api:account") + "#second-factor")


def status(user: User) -> dict[str, Any]:
    """What Your account shows of the second factor."""
    static = StaticDevice.objects.filter(user=user).first()
    return {
        "on": has_second_factor(user),
        "required": required_for(user),
        "recovery_codes_left": static.token_set.count() if static else 0,
    }


urlpatterns = [
    path("", verify, name="verify"),
    path("set-up/", set_up, name="set_up"),
    path("recovery-codes/", recovery_codes, name="recovery_codes"),
    path("recovery-codes/renew/", renew_recovery_codes, name="renew_recovery_codes"),
    path("off/", turn_off, name="turn_off"),
]
