"""What may be shared with whom: default rules, agreements, the consent ledger, restrictions,
break-glass and the intelligence flag. The gate that applies them is `throughcare.sharing.access`."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from throughcare.accounts.models import Agency, AgencyKind, User
from throughcare.cases.models import Case, DataCategory
from throughcare.people.models import Person


class Mode(models.TextChoices):
    ALWAYS = "always", _("Shared with its workers on the case team")
    CONSENT = "consent", _("Only with the person's consent")
    NEVER = "never", _("Never shared")


class SharingRule(models.Model):
    """The default matrix: what a kind of agency may hold, by data category. Missing means never."""

    agency_kind = models.CharField(max_length=30, choices=AgencyKind.choices)
    category = models.CharField(max_length=20, choices=DataCategory.choices)
    mode = models.CharField(max_length=10, choices=Mode.choices)

    class Meta:
        ordering = ["agency_kind", "category"]
        constraints = [
            models.UniqueConstraint(fields=["agency_kind", "category"], name="one_rule_per_kind_category")
        ]

    def __str__(self) -> str:
        return f"{self.get_agency_kind_display()} × {self.get_category_display()}: {self.get_mode_display()}"


class LegalBasis(models.TextChoices):
    STATUTORY_DUTY = "statutory_duty", _("Statutory duty")
    COURT_ORDER = "court_order", _("Court order")
    CONSENT = "consent", _("Consent of the person")
    VITAL_INTEREST = "vital_interest", _("Vital interest (to protect life)")


class AgreementQuerySet(QuerySet["SharingAgreement"]):
    def in_force(self, at: datetime | None = None) -> AgreementQuerySet:
        at = at or timezone.now()
        return self.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gt=at), valid_from__lte=at, revoked_at__isnull=True
        )


class SharingAgreement(models.Model):
    """A decision to share named categories of one case with an agency (or one named worker of it)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agreements")
    recipient_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="agreements")
    recipient_user = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        help_text=_("Leave empty to share with every worker of the agency."),
    )
    purpose = models.CharField(max_length=300)
    legal_basis = models.CharField(max_length=20, choices=LegalBasis.choices)
    valid_from = models.DateTimeField(default=timezone.now)
    valid_until = models.DateTimeField(null=True, blank=True)
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    consent_override_reason = models.CharField(max_length=500, blank=True)
    consent_override_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    revocation_reason = models.CharField(max_length=500, blank=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"{self.case} → {self.recipient_user or self.recipient_agency}"

    @property
    def needs_consent(self) -> bool:
        return self.legal_basis == LegalBasis.CONSENT and not self.consent_override_reason

    def category_list(self) -> list[str]:
        return [c.category for c in self.categories.all()]

    def is_in_force(self, at: datetime | None = None) -> bool:
        at = at or timezone.now()
        ended = self.valid_until is not None and self.valid_until <= at
        return self.revoked_at is None and self.valid_from <= at and not ended


class AgreementCategory(models.Model):
    agreement = models.ForeignKey(SharingAgreement, on_delete=models.CASCADE, related_name="categories")
    category = models.CharField(max_length=20, choices=DataCategory.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "category"], name="agreement_category_once")
        ]

    def __str__(self) -> str:
        return self.get_category_display()


class ConsentQuerySet(QuerySet["Consent"]):
    def in_force(self, at: datetime | None = None) -> ConsentQuerySet:
        today = timezone.localdate(at or timezone.now())
        return self.filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=today),
            given_on__lte=today,
            withdrawn_at__isnull=True,
        )


class Consent(models.Model):
    """The consent ledger: a person agrees that a partner may receive categories for a purpose."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    recipient_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(max_length=300)
    evidence = models.CharField(
        max_length=300, help_text=_("e.g. signed consent form dated 3 March, kept on file")
    )
    given_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    withdrawal_note = models.CharField(max_length=500, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.person} → {self.recipient_agency}"

    def category_list(self) -> list[str]:
        return [c.category for c in self.categories.all()]

    @property
    def status(self) -> str:
        if self.withdrawn_at:
            return "withdrawn"
        if self.expires_on and self.expires_on < timezone.localdate():
            return "expired"
        return "in force" if self.given_on <= timezone.localdate() else "not yet in force"


class ConsentCategory(models.Model):
    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="categories")
    category = models.CharField(max_length=20, choices=DataCategory.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["consent", "category"], name="consent_category_once")]

    def __str__(self) -> str:
        return self.get_category_display()


class Restriction(models.Model):
    """A per-case list: only these users may see the case, or never these users."""

    class Kind(models.TextChoices):
        ONLY = "only", _("Only these users")
        NEVER = "never", _("Never these users")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="restrictions")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="restrictions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    message = models.CharField(
        max_length=300,
        help_text=_("Shown to anyone kept out, e.g. 'Restricted case: contact the case lead'."),
    )
    reason = models.CharField(max_length=500)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["kind", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=Q(removed_at__isnull=True),
                name="one_active_restriction_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.get_kind_display()} — {self.user}"


class BreakGlass(models.Model):
    """Emergency access to a case the user cannot otherwise see, with a reason, for a limited time."""

    class Outcome(models.TextChoices):
        JUSTIFIED = "justified", _("Justified")
        NOT_JUSTIFIED = "not_justified", _("Not justified — referred to the user's manager")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="break_glass")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="break_glass")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500)
    opened_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    review_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name_plural = "break-glass accesses"

    def __str__(self) -> str:
        return f"{self.user} opened {self.case} at {self.opened_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.expires_at > timezone.now()


class IntelligenceFlag(models.Model):
    """Tells the whole team that intelligence exists and whom to contact, without its content."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="intelligence_flags")
    owner = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The named officer accountable for sharing and using it."),
    )
    since = models.DateTimeField(default=timezone.now)
    contact_note = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("How to reach the owner; never the content of the intelligence."),
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-since"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(closed_at__isnull=True), name="one_open_flag_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"Intelligence exists on {self.case} — contact {self.owner}"
