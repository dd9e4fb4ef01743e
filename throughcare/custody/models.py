"""Sentences, their dates, and who is responsible: prison, prison with probation, or probation.

The rules that compute responsibility are data, per jurisdiction profile
(`jurisdictions.JurisdictionProfile`); the logic that applies them is `responsibility.py`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from throughcare.accounts.models import Agency, User
from throughcare.cases.models import Case, CaseData, CaseDataQuerySet, DataCategory
from throughcare.jurisdictions.models import JurisdictionProfile
from throughcare.lib.translated import Translatable
from throughcare.lib.wording import Localised, WordingField, in_each_language


class SentenceType(models.TextChoices):
    DETERMINATE = "determinate", _("Determinate")
    EXTENDED = "extended", _("Extended determinate")
    INDETERMINATE = "indeterminate", _("Indeterminate (life or public protection)")
    SERIOUS_TERRORISM = "serious_terrorism", _("Serious terrorism sentence")
    SUSPENDED = "suspended", _("Suspended or conditional")


class Responsibility(models.TextChoices):
    CUSTODY = "custody", _("Custody only — the prison is responsible")
    CUSTODY_WITH_COMMUNITY = (
        "custody_with_community",
        _("Custody with community — probation allocated and supporting"),
    )
    COMMUNITY = "community", _("Community — probation is responsible, the prison supports")


class Sentence(CaseData, models.Model):
    """The sentence of a case and its dates. Every change is made through `actions.change_dates`."""

    data_category = DataCategory.LEGAL

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="sentence")
    profile = models.ForeignKey(JurisdictionProfile, on_delete=models.PROTECT, related_name="sentences")
    sentence_type = models.CharField(max_length=20, choices=SentenceType.choices)
    sentence_start = models.DateField()
    sentence_end = models.DateField(
        null=True, blank=True, help_text=_("End of the sentence (not for indeterminate)")
    )
    earliest_release = models.DateField(null=True, blank=True)
    parole_eligibility = models.DateField(null=True, blank=True)
    conditional_release = models.DateField(null=True, blank=True)
    licence_end = models.DateField(null=True, blank=True, help_text=_("End of licence or probation"))
    recalled_on = models.DateField(null=True, blank=True)
    panel_level = models.PositiveSmallIntegerField(default=1, help_text=_("Multi-agency panel level, 1 to 3"))
    high_profile = models.BooleanField(default=False)
    # Computed by responsibility.py (never typed in): kept so that lists and "needs attention" can use them.
    responsibility = models.CharField(
        max_length=30, choices=Responsibility.choices, default=Responsibility.CUSTODY
    )
    handover_starts_on = models.DateField(null=True, blank=True)
    responsibility_reason = WordingField(blank=True)  # read in the reader's language (`lib.wording`)
    computed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = CaseDataQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.get_sentence_type_display()} sentence of {self.case}"

    @property
    def is_terrorism(self) -> bool:
        return Offence.objects.filter(
            Q(terrorism_offence=True) | Q(terrorist_connection=True), case=self.case_id
        ).exists()

    @property
    def is_conditional_release(self) -> bool:
        return self.conditional_release is not None or self.parole_eligibility is not None

    @property
    def release_date(self) -> date | None:
        """The date release planning works towards: conditional release if set, else the earliest release."""
        return self.conditional_release or self.earliest_release

    @property
    def conditional_release_from(self) -> date | None:
        """The first day the jurisdiction allows conditional release for this sentence (its share of the
        sentence served), or None where the profile sets no share or the sentence has no end."""
        if self.sentence_type == SentenceType.INDETERMINATE:
            return None
        return self.profile.conditional_release_from(self.sentence_start, self.sentence_end)


class Offence(CaseData, models.Model):
    data_category = DataCategory.LEGAL

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="offences")
    description = models.CharField(max_length=300)
    terrorism_offence = models.BooleanField(default=False)
    terrorist_connection = models.BooleanField(
        default=False, help_text=_("Another offence with a terrorist connection")
    )
    convicted_on = models.DateField(null=True, blank=True)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["convicted_on", "pk"]

    def __str__(self) -> str:
        return self.description


class ResponsibilityOverride(CaseData, models.Model):
    """A person decided responsibility differently from the rules, with a reason, until it is lifted."""

    data_category = DataCategory.LEGAL
    case_path = "sentence__case"

    sentence = models.ForeignKey(Sentence, on_delete=models.CASCADE, related_name="overrides")
    responsibility = models.CharField(max_length=30, choices=Responsibility.choices)
    reason = models.CharField(max_length=500)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["sentence"], condition=Q(lifted_at__isnull=True), name="one_override_in_force"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sentence.case}: {self.get_responsibility_display()} ({self.reason})"


class ChecklistKind(models.TextChoices):
    STANDARD = "standard", _("Standard")
    ENHANCED = "enhanced", _("Enhanced (terrorism cases)")


class ChecklistTemplateItem(Translatable, models.Model):
    """One line of a handover checklist, as data. Due dates are counted from the release date."""

    translated_fields = ("title",)

    class Owner(models.TextChoices):
        PRISON = "prison", _("Prison offender manager")
        PROBATION = "probation", _("Community offender manager")
        POLICE = "police_ct", _("Police CT liaison")
        NGO = "ngo", _("Mentor (NGO)")

    kind = models.CharField(max_length=10, choices=ChecklistKind.choices)
    code = models.SlugField()
    title = models.CharField(max_length=200)
    mandatory = models.BooleanField(default=True)
    owner = models.CharField(max_length=20, choices=Owner.choices)
    due_days_before_release = models.IntegerField(
        help_text=_("0 is the release day; negative is after release")
    )
    needs_consent_of_owner = models.BooleanField(
        default=False,
        help_text=_("Only on the checklist when the person consented to share with the owner's agency"),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "order"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="one_item_per_kind_code")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class HandoverState(models.TextChoices):
    CREATED = "created", _("Created — waiting for probation to accept")
    ACCEPTED = "accepted", _("Accepted by probation")
    COMPLETED = "completed", _("Completed")
    ABANDONED = "abandoned", _("Abandoned")


class Handover(CaseData, models.Model):
    """The passing of a case from prison to probation, with its checklist."""

    data_category = DataCategory.LEGAL

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handovers")
    kind = models.CharField(max_length=10, choices=ChecklistKind.choices)
    state = models.CharField(max_length=10, choices=HandoverState.choices, default=HandoverState.CREATED)
    release_on = models.DateField(help_text=_("The release date the due dates count from"))
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    accepted_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    abandon_reason = models.CharField(max_length=500, blank=True)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(state__in=["created", "accepted"]),
                name="one_open_handover_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"Handover of {self.case} ({self.get_state_display()})"

    @property
    def is_open(self) -> bool:
        return self.state in (HandoverState.CREATED, HandoverState.ACCEPTED)


class HandoverItem(CaseData, Translatable, models.Model):
    """One line of a case's handover, copied from the checklist when the handover starts (its title with
    the translations the checklist had then)."""

    data_category = DataCategory.LEGAL
    case_path = "handover__case"
    translated_fields = ("title",)

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField()
    title = models.CharField(max_length=200)
    mandatory = models.BooleanField(default=True)
    owner = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="handover_items"
    )
    owner_role = models.CharField(max_length=20, choices=ChecklistTemplateItem.Owner.choices)
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = WordingField(blank=True)  # what the person who did it wrote, or the system's wording
    escalated_at = models.DateTimeField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return str(self.translated("title"))

    @property
    def title_in_each_language(self) -> Localised:
        return in_each_language(lambda code: self.translated("title", code))

    def is_overdue(self, today: date) -> bool:
        return self.done_at is None and self.due_on < today


PLACEHOLDER = re.compile(r"\{(\w+)\}")


class ConditionCategory(models.TextChoices):
    CONTACT = "contact", _("Contact with persons")
    MOVEMENT = "movement", _("Freedom of movement")
    CONDUCT = "conduct", _("Restriction of conduct")
    EXTREMISM = "extremism", _("Extremism")
    MONITORING = "monitoring", _("Electronic monitoring")
    PROGRAMMES = "programmes", _("Participation in programmes")
    POSSESSION = "possession", _("Possession of items or documents")
    ORGANISED_CRIME = "organised_crime", _("Serious organised crime")
    DISCLOSURE = "disclosure", _("Disclosure of information")
    DRUGS_ALCOHOL = "drugs_alcohol", _("Drugs and alcohol")
    SUPERVISION = "supervision", _("Supervision")
    POLYGRAPH = "polygraph", _("Polygraph")
    PERSONAL_SEARCH = "personal_search", _("Terrorist personal search")
    CURFEW = "curfew", _("Curfew")
    RESIDENCE = "residence", _("Residence")
    RESIDENCY_RESTRICTION = "residency_restriction", _("Restriction of residency")


class FdMeasure(models.TextChoices):
    """Measures every Member State supervises for another (Framework Decision 2008/947/JHA, Art. 4(1))."""

    A = "a", _("(a) report any change of residence or working place")
    B = "b", _("(b) not to enter certain localities, places or defined areas")
    C = "c", _("(c) restrictions on leaving the territory of the executing State")
    D = "d", _("(d) instructions on behaviour, residence, education and training, leisure, work")
    E = "e", _("(e) report at specified times to a specific authority")
    F = "f", _("(f) avoid contact with specific persons")
    G = "g", _("(g) avoid contact with specific objects used or likely to be used to offend")
    H = "h", _("(h) compensate financially for the prejudice caused")
    I = "i", _("(i) carry out community service")  # noqa: E741 - the Decision's own lettering
    J = "j", _("(j) cooperate with a probation officer or social service")
    K = "k", _("(k) undergo therapeutic or addiction treatment")


class ConditionTemplate(Translatable, models.Model):
    """One condition of the catalogue. Codes are stable across catalogue versions."""

    translated_fields = ("text", "input_labels")

    catalogue_version = models.CharField(max_length=20)
    code = models.CharField(max_length=20)
    category = models.CharField(max_length=30, choices=ConditionCategory.choices)
    text = models.TextField(help_text=_("With {placeholders} for the inputs, e.g. {person}"))
    input_labels: models.JSONField[Any] = models.JSONField(
        default=dict, blank=True, help_text='e.g. {"person": "Named person"}'
    )
    fd_measure = models.CharField(max_length=1, choices=FdMeasure.choices)
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["category", "code"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue_version", "code"], name="code_once_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"

    def inputs(self) -> list[str]:
        return PLACEHOLDER.findall(self.text)

    def render(self, values: dict[str, str], language: str | None = None) -> str:
        """The condition's wording with its inputs, in the reader's language (English where untranslated):
        written so, it is kept as recommended."""
        text = self.translated("text", language)
        return PLACEHOLDER.sub(lambda m: values.get(m.group(1), f"[{m.group(1)}]"), text)

    @property
    def preview(self) -> str:
        """The text as a reader picks it: each input named in words, e.g. "[number of devices]"."""
        labels = self.translated("input_labels") or {}
        text = self.translated("text")
        return PLACEHOLDER.sub(lambda m: f"[{str(labels.get(m.group(1), m.group(1))).lower()}]", text)


class ConditionStatus(models.TextChoices):
    RECOMMENDED = "recommended", _("Recommended, not yet decided")
    ORDERED = "ordered", _("Ordered")
    NOT_ORDERED = "not_ordered", _("Recommended but not ordered")
    ENDED = "ended", _("Ended")


class CaseCondition(CaseData, models.Model):
    data_category = DataCategory.LEGAL

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conditions")
    template = models.ForeignKey(ConditionTemplate, on_delete=models.PROTECT, related_name="+")
    values: models.JSONField[Any] = models.JSONField(default=dict)
    status = models.CharField(max_length=12, choices=ConditionStatus.choices)
    recommended_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recommending_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recommended_on = models.DateField(null=True, blank=True)
    ordered_by_authority = models.CharField(
        max_length=200, blank=True, help_text=_("e.g. Westmark Regional Court")
    )
    ordered_on = models.DateField(null=True, blank=True)
    not_ordered_reason = models.CharField(max_length=500, blank=True)
    active_from = models.DateField(null=True, blank=True)
    active_until = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["status", "pk"]

    def __str__(self) -> str:
        return self.wording

    @property
    def wording(self) -> str:
        return self.template.render(self.values)

    @property
    def wording_in_each_language(self) -> Localised:
        """Its wording as each language reads it, to be set in a text the system writes (`lib.wording`)."""
        return in_each_language(lambda code: self.template.render(self.values, code))


class ConditionVariation(CaseData, models.Model):
    data_category = DataCategory.LEGAL
    case_path = "condition__case"

    condition = models.ForeignKey(CaseCondition, on_delete=models.CASCADE, related_name="variations")
    before: models.JSONField[Any] = models.JSONField()
    after: models.JSONField[Any] = models.JSONField()
    reason = models.CharField(max_length=500)
    authority = models.CharField(max_length=200)
    varied_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    varied_on = models.DateField(default=timezone.localdate)

    objects = CaseDataQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Variation of {self.condition}"


class ComplianceEvent(CaseData, models.Model):
    data_category = DataCategory.LEGAL

    class Kind(models.TextChoices):
        KEPT = "kept", _("Appointment kept")
        MISSED = "missed", _("Appointment missed")
        BREACH = "breach", _("Breach reported")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="compliance_events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    occurred_on = models.DateField()
    condition = models.ForeignKey(
        CaseCondition, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=1000, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on}"


class BreachDecision(CaseData, models.Model):
    data_category = DataCategory.LEGAL
    case_path = "breach__case"

    class Outcome(models.TextChoices):
        WARNING = "warning", _("Warning")
        VARIATION = "variation", _("Variation of conditions")
        RECALL = "recall", _("Recall to custody")

    breach = models.OneToOneField(ComplianceEvent, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    rationale = models.TextField()
    decided_on = models.DateField(default=timezone.localdate)

    objects = CaseDataQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} for {self.breach}"


class NotificationRequirement(CaseData, models.Model):
    """A released terrorist offender's duty to notify the police of their details (the profile's rules)."""

    data_category = DataCategory.LEGAL

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="notification_requirement")
    starts_on = models.DateField()
    ends_on = models.DateField()
    next_annual_due_on = models.DateField(null=True, blank=True)

    objects = CaseDataQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Notification requirement of {self.case} until {self.ends_on}"


class NotificationDue(CaseData, models.Model):
    """One notification the person must make, by a date; done when the police record it."""

    data_category = DataCategory.LEGAL
    case_path = "requirement__case"

    class Kind(models.TextChoices):
        INITIAL = "initial", _("Initial notification after release")
        CHANGE = "change", _("Notification of a change")
        ANNUAL = "annual", _("Periodic re-notification")
        TRAVEL = "travel", _("Foreign travel notified in advance")

    requirement = models.ForeignKey(NotificationRequirement, on_delete=models.CASCADE, related_name="dues")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_on = models.DateField()
    details = models.CharField(max_length=300, blank=True)
    notified_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    escalated_at = models.DateTimeField(null=True, blank=True)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.due_on}"
