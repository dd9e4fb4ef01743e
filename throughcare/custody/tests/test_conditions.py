from __future__ import annotations

from datetime import date

import pytest

from throughcare.cases.models import Phase, TimelineEntry
from throughcare.custody import actions, conditions
from throughcare.custody.models import (
    BreachDecision,
    CaseCondition,
    ComplianceEvent,
    ConditionStatus,
    ConditionTemplate,
    Offence,
    Responsibility,
    Sentence,
)
from throughcare.lib.errors import ActionRefused
from throughcare.test import Cast, texts

pytestmark = pytest.mark.django_db


def _template(code: str) -> ConditionTemplate:
    return ConditionTemplate.objects.get(code=code, is_current=True)


def test_the_catalogue_covers_every_category_and_maps_to_the_framework_decision() -> None:
    templates = ConditionTemplate.objects.filter(is_current=True)
    assert {t.category for t in templates} >= {
        "extremism",
        "polygraph",
        "personal_search",
        "contact",
        "movement",
    }
    assert templates.filter(category="extremism").count() == 5
    assert all(t.fd_measure for t in templates)
    assert _template("CON-01").inputs() == ["person"]


def test_recommended_but_not_ordered_is_recorded_with_who_and_why(cast: Cast) -> None:
    recommended = conditions.recommend(
        cast.case, _template("CON-01"), {"person": "R. Example (co-defendant)"}, by=cast.lead
    )
    assert recommended.status == ConditionStatus.RECOMMENDED
    assert recommended.recommending_agency == cast.probation
    conditions.not_ordered(
        recommended, by=cast.lead, reason="The court found the contact ban disproportionate"
    )
    recommended.refresh_from_db()
    assert recommended.status == ConditionStatus.NOT_ORDERED
    assert any(
        t.startswith("Recommended condition not ordered: Have no contact with R. Example")
        for t in texts(TimelineEntry.objects.all())
    )


def test_ordering_and_varying_a_condition_keeps_its_history(cast: Cast) -> None:
    curfew = conditions.recommend(
        cast.case, _template("CUR-01"), {"from_time": "19:00", "to_time": "07:00"}, by=cast.lead
    )
    conditions.order(curfew, by=cast.lead, authority="Westmark Regional Court", ordered_on=date(2026, 10, 1))
    assert curfew.status == ConditionStatus.ORDERED and curfew.active_from == date(2026, 10, 1)
    conditions.vary(
        curfew,
        {"from_time": "21:00", "to_time": "06:00"},
        by=cast.lead,
        reason="Night shift at a bakery",
        authority="Probation, under delegated authority",
    )
    curfew.refresh_from_db()
    assert curfew.wording == "Stay at the approved address between 21:00 and 06:00 every day."
    assert curfew.variations.get().before == {"from_time": "19:00", "to_time": "07:00"}


def test_a_condition_with_missing_template_inputs_is_refused_and_nothing_is_written(cast: Cast) -> None:
    with pytest.raises(ActionRefused, match="Fill in Named person for condition CON-01"):
        conditions.recommend(cast.case, _template("CON-01"), {"person": "  "}, by=cast.lead)
    assert not CaseCondition.objects.exists()


def test_a_breach_needs_a_named_decider(cast: Cast) -> None:
    breach = conditions.record_compliance(
        cast.case,
        conditions.EventInput(
            kind="breach", occurred_on=date(2026, 11, 1), note="Seen at a rally in the exclusion zone"
        ),
        by=cast.lead,
    )
    with pytest.raises(ActionRefused, match="Name the person who decided"):
        conditions.decide_breach(
            breach, by=cast.lead, outcome="warning", rationale="first breach", decided_by=None
        )
    assert not BreachDecision.objects.exists()
    conditions.decide_breach(
        breach,
        by=cast.lead,
        outcome="warning",
        rationale="First breach; admitted it",
        decided_by=cast.manager,
    )
    assert BreachDecision.objects.get().decided_by == cast.manager


def test_recall_takes_the_case_back_to_custody_with_the_timeline_intact(cast: Cast) -> None:
    actions.record_sentence(
        cast.case,
        actions.SentenceDetails(
            sentence_type="determinate",
            sentence_start=date(2022, 1, 1),
            sentence_end=date(2028, 1, 1),
            earliest_release=date(2025, 1, 1),
        ),
        [Offence(description="x", terrorism_offence=True)],
        by=cast.lead,
    )
    entries_before = TimelineEntry.objects.filter(case=cast.case).count()
    breach = conditions.record_compliance(
        cast.case,
        conditions.EventInput(kind="breach", occurred_on=date(2026, 11, 20), note="Contacted a co-defendant"),
        by=cast.lead,
    )
    conditions.decide_breach(
        breach, by=cast.lead, outcome="recall", rationale="Contact shows rising risk", decided_by=cast.manager
    )
    cast.case.refresh_from_db()
    assert cast.case.phase == Phase.CUSTODY
    sentence = Sentence.objects.get()
    assert sentence.recalled_on is not None
    assert sentence.responsibility == Responsibility.COMMUNITY  # recall: the community side stays responsible
    assert TimelineEntry.objects.filter(case=cast.case).count() > entries_before
    assert any(t.startswith("Recalled to custody") for t in texts(TimelineEntry.objects.all()))


def test_compliance_events_cannot_be_in_the_future(cast: Cast) -> None:
    with pytest.raises(ActionRefused, match="cannot be in the future"):
        conditions.record_compliance(
            cast.case, conditions.EventInput(kind="kept", occurred_on=date(2999, 1, 1)), by=cast.lead
        )
    assert not ComplianceEvent.objects.exists()


def test_a_corrected_wording_is_a_new_catalogue_version_and_ordered_conditions_keep_theirs(
    cast: Cast,
) -> None:
    from throughcare.custody import catalogue

    current = _template("CND-01")
    assert current.catalogue_version == catalogue.VERSION
    assert "device(s)" not in current.text and "{number}" in current.text
    # A condition recommended from an earlier version keeps the wording it was recommended with.
    earlier = ConditionTemplate.objects.create(
        catalogue_version="2025.9",
        code="CND-01",
        category=current.category,
        text="Use only {number} internet-enabled device(s).",
        input_labels=current.input_labels,
        fd_measure=current.fd_measure,
        is_current=False,
    )
    old = conditions.recommend(cast.case, earlier, {"number": "1"}, by=cast.lead)
    catalogue.ensure_catalogue(ConditionTemplate)  # installing the catalogue again changes nothing ordered
    old.refresh_from_db()
    assert old.template == earlier and "device(s)" in old.wording
    assert list(ConditionTemplate.objects.filter(code="CND-01", is_current=True)) == [current]
