"""Publication cannot skip approval, is approved by someone else, and is frozen once published."""

from __future__ import annotations

import pytest

from throughcare.accounts.models import User
from throughcare.audit.models import AuditEvent, Operation
from throughcare.lib.errors import ActionRefused, EditConflict
from throughcare.outcomes import publishing
from throughcare.outcomes.disclosure import SUPPRESSED
from throughcare.outcomes.models import MeasureDefinition, Release, ReleaseStatus
from throughcare.outcomes.publishing import ReleaseInput
from throughcare.test import Cast

pytestmark = pytest.mark.django_db


def _drafted(cast: Cast, measure: MeasureDefinition) -> Release:
    return publishing.draft(ReleaseInput("Reoffending after release", "", [measure], []), by=cast.analyst)


def test_a_release_is_drafted_submitted_and_approved_by_another_person(
    cast: Cast, by_gender: MeasureDefinition, publisher: User
) -> None:
    release = publishing.submit(_drafted(cast, by_gender), by=cast.analyst)
    assert release.status == ReleaseStatus.AWAITING_APPROVAL and release.content["measures"]
    frozen = release.content
    with pytest.raises(ActionRefused, match="permission to publish"):
        publishing.approve(release, by=cast.manager)
    cast.analyst.memberships.update(may_publish_statistics=True)
    with pytest.raises(ActionRefused, match="someone other than the person who prepared it"):
        publishing.approve(release, by=cast.analyst)
    published = publishing.approve(release, by=publisher)
    assert published.status == ReleaseStatus.PUBLISHED and published.content == frozen
    assert any(
        e.recipients == ["the public"] for e in AuditEvent.objects.filter(operation=Operation.DISCLOSURE)
    )


def test_a_draft_cannot_be_published_without_being_submitted_and_approved(
    cast: Cast, by_gender: MeasureDefinition, publisher: User
) -> None:
    release = _drafted(cast, by_gender)
    with pytest.raises(EditConflict):
        publishing.approve(release, by=publisher)
    assert Release.objects.get().status == ReleaseStatus.DRAFT
    assert not Release.objects.public().exists()


def test_a_correction_is_a_new_version_and_the_old_one_stays_readable(
    cast: Cast, by_gender: MeasureDefinition, publisher: User
) -> None:
    first = publishing.approve(publishing.submit(_drafted(cast, by_gender), by=cast.analyst), by=publisher)
    second = publishing.correct(first, by=cast.analyst, notice="The waiting period was misstated.")
    assert (second.version, second.status, second.corrects) == (2, ReleaseStatus.DRAFT, first)
    publishing.approve(publishing.submit(second, by=cast.analyst), by=publisher)
    first.refresh_from_db()
    assert first.status == ReleaseStatus.SUPERSEDED and list(Release.objects.public()) != []
    with pytest.raises(ActionRefused):
        publishing.correct(first, by=cast.analyst, notice="again")


def test_only_analysts_prepare_releases(cast: Cast, by_gender: MeasureDefinition) -> None:
    with pytest.raises(ActionRefused, match="Only an analyst"):
        publishing.draft(ReleaseInput("Figures", "", [by_gender], []), by=cast.lead)


def test_the_approver_can_send_a_release_back_with_a_reason(
    cast: Cast, by_gender: MeasureDefinition, publisher: User
) -> None:
    release = publishing.submit(_drafted(cast, by_gender), by=cast.analyst)
    with pytest.raises(ActionRefused):
        publishing.send_back(release, by=publisher, reason=" ")
    returned = publishing.send_back(release, by=publisher, reason="Add the 2-year curve")
    assert returned.status == ReleaseStatus.DRAFT and returned.content == {}


def test_a_differentially_private_release_spends_its_budget_and_is_refused_when_it_is_spent(
    cast: Cast, by_gender: MeasureDefinition, by_age: MeasureDefinition, publisher: User
) -> None:
    from throughcare.outcomes.models import PrivacySpend

    release = publishing.draft(
        ReleaseInput(
            "Private figures",
            "",
            [by_gender, by_age],
            [],
            privacy="differential",
            epsilon=1.0,
            epsilon_budget=1.5,
        ),
        by=cast.analyst,
    )
    submitted = publishing.submit(release, by=cast.analyst)
    measure = submitted.content["measures"][0]
    assert SUPPRESSED not in [
        v for row in measure["table"]["rows"] for v in row[1:]
    ]  # noise, not suppression
    assert measure["survival"] == [] and "Differential privacy" in submitted.content["rules"]["footnote"]
    cohort = measure["headline"]["cohort"]
    exact = 569  # the cohort released 2015–2019 in the history fixture
    assert abs(cohort - exact) < 40  # noisy, near
    spent = PrivacySpend.objects.get(release=release)
    assert (spent.epsilon, spent.tables) == (1.0, 2)
    publishing.send_back(submitted, by=publisher, reason="Check the groups")
    with pytest.raises(ActionRefused, match="privacy budget of this release is spent"):
        publishing.submit(release, by=cast.analyst)
    assert PrivacySpend.objects.filter(release=release).count() == 1


def test_differential_privacy_needs_its_epsilon_and_a_budget(
    cast: Cast, by_gender: MeasureDefinition
) -> None:
    with pytest.raises(ActionRefused) as refused:
        publishing.draft(
            ReleaseInput("P", "", [by_gender], [], privacy="differential", epsilon=0.0), by=cast.analyst
        )
    assert refused.value.field == "epsilon"
    with pytest.raises(ActionRefused) as refused:
        publishing.draft(
            ReleaseInput("P", "", [by_gender], [], privacy="differential", epsilon=1.0, epsilon_budget=0.5),
            by=cast.analyst,
        )
    assert refused.value.field == "epsilon_budget"
