from __future__ import annotations

import pytest
from django.urls import reverse

from throughcare.custody.models import BreachDecision, CaseCondition, ComplianceEvent, ConditionTemplate
from throughcare.test import Cast

pytestmark = pytest.mark.django_db


def _url(cast: Cast, name: str, *args: int) -> str:
    return reverse(f"custody:{name}", args=[cast.case.pk, *args])


def test_the_licence_page_is_for_those_who_hold_legal_data(cast: Cast) -> None:
    assert cast.client_for(cast.lead).get(_url(cast, "licence")).status_code == 200
    assert cast.client_for(cast.police_liaison).get(_url(cast, "licence")).status_code == 200
    assert cast.client_for(cast.mentor).get(_url(cast, "licence")).status_code == 404  # NGO: no legal data
    assert cast.client_for(cast.stranger).get(_url(cast, "licence")).status_code == 404


def test_recommend_then_record_not_ordered_from_the_page(cast: Cast) -> None:
    client = cast.client_for(cast.lead)
    template = ConditionTemplate.objects.get(code="CON-01", is_current=True)
    form = client.get(_url(cast, "licence"), {"template": "CON-01"}).text
    assert "Named person" in form
    missing = client.post(_url(cast, "recommend", template.pk), {"person": ""})
    assert missing.status_code == 400 and "Fill in Named person for condition CON-01" in missing.text
    assert "govuk-error-summary" in missing.text
    assert not CaseCondition.objects.exists()
    client.post(_url(cast, "recommend", template.pk), {"person": "the co-defendant K. Example"})
    condition = CaseCondition.objects.get()
    page = client.post(
        _url(cast, "not_ordered", condition.pk),
        {f"not-ordered-{condition.pk}-reason": "Judge preferred a curfew"},
        follow=True,
    ).text
    assert "Not ordered:</strong> Judge preferred a curfew" in page


def test_a_breach_and_its_decision_from_the_page(cast: Cast) -> None:
    client = cast.client_for(cast.lead)
    client.post(
        _url(cast, "compliance"),
        {"kind": "breach", "occurred_on": "2026-11-02", "note": "Attended a gathering in the exclusion zone"},
    )
    breach = ComplianceEvent.objects.get()
    assert "Awaiting decision" in client.get(_url(cast, "licence")).text
    prefix = f"breach-{breach.pk}"
    refused = client.post(
        _url(cast, "decide_breach", breach.pk),
        {f"{prefix}-outcome": "warning", f"{prefix}-rationale": "first"},
    )
    assert refused.status_code == 400 and "Name the person who decided" in refused.text
    assert 'value="first"' in refused.text  # the rationale typed is kept
    client.post(
        _url(cast, "decide_breach", breach.pk),
        {
            f"{prefix}-outcome": "warning",
            f"{prefix}-rationale": "First breach",
            f"{prefix}-decided_by": cast.manager.pk,
        },
    )
    assert BreachDecision.objects.get().decided_by == cast.manager


def test_notifications_are_recorded_from_the_licence_page(cast: Cast) -> None:
    from datetime import date

    from throughcare.custody.models import NotificationDue, NotificationRequirement

    requirement = NotificationRequirement.objects.create(
        case=cast.case, starts_on=date(2026, 11, 1), ends_on=date(2036, 11, 1)
    )
    due = NotificationDue.objects.create(requirement=requirement, kind="initial", due_on=date(2026, 11, 4))
    client = cast.client_for(cast.police_liaison)
    assert "Overdue" in client.get(_url(cast, "licence")).text
    bad = client.post(_url(cast, "notified", due.pk), {f"notified-{due.pk}-notified_on": "soon"})
    assert bad.status_code == 400 and "Enter the date the notification was made as a real date" in bad.text
    assert f'id="id_notified-{due.pk}-notified_on-error"' in bad.text  # next to the field
    client.post(_url(cast, "notified", due.pk), {f"notified-{due.pk}-notified_on": "2026-11-03"})
    due.refresh_from_db()
    assert due.notified_on == date(2026, 11, 3)


def test_the_condition_picker_names_each_input_in_words_not_as_a_placeholder(cast: Cast) -> None:
    page = cast.client_for(cast.lead).get(_url(cast, "licence")).text
    assert "{number}" not in page and "{person}" not in page
    assert "[largest number of devices]" in page
