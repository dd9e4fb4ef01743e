"""One way to take input: views read what is posted through Django forms, never field by field.

Reading `request.POST` by hand loses the entries on an error and puts the message far from the field; an
id of the row a button acts on belongs in the URL (one URL per verb), not in a hidden field. No module
reads posted input by hand: a new hand read fails here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "throughcare"


def _hand_reads(path: Path) -> int:
    """`request.POST.get(…)`, `request.POST[…]`, `.getlist(…)`, and the same through a local alias."""
    tree = ast.parse(path.read_text())
    aliases = {"POST"}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "POST"
        ):
            aliases |= {t.id for t in node.targets if isinstance(t, ast.Name)}

    def is_post(node: ast.AST) -> bool:
        return (isinstance(node, ast.Attribute) and node.attr == "POST") or (
            isinstance(node, ast.Name) and node.id in aliases - {"POST"}
        )

    count = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("get", "getlist") and is_post(node.func.value):
                count += 1
        elif isinstance(node, ast.Subscript) and is_post(node.value):
            count += 1
    return count


def test_views_read_input_through_forms() -> None:
    found = {
        str(path.relative_to(ROOT)): n
        for path in sorted(ROOT.rglob("*.py"))
        if "tests" not in path.parts and "migrations" not in path.parts and (n := _hand_reads(path))
    }
    assert found == {}, "read posted input through a Django form (see includes/field.html)"


def test_a_refusal_followed_by_another_sentence_ends_with_one_full_stop() -> None:
    from throughcare.lib.forms import sentence

    assert sentence("Choose the reason") + " Nothing was saved." == "Choose the reason. Nothing was saved."
    assert sentence("The minutes are approved already.") == "The minutes are approved already."


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        (["27", "3", "1990"], None),
        (["", "3", "1990"], "Date of birth must include a day"),
        (["27", "3", ""], "Date of birth must include a year"),
        (["31", "2", "1990"], "Date of birth must be a real date"),
        (["27", "3", "90"], "enter the year in full"),
        (["٢٧", "3", "1990"], "in numbers"),  # digits of another script
        (["27", "3", "99999"], "enter the year in full"),
        (["27\x00", "3", "1990"], "in numbers"),
    ],
)
def test_a_date_of_birth_is_typed_as_day_month_and_year(typed: list[str], said: str | None) -> None:
    from django import forms

    from throughcare.lib.forms import DatePartsField

    class Form(forms.Form):
        date_of_birth = DatePartsField(label="Date of birth")

    data = {
        f"date_of_birth-{part}": value for part, value in zip(("day", "month", "year"), typed, strict=True)
    }
    form = Form(data)
    if said is None:
        assert form.is_valid() and form.cleaned_data["date_of_birth"].isoformat() == "1990-03-27"
    else:
        assert not form.is_valid() and said in form.errors["date_of_birth"][0]
    assert Form({"date_of_birth": "1990-03-27"}).is_valid()  # one ISO value, as an API client sends it


def test_dates_and_whole_numbers_are_parsed_one_way() -> None:
    """Every form's date, moment and whole number is a `throughcare.lib.forms` field: bounded, ASCII."""
    bare = re.compile(
        r"forms\.(DateField|DateTimeField|IntegerField|ModelChoiceField|ModelMultipleChoiceField)\("
    )
    found = [
        str(path.relative_to(ROOT))
        for path in sorted(ROOT.rglob("*.py"))
        if "tests" not in path.parts and path != ROOT / "lib" / "forms.py" and bare.search(path.read_text())
    ]
    assert found == [], "use lib.forms.DateField, DateTimeField or IntegerField (bounded, ASCII digits)"


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("²", "whole number"),
        ("①", "whole number"),
        ("١٢", "whole number"),
        ("9" * 30, "less than or equal to"),
        ("-1", "greater than or equal to"),
        ("abc", "whole number"),
        ("a\x00b", "whole number"),
        ("12", None),
    ],
)
def test_a_whole_number_is_typed_in_ascii_digits_within_bounds(typed: str, said: str | None) -> None:
    from django import forms

    from throughcare.lib.forms import IntegerField

    class Form(forms.Form):
        count = IntegerField(label="Count")

    form = Form({"count": typed})
    if said is None:
        assert form.is_valid() and form.cleaned_data["count"] == 12
    else:
        assert not form.is_valid() and said in form.errors["count"][0]


@pytest.mark.parametrize("typed", ["0001-01-01", "9999-12-31", "1899-12-31", "2200-01-01"])
def test_a_date_outside_the_window_is_refused_next_to_its_field(typed: str) -> None:
    from django import forms

    from throughcare.lib.forms import DateField, DateTimeField

    class Form(forms.Form):
        day = DateField(label="Departure")
        moment = DateTimeField(label="Start")

    form = Form({"day": typed, "moment": f"{typed}T10:00"})
    assert not form.is_valid()
    assert form.errors["day"] == ["Departure must be between 1900 and 2199"]
    assert form.errors["moment"] == ["Start must be between 1900 and 2199"]
    assert Form({"day": "2026-12-04", "moment": "2026-12-04T10:00"}).is_valid()
