"""What the administration's own widgets need to hold up against any input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import ForeignKey, JSONField, TextField
from django.http import HttpRequest
from django.utils.text import capfirst

from throughcare.lib.forms import ModelChoiceField, ModelMultipleChoiceField
from throughcare.lib.translated import other_languages


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


class TranslationsAdmin:
    """For the ModelAdmin of a catalogue record (`lib.translated.Translatable`): one field per worded field
    and language ("Title (Deutsch)"), kept in the record's translations; left empty, English is shown."""

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if "fields" not in kwargs:  # as Django lists them, translations included: the model's alone
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))  # type: ignore[attr-defined]
        if kwargs["fields"] is not None:
            kwargs["fields"] = [name for name in kwargs["fields"] if "__" not in name]
        base = super().get_form(request, obj, change, **kwargs)  # type: ignore[misc]
        model = base._meta.model
        extra = {
            _translation_name(field, code): _translation_field(model, field, name)
            for field in model.translated_fields
            for code, name in other_languages()
        }
        return type(f"{model.__name__}TranslationsForm", (_TranslationsForm, base), extra)

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*(super().get_exclude(request, obj) or []), "translations"]  # type: ignore[misc]


def _translation_name(field: str, code: str) -> str:
    return f"{field}__{code}"


def translation_value(record: Any, name: str) -> Any:
    """A form field's value on the record: its own field, or (``title__de``) one of its translations."""
    field, _, code = name.partition("__")
    if not code:
        return getattr(record, name)
    return ((record.translations or {}).get(code) or {}).get(field, "")


def _translation_field(model: Any, field: str, language: str) -> forms.Field:
    source = model._meta.get_field(field)
    label = f"{capfirst(source.verbose_name)} ({language})"
    if isinstance(source, JSONField):
        return forms.JSONField(label=label, required=False)
    if isinstance(source, TextField):
        return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    return forms.CharField(label=label, required=False, max_length=source.max_length)


class _TranslationsForm(forms.ModelForm):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self._meta.model.translated_fields:
            for code, _name in other_languages():
                name = _translation_name(field, code)
                self.initial.setdefault(name, translation_value(self.instance, name) or "")

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        for field in self._meta.model.translated_fields:
            for code, _name in other_languages():
                value = self.cleaned_data.get(_translation_name(field, code))
                self.instance.set_translation(code, field, value or "")
