"""Worked examples of the responsibility rules, under both shipped profiles, with time travel."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from throughcare.cases.models import Phase, TimelineEntry
from throughcare.custody import actions
from throughcare.custody.models import Offence, Responsibility, Sentence
from throughcare.jurisdictions.models import JurisdictionProfile
from throughcare.lib.errors import ActionRefused
from throughcare.test import Cast, open_test_case, texts

pytestmark = pytest.mark.django_db

CUSTODY, WITH_COMMUNITY, COMMUNITY = (
    Responsibility.CUSTODY,
    Responsibility.CUSTODY_WITH_COMMUNITY,
    Responsibility.COMMUNITY,
)


def _sentence(
    cast: Cast, *, terrorism: bool = False, profile: str = "default-england-wales", **dates: object
) -> Sentence:
    case = open_test_case(cast.lead, cast.probation, "Sam", "Sentenced", phase=Phase.CUSTODY)
    values = {"sentence_type": "determinate", "sentence_start": date(2024, 1, 1)} | dates
    details = actions.SentenceDetails(**values)  # type: ignore[arg-type]
    offence = Offence(
        description="preparation of terrorist acts" if terrorism else "robbery", terrorism_offence=terrorism
    )
    return actions.record_sentence(
        case, details, [offence], by=cast.lead, profile=JurisdictionProfile.objects.get(code=profile)
    )


def _on(sentence: Sentence, day: str) -> tuple[str, date | None]:
    actions.recompute(sentence, date.fromisoformat(day))
    sentence.refresh_from_db()
    return sentence.responsibility, sentence.handover_starts_on


def test_standard_determinate_hands_over_8_months_14_days_before_release(cast: Cast) -> None:
    sentence = _sentence(cast, sentence_end=date(2028, 1, 1), earliest_release=date(2027, 6, 1))
    assert _on(sentence, "2026-09-16") == (CUSTODY, date(2026, 9, 17))
    assert _on(sentence, "2026-09-17") == (WITH_COMMUNITY, date(2026, 9, 17))
    assert "standard determinate sentence" in str(sentence.responsibility_reason)


def test_terrorism_cases_are_allocated_early_15_months_before_release(cast: Cast) -> None:
    sentence = _sentence(
        cast, terrorism=True, sentence_end=date(2029, 1, 1), earliest_release=date(2027, 9, 1)
    )
    assert _on(sentence, "2026-05-31") == (CUSTODY, date(2026, 6, 1))
    assert _on(sentence, "2026-06-01") == (WITH_COMMUNITY, date(2026, 6, 1))
    assert "early allocation, terrorism case" in str(sentence.responsibility_reason)


@pytest.mark.parametrize("flags", [{"panel_level": 3}, {"high_profile": True}])
def test_top_panel_level_and_high_profile_are_allocated_early_too(cast: Cast, flags: dict[str, Any]) -> None:
    sentence = _sentence(cast, sentence_end=date(2029, 1, 1), earliest_release=date(2027, 9, 1), **flags)
    assert _on(sentence, "2026-06-01") == (WITH_COMMUNITY, date(2026, 6, 1))


def test_indeterminate_and_parole_cases_hand_over_12_months_before(cast: Cast) -> None:
    life = _sentence(
        cast,
        sentence_type="indeterminate",
        earliest_release=date(2028, 1, 10),
        parole_eligibility=date(2028, 1, 10),
    )
    assert _on(life, "2027-01-09") == (CUSTODY, date(2027, 1, 10))
    assert _on(life, "2027-01-10")[0] == WITH_COMMUNITY
    extended = _sentence(
        cast,
        sentence_type="extended",
        sentence_end=date(2030, 1, 1),
        earliest_release=date(2028, 1, 10),
        parole_eligibility=date(2028, 1, 10),
    )
    assert _on(extended, "2027-01-10") == (WITH_COMMUNITY, date(2027, 1, 10))


def test_sentences_of_10_months_or_less_are_the_community_sides_at_once(cast: Cast) -> None:
    ten_months = _sentence(
        cast,
        sentence_start=date(2026, 1, 1),
        sentence_end=date(2026, 11, 1),
        earliest_release=date(2026, 6, 1),
    )
    assert _on(ten_months, "2026-01-02") == (COMMUNITY, None)
    a_day_longer = _sentence(
        cast,
        sentence_start=date(2026, 1, 1),
        sentence_end=date(2026, 11, 2),
        earliest_release=date(2026, 6, 1),
    )
    # Not short any more: the standard window applies, and release is less than 8 months 14 days away.
    assert _on(a_day_longer, "2026-01-02") == (WITH_COMMUNITY, date(2025, 9, 17))


def test_special_cases_come_first_recall_and_no_release_date(cast: Cast) -> None:
    no_date = _sentence(cast, sentence_type="indeterminate")
    assert _on(no_date, "2026-06-01") == (CUSTODY, None)
    assert "No release date yet" in str(no_date.responsibility_reason)
    recalled = _sentence(
        cast, terrorism=True, sentence_end=date(2029, 1, 1), earliest_release=date(2030, 1, 1)
    )
    Sentence.objects.filter(pk=recalled.pk).update(recalled_on=date(2026, 5, 1))
    recalled.refresh_from_db()
    assert _on(recalled, "2026-06-01")[0] == COMMUNITY
    assert "Recalled on 1 May 2026" in str(recalled.responsibility_reason)


def test_a_manual_override_needs_a_reason_wins_until_lifted(cast: Cast) -> None:
    sentence = _sentence(cast, sentence_end=date(2029, 1, 1), earliest_release=date(2028, 9, 1))
    with pytest.raises(ActionRefused, match="Give the reason"):
        actions.override_responsibility(sentence, by=cast.lead, responsibility=COMMUNITY, reason="")
    actions.override_responsibility(
        sentence,
        by=cast.lead,
        responsibility=WITH_COMMUNITY,
        reason="Transfer to an open prison near his family; probation joins early",
    )
    assert _on(sentence, "2026-06-01")[0] == WITH_COMMUNITY
    assert str(sentence.responsibility_reason).startswith(
        "Decided by Lead Officer: Transfer to an open prison"
    )
    actions.lift_override(sentence, by=cast.lead)
    assert _on(sentence, "2026-06-01")[0] == CUSTODY


def test_the_other_profile_uses_its_own_rules(cast: Cast) -> None:
    sentence = _sentence(
        cast,
        terrorism=True,
        profile="release-conference-model",
        sentence_end=date(2029, 1, 1),
        earliest_release=date(2027, 9, 1),
        conditional_release=date(2027, 9, 1),
    )
    assert _on(sentence, "2026-11-30") == (CUSTODY, date(2026, 12, 1))  # 9 months, not 15
    assert _on(sentence, "2026-12-01")[0] == WITH_COMMUNITY
    assert sentence.profile.requires_release_conference(sentence)
    default = _sentence(
        cast,
        terrorism=True,
        sentence_end=date(2029, 1, 1),
        earliest_release=date(2027, 9, 1),
        conditional_release=date(2027, 9, 1),
    )
    assert not default.profile.requires_release_conference(default)
    seven_months = _sentence(
        cast,
        profile="release-conference-model",
        sentence_start=date(2026, 1, 1),
        sentence_end=date(2026, 8, 1),
        earliest_release=date(2026, 5, 1),
    )
    assert _on(seven_months, "2026-01-05")[0] == WITH_COMMUNITY  # not short under this profile (6 months)


def test_the_daily_recomputation_moves_cases_on_and_says_so_on_the_timeline(cast: Cast) -> None:
    sentence = _sentence(cast, sentence_end=date(2028, 1, 1), earliest_release=date(2027, 6, 1))
    with time_machine.travel(date(2026, 9, 16)):
        call_command("daily_run", stdout=StringIO())
    sentence.refresh_from_db()
    assert sentence.responsibility == CUSTODY
    out = StringIO()
    with time_machine.travel(date(2026, 9, 17)):
        call_command("daily_run", stdout=out)
    assert "1 case(s) changed" in out.getvalue()
    entry = [
        t
        for t in texts(TimelineEntry.objects.filter(case=sentence.case).order_by("pk"))
        if t.startswith("Responsibility:")
    ][-1]
    assert "Custody with community" in entry
    assert (
        TimelineEntry.objects.filter(case=sentence.case).latest("pk").author.username == "throughcare.system"
    )


def test_changing_dates_needs_a_reason_is_on_the_timeline_and_recomputes(cast: Cast) -> None:
    sentence = _sentence(cast, sentence_end=date(2028, 1, 1), earliest_release=date(2027, 6, 1))
    with pytest.raises(ActionRefused, match="Give the reason"):
        actions.change_dates(
            sentence,
            {"earliest_release": date(2027, 8, 1)},
            by=cast.lead,
            reason="",
            expected_version=sentence.version,
        )
    actions.change_dates(
        sentence,
        {"earliest_release": date(2027, 8, 1)},
        by=cast.lead,
        reason="Added days for a disciplinary award",
        expected_version=sentence.version,
    )
    assert sentence.handover_starts_on == date(2026, 11, 17)
    expected = (
        "Dates changed: earliest release 1 Jun 2027 → 1 Aug 2027. Reason: Added days for a disciplinary award"
    )
    assert expected in texts(TimelineEntry.objects.all())


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"earliest_release": date(2023, 1, 1)},
            "The earliest release cannot be before the sentence started",
        ),
        ({"licence_end": date(2027, 1, 1)}, "The licence cannot end before release"),
        ({"sentence_end": date(2023, 12, 31)}, "The sentence end cannot be before the sentence started"),
    ],
)
def test_impossible_dates_are_refused_and_nothing_is_written(
    cast: Cast, changes: dict[str, object], message: str
) -> None:
    sentence = _sentence(cast, sentence_end=date(2028, 1, 1), earliest_release=date(2027, 6, 1))
    entries = TimelineEntry.objects.count()
    with pytest.raises(ActionRefused, match=message):
        actions.change_dates(
            sentence, changes, by=cast.lead, reason="correction", expected_version=sentence.version
        )
    sentence.refresh_from_db()
    assert sentence.earliest_release == date(2027, 6, 1) and sentence.version == 1
    assert TimelineEntry.objects.count() == entries


def test_a_stale_dates_form_is_detected(cast: Cast) -> None:
    sentence = _sentence(cast, sentence_end=date(2028, 1, 1), earliest_release=date(2027, 6, 1))
    actions.change_dates(
        sentence, {"licence_end": date(2028, 1, 1)}, by=cast.lead, reason="court order", expected_version=1
    )
    from throughcare.lib.errors import EditConflict

    with pytest.raises(EditConflict):
        actions.change_dates(
            sentence,
            {"earliest_release": date(2027, 7, 1)},
            by=cast.lead,
            reason="a form opened before the other change",
            expected_version=1,
        )
