"""The exhaustive access test: persona × relationship × data category × channel.

The case holds one entry per data category, each with a recognisable secret. For every scenario we
state, by hand, which categories the viewer must see (None: the case must answer 404), then check
every channel: the case page, the timeline partial, search, the CSV export and the who-accessed page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from throughcare.accounts.models import Agency, User
from throughcare.cases.models import CaseTeamMember, DataCategory, TimelineEntry
from throughcare.sharing import actions
from throughcare.sharing.models import BreakGlass, LegalBasis, Restriction
from throughcare.test import Cast, shows_word

pytestmark = pytest.mark.django_db

ALL = set(DataCategory.values)
NOT_INTEL = ALL - {"intelligence"}
POLICE = {"identity", "legal", "risk", "intelligence", "general"}
NGO = {"identity", "general", "interventions"}


def secret(category: str) -> str:
    return f"SECRET-{category.upper()}"


@dataclass
class Scenario:
    name: str
    setup: Callable[[Cast], User]
    expected: set[str] | None  # None: 404 on every channel
    travel_days: int = 0


def _consent(cast: Cast, categories: list[str]) -> None:
    actions.record_consent(
        cast.case,
        actions.ConsentRequest(
            recipient_agency=cast.ngo,
            categories=categories,
            purpose="mentoring",
            evidence="signed form",
            given_on=timezone.localdate(),
            expires_on=None,
        ),
        by=cast.lead,
    )


def _agreement(
    cast: Cast,
    agency: Agency,
    categories: list[str],
    basis: str = LegalBasis.STATUTORY_DUTY,
    user: User | None = None,
    override: str = "",
    by: User | None = None,
) -> None:
    request = actions.AgreementRequest(
        recipient_agency=agency,
        recipient_user=user,
        categories=categories,
        purpose="public protection",
        legal_basis=basis,
        valid_from=timezone.now(),
        valid_until=None,
        override_reason=override,
    )
    actions.grant_agreement(cast.case, request, by=by or cast.lead)


def mentor_with_consent(cast: Cast) -> User:
    _consent(cast, ["risk", "family"])
    return cast.mentor


def mentor_consent_withdrawn(cast: Cast) -> User:
    _consent(cast, ["risk", "family"])
    consent = cast.case.person.consents.get()
    actions.withdraw_consent(consent, cast.case, by=cast.lead, note="changed their mind")
    return cast.mentor


def police_by_agreement(cast: Cast) -> User:
    _agreement(cast, cast.police, ["legal", "risk", "intelligence"])
    return cast.police_outsider


def police_agreement_revoked(cast: Cast) -> User:
    _agreement(cast, cast.police, ["legal", "risk"])
    actions.revoke_agreement(cast.case.agreements.get(), by=cast.lead, reason="no longer needed")
    return cast.police_outsider


def police_agreement_expired(cast: Cast) -> User:
    request = actions.AgreementRequest(
        recipient_agency=cast.police,
        recipient_user=None,
        categories=["risk"],
        purpose="p",
        legal_basis=LegalBasis.STATUTORY_DUTY,
        valid_from=timezone.now() - timedelta(days=10),
        valid_until=timezone.now() - timedelta(days=1),
    )
    actions.grant_agreement(cast.case, request, by=cast.lead)
    return cast.police_outsider


def named_worker_agreement_other_worker(cast: Cast) -> User:
    from throughcare.test import make_user

    named = make_user("named.officer", cast.police)
    _agreement(cast, cast.police, ["risk"], user=named)
    return cast.police_outsider


def ngo_override_without_consent(cast: Cast) -> User:
    _agreement(
        cast, cast.ngo, ["risk"], basis=LegalBasis.VITAL_INTEREST, override="threat to life", by=cast.manager
    )
    return cast.mentor


def _restrict(cast: Cast, user: User, kind: str) -> None:
    message = "Restricted: contact the case lead" if kind == Restriction.Kind.NEVER else "Restricted case"
    actions.add_restriction(cast.case, by=cast.lead, user=user, kind=kind, message=message, reason="a reason")


def excluded_team_member(cast: Cast) -> User:
    _restrict(cast, cast.police_liaison, Restriction.Kind.NEVER)
    return cast.police_liaison


def not_on_only_list(cast: Cast) -> User:
    _restrict(cast, cast.lead, Restriction.Kind.ONLY)
    return cast.prison_manager


def on_only_list(cast: Cast) -> User:
    _restrict(cast, cast.lead, Restriction.Kind.ONLY)
    _restrict(cast, cast.prison_manager, Restriction.Kind.ONLY)
    return cast.prison_manager


def break_glass_open(cast: Cast) -> User:
    cast.stranger.memberships.update(may_break_glass=True)
    actions.open_break_glass(cast.case, by=cast.stranger, reason="Threat reported tonight; lead unreachable")
    return cast.stranger


def break_glass_expired(cast: Cast) -> User:
    user = break_glass_open(cast)
    BreakGlass.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    return user


def left_team(cast: Cast) -> User:
    CaseTeamMember.objects.filter(user=cast.mentor).update(ended_at=timezone.now())
    return cast.mentor


SCENARIOS = [
    Scenario("lead on the team", lambda c: c.lead, NOT_INTEL),
    Scenario("prison manager on the team", lambda c: c.prison_manager, NOT_INTEL),
    Scenario("police liaison on the team (cleared)", lambda c: c.police_liaison, POLICE),
    Scenario("NGO mentor without consent", lambda c: c.mentor, NGO),
    Scenario("NGO mentor with consent", mentor_with_consent, NGO | {"risk", "family"}),
    Scenario("NGO mentor after consent withdrawn", mentor_consent_withdrawn, NGO),
    Scenario("NGO mentor, shared without consent by override", ngo_override_without_consent, NGO | {"risk"}),
    Scenario("manager of an agency on the team", lambda c: c.manager, NOT_INTEL),
    Scenario("police officer holding an agreement", police_by_agreement, {"legal", "risk", "intelligence"}),
    Scenario("police officer after the agreement ended", police_agreement_revoked, None),
    Scenario("police officer after the agreement expired", police_agreement_expired, None),
    Scenario(
        "police officer when the agreement names another worker", named_worker_agreement_other_worker, None
    ),
    Scenario("team member on the exclusion list", excluded_team_member, None),
    Scenario("team member not on the only-these-users list", not_on_only_list, None),
    Scenario("team member on the only-these-users list", on_only_list, NOT_INTEL),
    Scenario("break-glass in force", break_glass_open, NOT_INTEL),
    Scenario("break-glass expired", break_glass_expired, None),
    Scenario("left the team 30 days ago (residual access)", left_team, NGO, travel_days=30),
    Scenario("left the team 91 days ago (residual access expired)", left_team, None, travel_days=91),
    Scenario("stranger in the same agency", lambda c: c.stranger, None),
    Scenario("auditor", lambda c: c.auditor, None),
    Scenario("analyst", lambda c: c.analyst, None),
]


@pytest.fixture
def secrets(cast: Cast) -> Cast:
    for category in DataCategory.values:
        author = cast.police_liaison if category == "intelligence" else cast.lead
        TimelineEntry.objects.create(
            case=cast.case,
            category=category,
            nature="fact",
            body=secret(category),
            occurred_at=timezone.now(),
            author=author,
        )
    return cast


def _seen(html: str) -> set[str]:
    return {c for c in DataCategory.values if secret(c) in html}


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_the_case_page_shows_exactly_the_allowed_categories(secrets: Cast, scenario: Scenario) -> None:
    viewer = scenario.setup(secrets)
    with time_machine.travel(timezone.now() + timedelta(days=scenario.travel_days)):
        response = _client(viewer).get(reverse("cases:timeline", args=[secrets.case.pk]))
    _assert_channel(response.status_code, response.content.decode(), scenario.expected)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_the_timeline_partial_shows_exactly_the_allowed_categories(secrets: Cast, scenario: Scenario) -> None:
    viewer = scenario.setup(secrets)
    with time_machine.travel(timezone.now() + timedelta(days=scenario.travel_days)):
        response = _client(viewer).get(
            reverse("cases:timeline", args=[secrets.case.pk]), headers={"HX-Request": "true"}
        )
    _assert_channel(response.status_code, response.content.decode(), scenario.expected)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_the_export_contains_exactly_the_allowed_categories(secrets: Cast, scenario: Scenario) -> None:
    viewer = scenario.setup(secrets)
    with time_machine.travel(timezone.now() + timedelta(days=scenario.travel_days)):
        response = _client(viewer).get(reverse("cases:export", args=[secrets.case.pk]))
    _assert_channel(response.status_code, response.content.decode(), scenario.expected)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_search_finds_the_person_only_with_identity_access(secrets: Cast, scenario: Scenario) -> None:
    viewer = scenario.setup(secrets)
    with time_machine.travel(timezone.now() + timedelta(days=scenario.travel_days)):
        html = _client(viewer).get(reverse("cases:search"), {"q": "ada example", "reason": "checking"}).text
    found = "Example, Ada" in html
    assert found == (scenario.expected is not None and "identity" in scenario.expected)
    assert not _seen(html)  # search never shows entry content


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_the_who_accessed_page_is_for_the_lead_and_auditors_only(secrets: Cast, scenario: Scenario) -> None:
    viewer = scenario.setup(secrets)
    with time_machine.travel(timezone.now() + timedelta(days=scenario.travel_days)):
        response = _client(viewer).get(reverse("sharing:access_log", args=[secrets.case.pk]))
    allowed = viewer == secrets.auditor or (viewer == secrets.lead and scenario.expected is not None)
    assert response.status_code == (200 if allowed else 404)
    assert not _seen(response.content.decode())  # the log never shows content


def _assert_channel(status: int, body: str, expected: set[str] | None) -> None:
    if expected is None:
        assert status == 404
        assert not _seen(body)
        assert not shows_word(body, "Ada")
        return
    assert status == 200
    assert _seen(body) == expected


def test_a_restricted_user_sees_the_message_where_the_case_would_be(secrets: Cast) -> None:
    excluded_team_member(secrets)
    caseload = _client(secrets.police_liaison).get(reverse("cases:caseload")).text
    assert "Restricted: contact the case lead" in caseload
    assert secrets.case.reference in caseload
    assert "Example, Ada" not in caseload


def test_everyone_with_access_sees_that_intelligence_exists_and_whom_to_contact(secrets: Cast) -> None:
    actions.flag_intelligence(
        secrets.case,
        by=secrets.police_liaison,
        owner=secrets.police_liaison,
        contact_note="Call the CT desk before any travel decision",
    )
    for viewer in (secrets.lead, secrets.mentor, secrets.manager, secrets.prison_manager):
        html = _client(viewer).get(reverse("cases:detail", args=[secrets.case.pk])).text
        assert "Intelligence exists" in html
        assert "Contact Police Liaison" in html
        assert "Call the CT desk before any travel decision" in html
        assert secret("intelligence") not in html
