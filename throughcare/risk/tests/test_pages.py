from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from throughcare.risk.instrument_file import load
from throughcare.risk.models import Assessment, Rating
from throughcare.test import Cast

pytestmark = pytest.mark.django_db

DEMO = (Path(__file__).parents[1] / "instruments" / "demo-spj.csv").read_text()


def test_the_lead_assesses_from_the_pages_and_judges_in_their_own_words(cast: Cast) -> None:
    instrument = load(DEMO, by=None)
    client = cast.client_for(cast.lead)
    response = client.post(
        reverse("risk:start", args=[cast.case.pk]), {"instrument": instrument.pk}, follow=True
    )
    assessment = Assessment.objects.get()
    assert "Ideas and commitment" in response.text and "Protective" in response.text
    url = reverse("risk:assessment", args=[cast.case.pk, assessment.pk])
    page = client.post(url, {"value-ID1": "high", "evidence-ID1": "Letters", "value-ID2": "severe"})
    assert page.status_code == 400
    assert "Choose a rating on the instrument&#x27;s scale" in page.text  # next to ID2
    assert 'value="Letters"' in page.text  # what was typed is kept
    assert not Rating.objects.exists()  # the good rating of ID1 was not half-saved either
    client.post(
        url,
        {
            "value-ID2": "missing",
            "complete": "1",
            "judgement": "high",
            "rationale": "Recent letters show intent and an identified target group",
        },
    )
    assessment.refresh_from_db()
    assert assessment.judgement == "high" and Rating.objects.filter(value="missing").exists()
    assert "This is not a score." in client.get(url).text


@pytest.mark.parametrize("who", ["mentor", "stranger", "auditor"])
def test_people_without_risk_information_get_not_found(cast: Cast, who: str) -> None:
    url = reverse("risk:assessments", args=[cast.case.pk])
    assert cast.client_for(getattr(cast, who)).get(url).status_code == 404


def test_a_partner_with_risk_information_can_read(cast: Cast) -> None:
    assert (
        cast.client_for(cast.police_liaison).get(reverse("risk:assessments", args=[cast.case.pk])).status_code
        == 200
    )
