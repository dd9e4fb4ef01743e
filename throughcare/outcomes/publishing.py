"""A statistics release from draft to publication: an analyst prepares it, a second person with the
publishing permission approves it, and from then on it is frozen. A correction is a new version with a
notice; the version it corrects stays readable, marked as superseded.

The figures are computed — and protected — when the release is submitted, and frozen with it: what the
approver reviews is exactly what the public will read."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from throughcare.accounts.models import User
from throughcare.audit.log import record
from throughcare.audit.models import Operation
from throughcare.cases.standing import Capability
from throughcare.lib.errors import ActionRefused, EditConflict
from throughcare.outcomes import figures
from throughcare.outcomes.models import MeasureDefinition, Privacy, ReferenceStudy, Release, ReleaseStatus
from throughcare.sharing.access import has_capability, require_capability

PUBLIC = "the public"


@dataclass(frozen=True)
class ReleaseInput:
    title: str
    summary: str
    definitions: list[MeasureDefinition]
    studies: list[ReferenceStudy]
    privacy: str = Privacy.SUPPRESSION
    epsilon: float = 0.0
    epsilon_budget: float = 0.0


def draft(data: ReleaseInput, *, by: User) -> Release:
    require_capability(by, Capability.COMPUTE_STATISTICS, doing="prepare statistics releases")
    if not data.title.strip():
        raise ActionRefused(gettext("Give the release a title"), field="title")
    if not data.definitions:
        raise ActionRefused(gettext("Choose at least one measure"), field="definitions")
    _check_privacy(data)
    slug = slugify(data.title)[:80]
    if not slug:
        raise ActionRefused(gettext("Give the release a title in letters or digits"), field="title")
    if Release.objects.filter(slug=slug).exists():
        raise ActionRefused(
            gettext("A release with this title exists: correct it, or choose another title"), field="title"
        )
    with transaction.atomic():
        release = Release.objects.create(
            slug=slug,
            title=data.title.strip()[:200],
            summary=data.summary.strip(),
            prepared_by=by,
            privacy=data.privacy,
            epsilon=data.epsilon,
            epsilon_budget=data.epsilon_budget,
        )
        release.definitions.set(data.definitions)
        release.studies.set(data.studies)
        record(Operation.COLLECTION, release, by=by, justification="statistics release drafted")
    return release


def _check_privacy(data: ReleaseInput) -> None:
    if data.privacy not in Privacy.values:
        raise ActionRefused(gettext("Choose how the figures are protected"), field="privacy")
    if data.privacy != Privacy.DIFFERENTIAL:
        return
    if not 0.01 <= data.epsilon <= 10:
        raise ActionRefused(gettext("ε for one computation is between 0.01 and 10"), field="epsilon")
    if not data.epsilon <= data.epsilon_budget <= 20:
        raise ActionRefused(
            gettext("The budget is at least one computation's ε and at most 20"), field="epsilon_budget"
        )


def submit(release: Release, *, by: User) -> Release:
    """Compute and protect the figures and freeze them for approval (refused if any measure cannot be
    computed — an empty cohort, a follow-up not yet over — with the reason)."""
    require_capability(by, Capability.COMPUTE_STATISTICS, doing="submit statistics releases")
    content = figures.compute(
        list(release.definitions.all()), by=by, studies=list(release.studies.all()), release=release
    )
    with transaction.atomic():
        moved = Release.objects.filter(pk=release.pk, status=ReleaseStatus.DRAFT).update(
            status=ReleaseStatus.AWAITING_APPROVAL, content=content, submitted_at=timezone.now()
        )
        if moved != 1:
            raise EditConflict(
                gettext("This release is no longer a draft: it was submitted or published meanwhile.")
            )
        record(
            Operation.ALTERATION, release, by=by, justification="statistics release submitted for approval"
        )
    release.refresh_from_db()
    return release


def approve(release: Release, *, by: User) -> Release:
    """Publish: only a person with the publishing permission, never the one who prepared it."""
    if not has_capability(by, Capability.PUBLISH_STATISTICS):
        raise ActionRefused(
            gettext("Only a person with the permission to publish statistics can approve a release.")
        )
    if by.pk == release.prepared_by_id:
        raise ActionRefused(
            gettext("A release is approved by someone other than the person who prepared it.")
        )
    with transaction.atomic():
        moved = Release.objects.filter(pk=release.pk, status=ReleaseStatus.AWAITING_APPROVAL).update(
            status=ReleaseStatus.PUBLISHED, approved_by=by, published_at=timezone.now()
        )
        if moved != 1:
            raise EditConflict(gettext("This release is not waiting for approval any more."))
        if release.corrects_id is not None:
            Release.objects.filter(pk=release.corrects_id).update(status=ReleaseStatus.SUPERSEDED)
        record(
            Operation.DISCLOSURE,
            release,
            by=by,
            justification="statistics release published",
            recipients=[PUBLIC],
            details={"definitions": [d.name for d in release.definitions.all()], "version": release.version},
        )
    release.refresh_from_db()
    return release


def send_back(release: Release, *, by: User, reason: str) -> Release:
    """The approver returns the release to its analyst as a draft, saying why."""
    require_capability(by, Capability.PUBLISH_STATISTICS, doing="review statistics releases")
    if not reason.strip():
        raise ActionRefused(gettext("Say what needs changing"), field="reason")
    with transaction.atomic():
        moved = Release.objects.filter(pk=release.pk, status=ReleaseStatus.AWAITING_APPROVAL).update(
            status=ReleaseStatus.DRAFT, content={}, submitted_at=None
        )
        if moved != 1:
            raise EditConflict(gettext("This release is not waiting for approval any more."))
        record(
            Operation.ALTERATION,
            release,
            by=by,
            justification=f"statistics release sent back: {reason.strip()}",
        )
    release.refresh_from_db()
    return release


def correct(release: Release, *, by: User, notice: str) -> Release:
    """A new draft version of a published release, with the notice readers will see."""
    require_capability(by, Capability.COMPUTE_STATISTICS, doing="correct statistics releases")
    if release.status != ReleaseStatus.PUBLISHED:
        raise ActionRefused(gettext("Only the published version of a release can be corrected."))
    if not notice.strip():
        raise ActionRefused(gettext("Write the correction notice readers will see"), field="notice")
    if Release.objects.filter(corrects=release).exists():
        raise ActionRefused(gettext("A correction of this version is already being prepared."))
    with transaction.atomic():
        latest = Release.objects.filter(slug=release.slug).aggregate(v=Max("version"))["v"]
        corrected = Release.objects.create(
            slug=release.slug,
            version=latest + 1,
            title=release.title,
            summary=release.summary,
            prepared_by=by,
            corrects=release,
            correction_notice=notice.strip(),
            privacy=release.privacy,
            epsilon=release.epsilon,
            epsilon_budget=release.epsilon_budget,
        )
        corrected.definitions.set(release.definitions.all())
        corrected.studies.set(release.studies.all())
        record(Operation.COLLECTION, corrected, by=by, justification="statistics release correction drafted")
    return corrected
