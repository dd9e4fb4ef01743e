"""Catalogue data in the reader's language: translations kept as data beside the record.

A catalogue model (a licence condition, a checklist item, a criterion, a programme, an instrument's item, a
jurisdiction profile) declares once which of its fields are worded for readers (`translated_fields`); its
`translations` column holds, per language, the wording of those fields, e.g.
``{"de": {"title": "Unterkunft bestätigt"}}``. The record's own field is the English text and the fallback
for any language without a translation, so nothing shows empty. Adding a language is data (the record's
translations, or a catalogue translation file) and a message catalogue — no migration: one JSON column per
record, not a column per language (django-modeltranslation's way) or a table per model (django-parler's),
which would each need a schema change or a second query per list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.functional import Promise, lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def language_code(language: str | None = None) -> str:
    """The language's base code ("de" for "de-at"), the active one by default."""
    return (language or get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()


def other_languages() -> list[tuple[str, str]]:
    """The interface's languages other than the source language (English), which the record holds."""
    source = language_code(settings.LANGUAGE_CODE)
    return [(code, name) for code, name in settings.LANGUAGES if language_code(code) != source]


class Translatable(models.Model):
    """A record whose reader-facing wording may be translated; English (the field itself) is the fallback."""

    translated_fields: ClassVar[tuple[str, ...]] = ()

    translations: models.JSONField[Any] = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("The wording in other languages, by language code"),
    )

    class Meta:
        abstract = True

    def translated(self, field: str, language: str | None = None) -> Any:
        """The field's wording in the language (the active one by default), else the record's own."""
        own = getattr(self, field)
        by_language = (self.translations or {}).get(language_code(language))
        if not isinstance(by_language, dict):
            return own
        worded = by_language.get(field)
        if isinstance(own, dict) and isinstance(worded, dict):
            return {**own, **worded}  # e.g. input labels: each one translated or left as written
        return worded if worded else own

    def set_translation(self, language: str, field: str, value: str) -> None:
        """Set (or, with an empty value, remove) one field's wording in one language."""
        code = language_code(language)
        translations = dict(self.translations or {})
        wording = dict(translations.get(code) or {})
        if value:
            wording[field] = value
        else:
            wording.pop(field, None)
        if wording:
            translations[code] = wording
        else:
            translations.pop(code, None)
        self.translations = translations


def _format(message: Any, params: dict[str, Any]) -> str:
    return str(message) % {
        key: str(value) if isinstance(value, Promise) else value for key, value in params.items()
    }


_lazy_format = lazy(_format, str)


def format_lazy_message(message: Any, params: dict[str, Any]) -> Any:
    """`message % params`, translated when it is read rather than when it is written: for the messages of
    fields declared on a form's class, which is built once, at import, in English."""
    return _lazy_format(message, params)


def fill_translations(rows: Iterable[Any], shipped: Callable[[Any], dict[str, Any] | None]) -> None:
    """Give each row the translations shipped for it (`shipped(row)`, None for none) where it has none yet:
    an administrator's own translations stay. For the data migrations of shipped catalogues, with
    historical models as with the real ones."""
    for row in rows:
        given = shipped(row)
        if given and not row.translations:
            row.translations = given
            row.save(update_fields=["translations"])
