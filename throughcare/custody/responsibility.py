"""Who is responsible for a case, computed from its sentence and the jurisdiction profile's rules.

Special cases first (recall, no release date), then short sentences (community at once), then the
handover window before release: early allocation (terrorism, highest panel level, high profile),
indeterminate and parole cases, and standard determinate sentences. The offsets are the profile's data.
Humans may override the result with a reason; the software never decides anything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from throughcare.cases.models import Phase
from throughcare.custody.models import Responsibility, ResponsibilityOverride, Sentence, SentenceType
from throughcare.jurisdictions.models import JurisdictionProfile
from throughcare.lib.dates import add_months

RELEASED = {Phase.COMMUNITY, Phase.REINTEGRATION, Phase.CLOSED}


@dataclass(frozen=True)
class Outcome:
    responsibility: str
    handover_starts_on: date | None
    reason: str


def compute(
    sentence: Sentence, today: date, *, terrorism: bool, override: ResponsibilityOverride | None = None
) -> Outcome:
    handover = handover_start(sentence, terrorism=terrorism)
    if override is not None:
        return Outcome(
            override.responsibility, handover, f"Decided by {override.decided_by}: {override.reason}"
        )
    special = _special_case(sentence, handover)
    if special is not None:
        return special
    assert handover is not None
    window = _window_reason(sentence, sentence.profile, terrorism)
    if today >= handover:
        return Outcome(
            Responsibility.CUSTODY_WITH_COMMUNITY,
            handover,
            f"Handover started on {handover:%d %b %Y} ({window}).",
        )
    return Outcome(Responsibility.CUSTODY, handover, f"Handover starts on {handover:%d %b %Y} ({window}).")


def _special_case(sentence: Sentence, handover: date | None) -> Outcome | None:
    if sentence.recalled_on is not None:
        return Outcome(
            Responsibility.COMMUNITY,
            handover,
            f"Recalled on {sentence.recalled_on:%d %b %Y}: the community side stays responsible.",
        )
    if sentence.case.phase in RELEASED:
        return Outcome(Responsibility.COMMUNITY, handover, "Released: probation is responsible.")
    if sentence.release_date is None:
        return Outcome(Responsibility.CUSTODY, None, "No release date yet: the prison stays responsible.")
    if is_short(sentence):
        months = sentence.profile.short_sentence_months
        return Outcome(
            Responsibility.COMMUNITY,
            None,
            f"Sentence of {months} months or less: the community side is responsible at once.",
        )
    return None


def is_short(sentence: Sentence) -> bool:
    if sentence.sentence_type == SentenceType.INDETERMINATE or sentence.sentence_end is None:
        return False
    return sentence.sentence_end <= add_months(
        sentence.sentence_start, sentence.profile.short_sentence_months
    )


def handover_start(sentence: Sentence, *, terrorism: bool) -> date | None:
    release = sentence.release_date
    if release is None:
        return None
    months, days = _offset(sentence, sentence.profile, terrorism)
    return add_months(release, -months) - timedelta(days=days)


def _offset(sentence: Sentence, profile: JurisdictionProfile, terrorism: bool) -> tuple[int, int]:
    if _early_allocation(sentence, profile, terrorism):
        return profile.early_allocation_months, profile.early_allocation_days
    if _indeterminate_or_parole(sentence):
        return profile.indeterminate_months, profile.indeterminate_days
    return profile.standard_months, profile.standard_days


def _early_allocation(sentence: Sentence, profile: JurisdictionProfile, terrorism: bool) -> bool:
    return terrorism or sentence.panel_level >= profile.top_panel_level or sentence.high_profile


def _indeterminate_or_parole(sentence: Sentence) -> bool:
    return sentence.sentence_type == SentenceType.INDETERMINATE or sentence.parole_eligibility is not None


def _window_reason(sentence: Sentence, profile: JurisdictionProfile, terrorism: bool) -> str:
    months, days = _offset(sentence, profile, terrorism)
    span = f"{months} months" + (f" {days} days" if days else "")
    if _early_allocation(sentence, profile, terrorism):
        why = (
            "terrorism case"
            if terrorism
            else ("highest panel level" if not sentence.high_profile else "high profile")
        )
        return f"{span} before release: early allocation, {why}"
    if _indeterminate_or_parole(sentence):
        return f"{span} before release: indeterminate or parole case"
    return f"{span} before release: standard determinate sentence"
