"""What the administration's own widgets need to hold up against any input."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import ForeignKey
from django.http import HttpRequest

from throughcare.lib.forms import ModelChoiceField, ModelMultipleChoiceField


class SafeAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that shows a typed value which is no id (e.g. "abc" for a user) as nothing chosen;
    Django's own looks it up and fails with a server error when the form is shown again."""

    def optgroups(self, name: str, value: Any, attr: Any = None) -> Any:
        return super().optgroups(name, [v for v in value if _is_id(v)], attr)


def _is_id(value: object) -> bool:
    return value in (None, "") or (str(value).isascii() and str(value).isdigit() and len(str(value)) < 19)


class SafeAutocompleteMixin:
    """For a ModelAdmin with `autocomplete_fields`: their widgets as `SafeAutocompleteSelect`."""

    admin_site: Any

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name in getattr(self, "autocomplete_fields", ()):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class BoundedInline:
    """For an inline: a posted form count (`…-TOTAL_FORMS`) of a hundred million builds at most
    `absolute_max` forms and is refused, instead of building two thousand and taking minutes."""

    max_num: int | None = 50
    absolute_max = 60

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        kwargs.setdefault("absolute_max", self.absolute_max)
        return super().get_formset(request, obj, **kwargs)  # type: ignore[misc]


class SafeChoices:
    """For a ModelAdmin or inline: its choices of rows (foreign keys, many-to-many) as `lib.forms` fields,
    which refuse a value that is no id instead of failing in the database."""

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        kwargs.setdefault("form_class", ModelChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


def with_safe_choices(admin_class: type) -> type:
    """The admin class, and each of its inlines, with `SafeChoices` mixed in."""
    inlines = [with_safe_choices(inline) for inline in getattr(admin_class, "inlines", [])]
    attrs = {"inlines": inlines} if hasattr(admin_class, "inlines") else {}
    return type(admin_class.__name__, (SafeChoices, admin_class), attrs)
