from __future__ import annotations

from datetime import date

import pytest

from throughcare.lib.errors import ActionRefused
from throughcare.risk import plans
from throughcare.risk.models import PlanVersion
from throughcare.test import Cast, texts

pytestmark = pytest.mark.django_db

FORMULATION = "Grievance after losing his job, drawn in by a charismatic recruiter; risk rises when isolated."


def _content(cast: Cast, **changes: object) -> plans.PlanContent:
    strategies = [
        plans.StrategyInput(
            "supervision", "Weekly supervision at the probation office", date(2027, 1, 15), owner=cast.lead
        ),
        plans.StrategyInput(
            "monitoring", "Police check of declared devices", date(2027, 2, 1), owner_agency=cast.police
        ),
        plans.StrategyInput(
            "contingency",
            "Call an urgent case conference within 48 hours",
            date(2027, 1, 15),
            owner=cast.lead,
        ),
    ]
    values: dict[str, object] = {
        "formulation": FORMULATION,
        "protective_factors": "His sister; work at the bakery",
        "scenarios": [
            ("repeat", "Sharing propaganda online again"),
            ("improvement", "Stable work and family"),
        ],
        "strategies": strategies,
        "warning_signs": [plans.WarningSignInput("Stops attending the bakery", [2])],
    }
    return plans.PlanContent(**(values | changes))  # type: ignore[arg-type]


def test_each_review_makes_a_new_version_with_its_reason(cast: Cast) -> None:
    first = plans.save_version(cast.case, _content(cast), by=cast.lead, reason="first")
    second = plans.save_version(
        cast.case,
        _content(cast, formulation=FORMULATION + " Recruiter now abroad."),
        by=cast.lead,
        reason="new_information",
        reason_note="Police report of 3 March",
    )
    assert (first.number, second.number) == (1, 2)
    assert list(PlanVersion.objects.filter(case=cast.case).values_list("number", flat=True)) == [2, 1]
    assert "Risk management plan version 2 (new information): Police report of 3 March" in texts(
        cast.case.timeline.all()
    )
    assert first.warning_signs.get().triggers.get().description.startswith("Call an urgent case conference")


def test_two_versions_compare_side_by_side(cast: Cast) -> None:
    first = plans.save_version(cast.case, _content(cast), by=cast.lead, reason="first")
    changed = _content(cast)
    strategies = list(changed.strategies)
    strategies[1] = plans.StrategyInput(
        "monitoring", "Police check of declared devices", date(2027, 1, 20), owner_agency=cast.police
    )
    strategies.append(
        plans.StrategyInput("interventions", "Disengagement programme", date(2027, 3, 1), owner=cast.mentor)
    )
    second = plans.save_version(
        cast.case,
        plans.PlanContent(
            formulation=FORMULATION,
            protective_factors=changed.protective_factors,
            scenarios=changed.scenarios,
            strategies=strategies,
            warning_signs=changed.warning_signs,
        ),
        by=cast.lead,
        reason="scheduled",
    )
    differences = {(d.label, d.kind) for d in plans.compare(first, second)}
    assert ("Strategy", "changed") in differences  # the review date moved
    assert ("Strategy", "added") in differences
    assert not any(d.label == "Formulation" for d in plans.compare(first, second))


def test_a_strategy_without_an_owner_is_refused_and_nothing_is_written(cast: Cast) -> None:
    orphan = plans.StrategyInput("supervision", "Home visits", date(2027, 1, 1))
    with pytest.raises(ActionRefused, match="“Home visits” needs an owner"):
        plans.save_version(
            cast.case, _content(cast, strategies=[orphan], warning_signs=[]), by=cast.lead, reason="first"
        )
    assert not PlanVersion.objects.exists()


def test_warning_signs_set_off_contingency_actions_only(cast: Cast) -> None:
    with pytest.raises(ActionRefused, match="must set off contingency actions"):
        plans.save_version(
            cast.case,
            _content(cast, warning_signs=[plans.WarningSignInput("Isolation", [0])]),
            by=cast.lead,
            reason="first",
        )


def test_the_formulation_is_required(cast: Cast) -> None:
    with pytest.raises(ActionRefused, match="Write the formulation"):
        plans.save_version(cast.case, _content(cast, formulation="tbc"), by=cast.lead, reason="first")


def test_the_text_of_a_changed_formulation_is_shown_word_by_word() -> None:
    assert ("+", "abroad.") in plans.text_diff("Recruiter nearby.", "Recruiter now abroad.")


def test_the_plan_page_shows_the_current_version_and_compares_two(cast: Cast) -> None:
    from django.urls import reverse

    plans.save_version(cast.case, _content(cast), by=cast.lead, reason="first")
    plans.save_version(
        cast.case,
        _content(cast, formulation=FORMULATION + " Recruiter now abroad."),
        by=cast.lead,
        reason="new_information",
        reason_note="Police report",
    )
    url = reverse("risk:plan", args=[cast.case.pk])
    client = cast.client_for(cast.police_liaison)
    page = client.get(url).text
    assert "Current: version 2" in page and "Police check of declared devices" in page
    compared = client.get(url, {"compare": "1", "with": "2"}).text
    assert "Version 1 and version 2 side by side" in compared
    assert "<ins><strong>abroad.</strong></ins>" in compared
    assert cast.client_for(cast.mentor).get(url).status_code == 404
    assert cast.client_for(cast.stranger).get(url).status_code == 404
