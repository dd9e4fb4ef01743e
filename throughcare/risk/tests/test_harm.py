from __future__ import annotations

import pytest
from django.urls import reverse

from throughcare.risk.models import HarmJudgement, HarmLevel
from throughcare.test import Cast, texts

pytestmark = pytest.mark.django_db


def test_risk_of_serious_harm_is_judged_per_group_and_setting_and_explained(cast: Cast) -> None:
    client = cast.client_for(cast.lead)
    url = reverse("risk:judge_harm", args=[cast.case.pk])
    response = client.post(
        url,
        {
            "level-public-community": "high",
            "level-known_adult-community": "medium",
            "explanation": "Hostility to a named group; contact with a former associate",
        },
        follow=True,
    )
    assert "Risk of serious harm recorded." in response.text
    assert "Public, in the community: <strong>High</strong>" in response.text
    assert set(HarmLevel.objects.values_list("target", "setting", "level")) == {
        ("public", "community", "high"),
        ("known_adult", "community", "medium"),
    }
    judged = texts(cast.case.timeline.filter(category="risk", nature="assessment"))
    assert any(t.startswith("Risk of serious harm judged by Lead Officer") for t in judged)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"explanation": "A long enough explanation of nothing at all"},
            "Give a level for at least one group",
        ),
        (
            {"level-public-community": "extreme", "explanation": "A long enough explanation here"},
            "Choose a level from the list",
        ),
        ({"level-public-community": "high", "explanation": "short"}, "Explain the judgement"),
    ],
)
def test_bad_harm_judgements_are_refused_and_nothing_is_written(
    cast: Cast, data: dict[str, str], message: str
) -> None:
    response = cast.client_for(cast.lead).post(
        reverse("risk:judge_harm", args=[cast.case.pk]), data, follow=True
    )
    assert message in response.text
    assert not HarmJudgement.objects.exists()


def test_partners_without_risk_information_cannot_judge(cast: Cast) -> None:
    url = reverse("risk:judge_harm", args=[cast.case.pk])
    assert cast.client_for(cast.mentor).post(url, {}).status_code == 404
