"""A release as its reader reads it, in their language.

A release's content is frozen when it is published: the figures, and the names people gave (a measure's
name, a description, a region). What the system wrote in it is frozen too, but as the words' English and
their values — the method (a wording, `lib.wording`), the footnote, the columns, the "All" row, the name of
the grouping, the groups the system names (an age band, a gender) — and it is read here in the reader's
language: a German reader and a French one read the same release, each in theirs. A release frozen before
its text was stored so reads as it was written; a name the catalogues do not hold (a region) stays as
written.
"""

from __future__ import annotations

import copy
from typing import Any

from django.utils.translation import gettext

from throughcare.lib.wording import read


def as_read(content: dict[str, Any]) -> dict[str, Any]:
    """A copy of a release's content (or of figures computed for a preview) with what the system wrote
    in the reader's language."""
    shown = copy.deepcopy(content)
    rules = shown.get("rules") or {}
    if isinstance(rules.get("footnote"), str):
        rules["footnote"] = str(read(rules["footnote"]))
    for measure in shown.get("measures", []):
        _measure(measure)
    return shown


def _measure(measure: dict[str, Any]) -> None:
    if isinstance(measure.get("methodology"), str):
        measure["methodology"] = str(read(measure["methodology"]))
    measure["group_by"] = named(measure.get("group_by", ""))
    table = measure.get("table") or {}
    table["columns"] = [named(column) for column in table.get("columns", [])]
    for row in [*table.get("rows", []), table.get("total") or []]:
        if row:
            row[0] = named(row[0])
    for row in [measure.get("headline") or {}, *measure.get("rates", []), *measure.get("survival", [])]:
        if "group" in row:
            row["group"] = named(row["group"])


def named(text: Any) -> Any:
    """A name the system gave, in the reader's language; any other text as it is."""
    return gettext(text) if isinstance(text, str) and text else text
