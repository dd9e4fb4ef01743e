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
from throughcare.lib.wording import Wording, worded, worded_count

RELEASED = {Phase.COMMUNITY, Phase.REINTEGRATION, Phase.CLOSED}


@dataclass(frozen=True)
class Outcome:
    responsibility: str
    handover_starts_on: date | None
    reason: Wording  # read in the reader's language (`lib.wording`)


def compute(
    sentence: Sentence, today: date, *, terrorism: bool, override: ResponsibilityOverride | None = None
) -> Outcome:
    handover = handover_start(sentence, terrorism=terrorism)
    if override is not None:
        return Outcome(
            override.responsibility,
            handover,
            worded(
                "Decided by %(person)s: %(reason)s", person=str(override.decided_by), reason=override.reason
            ),
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
            worded("Handover started on %(date)s (%(window)s).", date=handover, window=window),
        )
    return Outcome(
        Responsibility.CUSTODY,
        handover,
        worded("Handover starts on %(date)s (%(window)s).", date=handover, window=window),
    )


def _special_case(sentence: Sentence, handover: date | None) -> Outcome | None:
    if sentence.recalled_on is not None:
        return Outcome(
            Responsibility.COMMUNITY,
            handover,
            worded("Recalled on %(date)s: the community side stays responsible.", date=sentence.recalled_on),
        )
    if sentence.case.phase in RELEASED:
        return Outcome(Responsibility.COMMUNITY, handover, worded("Released: probation is responsible."))
    if sentence.release_date is None:
        return Outcome(
            Responsibility.CUSTODY, None, worded("No release date yet: the prison stays responsible.")
        )
    if is_short(sentence):
        months = sentence.profile.short_sentence_months
        return Outcome(
            Responsibility.COMMUNITY,
            None,
            worded_count(
                "Sentence of %(count)s month or less: the community side is responsible at once.",
                "Sentence of %(count)s months or less: the community side is responsible at once.",
                months,
            ),
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


def _window_reason(sentence: Sentence, profile: JurisdictionProfile, terrorism: bool) -> Wording:
    months, days = _offset(sentence, profile, terrorism)
    span = worded_count("%(count)s month", "%(count)s months", months)
    if days:
        span = worded(
            "%(months)s and %(days)s", months=span, days=worded_count("%(count)s day", "%(count)s days", days)
        )
    if _early_allocation(sentence, profile, terrorism):
        if terrorism:
            return worded("%(span)s before release: early allocation, terrorism case", span=span)
        if sentence.high_profile:
            return worded("%(span)s before release: early allocation, high profile", span=span)
        return worded("%(span)s before release: early allocation, highest panel level", span=span)
    if _indeterminate_or_parole(sentence):
        return worded("%(span)s before release: indeterminate or parole case", span=span)
    return worded("%(span)s before release: standard determinate sentence", span=span)
