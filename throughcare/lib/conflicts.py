"""An edit conflict shown as the user needs it: what they typed, beside what was saved meanwhile.

When an optimistic lock refuses a save (`EditConflict`), the form is shown again bound to the user's own
input, now against the current version — so saving again is a decision taken knowingly — with a table of
the fields where their input and the saved record differ.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.http import QueryDict


@dataclass(frozen=True)
class Difference:
    label: str
    saved: str
    yours: str


@dataclass(frozen=True)
class Conflict:
    message: str
    differences: list[Difference]


def conflict(form: forms.BaseForm, current: Mapping[str, Any], message: str) -> Conflict:
    """The fields of the (valid) form whose typed value differs from the record as it is now."""
    rows = []
    for name, saved in current.items():
        if name not in form.fields or name not in form.cleaned_data:
            continue
        yours = form.cleaned_data[name]
        if _same(yours, saved):
            continue
        field = form.fields[name]
        rows.append(Difference(str(field.label or name), _shown(field, saved), _shown(field, yours)))
    return Conflict(message, rows)


def rebased(data: QueryDict, version: int) -> QueryDict:
    """The user's input again, now against the version saved meanwhile (its `version` field)."""
    again = data.copy()
    again["version"] = str(version)
    return again


def _same(a: Any, b: Any) -> bool:
    return (a in (None, "") and b in (None, "")) or a == b


def _shown(field: forms.Field, value: Any) -> str:
    if value in (None, ""):
        return "(empty)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return f"{value:%d %B %Y}".lstrip("0")
    choices = dict(getattr(field, "choices", None) or [])
    return str(choices.get(value, value))
