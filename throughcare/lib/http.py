from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from throughcare.accounts.models import User


class AuthedRequest(HttpRequest):
    """A request from a signed-in user (the login middleware guarantees it for app views)."""

    user: User
    htmx: HtmxDetails
