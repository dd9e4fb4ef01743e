from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest

from throughcare.lib.errors import ActionRefused


def run_action(form: forms.Form, action: Callable[[], Any]) -> bool:
    """Run an action; a refusal becomes an error on the form (on its field if it names one), and nothing
    was written."""
    try:
        action()
    except ActionRefused as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        return False
    return True


def attempt(request: HttpRequest, action: Callable[[], Any], done: str) -> bool:
    """Run an action for a page without a Django form: say what happened as a message. A refusal is
    shown with its reason, and nothing was written."""
    from django.contrib import messages

    try:
        action()
    except ActionRefused as refusal:
        messages.error(request, refusal.message + " Nothing was saved.")
        return False
    messages.success(request, done)
    return True
