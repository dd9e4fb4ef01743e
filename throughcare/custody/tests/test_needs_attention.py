from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from throughcare.cases.models import Case, Phase
from throughcare.custody import actions, conditions, handover
from throughcare.custody.models import ConditionTemplate, Offence
from throughcare.jurisdictions.models import JurisdictionProfile
from throughcare.lib.dates import working_days_before
from throughcare.test import Cast, join_team, open_test_case
from throughcare.workspace.attention import needs_attention

pytestmark = pytest.mark.django_db


def _releasing(cast: Cast, release: date) -> Case:
    case = open_test_case(cast.prison_manager, cast.prison, "Rhea", "Releasing", phase=Phase.RELEASE_PLANNING)
    join_team(case, cast.lead, cast.probation, "Community offender manager")
    actions.record_sentence(
        case,
        actions.SentenceDetails(
            sentence_type="determinate",
            sentence_start=date(2023, 1, 1),
            sentence_end=date(2029, 1, 1),
            earliest_release=release,
        ),
        [Offence(description="financing terrorism", terrorism_offence=True)],
        by=cast.prison_manager,
    )
    return case


def _texts(user: object, today: date, scope: str = "mine") -> list[str]:
    return [str(item.text) for item in needs_attention(user, today, scope=scope)]  # type: ignore[arg-type]


def test_working_days_skip_weekends() -> None:
    assert working_days_before(date(2026, 12, 7), 2) == date(2026, 12, 3)  # Monday → Thursday


def test_working_days_skip_the_public_holidays_of_the_profiles_country() -> None:
    # Tuesday 29 December 2026: Christmas (Fri 25) and the Boxing Day substitute (Mon 28) do not count.
    assert working_days_before(date(2026, 12, 29), 2) == date(2026, 12, 25)
    assert working_days_before(date(2026, 12, 29), 2, country="GB", subdivision="ENG") == date(2026, 12, 23)
    # Austria has no substitute day: Monday 28 counts, Christmas Day does not.
    assert working_days_before(date(2026, 12, 29), 2, country="AT") == date(2026, 12, 24)


def test_the_licence_hard_stop_moves_before_the_christmas_holidays(cast: Cast) -> None:
    assert JurisdictionProfile.default().holiday_country == "GB"  # the shipped profile counts its holidays
    _releasing(cast, date(2026, 12, 29))
    assert any(t.startswith("Licence not ready") for t in _texts(cast.lead, date(2026, 12, 23)))
    assert not any(t.startswith("Licence not ready") for t in _texts(cast.lead, date(2026, 12, 22)))


def test_a_profile_with_an_unknown_holiday_country_is_refused_next_to_the_field() -> None:
    from django.core.exceptions import ValidationError

    profile = JurisdictionProfile.default()
    profile.holiday_country, profile.holiday_subdivision = "XW", ""
    with pytest.raises(ValidationError) as refused:
        profile.clean()
    assert "holiday_country" in refused.value.message_dict
    profile.holiday_country, profile.holiday_subdivision = "gb", "sct"
    profile.clean()
    assert (profile.holiday_country, profile.holiday_subdivision) == ("GB", "SCT")


def test_a_release_within_30_days_without_handover_or_licence_needs_attention(cast: Cast) -> None:
    _releasing(cast, date(2026, 12, 7))
    with time_machine.travel(date(2026, 11, 20)):
        texts = _texts(cast.lead, date(2026, 11, 20))
    assert "Release on 7 Dec 2026: handover not completed" in texts
    assert "Release on 7 Dec 2026: licence conditions not agreed" in texts


def test_the_licence_hard_stop_two_working_days_before_release(cast: Cast) -> None:
    _releasing(cast, date(2026, 12, 7))
    texts = _texts(cast.lead, date(2026, 12, 3))
    assert any(t.startswith("Licence not ready 2 working days before release") for t in texts)
    case = Case.objects.get(person__family_name="Releasing")
    condition = conditions.recommend(
        case, ConditionTemplate.objects.get(code="SUP-01", is_current=True), {}, by=cast.lead
    )
    conditions.order(condition, by=cast.lead, authority="Court", ordered_on=date(2026, 11, 30))
    assert not any("Licence" in t or "licence" in t for t in _texts(cast.lead, date(2026, 12, 3)))


def test_overdue_handover_items_are_on_their_owners_list(cast: Cast) -> None:
    case = _releasing(cast, date(2027, 3, 1))
    handover.start_handover(case, by=cast.prison_manager)
    prison = _texts(cast.prison_manager, date(2027, 1, 5))
    assert any(t.startswith("Handover: Custody behaviour report shared") for t in prison)
    probation = _texts(cast.lead, date(2027, 1, 5))
    assert not any(t.startswith("Handover: Custody behaviour report") for t in probation)  # not the owner


def test_a_released_case_without_a_kept_appointment_and_an_undecided_breach(cast: Cast) -> None:
    texts = _texts(cast.lead, date(2099, 1, 1))
    assert any(t.startswith("No appointment kept since release") for t in texts)
    conditions.record_compliance(
        cast.case,
        conditions.EventInput(kind="breach", occurred_on=date(2026, 11, 1), note="Missed curfew"),
        by=cast.lead,
    )
    assert "Breach of 1 Nov 2026 awaits a decision" in _texts(cast.lead, date(2026, 11, 27))


def test_managers_see_their_agencies_cases_and_strangers_nothing(cast: Cast) -> None:
    _releasing(cast, date(2026, 12, 7))
    assert _texts(cast.manager, date(2026, 11, 20), scope="mine") == []
    assert any(
        "handover not completed" in t for t in _texts(cast.manager, date(2026, 11, 20), scope="agency")
    )
    assert _texts(cast.stranger, date(2026, 11, 20)) == []


def test_the_page_links_each_item_to_its_case(cast: Cast) -> None:
    case = _releasing(cast, date(2026, 12, 7))
    with time_machine.travel(date(2026, 11, 20)):
        html = cast.client_for(cast.lead).get(reverse("cases:needs_attention")).text
    assert f'href="/cases/{case.pk}/"' in html  # the case
    assert f'href="/cases/{case.pk}/custody/#handover"' in html  # where to act on it
    assert "Overdue" not in html.split("handover not completed")[0].split(case.reference)[-1]


def test_needs_attention_is_grouped_by_kind_with_counts(cast: Cast) -> None:
    from django.urls import reverse

    from throughcare.risk.models import ReviewDue

    assert ReviewDue.objects.filter(case=cast.case).exists()  # the first reviews of a new case
    client = cast.client_for(cast.lead)
    page = client.get(reverse("cases:needs_attention")).text
    assert "Risk (2)" in page
    risk_only = client.get(reverse("cases:needs_attention"), {"group": "Risk"})
    assert '<h2 class="govuk-heading-m">Risk</h2>' in risk_only.text
    assert all(item.group == "Risk" for item in risk_only.context["items"])


def _admin_form(profile: JurisdictionProfile) -> dict[str, object]:
    """The profile's change form as the administration shows it: its fields, and its name per language."""
    from django.forms.models import model_to_dict

    data: dict[str, Any] = {k: ("" if v is None else v) for k, v in model_to_dict(profile).items()}
    data["unverified"] = data["initial-unverified"] = json.dumps(data["unverified"])  # a callable default
    for code, wording in data.pop("translations").items():
        data |= {f"{field}__{code}": text for field, text in wording.items()}
    return data


def test_administration_refuses_an_unknown_holiday_country_next_to_the_field(cast: Cast) -> None:
    admin = cast.lead
    admin.is_staff = admin.is_superuser = True
    admin.save()
    profile = JurisdictionProfile.default()
    data = _admin_form(profile)
    data |= {"holiday_country": "XW", "is_default": "on" if profile.is_default else ""}
    if not data.get("notifications_required"):
        data.pop("notifications_required", None)
    response = cast.client_for(admin).post(
        reverse("admin:jurisdictions_jurisdictionprofile_change", args=[profile.pk]), data
    )
    assert response.status_code == 200
    assert "No public holidays are known for this country code" in response.text
    profile.refresh_from_db()
    assert profile.holiday_country == "GB"


def test_an_administrator_changes_a_profile_and_the_change_is_audited_before_and_after(cast: Cast) -> None:
    from throughcare.audit.models import AuditEvent

    admin = cast.lead
    admin.is_staff = admin.is_superuser = True
    admin.save()
    profile = JurisdictionProfile.default()
    before = profile.licence_ready_working_days
    data = _admin_form(profile)
    data |= {"licence_ready_working_days": before + 1, "is_default": "on" if profile.is_default else ""}
    if not data.get("notifications_required"):
        data.pop("notifications_required", None)
    url = reverse("admin:jurisdictions_jurisdictionprofile_change", args=[profile.pk])
    assert cast.client_for(admin).post(url, data).status_code == 302
    profile.refresh_from_db()
    assert profile.licence_ready_working_days == before + 1
    event = AuditEvent.objects.filter(justification__contains="jurisdiction profile").get()
    assert event.details["changed"] == {"licence_ready_working_days": {"from": before, "to": before + 1}}
    page = cast.client_for(admin).get(reverse("admin:index")).text
    assert "Jurisdiction profiles" in page
