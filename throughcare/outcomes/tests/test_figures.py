"""What an analyst computes is protected before anyone sees it, and says how it was defined."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from throughcare.audit.models import AuditEvent, Operation
from throughcare.cases.models import Case
from throughcare.lib.errors import ActionRefused
from throughcare.lib.wording import english
from throughcare.outcomes import engine, figures
from throughcare.outcomes.actions import OutcomeInput, record_outcome
from throughcare.outcomes.disclosure import SUPPRESSED
from throughcare.outcomes.models import ExtractPerson, MeasureDefinition
from throughcare.outcomes.reading import as_read
from throughcare.outcomes.sources import people_for
from throughcare.people.models import Gender
from throughcare.test import Cast, open_test_case

pytestmark = pytest.mark.django_db


def counts_shown(computed: dict[str, Any]) -> list[int]:
    """Every count the figures show (tables, headline, rates), as a reader would see them."""
    shown: list[int] = []
    for measure in computed["measures"]:
        for row in [*measure["table"]["rows"], measure["table"]["total"]]:
            shown += [v for v in row[1:] if v != SUPPRESSED]
        for row in [measure["headline"], *measure["rates"]]:
            shown += [row[k] for k in ("cohort", "reoffenders", "offences") if row[k] != SUPPRESSED]
    return shown


def test_the_figures_match_the_engine_and_show_no_small_count(
    cast: Cast, by_gender: MeasureDefinition
) -> None:
    computed = figures.compute([by_gender], by=cast.analyst)
    measure = computed["measures"][0]
    people = ExtractPerson.objects.filter(released__range=(by_gender.released_from, by_gender.released_to))
    assert measure["headline"]["cohort"] == people.count()
    k, n = measure["headline"]["reoffenders"], measure["headline"]["cohort"]
    assert (measure["headline"]["ci_low"], measure["headline"]["ci_high"]) == pytest.approx(
        engine.wilson(k, n), abs=1e-4
    )
    assert all(count >= 10 for count in counts_shown(computed))
    people_of = people_for(by_gender, cast.analyst)
    followed = engine.follow(people_of.cohort, people_of.events, figures.definition_of(by_gender))
    # A release names a gender by its label (in English, read in the reader's language); the cohort holds
    # the code.
    codes = {english(Gender(code).label): code for code in Gender.values}
    for row in measure["rates"]:
        exact = engine.measure(followed, people_of.cohort.groups["gender"] == codes[row["group"]])
        if exact.reoffenders < 10 or exact.cohort - exact.reoffenders < 10:
            assert row["reoffenders"] == SUPPRESSED and row["rate"] is None  # a small count, and its rate
        if row["reoffenders"] != SUPPRESSED:
            assert row["reoffenders"] == exact.reoffenders
    method = as_read(computed)["measures"][0]["methodology"]
    assert "within 2 years of release" in method and "waiting period of 6 months" in method


def test_survival_curves_are_monthly_and_stop_before_few_remain(
    cast: Cast, by_gender: MeasureDefinition
) -> None:
    curves = figures.compute([by_gender], by=cast.analyst)["measures"][0]["survival"]
    everyone = next(c for c in curves if c["group"] == "All")
    days = [point[0] for point in everyone["points"]]
    assert days[0] == 0 and all(b - a == 30 for a, b in zip(days, days[1:], strict=False))
    assert all(low <= s <= high for _, s, low, high in everyone["points"])


def test_every_computation_is_logged_as_a_combination_with_its_definition(
    cast: Cast, by_gender: MeasureDefinition
) -> None:
    figures.compute([by_gender], by=cast.analyst)
    event = AuditEvent.objects.get(operation=Operation.COMBINATION)
    assert event.actor == cast.analyst and event.details["follow_up_years"] == 2
    assert event.details["definition"] == by_gender.name


def test_a_measure_that_cannot_be_computed_is_refused_with_the_reason(
    cast: Cast, by_gender: MeasureDefinition
) -> None:
    by_gender.released_from, by_gender.released_to = date(2030, 1, 1), date(2030, 12, 31)
    with pytest.raises(ActionRefused, match="the cohort is empty"):
        figures.compute([by_gender], by=cast.analyst)
    by_gender.released_from, by_gender.released_to = date(2015, 1, 1), date(2019, 12, 31)
    by_gender.follow_up_years = 10
    with pytest.raises(ActionRefused, match="Choose an earlier period or a shorter follow-up"):
        figures.compute([by_gender], by=cast.analyst)


def _released_cases(cast: Cast, count: int) -> None:
    released = timezone.now() - timedelta(days=900)
    for n in range(count):
        case = open_test_case(cast.lead, cast.probation, given=f"Person{n}", family="Cohort")
        case.phase_changes.update(changed_at=released)
        if n < 12:
            record_outcome(
                case,
                OutcomeInput(
                    kind="proven_reoffence",
                    occurred_on=timezone.localdate(released) + timedelta(days=100),
                    offence_kind="other",
                    proven_by="conviction",
                    proven_on=timezone.localdate(released) + timedelta(days=200),
                    source="Court",
                ),
                by=cast.lead,
            )


def _cases_measure(cast: Cast, **changes: str) -> MeasureDefinition:
    """The recorded cases released around the day `_released_cases` released them, followed for a year."""
    day = timezone.localdate() - timedelta(days=900)
    return MeasureDefinition.objects.create(
        name="Recorded cases",
        source="cases",
        released_from=day - timedelta(days=5),
        released_to=day + timedelta(days=5),
        created_by=cast.analyst,
        **changes,
    )


def test_an_analyst_measures_the_cases_recorded_here_and_no_one_else_can(cast: Cast) -> None:
    _released_cases(cast, 30)
    measure = _cases_measure(cast)
    headline = figures.compute([measure], by=cast.analyst)["measures"][0]["headline"]
    assert (headline["cohort"], headline["reoffenders"]) == (30, 12)
    for outsider in (cast.lead, cast.manager, cast.auditor):
        with pytest.raises(ActionRefused, match="cohort is empty"):
            figures.compute([measure], by=outsider)  # the gate lets no one else count the cases


def test_no_curve_is_drawn_for_a_group_whose_count_is_hidden(cast: Cast, by_age: MeasureDefinition) -> None:
    """A curve's last drop times the group's size is the group's count: hidden counts have no curve."""
    measure = figures.compute([by_age], by=cast.analyst)["measures"][0]
    hidden = {row[0] for row in measure["table"]["rows"] if SUPPRESSED in (row[1], row[3])}
    assert hidden, "the test needs a group with a hidden count"
    drawn = {curve["group"] for curve in measure["survival"]}
    assert not hidden & drawn and "All" in drawn


def test_success_shows_closures_with_their_criteria_and_hides_what_is_small(cast: Cast) -> None:
    from throughcare.cases.models import Case
    from throughcare.rehab.defaults import ensure_default_criteria
    from throughcare.rehab.models import Closure, CriteriaSet, Criterion, CriterionReview, FollowUp

    ensure_default_criteria(CriteriaSet, Criterion)
    _released_cases(cast, 30)
    mandatory = list(Criterion.objects.filter(mandatory=True))
    for n, case in enumerate(Case.objects.filter(person__family_name="Cohort").order_by("pk")[:20]):
        Closure.objects.create(
            case=case,
            reason="no_further_support",
            proposed_by=cast.lead,
            closed_at=timezone.now() - timedelta(days=100),
        )
        FollowUp.objects.create(
            case=case,
            due_on=timezone.localdate(),
            owner=cast.lead,
            done_at=timezone.now() - timedelta(days=50),
        )
        for criterion in mandatory:
            CriterionReview.objects.create(
                case=case,
                criterion=criterion,
                state="met" if n < 10 else "partly",
                evidence="Reviewed with the person",
                signed_off_by=cast.lead,
            )
    measure = _cases_measure(cast)
    success = figures.compute([measure], by=cast.analyst)["measures"][0]["success"]
    assert (success["closed"]["count"], success["closed"]["base"]) == (20, 30)
    assert (success["criteria_met"]["count"], success["criteria_met"]["base"]) == (10, 20)
    assert success["median_days_to_closure"] == 800
    assert success["programme_started"]["count"] == SUPPRESSED  # none: a count below the threshold
    # 20 follow-ups after closure, all with nothing new: the count of those with news (0) would show
    assert (success["follow_ups_clear"]["count"], success["follow_ups_clear"]["base"]) == (SUPPRESSED, 20)


def test_a_cohort_of_cases_is_grouped_by_sentence_and_filtered_by_programme(cast: Cast) -> None:
    from throughcare.custody import actions as custody
    from throughcare.custody.models import Offence

    _released_cases(cast, 24)
    for case in Case.objects.filter(person__family_name="Cohort"):
        custody.record_sentence(
            case,
            custody.SentenceDetails(
                sentence_type="determinate",
                sentence_start=date(2018, 1, 1),
                sentence_end=date(2020, 1, 1) if case.pk % 2 else date(2025, 1, 1),
                earliest_release=date(2019, 1, 1),
            ),
            [Offence(description="Preparation", terrorism_offence=True)],
            by=cast.lead,
        )
    measure = _cases_measure(cast, group_by="sentence_band")
    rows = figures.compute([measure], by=cast.analyst)["measures"][0]["table"]["rows"]
    assert {row[0] for row in rows} == {"Under 4 years", "4 to 10 years"}
    assert sum(row[3] for row in rows) == 24
    measure.programme = "took_part"
    with pytest.raises(ActionRefused, match="cohort is empty"):  # no one took part in a programme
        figures.compute([measure], by=cast.analyst)


def test_an_extract_has_no_sentences_to_filter_by(cast: Cast, by_gender: MeasureDefinition) -> None:
    by_gender.sentence_band = "Under 4 years"
    with pytest.raises(ActionRefused, match="An extract records no sentence"):
        figures.compute([by_gender], by=cast.analyst)
