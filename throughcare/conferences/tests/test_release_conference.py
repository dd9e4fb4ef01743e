from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from throughcare.accounts.models import User
from throughcare.cases import actions as case_actions
from throughcare.cases.models import Case, Phase, TimelineEntry
from throughcare.conferences.models import Conference, Decision
from throughcare.custody import actions, handover
from throughcare.custody.models import Offence
from throughcare.jurisdictions.models import JurisdictionProfile
from throughcare.lib.errors import ActionRefused
from throughcare.test import Cast, join_team, open_test_case, texts

pytestmark = pytest.mark.django_db


def _case(cast: Cast, profile: str = "release-conference-model") -> Case:
    case = open_test_case(
        cast.prison_manager, cast.prison, "Cora", "Conference", phase=Phase.RELEASE_PLANNING
    )
    join_team(case, cast.lead, cast.probation, "Community offender manager (allocated)")
    join_team(case, cast.police_liaison, cast.police, "CT liaison")
    details = actions.SentenceDetails(
        sentence_type="determinate",
        sentence_start=date(2023, 1, 1),
        sentence_end=date(2029, 1, 1),
        earliest_release=date(2027, 3, 1),
        conditional_release=date(2027, 3, 1),
    )
    actions.record_sentence(
        case,
        details,
        [Offence(description="financing terrorism", terrorism_offence=True)],
        by=cast.prison_manager,
        profile=JurisdictionProfile.objects.get(code=profile),
    )
    return case


def _form(cast: Cast, **changes: object) -> dict[str, object]:
    return {
        "held_on": "2026-11-20",
        "chair": cast.lead.pk,
        "present": [cast.probation.pk, cast.police.pk, cast.prison.pk],
        "shared": "Custody behaviour report; police view",
        "decision": "Recommend a contact ban",
        "rationale": "Contact with two co-defendants in custody",
        "action": "Ask the court for the contact ban",
        "action_owner": cast.lead.pk,
        "action_due": "2026-12-15",
    } | changes


def _release(cast: Cast, case: Case, by: User | None = None) -> None:
    case.refresh_from_db()
    case_actions.change_phase(
        case,
        by=by or cast.prison_manager,
        to_phase=Phase.COMMUNITY,
        expected_version=case.version,
        reason="Planned move",
    )


def test_release_is_refused_while_the_required_conference_is_missing(cast: Cast) -> None:
    case = _case(cast)
    with pytest.raises(ActionRefused, match="A release conference is required before this release"):
        _release(cast, case)
    case.refresh_from_db()
    assert case.phase == Phase.RELEASE_PLANNING


def test_under_the_default_profile_no_conference_is_required(cast: Cast) -> None:
    case = _case(cast, profile="default-england-wales")
    _release(cast, case)
    case.refresh_from_db()
    assert case.phase == Phase.COMMUNITY


def test_recording_the_conference_allows_release_and_ticks_the_handover(cast: Cast) -> None:
    case = _case(cast)
    started = handover.start_handover(case, by=cast.prison_manager)
    response = cast.client_for(cast.lead).post(
        reverse("conferences:record_release", args=[case.pk]), _form(cast), follow=True
    )
    assert "Release conference recorded" in response.text
    assert "Decision: Recommend a contact ban" in response.text
    assert Decision.objects.get().rationale == "Contact with two co-defendants in custody"
    ticked = started.items.get(code="release-conference")
    assert ticked.done_at is not None
    with translation.override("de"):  # the system's note, in the reader's language
        assert str(ticked.note) == "Entlassungskonferenz vom 20. Nov. 2026 erfasst"
    assert any(
        t.startswith("Release conference held on 20 Nov 2026") for t in texts(TimelineEntry.objects.all())
    )
    _release(cast, case)
    case.refresh_from_db()
    assert case.phase == Phase.COMMUNITY


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"decision": ""}, "Record at least one decision"),
        ({"rationale": ""}, "Every decision needs its rationale"),
        ({"action_owner": ""}, "Every action needs an owner and a deadline"),
        ({"action_due": ""}, "Every action needs an owner and a deadline"),
        ({"present": []}, "Say which agencies attended"),
        ({"held_on": "2150-01-01"}, "the date cannot be in the future"),
    ],
)
def test_bad_conference_records_are_refused_and_nothing_is_written(
    cast: Cast, changes: dict[str, object], message: str
) -> None:
    case = _case(cast)
    response = cast.client_for(cast.lead).post(
        reverse("conferences:record_release", args=[case.pk]), _form(cast, **changes)
    )
    assert response.status_code == 400
    assert message in response.text
    assert not Conference.objects.exists()


def test_a_manager_may_release_without_the_conference_giving_a_reason(cast: Cast) -> None:
    case = _case(cast)
    manager = cast.client_for(cast.manager)
    page = manager.get(reverse("conferences:requests", args=[case.pk])).text
    assert "Release without the release conference (managers)" in page
    refused = manager.post(reverse("conferences:release_without_conference", args=[case.pk]), {}, follow=True)
    assert "Give the reason" in refused.text
    manager.post(
        reverse("conferences:release_without_conference", args=[case.pk]),
        {"override_reason": "Court ordered immediate release; conference set for day 2"},
    )
    case.refresh_from_db()
    assert case.phase == Phase.COMMUNITY
    change = case.phase_changes.last()
    assert change is not None and "override by Probation Manager: Court ordered immediate release" in str(
        change.reason
    )


def test_a_practitioner_cannot_override_the_conference(cast: Cast) -> None:
    case = _case(cast)
    with pytest.raises(ActionRefused, match="Only a manager"):
        case_actions.change_phase(
            case,
            by=cast.police_liaison,
            to_phase=Phase.COMMUNITY,
            expected_version=case.version,
            override_reason="I think it is fine",
        )
