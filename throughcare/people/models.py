"""People as data subjects: the person under supervision, and later their children and associates."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from throughcare.lib.text import fold


class SubjectCategory(models.TextChoices):
    """Categories of data subject (Law Enforcement Directive, Art. 6)."""

    CONVICTED = "convicted", _("Convicted person")
    SUSPECT = "suspect", _("Suspect")
    VICTIM = "victim", _("Victim")
    OTHER = "other", _("Other (e.g. child, family member, associate)")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not known")


class Person(models.Model):
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=10, choices=Gender.choices, default=Gender.UNKNOWN)
    nationality = models.CharField(max_length=100, blank=True)
    languages = models.CharField(
        max_length=200, blank=True, help_text=_("Comma-separated, e.g. French, Arabic")
    )
    subject_category = models.CharField(
        max_length=20, choices=SubjectCategory.choices, default=SubjectCategory.CONVICTED
    )
    is_returnee = models.BooleanField(
        default=False, help_text=_("Returned from a conflict zone (e.g. with children).")
    )
    # Folded names and aliases so that search runs in SQL on both databases.
    search_text = models.TextField(blank=True, editable=False, db_index=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["family_name", "given_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def sort_name(self) -> str:
        return f"{self.family_name}, {self.given_name}"

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))

    def refresh_search_text(self) -> None:
        """Recompute the folded search text; the caller saves."""
        names = [self.given_name, self.family_name]
        if self.pk:
            names += [alias.name for alias in self.aliases.all()]
        self.search_text = fold(" | ".join(names))


class Alias(models.Model):
    class Kind(models.TextChoices):
        ALIAS = "alias", _("Alias")
        BIRTH_NAME = "birth_name", _("Birth name")
        SPELLING = "spelling", _("Other spelling / transliteration")
        KUNYA = "kunya", _("Nom de guerre / kunya")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ALIAS)

    class Meta:
        verbose_name_plural = "aliases"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Identifier(models.Model):
    class Kind(models.TextChoices):
        PRISON_NUMBER = "prison_number", _("Prison number")
        PROBATION_REF = "probation_ref", _("Probation reference")
        POLICE_REF = "police_ref", _("Police reference")
        NATIONAL_ID = "national_id", _("National identity number")
        PASSPORT = "passport", _("Passport number")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    value = models.CharField(max_length=60)

    class Meta:
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="unique_identifier")]
        # Search finds a person by a whole number of any kind, case ignored (`value__iexact`).
        indexes = [models.Index(Upper("value"), name="identifier_value_upper")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"
