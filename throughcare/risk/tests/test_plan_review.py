"""The plan review form and warning signs, as the officer uses them in the browser (without JavaScript)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from throughcare.lib.errors import ActionRefused
from throughcare.notifications.models import Notification
from throughcare.risk import plans
from throughcare.risk.models import PlanVersion, ReviewDue, SignObservation
from throughcare.risk.tests.test_plans import _content
from throughcare.test import Cast

pytestmark = pytest.mark.django_db


def _form(client: Client, case_id: int) -> dict[str, str | list[str]]:
    """The review form as the browser would send it untouched: every field with its shown value."""
    response = client.get(reverse("risk:plan_review", args=[case_id]))
    assert response.status_code == 200
    review = response.context["review"]
    data: dict[str, str | list[str]] = {}
    for form in [
        review.plan,
        review.strategies.management_form,
        review.signs.management_form,
        *review.strategies.forms,
        *review.signs.forms,
    ]:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if isinstance(value, list):
                data[field.html_name] = [str(v) for v in value]
            elif isinstance(value, date):
                data[field.html_name] = value.isoformat()
            else:
                data[field.html_name] = str(value)
    return data


def test_a_review_starts_from_the_current_version_and_saves_the_next_with_a_comparison(cast: Cast) -> None:
    plans.save_version(cast.case, _content(cast), by=cast.lead, reason="first")
    client = cast.client_for(cast.lead)
    data = _form(client, cast.case.pk)
    assert data["strategy-1-description"] == "Police check of declared devices"
    data |= {
        "reason": "new_information",
        "reason_note": "Foreign police report",
        "strategy-1-description": "Police check of declared devices every week",
        "judgement": "high",
        "judgement_rationale": "Contact with a recruiter again; plans to travel.",
    }
    response = client.post(reverse("risk:plan_review", args=[cast.case.pk]), data)
    assert response.status_code == 302 and response["Location"].endswith("?compare=1&with=2")
    page = client.get(response["Location"]).text
    assert "Version 2 of the plan saved." in page
    assert "Police check of declared devices every week" in page and "Foreign police report" in page
    second = PlanVersion.objects.get(case=cast.case, number=2)
    assert second.warning_signs.get().triggers.get().description.startswith("Call an urgent")
    assert second.judgement == "high"
    case_page = client.get(reverse("risk:section", args=[cast.case.pk])).text
    assert "(plan version 2)" in case_page  # the reviewer's judgement is on the trajectory


def test_a_strategy_without_an_owner_is_shown_again_with_the_reason_and_nothing_saved(cast: Cast) -> None:
    client = cast.client_for(cast.lead)
    data = _form(client, cast.case.pk)
    data |= {
        "reason": "first",
        "formulation": "Grievance after losing his job; risk rises when he is isolated.",
        "strategy-0-section": "supervision",
        "strategy-0-description": "Home visits every fortnight",
        "strategy-0-review_on": "2027-02-01",
    }
    response = client.post(reverse("risk:plan_review", args=[cast.case.pk]), data)
    assert response.status_code == 400
    assert "“Home visits every fortnight” needs an owner" in response.text
    assert 'id="id_strategy-0-owner-error"' in response.text  # next to the field
    assert 'value="Home visits every fortnight"' in response.text  # what was typed is kept
    assert not PlanVersion.objects.exists()


def test_a_review_saved_meanwhile_by_someone_else_is_never_overwritten(cast: Cast) -> None:
    plans.save_version(cast.case, _content(cast), by=cast.lead, reason="first")
    client = cast.client_for(cast.lead)
    stale = _form(client, cast.case.pk) | {"reason": "scheduled"}
    plans.save_version(cast.case, _content(cast), by=cast.prison_manager, reason="change")
    response = client.post(reverse("risk:plan_review", args=[cast.case.pk]), stale)
    assert response.status_code == 400
    assert "Version 2 of the plan was saved by Prison Manager" in response.text
    assert PlanVersion.objects.filter(case=cast.case).count() == 2
    assert response.context["review"].plan["based_on"].value() == "2"  # saving again: knowingly


def test_a_removed_strategy_leaves_the_new_version_and_its_sign_follows_the_renumbering(cast: Cast) -> None:
    plans.save_version(cast.case, _content(cast), by=cast.lead, reason="first")
    client = cast.client_for(cast.lead)
    data = _form(client, cast.case.pk)
    assert data["strategy-0-description"] == "Weekly supervision at the probation office"  # plan order
    data |= {"reason": "scheduled", "strategy-0-DELETE": "on"}
    assert client.post(reverse("risk:plan_review", args=[cast.case.pk]), data).status_code == 302
    second = PlanVersion.objects.get(case=cast.case, number=2)
    assert [s.description for s in plans.ordered_strategies(second)] == [
        "Police check of declared devices",
        "Call an urgent case conference within 48 hours",
    ]
    assert second.warning_signs.get().triggers.get().description.startswith("Call an urgent")


def test_partners_without_risk_information_cannot_review(cast: Cast) -> None:
    url = reverse("risk:plan_review", args=[cast.case.pk])
    assert cast.client_for(cast.mentor).get(url).status_code == 404
    assert cast.client_for(cast.stranger).post(url, {"reason": "first"}).status_code == 404


def test_an_observed_warning_sign_alerts_the_owners_of_its_contingency_actions(cast: Cast) -> None:
    version = plans.save_version(cast.case, _content(cast), by=cast.lead, reason="first")
    sign = version.warning_signs.get()
    response = cast.client_for(cast.police_liaison).post(
        reverse("risk:observe_sign", args=[cast.case.pk, sign.pk]),
        {
            "observed_on": timezone.localdate().isoformat(),
            "note": "Bakery says absent 3 days",
        },
    )
    assert response.status_code == 302
    (alert,) = [
        n
        for n in Notification.objects.filter(recipient=cast.lead)
        if str(n.subject).startswith("Warning sign observed")
    ]
    assert "Call an urgent case conference" in str(alert.body) and "Bakery" not in str(alert.body)
    assert cast.case.timeline.filter(category="risk", body__contains="Bakery says absent").exists()


def test_a_warning_sign_of_an_older_version_or_a_future_date_is_refused(cast: Cast) -> None:
    first = plans.save_version(cast.case, _content(cast), by=cast.lead, reason="first")
    with pytest.raises(ActionRefused, match="cannot be in the future"):
        plans.observe_sign(
            first.warning_signs.get(),
            by=cast.lead,
            observed_on=timezone.localdate() + timedelta(days=1),
            note="Seen",
        )
    plans.save_version(cast.case, _content(cast), by=cast.lead, reason="scheduled")
    with pytest.raises(ActionRefused, match="older version"):
        plans.observe_sign(
            first.warning_signs.get(), by=cast.lead, observed_on=timezone.localdate(), note="x"
        )
    assert not SignObservation.objects.exists()


def test_the_plan_page_lists_reviews_due_and_lets_the_team_require_one(cast: Cast) -> None:
    client = cast.client_for(cast.lead)
    url = reverse("risk:plan", args=[cast.case.pk])
    assert "First plan" in client.get(url).text
    client.post(
        reverse("risk:require_review", args=[cast.case.pk]), {"reason": "change", "note": "Lost his job"}
    )
    assert ReviewDue.objects.filter(case=cast.case, reason="change", note="Lost his job").exists()
    assert "Change of circumstances: Lost his job" in client.get(url).text
